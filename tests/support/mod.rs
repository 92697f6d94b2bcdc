//! End-to-end harness: the real `hoshin` binary in its real webview, driven
//! through tauri-driver + WebKitWebDriver, under a private Xvfb, on a fresh
//! SQLite file per test. Everything it starts is stopped when the `App`
//! drops, also when a test fails.
// Each test crate (e2e, e2e_seed) uses a different part of this module.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use thirtyfour::prelude::*;

pub struct App {
    pub driver: Option<WebDriver>,
    processes: Processes,
    /// Holds the test's temporary folder until the app is gone.
    pub _dir: tempfile::TempDir,
    pub db: PathBuf,
    /// The private X display the window is on (for xdotool).
    pub display: String,
    /// The per-user folders and session bus the app sees.
    pub desktop: Desktop,
}

/// Xvfb and tauri-driver for one test; stopped on drop.
struct Processes {
    tauri_driver: Child,
    xvfb: Child,
    display: String,
}

impl Processes {
    /// Starts a private display and a driver on a free port.
    /// The app runs in the file's folder, as when a planner starts it from
    /// there: native file dialogs then open on (and look into) that folder.
    /// It gets the environment of `desktop` (its own data and config
    /// folders, and a session bus only when the test has one).
    fn start(desktop: &Desktop, folder: &Path) -> (Processes, u16) {
        let (xvfb, display) = start_xvfb();
        let port = free_port();
        let native_port = free_port();
        let tauri_driver = Command::new(tauri_driver_path())
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("DISPLAY", &display)
            .current_dir(folder)
            .envs(desktop.vars())
            .env_remove("HOSHIN_DB")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("tauri-driver is installed (cargo install tauri-driver --locked)");
        (
            Processes {
                tauri_driver,
                xvfb,
                display,
            },
            port,
        )
    }
}

/// The per-user folders the app sees, and its D-Bus session bus if any.
pub struct Desktop {
    /// XDG_DATA_HOME: the default data file, the log and recently-used.xbel.
    pub data: PathBuf,
    /// XDG_CONFIG_HOME: the remembered window size and place.
    pub config: PathBuf,
    /// DBUS_SESSION_BUS_ADDRESS; without a bus there is no single instance.
    pub bus: Option<String>,
}

impl Desktop {
    /// Data in the test's folder; config beside the database, so reopening
    /// the same file finds the window where it was left.
    fn for_test(dir: &tempfile::TempDir, db: &Path) -> Desktop {
        Desktop {
            data: dir.path().join("xdg"),
            config: db.parent().unwrap_or(dir.path()).join("xdg-config"),
            bus: None,
        }
    }

    /// The environment variables for a process on this desktop.
    pub fn vars(&self) -> Vec<(&'static str, String)> {
        vec![
            ("XDG_DATA_HOME", self.data.display().to_string()),
            ("XDG_CONFIG_HOME", self.config.display().to_string()),
            (
                "DBUS_SESSION_BUS_ADDRESS",
                self.bus.clone().unwrap_or_else(|| "disabled:".into()),
            ),
        ]
    }

    /// The app's log folder.
    pub fn log_dir(&self) -> PathBuf {
        self.data.join("jp.osaka.ward.hoshin").join("logs")
    }
}

async fn session(port: u16, args: &[String]) -> WebDriverResult<WebDriver> {
    let mut caps = Capabilities::new();
    caps.set("browserName", "wry")?;
    caps.set(
        "tauri:options",
        serde_json::json!({
            "application": hoshin_bin(),
            "args": args,
        }),
    )?;
    WebDriver::new(format!("http://127.0.0.1:{port}"), caps).await
}

/// The app under test: this build's `hoshin`, or HOSHIN_E2E_BIN (to show that
/// a test fails on an older build).
pub fn hoshin_bin() -> PathBuf {
    std::env::var_os("HOSHIN_E2E_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_hoshin")))
}

/// Runs `hoshin-cli` headless; panics if it fails.
pub fn hoshin_cli(args: &[&str]) {
    let status = Command::new(cli_path())
        .args(args)
        .env_remove("DISPLAY")
        .status()
        .unwrap();
    assert!(status.success(), "hoshin-cli {args:?} failed");
}

/// `hoshin-cli`, from the same target folder as the app binary: `cargo test
/// --workspace` builds it with the app. Built here only when it is missing
/// (e.g. `cargo test -p hoshin` on a fresh target folder).
fn cli_path() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let app = Path::new(env!("CARGO_BIN_EXE_hoshin"));
        let cli = app.with_file_name(format!("hoshin-cli{}", std::env::consts::EXE_SUFFIX));
        if !cli.exists() {
            let release = app.parent().and_then(Path::file_name) == Some("release".as_ref());
            let mut cargo = Command::new(env!("CARGO"));
            cargo
                .args(["build", "-p", "hoshin-cli"])
                .current_dir(env!("CARGO_MANIFEST_DIR"));
            if release {
                cargo.arg("--release");
            }
            assert!(
                cargo.status().unwrap().success(),
                "cargo build -p hoshin-cli"
            );
        }
        cli
    })
}

/// The plan as the file holds it, read back through the CLI (independent of
/// the UI), without the ids the file gave its nodes: tests compare content.
pub fn exported(db: &Path, year: &str) -> serde_json::Value {
    fn strip_ids(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                map.remove("id");
                map.values_mut().for_each(strip_ids);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip_ids),
            _ => {}
        }
    }
    let mut plan = exported_with_ids(db, year);
    strip_ids(&mut plan);
    plan
}

/// The plan as the file holds it, ids included.
pub fn exported_with_ids(db: &Path, year: &str) -> serde_json::Value {
    let out = db.with_extension(format!("{year}.json"));
    let (db, out_arg) = (db.to_str().unwrap(), out.to_str().unwrap());
    hoshin_cli(&[
        "export-json",
        "--db",
        db,
        "--ward",
        "阿倍野区",
        "--year",
        year,
        "--out",
        out_arg,
    ]);
    serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts Xvfb on the first free display number from 90 up.
pub fn start_xvfb() -> (Child, String) {
    for n in 90..190 {
        if display_in_use(n) {
            continue;
        }
        let display = format!(":{n}");
        let mut child = Command::new("Xvfb")
            .args([
                display.as_str(),
                "-screen",
                "0",
                "1366x768x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb is installed (apt-get install xvfb)");
        let socket = format!("/tmp/.X11-unix/X{n}");
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(_)) = child.try_wait() {
                break; // lost the race for this display; try the next
            }
            if Path::new(&socket).exists() {
                return (child, display);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    panic!("no free X display");
}

/// A display whose lock names a live process is taken; a stale lock (left by
/// a killed Xvfb, its pid gone or reused) is not: Xvfb replaces it, or fails
/// and the next display is tried.
fn display_in_use(n: u32) -> bool {
    std::fs::read_to_string(format!("/tmp/.X{n}-lock"))
        .ok()
        .and_then(|pid| pid.trim().parse::<u32>().ok())
        .is_some_and(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|cmd| cmd.windows(4).any(|w| w == b"Xvfb" || w == b"Xorg"))
        })
}

fn wait_for_port(port: u16) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(20) {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

fn tauri_driver_path() -> PathBuf {
    let home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(std::env::var("HOME").unwrap()).join(".cargo"));
    let installed = home.join("bin/tauri-driver");
    if installed.exists() {
        installed
    } else {
        PathBuf::from("tauri-driver")
    }
}

impl App {
    /// Starts the app on a fresh database (filled with the demo plan).
    pub async fn start() -> App {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("test.hoshin");
        App::start_on(dir, db).await
    }

    /// Starts the app on an existing file (to reopen it after a session).
    pub async fn reopen(db: &Path) -> App {
        App::start_on(tempfile::tempdir().unwrap(), db.to_path_buf()).await
    }

    pub async fn start_on(dir: tempfile::TempDir, db: PathBuf) -> App {
        let desktop = Desktop::for_test(&dir, &db);
        let args = vec!["--db".to_string(), db.display().to_string()];
        App::launch(dir, db, desktop, args).await
    }

    /// Starts the app with these arguments on this desktop; `db` is the file
    /// the test expects it to open.
    pub async fn launch(
        dir: tempfile::TempDir,
        db: PathBuf,
        desktop: Desktop,
        args: Vec<String>,
    ) -> App {
        let folder = db.parent().unwrap_or(dir.path()).to_path_buf();
        // Starting a display and a driver can lose a race for a port or a
        // display with another run on the machine; that is retried, the app
        // itself is not.
        let mut last_error = String::new();
        for _attempt in 0..3 {
            let (processes, port) = Processes::start(&desktop, &folder);
            if !wait_for_port(port) {
                last_error = format!("tauri-driver did not listen on {port}");
                continue;
            }
            match session(port, &args).await {
                Ok(driver) => {
                    return App {
                        driver: Some(driver),
                        display: processes.display.clone(),
                        processes,
                        _dir: dir,
                        db,
                        desktop,
                    }
                }
                Err(e) => last_error = e.to_string(),
            }
        }
        panic!("no WebDriver session with the app: {last_error}");
    }

    pub fn driver(&self) -> &WebDriver {
        self.driver.as_ref().unwrap()
    }

    /// Waits for an element whose text contains `text`.
    pub async fn find_text(&self, text: &str) -> WebElement {
        self.driver()
            .query(By::XPath(format!("//*[contains(normalize-space(.), '{text}') and not(*[contains(normalize-space(.), '{text}')])]")))
            .wait(Duration::from_secs(20), Duration::from_millis(100))
            .first()
            .await
            .unwrap_or_else(|e| panic!("「{text}」が表示されない: {e}"))
    }

    pub async fn find(&self, css: &str) -> WebElement {
        self.driver()
            .query(By::Css(css))
            .wait(Duration::from_secs(20), Duration::from_millis(100))
            .first()
            .await
            .unwrap_or_else(|e| panic!("{css} が見つからない: {e}"))
    }

    /// Types into an input as a planner would: select all, type, then a key
    /// that confirms (Enter moves down like Excel).
    pub async fn type_into(&self, css: &str, text: &str) {
        let input = self.find(css).await;
        input.click().await.unwrap();
        self.driver()
            .execute("arguments[0].select()", vec![input.to_json().unwrap()])
            .await
            .unwrap();
        input.send_keys(text).await.unwrap();
        input.send_keys(Key::Enter).await.unwrap();
    }

    /// Fills the form field whose <label> reads `label`, then leaves it with
    /// Tab, which confirms (saves) it.
    pub async fn fill(&self, label: &str, text: &str) {
        let label = self
            .driver()
            .query(By::XPath(format!("//label[normalize-space(.)='{label}']")))
            .wait(Duration::from_secs(10), Duration::from_millis(50))
            .first()
            .await
            .unwrap_or_else(|e| panic!("ラベル「{label}」がない: {e}"));
        let id = label
            .attr("for")
            .await
            .unwrap()
            .expect("the label names its control");
        self.fill_css(&format!("#{id}"), text).await;
    }

    /// Fills the control at `css` and leaves it with Tab.
    pub async fn fill_css(&self, css: &str, text: &str) {
        let control = self.find(css).await;
        control.click().await.unwrap();
        self.driver()
            .execute("arguments[0].select()", vec![control.to_json().unwrap()])
            .await
            .unwrap();
        // WebDriver types a line break as the Enter key (a newline in a textarea).
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                control.send_keys(Key::Enter).await.unwrap();
            }
            control.send_keys(line).await.unwrap();
        }
        control.send_keys(Key::Tab).await.unwrap();
        self.wait_saved().await;
    }

    /// Opens a menu of the header (ファイル, 取り込み, 書き出し) and clicks one of its items.
    pub async fn menu(&self, menu: &str, item: &str) {
        self.click_text(menu).await;
        self.driver()
            .query(By::XPath(format!(
                "//details[summary[normalize-space(.)='{menu}']]//button[normalize-space(.)='{item}']"
            )))
            .wait(Duration::from_secs(10), Duration::from_millis(50))
            .first()
            .await
            .unwrap_or_else(|e| panic!("メニュー「{menu}」に「{item}」がない: {e}"))
            .click()
            .await
            .unwrap();
    }

    /// Clicks the button whose text is exactly `text`.
    pub async fn click_button(&self, text: &str) {
        self.driver()
            .query(By::XPath(format!("//button[normalize-space(.)='{text}']")))
            .wait(Duration::from_secs(10), Duration::from_millis(50))
            .first()
            .await
            .unwrap_or_else(|e| panic!("ボタン「{text}」がない: {e}"))
            .click()
            .await
            .unwrap();
    }

    /// Pastes text into an input the way the webview delivers a clipboard
    /// paste (tab-separated cells, as Excel copies them).
    pub async fn paste_into(&self, css: &str, text: &str) {
        let input = self.find(css).await;
        input.click().await.unwrap();
        self.driver()
            .execute(
                "const e = new Event('paste', {bubbles: true, cancelable: true});
                 Object.defineProperty(e, 'clipboardData', {value: {getData: () => arguments[1]}});
                 arguments[0].dispatchEvent(e);",
                vec![input.to_json().unwrap(), serde_json::json!(text)],
            )
            .await
            .unwrap();
    }

    /// Waits until the input shows `expected` (edits are saved asynchronously).
    pub async fn wait_value(&self, css: &str, expected: &str) {
        let start = Instant::now();
        loop {
            let value = self.value(css).await;
            if value == expected {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "{css}: 「{expected}」にならない（今は「{value}」）"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the save indicator says 保存済み (there is nothing to wait
    /// for when no plan is open yet).
    pub async fn wait_saved(&self) {
        if self
            .driver()
            .find_all(By::Css("[data-testid='save-status']"))
            .await
            .unwrap()
            .is_empty()
        {
            return;
        }
        let start = Instant::now();
        while self
            .find("[data-testid='save-status']")
            .await
            .text()
            .await
            .unwrap()
            != "保存済み"
        {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "保存済みにならない"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Clicks the element at `css` once it is there.
    pub async fn click(&self, css: &str) {
        self.find(css).await.click().await.unwrap();
    }

    /// Clicks the innermost element whose text contains `text`.
    pub async fn click_text(&self, text: &str) {
        self.find_text(text).await.click().await.unwrap();
    }

    /// The current value of an input.
    pub async fn value(&self, css: &str) -> String {
        self.find(css)
            .await
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default()
    }

    /// Saves a screenshot under target/e2e/NAME.png and returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        // Two animation frames: the screenshot then shows what was just rendered.
        // Then a one-pixel change: without accelerated compositing (see
        // lean_webview.rs) WebKitWebDriver's screenshot waits for the next
        // paint, which a page that does not change never makes.
        self.driver()
            .execute_async(
                "const done = arguments[0];
                 requestAnimationFrame(() => requestAnimationFrame(() => {
                   const dot = document.createElement('div');
                   dot.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;opacity:0.01';
                   document.body.append(dot);
                   setTimeout(() => dot.remove(), 50);
                   done();
                 }))",
                vec![],
            )
            .await
            .unwrap();
        self.driver().screenshot(&path).await.unwrap();
        path
    }

    /// Ends the session and stops the driver and display.
    pub async fn quit(mut self) {
        if let Some(driver) = self.driver.take() {
            let _ = driver.quit().await;
        }
    }
}

impl Drop for Processes {
    fn drop(&mut self) {
        stop(&mut self.tauri_driver);
        stop(&mut self.xvfb);
    }
}

/// SIGTERM, then SIGKILL after 5 s. Not SIGKILL first: tauri-driver then
/// stops WebKitWebDriver too, and Xvfb removes its lock file.
pub fn stop(child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Runs the `hoshin` CLI headless and returns what it printed; panics if it fails.
pub fn cli_output(args: &[&str]) -> String {
    let out = Command::new(cli_path())
        .args(args)
        .env_remove("DISPLAY")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "hoshin {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A plan of any ward as the file holds it (CLI export), or None when the
/// file has no such plan.
pub fn plan_in_file(db: &Path, ward: &str, year: &str) -> Option<serde_json::Value> {
    let out = db.with_extension(format!("{ward}-{year}.json"));
    let status = Command::new(cli_path())
        .args([
            "export-json",
            "--db",
            db.to_str().unwrap(),
            "--ward",
            ward,
            "--year",
            year,
            "--out",
            out.to_str().unwrap(),
        ])
        .env_remove("DISPLAY")
        .stderr(Stdio::null())
        .status()
        .unwrap();
    status
        .success()
        .then(|| serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap())
}

/// Polls the file (through the CLI) until `check` holds; panics after 10 s
/// with what the file holds. Edits are saved asynchronously.
pub async fn wait_file(
    db: &Path,
    what: &str,
    check: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let start = Instant::now();
    loop {
        let plan = exported(db, "2024");
        if check(&plan) {
            return plan;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "ファイルが「{what}」にならない"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The demo plan's 具体的取組 by its number (5-1-1 → issue 0, strategy 0, initiative 0).
pub fn initiative<'a>(plan: &'a serde_json::Value, number: &str) -> &'a serde_json::Value {
    let parts: Vec<usize> = number.split('-').map(|p| p.parse().unwrap()).collect();
    &plan["issues"][0]["strategies"][parts[1] - 1]["initiatives"][parts[2] - 1]
}

impl App {
    /// Presses keys on whatever has the focus (real key events).
    pub async fn keys(&self, keys: impl Into<thirtyfour::prelude::TypingData>) {
        self.driver()
            .action_chain()
            .send_keys(keys)
            .perform()
            .await
            .unwrap();
    }

    /// Presses a key with Ctrl held (Ctrl+Z, Ctrl+Y).
    pub async fn ctrl(&self, key: char) {
        self.driver()
            .action_chain()
            .key_down(Key::Control)
            .send_keys(key.to_string())
            .key_up(Key::Control)
            .perform()
            .await
            .unwrap();
    }

    /// A real pointer click in the middle of the element.
    pub async fn real_click(&self, css: &str) {
        let element = self.find(css).await;
        element.scroll_into_view().await.unwrap();
        self.driver()
            .action_chain()
            .move_to_element_center(&element)
            .click()
            .perform()
            .await
            .unwrap();
    }

    /// A real double click in the middle of the element.
    pub async fn real_double_click(&self, css: &str) {
        let element = self.find(css).await;
        element.scroll_into_view().await.unwrap();
        self.driver()
            .action_chain()
            .move_to_element_center(&element)
            .double_click()
            .perform()
            .await
            .unwrap();
    }

    /// The aria-label (or id) of the focused element.
    pub async fn focused(&self) -> String {
        self.js("const e = document.activeElement; return e ? (e.getAttribute('aria-label') || e.getAttribute('name') || e.id || e.tagName) : ''")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Runs a script in the page and returns its value.
    pub async fn js(&self, script: &str) -> serde_json::Value {
        self.driver()
            .execute(script, vec![])
            .await
            .unwrap()
            .json()
            .clone()
    }

    /// What the save indicator says.
    pub async fn status(&self) -> String {
        self.find("[data-testid='save-status']")
            .await
            .text()
            .await
            .unwrap()
    }

    /// Waits until the save indicator says `expected`.
    pub async fn wait_status(&self, expected: &str) {
        let start = Instant::now();
        loop {
            let now = self.status().await;
            if now == expected {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "保存の表示が「{expected}」にならない（今は「{now}」）"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The app's main window on the display, if it is still there.
    pub fn main_window(&self) -> Option<String> {
        self.xdotool(&["search", "--onlyvisible", "--name", "^Hoshin"])
            .lines()
            .next()
            .map(str::to_string)
    }

    /// What the window's close button does: the window manager's
    /// WM_DELETE_WINDOW message (there is no window manager under Xvfb, so it
    /// is sent from here, with python3-xlib).
    pub fn close_like_the_close_button(&self) {
        let window = self.main_window().expect("the app has a window");
        let status = Command::new("/usr/bin/python3")
            .args([
                "-c",
                "import sys\n\
                 from Xlib import X, display, protocol\n\
                 d = display.Display()\n\
                 w = d.create_resource_object('window', int(sys.argv[1]))\n\
                 atom = d.intern_atom\n\
                 w.send_event(protocol.event.ClientMessage(window=w, client_type=atom('WM_PROTOCOLS'),\n\
                     data=(32, [atom('WM_DELETE_WINDOW'), X.CurrentTime, 0, 0, 0])))\n\
                 d.flush()",
                &window,
            ])
            .env("DISPLAY", &self.display)
            .status()
            .expect("python3 runs");
        assert!(
            status.success(),
            "python3-xlib is installed (apt-get install python3-xlib)"
        );
    }

    /// Waits until the main window is gone (the app closed); panics after 20 s.
    pub async fn wait_window_closed(&self) {
        let start = Instant::now();
        while self.main_window().is_some() {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "ウィンドウが閉じない"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Runs xdotool on the window's display (native dialogs, the mouse wheel).
    pub fn xdotool(&self, args: &[&str]) -> String {
        let out = Command::new("xdotool")
            .args(args)
            .env("DISPLAY", &self.display)
            .output()
            .expect("xdotool is installed (apt-get install xdotool)");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits for a native window (a GTK file dialog) whose title contains `title`.
    pub fn wait_native_window(&self, title: &str) -> String {
        let start = Instant::now();
        loop {
            let found = self.xdotool(&["search", "--onlyvisible", "--name", title]);
            if let Some(id) = found.lines().next() {
                return id.to_string();
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "ダイアログ「{title}」が開かない"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Answers a native save dialog titled `title` with `path` (typed as a
    /// whole path), and says yes if GTK asks whether to replace the file.
    pub async fn answer_save_dialog(&self, title: &str, path: &Path) {
        let dialog = self.wait_native_window(title);
        self.xdotool(&["windowfocus", "--sync", &dialog]);
        self.xdotool(&["key", "ctrl+a"]);
        self.xdotool(&["type", path.to_str().unwrap()]);
        self.xdotool(&["key", "Return"]);
        tokio::time::sleep(Duration::from_millis(800)).await;
        // (The question has the focus; Return answers 「置き換える」.)
        if !self
            .xdotool(&["search", "--onlyvisible", "--name", title])
            .trim()
            .is_empty()
        {
            self.xdotool(&["key", "Return"]);
        }
    }

    /// Waits until no native window titled `title` is shown.
    pub fn wait_native_window_gone(&self, title: &str) {
        let start = Instant::now();
        while !self
            .xdotool(&["search", "--onlyvisible", "--name", title])
            .trim()
            .is_empty()
        {
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "ダイアログ「{title}」が閉じない"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Saves a screenshot of the whole display (native dialogs included).
    pub fn screenshot_display(&self, name: &str) -> PathBuf {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        let _ = Command::new("import")
            .args(["-display", &self.display, "-window", "root"])
            .arg(&path)
            .status();
        path
    }

    /// Screen coordinates of the element's centre, for xdotool.
    pub async fn screen_center(&self, css: &str) -> (i64, i64) {
        let rect = self
            .js(&format!(
                "const r = document.querySelector(\"{css}\").getBoundingClientRect();
                 return [r.left + r.width / 2, r.top + r.height / 2, window.screenX, window.screenY, window.outerHeight - window.innerHeight];"
            ))
            .await;
        let n = |i: usize| rect[i].as_f64().unwrap() as i64;
        (n(0) + n(2), n(1) + n(3) + n(4))
    }

    /// Turns the mouse wheel over the element (`clicks` notches, down when positive).
    pub async fn wheel(&self, css: &str, clicks: i32) {
        let (x, y) = self.screen_center(css).await;
        self.xdotool(&["mousemove", &x.to_string(), &y.to_string()]);
        let button = if clicks > 0 { "5" } else { "4" };
        for _ in 0..clicks.abs() {
            self.xdotool(&["click", button]);
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

impl App {
    /// Answers the window's own form dialog: types each field, then clicks `button`.
    pub async fn answer_dialog(&self, fields: &[(&str, &str)], button: &str) {
        for (name, value) in fields {
            let input = self
                .find(&format!("[role='dialog'] input[name='{name}']"))
                .await;
            input.click().await.unwrap();
            input.send_keys(Key::Control + "a").await.unwrap();
            input.send_keys(*value).await.unwrap();
        }
        self.click_button(button).await;
        self.wait_saved().await;
    }
}
