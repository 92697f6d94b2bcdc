//! The Hoshin desktop app: a thin Tauri shell and CLI over `hoshin-core`.
//! Commands only translate between the webview and the core; no domain logic
//! and no SQL lives here (see ARCHITECTURE.md).

pub mod cli;
mod commands;
mod recent;
mod state;

use std::path::PathBuf;

/// Opens the window on the Hoshin file at `db_path`.
pub fn run_gui(db_path: PathBuf) -> Result<(), String> {
    let state = state::AppState::open(db_path);
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!())
        .map_err(|e| format!("ウィンドウを開けませんでした: {e}"))
}
