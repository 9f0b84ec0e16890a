//! libFuzzer target: `rackplan_core::fuzzing::csv` (FUZZING.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rackplan_core::fuzzing::csv(data));
