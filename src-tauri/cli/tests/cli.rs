//! The `hoshin-cli` binary, as a planner or a script would run it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::LazyLock;

const CLI: &str = env!("CARGO_BIN_EXE_hoshin-cli");

fn hoshin(args: &[&str]) -> Output {
    Command::new(CLI)
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("HOSHIN_DB")
        .output()
        .expect("hoshin runs")
}

fn ok(args: &[&str]) -> String {
    let out = hoshin(args);
    assert!(
        out.status.success(),
        "hoshin-cli {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn fails(args: &[&str]) -> String {
    let out = hoshin(args);
    assert_eq!(
        out.status.code(),
        Some(1),
        "hoshin-cli {args:?} should fail"
    );
    String::from_utf8(out.stderr).unwrap()
}

/// The bundled demo plan (the seed's 経営課題5) in the interchange format.
static EXAMPLE: LazyLock<String> = LazyLock::new(|| {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "..",
        "..",
        "assets",
        "demo",
        "abeno-2024-issue5.json",
    ]
    .iter()
    .collect();
    path.to_str().unwrap().to_string()
});

/// Exports 阿倍野区's plan of `year` next to the database and reads it back,
/// without the ids the file gave its nodes (the example has none).
fn exported(db: &str, year: &str) -> serde_json::Value {
    let mut value = exported_with_ids(db, year);
    strip_ids(&mut value);
    value
}

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

fn exported_with_ids(db: &str, year: &str) -> serde_json::Value {
    let out = Path::new(db).with_extension(format!("{year}.json"));
    ok(&[
        "export-json",
        "--db",
        db,
        "--ward",
        "阿倍野区",
        "--year",
        year,
        "--out",
        out.to_str().unwrap(),
    ]);
    json_of(&out)
}

fn json_of(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn version_and_help_need_no_display() {
    assert!(ok(&["--version"]).starts_with("hoshin-cli 0."));
    let help = ok(&["--help"]);
    for sub in ["import-json", "export-json", "history", "rollover"] {
        assert!(help.contains(sub), "{help}");
    }
}

#[test]
fn import_then_export_gives_the_example_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.hoshin");
    let db = db.to_str().unwrap();
    assert!(ok(&["import-json", EXAMPLE.as_str(), "--db", db]).contains("阿倍野区 令和6年度"));
    assert_eq!(
        exported(db, "令和6年度"),
        json_of(Path::new(EXAMPLE.as_str()))
    );
}

/// Ids given on import are kept by export, and a re-import of that export
/// with one change updates the plan in place: the history says only that.
#[test]
fn ids_survive_export_and_reimport() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ids.hoshin");
    let db = db.to_str().unwrap();
    ok(&["import-json", EXAMPLE.as_str(), "--db", db]);
    let mut first = exported_with_ids(db, "2024");
    let id = first["issues"][0]["strategies"][0]["initiatives"][1]["id"].clone();
    assert!(id.as_str().is_some_and(|s| s.len() >= 16), "{id}");
    first["mission"] = serde_json::json!("区民とともに");
    let edited = dir.path().join("edited.json");
    std::fs::write(&edited, serde_json::to_string_pretty(&first).unwrap()).unwrap();
    ok(&[
        "import-json",
        edited.to_str().unwrap(),
        "--db",
        db,
        "--replace",
    ]);
    assert_eq!(exported_with_ids(db, "2024"), first);
    let history = ok(&["history", "--db", db, "--limit", "1"]);
    assert!(history.contains("区の使命: － → 区民とともに"), "{history}");
    assert_eq!(history.lines().count(), 2, "{history}");
}

#[test]
fn a_second_import_needs_replace_and_a_bad_one_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("p.hoshin");
    let db = db_path.to_str().unwrap();
    ok(&["import-json", EXAMPLE.as_str(), "--db", db]);
    assert!(fails(&["import-json", EXAMPLE.as_str(), "--db", db]).contains("すでにあります"));

    let mut bad = json_of(Path::new(EXAMPLE.as_str()));
    bad["issues"][0]["strategies"][0]["initiatives"][1]["budgets"][2]["amount_yen"] = "abc".into();
    bad["issues"][0]["title"] = "変わってはいけない".into();
    let bad_path = dir.path().join("bad.json");
    std::fs::write(&bad_path, bad.to_string()).unwrap();
    let message = fails(&[
        "import-json",
        bad_path.to_str().unwrap(),
        "--db",
        db,
        "--replace",
    ]);
    assert!(message.contains("具体的取組 5-1-2"), "{message}");
    assert!(message.contains("金額（円）"), "{message}");
    assert!(message.contains("abc"), "{message}");

    assert_eq!(exported(db, "2024"), json_of(Path::new(EXAMPLE.as_str())));
}

#[test]
fn a_file_that_is_not_ours_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let memo = dir.path().join("memo.txt");
    std::fs::write(&memo, "メモ").unwrap();
    let message = fails(&["plans", "--db", memo.to_str().unwrap()]);
    assert!(
        message.contains("Hoshin のデータファイルではありません"),
        "{message}"
    );
    assert_eq!(std::fs::read_to_string(&memo).unwrap(), "メモ");
}

#[test]
fn rollover_history_and_undo() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("p.hoshin");
    let db = db_path.to_str().unwrap();
    ok(&["import-json", EXAMPLE.as_str(), "--db", db]);
    assert!(
        ok(&["rollover", "--db", db, "--ward", "阿倍野区", "--from", "R6"]).contains("令和7年度")
    );
    let plans = ok(&["plans", "--db", db]);
    assert!(
        plans.contains("令和7年度") && plans.contains("令和6年度"),
        "{plans}"
    );
    let history = ok(&["history", "--db", db]);
    assert!(history.contains("令和6年度から次年度を作成"), "{history}");

    ok(&["undo", "--db", db, "--ward", "阿倍野区", "--year", "2025"]);
    assert!(!ok(&["plans", "--db", db]).contains("令和7年度"));
    ok(&["redo", "--db", db, "--ward", "阿倍野区", "--year", "2025"]);
    assert!(ok(&["plans", "--db", db]).contains("令和7年度"));
    assert!(
        fails(&["redo", "--db", db, "--ward", "阿倍野区", "--year", "2025"])
            .contains("やり直せる操作はありません")
    );
}

#[test]
fn charts_council_pack_and_workbooks_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("p.hoshin");
    let db = db_path.to_str().unwrap();
    let out = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    ok(&["import-json", EXAMPLE.as_str(), "--db", db]);
    let plan = ["--db", db, "--ward", "阿倍野区", "--year", "2024"];

    ok(&[
        &["chart"][..],
        &plan,
        &[
            "--item",
            "5-1",
            "--kind",
            "indicator",
            "--out",
            &out("i.svg"),
        ],
    ]
    .concat());
    let svg = std::fs::read_to_string(out("i.svg")).unwrap();
    assert!(
        svg.contains("42.5%") && svg.contains("令和4年度"),
        "the SVG carries values and 和暦"
    );
    ok(&[
        &["chart"][..],
        &plan,
        &[
            "--item",
            "5-1-2",
            "--kind",
            "budget",
            "--out",
            &out("b.png"),
        ],
    ]
    .concat());
    assert!(std::fs::read(out("b.png")).unwrap().starts_with(b"\x89PNG"));
    let message = fails(
        &[
            &["chart"][..],
            &plan,
            &[
                "--item",
                "9-9",
                "--kind",
                "indicator",
                "--out",
                &out("x.png"),
            ],
        ]
        .concat(),
    );
    assert!(message.contains("9-9"), "{message}");

    ok(&[&["council-pack"][..], &plan, &["--out", &out("pack.pdf")]].concat());
    assert!(std::fs::read(out("pack.pdf")).unwrap().starts_with(b"%PDF"));

    ok(&[
        &["export-xlsx"][..],
        &plan,
        &["--layout", "data", "--out", &out("d.xlsx")],
    ]
    .concat());
    let db2 = out("q.hoshin");
    ok(&[
        "import-xlsx",
        &out("d.xlsx"),
        "--layout",
        "data",
        "--db",
        &db2,
    ]);
    assert_eq!(exported(&db2, "2024"), json_of(Path::new(EXAMPLE.as_str())));
    let message = fails(&[
        "import-xlsx",
        EXAMPLE.as_str(),
        "--layout",
        "data",
        "--db",
        &db2,
    ]);
    assert!(
        message.contains("Excel"),
        "a JSON file given as xlsx is refused in Japanese: {message}"
    );
}

/// The console program links no GUI library, so it runs on a server without
/// a desktop and starts without loading GTK and WebKit.
#[cfg(target_os = "linux")]
#[test]
fn links_no_gui_library() {
    let out = Command::new("ldd").arg(CLI).output().expect("ldd runs");
    let libraries = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{libraries}");
    for gui in [
        "gtk",
        "gdk",
        "webkit",
        "javascriptcore",
        "soup",
        "glib",
        "X11",
    ] {
        assert!(
            !libraries.to_lowercase().contains(&gui.to_lowercase()),
            "hoshin-cli links {gui}:\n{libraries}"
        );
    }
    let count = libraries.lines().count();
    assert!(count < 15, "{count} libraries:\n{libraries}");
}

#[test]
fn no_export_can_overwrite_the_database() {
    // Issue 14: each of these replaced the file (all plans and history) and exited 0.
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("p.hoshin");
    let db = db_path.to_str().unwrap();
    ok(&["import-json", EXAMPLE.as_str(), "--db", db]);
    let link = dir.path().join("plan.json");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&db_path, &link).unwrap();
    let wal = format!("{db}-wal");
    let spelled = dir.path().join(".").join("p.hoshin");
    let before = std::fs::read(&db_path).unwrap();
    let plan = ["--db", db, "--ward", "阿倍野区", "--year", "2024"];
    for target in [db, &wal, spelled.to_str().unwrap(), link.to_str().unwrap()] {
        for command in [
            vec!["export-json", "--out", target],
            vec!["export-xlsx", "--layout", "data", "--out", target],
            vec![
                "chart",
                "--item",
                "5-1",
                "--kind",
                "indicator",
                "--out",
                target,
            ],
            vec!["council-pack", "--out", target],
        ] {
            let args = [&command[..1], &plan[..], &command[1..]].concat();
            let message = fails(&args);
            assert!(
                message.contains("すべての計画と履歴が失われる"),
                "{args:?}: {message}"
            );
        }
    }
    assert_eq!(std::fs::read(&db_path).unwrap(), before);
    assert!(ok(&["plans", "--db", db]).contains("阿倍野区"));
}

/// `hoshin-cli history | head`: when the reader stops early, the command
/// ends quietly (no panic, no "Broken pipe" backtrace).
#[test]
fn a_closed_output_pipe_ends_the_command_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.hoshin");
    let db = db.to_str().unwrap();
    ok(&["import-json", &EXAMPLE, "--db", db]);
    // Replaces with a long 区の使命: far more history than a pipe holds (64 kB).
    let mut plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&*EXAMPLE).unwrap()).unwrap();
    for k in 0..6 {
        plan["mission"] = format!("版{k}{}", "区の使命".repeat(2_500)).into();
        let file = dir.path().join(format!("v{k}.json"));
        std::fs::write(&file, plan.to_string()).unwrap();
        ok(&[
            "import-json",
            file.to_str().unwrap(),
            "--db",
            db,
            "--replace",
        ]);
    }
    let mut child = Command::new(CLI)
        .args(["history", "--db", db])
        .env_remove("HOSHIN_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.contains("阿倍野区"), "{first}");
    // The reader (and the pipe) is gone here, like `head -1`.
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
    assert_ne!(out.status.code(), Some(101), "a panic: {stderr}");
}
