//! The Hoshin desktop app: a thin Tauri shell over `hoshin-core`.
//! Commands only translate between the webview and the core; no domain logic
//! and no SQL lives here (see ARCHITECTURE.md). Headless work is the separate
//! console program `hoshin-cli`.

mod commands;
mod desktop;
mod lean_webview;
mod recent;
mod state;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use tauri::Manager;

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
    /// 開く Hoshin ファイル。なければデモ計画入りで作成します（既定: ユーザーのデータフォルダの plans.hoshin）。
    /// このときは、すでに開いているウィンドウとは別のウィンドウになります
    #[arg(long, env = "HOSHIN_DB")]
    db: Option<PathBuf>,
}

impl Args {
    /// The FILE of another start's command line, if it names one.
    fn file_from(argv: &[String]) -> Option<PathBuf> {
        Args::try_parse_from(argv).ok()?.file
    }
}

/// Parses the arguments and opens the window. A FILE must exist (it comes
/// from a double-click); `--db` may name a new file.
pub fn main() -> ExitCode {
    lean_webview::configure();
    let args = Args::parse();
    let window = match (args.file, args.db) {
        (Some(file), _) if !file.is_file() => {
            eprintln!(
                "エラー: ファイルが見つかりません: {}\n書き出しや取り込みは hoshin-cli で行います（hoshin-cli --help）。",
                file.display()
            );
            return ExitCode::from(2);
        }
        (Some(file), _) => Window::Shared(file),
        (None, Some(db)) => Window::Own(db),
        (None, None) => Window::Shared(state::default_db_path()),
    };
    match run_gui(window) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("エラー: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Which window a start opens.
pub enum Window {
    /// The planner's one window: a second start hands its file over to it.
    Shared(PathBuf),
    /// A window of its own on this file (`--db`: tests, benchmarks, side by side).
    Own(PathBuf),
}

/// Opens the window (or hands the file to the one already open).
pub fn run_gui(window: Window) -> Result<(), String> {
    let (path, shared) = match window {
        Window::Shared(path) => (path, true),
        Window::Own(path) => (path, false),
    };
    let mut builder = tauri::Builder::default();
    if shared {
        // First, so that a second start exits before it opens anything.
        builder = builder.plugin(tauri_plugin_single_instance::init(desktop::on_second_start));
    }
    builder
        .plugin(desktop::log_plugin())
        .plugin(desktop::window_state_plugin())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .setup(move |app| {
            log::info!(
                "起動: Hoshin {} {}",
                env!("CARGO_PKG_VERSION"),
                path.display()
            );
            desktop::setup(app.handle());
            let state = state::AppState::open(app.handle(), path);
            app.manage(state);
            Ok(())
        })
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!())
        .map_err(|e| format!("ウィンドウを開けませんでした: {e}"))
}
