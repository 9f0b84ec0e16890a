//! rackplan-core: the numeric core of rackplan (MODEL.md). No web dependencies; the same code
//! runs natively (CLI, tests, benchmarks) and in the browser.

pub mod sourcing;
