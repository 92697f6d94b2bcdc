//! Desktop conventions in the real app: one window (a second start hands its
//! file over), the window's size and place remembered, the log, the platform's
//! recent files, and the crash report. Run by scripts/test.sh with the other
//! end-to-end tests (they need Xvfb, tauri-driver, WebKitWebDriver, xdotool
//! and dbus-daemon).

mod support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use support::{hoshin_cli, start_xvfb, stop, App, Desktop};

const DEMO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/demo/abeno-2024-issue5.json"
);

/// A private D-Bus session bus (the single instance is found through it on
/// Linux); stopped on drop.
struct Bus {
    daemon: Child,
    address: String,
}

impl Bus {
    fn start(dir: &Path) -> Bus {
        let socket = dir.join("bus");
        let address = format!("unix:path={}", socket.display());
        let daemon = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--address", &address])
            .stdout(Stdio::null())
            .spawn()
            .expect("dbus-daemon is installed (apt-get install dbus)");
        wait_until("the session bus", || socket.exists());
        Bus { daemon, address }
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        stop(&mut self.daemon);
    }
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{what}: 30 秒待っても変わらない"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A Hoshin file with the demo plan in it.
fn demo_file(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    hoshin_cli(&["import-json", DEMO, "--db", path.to_str().unwrap()]);
    path
}

async fn shown_file(app: &App) -> String {
    app.find("header .file")
        .await
        .attr("title")
        .await
        .unwrap()
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, tauri-driver, WebKitWebDriver and dbus-daemon: run through scripts/test.sh"]
async fn a_second_start_hands_its_file_to_the_open_window() {
    let dir = tempfile::tempdir().unwrap();
    let first = demo_file(dir.path(), "first.hoshin");
    let second = demo_file(dir.path(), "second.hoshin");
    let bus = Bus::start(dir.path());
    let desktop = Desktop {
        data: dir.path().join("xdg"),
        config: dir.path().join("xdg-config"),
        bus: Some(bus.address.clone()),
    };
    // As a double-click starts it: the file, no --db.
    let args = vec![first.display().to_string()];
    let app = App::launch(tempfile::tempdir().unwrap(), first.clone(), desktop, args).await;
    app.find_text("区民から信頼される区役所づくり").await;
    assert_eq!(shown_file(&app).await, first.display().to_string());

    // The second start, with a path relative to where it starts, hands the
    // file over and ends instead of opening a window of its own.
    let mut second_start = Command::new(env!("CARGO_BIN_EXE_hoshin"))
        .arg("second.hoshin")
        .current_dir(dir.path())
        .env("DISPLAY", &app.display)
        .envs(app.desktop.vars())
        .env_remove("HOSHIN_DB")
        .spawn()
        .unwrap();
    let mut status = None;
    wait_until("the second start ends", || {
        status = second_start.try_wait().unwrap();
        status.is_some()
    });
    assert!(status.unwrap().success(), "{status:?}");

    let start = Instant::now();
    while shown_file(&app).await != second.display().to_string() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the window did not switch to {}",
            second.display()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    app.find_text("区民から信頼される区役所づくり").await;
    assert_eq!(app.driver().windows().await.unwrap().len(), 1);

    // The platform's recent files (GTK's list) and the log know both files.
    // (GTK writes its list a moment after the change.)
    let xbel = app.desktop.data.join("recently-used.xbel");
    let uris = [&first, &second].map(|file| format!("file://{}", file.display()));
    wait_until("both files in recently-used.xbel", || {
        let recent = std::fs::read_to_string(&xbel).unwrap_or_default();
        uris.iter().all(|uri| recent.contains(uri))
    });
    let log = std::fs::read_to_string(app.desktop.log_dir().join("hoshin.log")).unwrap();
    assert!(log.contains("起動: Hoshin"), "{log}");
    assert!(
        log.contains(&format!("開きました: {}", second.display())),
        "{log}"
    );
    app.quit().await;
    drop(bus);
}

/// Runs xdotool on the app's visible window.
fn xdotool(display: &str, args: &[&str]) -> String {
    let out = Command::new("xdotool")
        .args(["search", "--sync", "--onlyvisible", "--name", "Hoshin"])
        .args(args)
        .env("DISPLAY", display)
        .output()
        .expect("xdotool is installed (apt-get install xdotool)");
    assert!(out.status.success(), "xdotool {args:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// The app window's (x, y, width, height).
fn window_geometry(display: &str) -> (i32, i32, i32, i32) {
    let text = xdotool(display, &["getwindowgeometry", "--shell"]);
    let value = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{key}=")))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| panic!("no {key} in {text}"))
    };
    (value("X"), value("Y"), value("WIDTH"), value("HEIGHT"))
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, tauri-driver, WebKitWebDriver, xdotool and python3-xlib: run through scripts/test.sh"]
async fn the_window_opens_where_it_was_left() {
    let keep = tempfile::tempdir().unwrap();
    let db = keep.path().join("plans.hoshin");
    let state = keep
        .path()
        .join("xdg-config/jp.osaka.ward.hoshin/.window-state.json");
    let app = App::reopen(&db).await;
    app.find_text("区民から信頼される区役所づくり").await;
    let default = window_geometry(&app.display);
    xdotool(&app.display, &["windowsize", "--sync", "1100", "700"]);
    xdotool(&app.display, &["windowmove", "--sync", "40", "30"]);
    let left = window_geometry(&app.display);
    assert_eq!(left, (40, 30, 1100, 700));
    assert_ne!(left, default);

    app.close_like_the_close_button();
    wait_until("the window state is saved", || state.exists());
    app.quit().await;

    let app = App::reopen(&db).await;
    app.find_text("区民から信頼される区役所づくり").await;
    assert_eq!(
        window_geometry(&app.display),
        left,
        "{:?}",
        std::fs::read_to_string(&state)
    );
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run through scripts/test.sh"]
async fn a_crash_leaves_a_report_and_the_next_start_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_file(dir.path(), "plans.hoshin");
    let desktop = Desktop {
        data: dir.path().join("xdg"),
        config: dir.path().join("xdg-config"),
        bus: None,
    };
    let (mut xvfb, display) = start_xvfb();
    let crashed = Command::new(env!("CARGO_BIN_EXE_hoshin"))
        .args(["--db", db.to_str().unwrap()])
        .env("DISPLAY", &display)
        .envs(desktop.vars())
        .env("HOSHIN_TEST_PANIC", "1")
        .output()
        .unwrap();
    stop(&mut xvfb);
    assert!(!crashed.status.success());

    let logs = desktop.log_dir();
    let unshown = std::fs::read_to_string(logs.join("crash-unshown.txt")).unwrap();
    let report_path = PathBuf::from(unshown.trim());
    assert!(report_path.starts_with(&logs), "{}", report_path.display());
    let report = std::fs::read_to_string(&report_path).unwrap();
    for expected in [
        "Hoshin 異常終了の報告",
        "版: 0.1.0",
        "HOSHIN_TEST_PANIC",
        "desktop.rs",
        "バックトレース:",
        "起動: Hoshin",
    ] {
        assert!(report.contains(expected), "「{expected}」がない:\n{report}");
    }
    // Nothing saved is lost.
    hoshin_cli(&["plans", "--db", db.to_str().unwrap()]);

    // The next start tells the planner where the report is, once.
    let app = App::launch(
        tempfile::tempdir().unwrap(),
        db.clone(),
        desktop,
        vec!["--db".into(), db.display().to_string()],
    )
    .await;
    app.find_text("区民から信頼される区役所づくり").await;
    assert!(!logs.join("crash-unshown.txt").exists());
    let log = std::fs::read_to_string(logs.join("hoshin.log")).unwrap();
    assert!(
        log.contains(&format!("前回の異常終了の報告: {}", report_path.display())),
        "{log}"
    );
    let shot = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e/crash-dialog.png");
    std::fs::create_dir_all(shot.parent().unwrap()).unwrap();
    let _ = Command::new("import")
        .args(["-window", "root", shot.to_str().unwrap()])
        .env("DISPLAY", &app.display)
        .status();
    app.quit().await;
    drop(dir);
}
