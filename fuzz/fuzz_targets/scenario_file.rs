//! libFuzzer target: `rackplan_core::fuzzing::scenario_file` (FUZZING.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rackplan_core::fuzzing::scenario_file(data));
