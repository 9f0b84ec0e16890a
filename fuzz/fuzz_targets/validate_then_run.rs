//! libFuzzer target: `rackplan_core::fuzzing::validate_then_run` (FUZZING.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| rackplan_core::fuzzing::validate_then_run(data));
