//! The Hoshin desktop app: a thin Tauri shell over `hoshin-core`.
//! Commands only translate between the webview and the core; no domain logic
//! and no SQL lives here (see ARCHITECTURE.md). Headless work is the separate
//! console program `hoshin-cli`.

mod commands;
mod recent;
mod state;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// `hoshin [FILE]`: the window, on one Hoshin file.
#[derive(Parser)]
#[command(
    name = "hoshin",
    version,
    about = "Hoshin — 区運営方針の作成・管理（ウィンドウ）",
    after_help = "書き出し・取り込み・グラフなどをウィンドウなしで行うには hoshin-cli を使います（hoshin-cli --help）。"
)]
struct Args {
    /// 開く Hoshin ファイル（.hoshin をダブルクリックしたときもこれで開きます）
    file: Option<PathBuf>,
    /// 開く Hoshin ファイル。なければデモ計画入りで作成します（既定: ユーザーのデータフォルダの plans.hoshin）
    #[arg(long, env = "HOSHIN_DB")]
    db: Option<PathBuf>,
}

/// Parses the arguments and opens the window. A FILE must exist (it comes
/// from a double-click); `--db` may name a new file.
pub fn main() -> ExitCode {
    let args = Args::parse();
    let path = match args.file {
        Some(file) if !file.is_file() => {
            eprintln!(
                "エラー: ファイルが見つかりません: {}\n書き出しや取り込みは hoshin-cli で行います（hoshin-cli --help）。",
                file.display()
            );
            return ExitCode::from(2);
        }
        Some(file) => file,
        None => args.db.unwrap_or_else(state::default_db_path),
    };
    match run_gui(path) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("エラー: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Opens the window on the Hoshin file at `db_path`.
pub fn run_gui(db_path: PathBuf) -> Result<(), String> {
    let state = state::AppState::open(db_path);
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(state)
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!())
        .map_err(|e| format!("ウィンドウを開けませんでした: {e}"))
}
