// The window only: no console behind it on Windows release builds. Headless
// work is `hoshin-cli` (src-tauri/cli), a console program.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    hoshin_app::main()
}
