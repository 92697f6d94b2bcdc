//! Any bytes as a workbook (see `hoshin_core::fuzzing`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    hoshin_fuzz::report_panics_without_aborting();
    hoshin_core::fuzzing::import_xlsx(data)
});
