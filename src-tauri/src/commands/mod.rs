//! Tauri commands, grouped by domain. Each is a few lines: take the open
//! file, call the core, hand back typed data or a Japanese error.

mod app;
mod edit;
mod export;
mod files;
mod plan;
mod reply;

use hoshin_core::{Error, ErrorCode, Store, Violation};
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use crate::state::AppState;

/// What a failed command tells the UI.
#[derive(Debug, Serialize, TS)]
#[ts(export)]
pub struct CommandError {
    /// What kind of failure, for the UI to act on (never the message text).
    pub code: ErrorCode,
    /// The whole message, Japanese, ready for a dialog.
    pub message: String,
    /// Each broken rule with its place, when the input was invalid.
    pub violations: Vec<Violation>,
}

impl From<Error> for CommandError {
    fn from(e: Error) -> Self {
        log::warn!("{e}");
        let violations = match &e {
            Error::Invalid(v) => v.clone(),
            _ => Vec::new(),
        };
        CommandError {
            code: e.code(),
            message: e.to_string(),
            violations,
        }
    }
}

impl From<String> for CommandError {
    fn from(message: String) -> Self {
        CommandError {
            code: ErrorCode::Refused,
            message,
            violations: Vec::new(),
        }
    }
}

pub type CommandResult<T> = Result<T, CommandError>;

/// Runs `f` on the open file (opened for this command only, see state.rs).
fn with_store<T>(
    state: &State<AppState>,
    f: impl FnOnce(&mut Store) -> Result<T, Error>,
) -> CommandResult<T> {
    let file = state
        .file
        .lock()
        .map_err(|_| "内部エラー（ロック）".to_string())?;
    let mut store = file.store()?;
    Ok(f(&mut store)?)
}

pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        app::app_info,
        app::ui_ready,
        plan::list_plans,
        plan::load_plan,
        plan::photo_image,
        edit::edit_plan,
        edit::undo,
        edit::redo,
        edit::undo_preview,
        edit::edit_warnings,
        edit::rename_plan,
        edit::delete_plan,
        edit::rollover_preview,
        edit::rollover,
        export::chart_svg,
        export::save_chart,
        export::save_council_pack,
        export::export_json,
        export::export_xlsx,
        export::import_file,
        files::open_file,
        files::file_plans,
        files::save_copy,
        files::create_plan,
        files::recent_files,
        reply::request_options,
        reply::write_request,
        reply::write_requests,
        reply::merge_preview,
        reply::merge_replies,
    ]
}
