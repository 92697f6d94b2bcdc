//! Shared by the fuzz targets.

/// libfuzzer-sys aborts on every panic, even one the code catches on
/// purpose (the xlsx reader turns a panic inside calamine into "cannot read
/// this workbook"). A panic that escapes the target still aborts: the
/// fuzz_target! wrapper catches it and calls abort.
pub fn report_panics_without_aborting() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| std::panic::set_hook(Box::new(|info| eprintln!("panic: {info}"))));
}
