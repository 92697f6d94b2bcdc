//! Issue 14, the files: an export never lands on the open Hoshin file and
//! never leaves half a file; opening says plainly why a file cannot be used;
//! two programs creating one new file do not trip over each other.

use hoshin_core::identity::without_ids;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Barrier};

use hoshin_core::output::write_file;
use hoshin_core::xlsx::{export_workbook, Layout};
use hoshin_core::{demo_plan, json, Error, Store};

fn store_with_demo(path: &Path) -> Store {
    let mut store = Store::open(path).unwrap();
    store.import_plan(&demo_plan(), false, "取り込み").unwrap();
    store
}

// ---- 1. An export never overwrites the database -----------------------------

#[test]
fn exports_to_the_open_file_or_its_companions_are_refused_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plans.hoshin");
    let store = store_with_demo(&db);
    let before = std::fs::read(&db).unwrap();
    let wal = dir.path().join("plans.hoshin-wal");
    let wal_before = std::fs::read(&wal).unwrap();
    let json = json::to_json(&demo_plan());
    let other_spelling = dir.path().join(".").join("plans.hoshin");
    for target in [
        &db,
        &wal,
        &dir.path().join("plans.hoshin-shm"),
        &other_spelling,
    ] {
        let err = write_file(target, json.as_bytes(), store.path()).unwrap_err();
        assert!(matches!(err, Error::OutputIsDatabase(_)), "{err:?}");
        assert!(
            err.to_string().contains("すべての計画と履歴が失われる"),
            "{err}"
        );
        let err = export_workbook(&[demo_plan()], Layout::Data, target, store.path()).unwrap_err();
        assert!(matches!(err, Error::OutputIsDatabase(_)), "{err:?}");
        let err = store.save_copy(target).unwrap_err();
        assert!(matches!(err, Error::OutputIsDatabase(_)), "{err:?}");
    }
    #[cfg(unix)]
    {
        let link = dir.path().join("plan.json");
        std::os::unix::fs::symlink(&db, &link).unwrap();
        let err = write_file(&link, json.as_bytes(), store.path()).unwrap_err();
        assert!(matches!(err, Error::OutputIsDatabase(_)), "{err:?}");
    }
    assert_eq!(std::fs::read(&db).unwrap(), before);
    assert_eq!(std::fs::read(&wal).unwrap(), wal_before);
    assert_eq!(
        without_ids(store.load_plan("阿倍野区", 2024).unwrap()),
        demo_plan()
    );
    drop(store);
    assert_eq!(
        without_ids(
            Store::open(&db)
                .unwrap()
                .load_plan("阿倍野区", 2024)
                .unwrap()
        ),
        demo_plan()
    );
}

#[test]
fn a_copy_replaces_an_earlier_copy_only_when_complete() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_demo(&dir.path().join("plans.hoshin"));
    let copy = dir.path().join("copy.hoshin");
    store.save_copy(&copy).unwrap();
    store.save_copy(&copy).unwrap();
    let plan = Store::open(&copy)
        .unwrap()
        .load_plan("阿倍野区", 2024)
        .unwrap();
    assert_eq!(without_ids(plan), demo_plan());
    // A folder in the target's place: refused in Japanese, nothing left over.
    let folder = dir.path().join("folder.hoshin");
    std::fs::create_dir(&folder).unwrap();
    let message = store.save_copy(&folder).unwrap_err().to_string();
    assert!(message.contains("フォルダです"), "{message}");
}

// ---- 4. Exports are atomic ----------------------------------------------------

const WRITER_VAR: &str = "HOSHIN_ATOMIC_TEST_TARGET";
const SIZE: usize = 4 << 20;

/// The child side: rewrites the target with a different byte each time,
/// printing each finished write, until killed.
#[test]
#[ignore = "run by a_killed_export_leaves_the_old_file_or_the_new_one as a child process"]
fn export_writer_child() {
    let Ok(target) = std::env::var(WRITER_VAR) else {
        return;
    };
    for i in 0u32.. {
        let fill = (i % 251) as u8;
        write_file(
            Path::new(&target),
            &vec![fill; SIZE],
            Path::new("none.hoshin"),
        )
        .unwrap();
        println!("{i}");
    }
}

#[test]
fn a_killed_export_leaves_the_old_file_or_the_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("plan.json");
    for round in 0..5 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "export_writer_child",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(WRITER_VAR, &target)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        // Kill it at a different point of a write each round.
        let writes = 2 + round;
        while let Some(Ok(line)) = lines.next() {
            if line.trim().parse::<u32>().is_ok_and(|n| n >= writes) {
                break;
            }
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let bytes = std::fs::read(&target).unwrap();
        assert_eq!(bytes.len(), SIZE, "round {round}: a half-written file");
        assert!(
            bytes.iter().all(|b| *b == bytes[0]),
            "round {round}: mixed writes"
        );
    }
}

#[test]
fn a_failed_export_says_why_in_japanese_and_keeps_the_earlier_one() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("ない フォルダ").join("plan.json");
    let message = write_file(&target, b"{}", Path::new("x.hoshin"))
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("ファイルかフォルダが見つかりません"),
        "{message}"
    );
    assert!(!message.contains("os error"), "{message}");
}

// ---- 7. Opening says why, in Japanese ------------------------------------------

#[test]
fn a_cut_off_file_is_called_damaged_not_foreign() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plans.hoshin");
    drop(store_with_demo(&path));
    let bytes = std::fs::read(&path).unwrap();
    for keep in [100, 4096 + 50, bytes.len() / 2] {
        std::fs::write(&path, &bytes[..keep]).unwrap();
        let err = Store::open(&path).unwrap_err();
        assert!(
            matches!(err, Error::Damaged { .. }),
            "{keep} bytes: {err:?} {err}"
        );
        assert!(err.to_string().contains("壊れています"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), &bytes[..keep]);
    }
}

#[test]
fn a_blank_sqlite_file_of_another_program_is_refused_unwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.sqlite");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "application_id", 0x1234_5678)
            .unwrap();
        conn.pragma_update(None, "user_version", 7).unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, Error::NotHoshinFile(_)), "{err:?}");
    // Byte-identical: in particular not switched to WAL (header bytes 18, 19).
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert!(!dir.path().join("other.sqlite-wal").exists());
}

/// Run as an unprivileged user (root may write anywhere).
#[test]
#[ignore = "run by a_read_only_folder_is_named_as_such"]
fn read_only_folder_child() {
    let Ok(path) = std::env::var(WRITER_VAR) else {
        return;
    };
    let message = Store::open(&path).unwrap_err().to_string();
    println!("{message}");
}

#[test]
fn a_read_only_folder_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("読み取り専用");
    std::fs::create_dir(&folder).unwrap();
    let existing = folder.join("plans.hoshin");
    drop(store_with_demo(&existing));
    let new = folder.join("new.hoshin");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for (p, mode) in [(dir.path(), 0o755), (&folder, 0o555), (&existing, 0o644)] {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
        }
    }
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    for path in [&existing, &new] {
        let message = if is_root {
            // As nobody, through setpriv, like a planner without rights.
            let out = Command::new("setpriv")
                .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(std::env::current_exe().unwrap())
                .args([
                    "read_only_folder_child",
                    "--exact",
                    "--ignored",
                    "--nocapture",
                ])
                .env(WRITER_VAR, path)
                .output()
                .expect("setpriv (util-linux)");
            String::from_utf8_lossy(&out.stdout).into_owned()
        } else {
            Store::open(path).unwrap_err().to_string()
        };
        assert!(
            message.contains("に書き込めないためです"),
            "{}: {message}",
            path.display()
        );
        assert!(
            !message.contains("Hoshin のデータファイルではありません"),
            "{message}"
        );
    }
    assert!(!new.exists());
}

#[test]
fn sqlite_errors_read_as_plain_japanese() {
    for (code, expected) in [
        (rusqlite::ffi::SQLITE_READONLY, "読み取り専用"),
        (rusqlite::ffi::SQLITE_FULL, "ディスクの空きが足りない"),
        (rusqlite::ffi::SQLITE_CORRUPT, "壊れている"),
        (rusqlite::ffi::SQLITE_IOERR, "ディスクの読み書きに失敗"),
    ] {
        let e = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None);
        let message = Error::from(e).to_string();
        assert!(message.contains(expected), "{code}: {message}");
        assert!(
            !message.is_ascii() && !message.contains("database"),
            "{message}"
        );
    }
}

// ---- 8. Two programs creating one new file ------------------------------------

#[test]
fn many_openers_of_one_new_file_all_get_it() {
    for round in 0..10 {
        let dir = tempfile::tempdir().unwrap();
        let path = Arc::new(dir.path().join("new.hoshin"));
        let start = Arc::new(Barrier::new(6));
        let openers: Vec<_> = (0..6)
            .map(|_| {
                let (path, start) = (path.clone(), start.clone());
                std::thread::spawn(move || {
                    start.wait();
                    Store::open(path.as_path()).map(|s| s.list_plans().unwrap().len())
                })
            })
            .collect();
        for opener in openers {
            let result = opener.join().unwrap();
            match result {
                Ok(plans) => assert_eq!(plans, 0),
                // Waiting longer than the busy timeout would be acceptable,
                // in one short Japanese line.
                Err(Error::Busy) => {}
                Err(e) => panic!("round {round}: {e}"),
            }
        }
        assert_eq!(
            Store::open(path.as_path())
                .unwrap()
                .integrity_check()
                .unwrap(),
            "ok"
        );
    }
}
