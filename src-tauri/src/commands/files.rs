//! The Hoshin file the window works on: new, open, save a copy.

use std::path::PathBuf;

use hoshin_core::Store;
use tauri::State;

use super::app::AppInfo;
use super::CommandResult;
use crate::state::{AppState, OpenFile};

/// Opens another Hoshin file (a new path creates an empty file). A file
/// that cannot be opened leaves the current one open and says why.
#[tauri::command]
pub fn open_file(state: State<AppState>, path: PathBuf, create: bool) -> CommandResult<AppInfo> {
    if create && path.exists() {
        std::fs::remove_file(&path).map_err(|e| hoshin_core::Error::io(&path, e))?;
    }
    let store = Store::open(&path)?;
    crate::recent::remember(&path);
    let mut file = state
        .file
        .lock()
        .map_err(|_| "内部エラー（ロック）".to_string())?;
    *file = OpenFile {
        path,
        store: Ok(store),
    };
    Ok(AppInfo::of(&file))
}

/// Writes a consistent copy of the open file and keeps working on the original.
#[tauri::command]
pub fn save_copy(state: State<AppState>, path: PathBuf) -> CommandResult<()> {
    super::with_store(&state, |store| store.save_copy(&path))
}

/// Creates an empty plan for a ward and year (区名 and 年度 as typed: 令和7年度, R7, 2025).
#[tauri::command]
pub fn create_plan(
    state: State<AppState>,
    ward: String,
    year: String,
) -> CommandResult<super::plan::PlanView> {
    let fiscal_year = hoshin_core::wareki::parse_label(&year).ok_or_else(|| {
        hoshin_core::Error::invalid(
            "年度",
            "年度を読めません（例: 令和7年度、R7、2025）",
            Some(&year),
        )
    })?;
    super::with_store(&state, |store| {
        let plan = hoshin_core::Plan::new(ward.trim(), fiscal_year);
        store.import_plan(&plan, false, "新しい計画を作成")?;
        super::plan::PlanView::of(store, plan)
    })
}

/// Recently opened files, newest first.
#[tauri::command]
pub fn recent_files() -> Vec<String> {
    crate::recent::load()
}
