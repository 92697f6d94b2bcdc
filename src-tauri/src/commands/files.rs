//! The Hoshin file the window works on: new, open, save a copy.

use std::path::{Path, PathBuf};

use hoshin_core::store::PlanSummary;
use hoshin_core::{Error, Store};
use tauri::{AppHandle, State};

use super::app::AppInfo;
use super::CommandResult;
use crate::state::{AppState, OpenFile};

/// Opens another Hoshin file. 新しいファイル (`create`) on a path that exists
/// replaces that file only when it is not the open one, and only with
/// `replace` when it holds plans (the window asks first). A file that cannot
/// be opened leaves the current one open and says why.
#[tauri::command]
pub fn open_file(
    app: AppHandle,
    state: State<AppState>,
    path: PathBuf,
    create: bool,
    replace: bool,
) -> CommandResult<AppInfo> {
    let mut file = state
        .file
        .lock()
        .map_err(|_| "内部エラー（ロック）".to_string())?;
    if create && path.exists() {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if file.is(&path) {
            return Err(open_file_refused(&path).into());
        }
        if !replace && !plans_in(&path).is_empty() {
            return Err(format!("「{name}」には計画があります。置き換えずに残しました。").into());
        }
        remove_with_journal(&path)?;
    }
    Store::open(&path)?;
    crate::recent::remember(&app, &path);
    *file = OpenFile {
        path,
        problem: None,
    };
    Ok(AppInfo::of(&file))
}

fn open_file_refused(path: &Path) -> String {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    format!("「{name}」は今開いているファイルです。新しいファイルには別の名前を付けてください。")
}

/// The plans a Hoshin file holds (none for a missing or foreign file), so
/// the window can say what 新しいファイル would replace. The open file
/// itself is never replaced: that is an error.
#[tauri::command]
pub fn file_plans(state: State<AppState>, path: PathBuf) -> CommandResult<Vec<PlanSummary>> {
    let file = state
        .file
        .lock()
        .map_err(|_| "内部エラー（ロック）".to_string())?;
    if path.exists() && file.is(&path) {
        return Err(open_file_refused(&path).into());
    }
    Ok(plans_in(&path))
}

fn plans_in(path: &Path) -> Vec<PlanSummary> {
    if !path.exists() {
        return Vec::new();
    }
    Store::open(path)
        .and_then(|store| store.list_plans())
        .unwrap_or_default()
}

/// Removes a database with its -wal and -shm, which belong to it.
fn remove_with_journal(path: &Path) -> Result<(), Error> {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let target = PathBuf::from(name);
        match std::fs::remove_file(&target) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(Error::io(&target, e))
            }
            _ => {}
        }
    }
    Ok(())
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
        Error::invalid(
            "年度",
            "年度を読めません（例: 令和7年度、R7、2025）",
            Some(&year),
        )
    })?;
    super::with_store(&state, |store| {
        let plan = hoshin_core::Plan::new(ward.trim(), fiscal_year);
        store.import_plan(&plan, false, "新しい計画を作成")?;
        super::plan::PlanView::load(store, &plan.ward, plan.fiscal_year)
    })
}

/// Recently opened files, newest first.
#[tauri::command]
pub fn recent_files() -> Vec<String> {
    crate::recent::load()
}
