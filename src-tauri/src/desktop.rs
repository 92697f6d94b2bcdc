//! What a desktop app is expected to do, with Tauri's official plugins: one
//! window per user (a second start hands over its file), the window's size
//! and place remembered, a log file, and a crash report the planner can send.

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_dialog::{DialogExt, MessageDialogKind};
use tauri_plugin_log::{RotationStrategy, Target, TargetKind, TimezoneStrategy};
use tauri_plugin_window_state::StateFlags;

/// The event that asks the UI to open a file handed over by a second start.
pub const OPEN_FILE_EVENT: &str = "open-file";

/// Names the crash report the next start has not shown yet.
const UNSHOWN_CRASH: &str = "crash-unshown.txt";

/// A second `hoshin [FILE]` ends here in the running app: the window comes to
/// the front and the UI opens FILE (relative to where the second one started).
pub fn on_second_start<R: Runtime>(app: &AppHandle<R>, argv: Vec<String>, cwd: String) {
    let file = crate::Args::file_from(&argv).map(|f| Path::new(&cwd).join(f));
    log::info!("二つ目の起動: {argv:?}");
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
    if let Some(file) = file {
        let _ = app.emit_to("main", OPEN_FILE_EVENT, file.display().to_string());
    }
}

/// The log file, in the per-user log folder: Linux
/// ~/.local/share/jp.osaka.ward.hoshin/logs/hoshin.log, Windows
/// %LOCALAPPDATA%\jp.osaka.ward.hoshin\logs\hoshin.log. Our own messages from
/// info up, the libraries' from warn; a few files of 1 MB are kept.
pub fn log_plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_log::Builder::new()
        .clear_targets()
        .target(Target::new(TargetKind::LogDir {
            file_name: Some("hoshin".into()),
        }))
        .target(Target::new(TargetKind::Stderr))
        .level(log::LevelFilter::Warn)
        .level_for("hoshin_app", log::LevelFilter::Info)
        .max_file_size(1_000_000)
        .rotation_strategy(RotationStrategy::KeepSome(4))
        .timezone_strategy(TimezoneStrategy::UseLocal)
        .build()
}

/// Size, place and maximised state of the window, kept in the per-user
/// config folder and restored at the next start.
pub fn window_state_plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_window_state::Builder::new()
        .with_state_flags(StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED)
        .build()
}

/// Installs the crash reporter and tells the planner about the report of the
/// last crash, once.
pub fn setup<R: Runtime>(app: &AppHandle<R>) {
    let Ok(dir) = app.path().app_log_dir() else {
        return;
    };
    install_crash_reporter(dir.clone());
    if let Some(report) = take_unshown_crash(&dir) {
        log::warn!("前回の異常終了の報告: {}", report.display());
        app.dialog()
            .message(format!(
                "前回、Hoshin が予期せず終了しました。\n\
                 入力は、最後に確定した項目まで保存されています。\n\n\
                 原因を調べるための報告ファイルを作りました。\n\
                 お手数ですが、このファイルを情報担当（システム管理者）へ送ってください。\n\n{}",
                report.display()
            ))
            .title("Hoshin — 異常終了の報告")
            .kind(MessageDialogKind::Warning)
            .show(|_| {});
    }
    #[cfg(debug_assertions)]
    if std::env::var_os("HOSHIN_TEST_PANIC").is_some() {
        // Lets the tests crash a debug build on purpose (see tests/desktop.rs).
        panic!("HOSHIN_TEST_PANIC: 試験のための異常終了");
    }
}

/// On a panic, writes crash-<time>.txt into the log folder (version, system,
/// message, place, backtrace, the end of the log) before the default hook runs.
fn install_crash_reporter(dir: PathBuf) {
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let now = now_local();
        let stamp = now
            .format(time::macros::format_description!(
                "[year][month][day]-[hour][minute][second]"
            ))
            .unwrap_or_default();
        let report = dir.join(format!("crash-{stamp}.txt"));
        let log_tail = std::fs::read_to_string(dir.join("hoshin.log"))
            .map(|log| last_lines(&log, 100))
            .unwrap_or_default();
        let text = format!(
            "Hoshin 異常終了の報告\n\
             日時: {now}\n版: {version}\nOS: {os} {arch}\nスレッド: {thread}\n\n\
             {info}\n\nバックトレース:\n{backtrace}\n\nログの最後:\n{log_tail}",
            version = env!("CARGO_PKG_VERSION"),
            os = std::env::consts::OS,
            arch = std::env::consts::ARCH,
            thread = std::thread::current().name().unwrap_or("?"),
            backtrace = std::backtrace::Backtrace::force_capture(),
        );
        if std::fs::create_dir_all(&dir).is_ok() && std::fs::write(&report, text).is_ok() {
            let _ = std::fs::write(dir.join(UNSHOWN_CRASH), report.display().to_string());
            log::error!("異常終了しました。報告: {}", report.display());
        }
        default_hook(info);
    }));
}

/// The report of a crash not yet shown to the planner (forgotten once taken).
fn take_unshown_crash(dir: &Path) -> Option<PathBuf> {
    let marker = dir.join(UNSHOWN_CRASH);
    let report = std::fs::read_to_string(&marker).ok()?;
    let _ = std::fs::remove_file(&marker);
    Some(PathBuf::from(report.trim()))
}

fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

fn now_local() -> time::OffsetDateTime {
    time::OffsetDateTime::now_local().unwrap_or_else(|_| time::OffsetDateTime::now_utc())
}
