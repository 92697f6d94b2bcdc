//! The window's own state: version, open file, readiness.

use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use crate::state::{AppState, OpenFile};

#[derive(Debug, Serialize, TS)]
#[ts(export)]
pub struct AppInfo {
    pub version: String,
    /// The Hoshin file the window works on.
    pub file_path: String,
    /// Why the file could not be opened, if it could not.
    pub open_error: Option<String>,
}

impl AppInfo {
    pub fn of(file: &OpenFile) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            file_path: file.path.display().to_string(),
            open_error: file.problem.clone(),
        }
    }
}

#[tauri::command]
pub fn app_info(state: State<AppState>) -> AppInfo {
    AppInfo::of(&state.file.lock().expect("state lock"))
}

/// Called by the UI once the plan tree is on screen, with the number of tree
/// items it shows. The start-up benchmark (benches/startup.sh) and the
/// package test (scripts/test-deb.sh) set HOSHIN_READY_FILE and wait for it.
#[tauri::command]
pub fn ui_ready(tree_items: u32) {
    log::info!("画面の準備ができました（ツリーの項目 {tree_items}）");
    if let Some(path) = std::env::var_os("HOSHIN_READY_FILE") {
        let _ = std::fs::write(path, format!("ready\ntree_items={tree_items}\n"));
    }
}
