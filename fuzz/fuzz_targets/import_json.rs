//! Any bytes as an interchange JSON file (see `hoshin_core::fuzzing`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    hoshin_fuzz::report_panics_without_aborting();
    hoshin_core::fuzzing::import_json(data)
});
