use super::*;
use crate::demo_plan;

#[test]
fn a_plan_survives_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.hoshin");
    let plan = demo_plan();
    {
        let mut store = Store::open(&path).unwrap();
        store.import_plan(&plan, false, "取り込み").unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.load_plan("阿倍野区", 2024).unwrap(), plan);
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn importing_twice_needs_replace_and_changes_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    let plan = demo_plan();
    store.import_plan(&plan, false, "取り込み").unwrap();
    let mut other = plan.clone();
    other.issues[0].title = "別の名称".into();
    let err = store.import_plan(&other, false, "取り込み").unwrap_err();
    assert!(matches!(err, Error::PlanExists { .. }), "{err}");
    assert_eq!(store.load_plan("阿倍野区", 2024).unwrap(), plan);
    store.import_plan(&other, true, "取り込み").unwrap();
    assert_eq!(store.load_plan("阿倍野区", 2024).unwrap(), other);
}

#[test]
fn a_rejected_edit_writes_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    let plan = demo_plan();
    store.import_plan(&plan, false, "取り込み").unwrap();
    let err = store
        .update_plan("阿倍野区", 2024, "編集", |p| {
            p.issues[0].title = "変更".into();
            p.issues[0].strategies[0].initiatives[0].title = "  ".into();
            Ok(())
        })
        .unwrap_err();
    assert!(err.to_string().contains("具体的取組 5-1-1 の名称"), "{err}");
    assert_eq!(store.load_plan("阿倍野区", 2024).unwrap(), plan);
}

#[test]
fn undo_and_redo_walk_the_history() {
    let mut store = Store::open_in_memory().unwrap();
    let plan = demo_plan();
    store.import_plan(&plan, false, "取り込み").unwrap();
    let edited = store
        .update_plan("阿倍野区", 2024, "予算を編集", |p| {
            p.issues[0].strategies[0].initiatives[1].budgets[2].amount_yen = Some(1);
            Ok(())
        })
        .unwrap();
    let history = store.history(10).unwrap();
    assert_eq!(history[0].action, "予算を編集");
    assert_eq!(history[0].changes.len(), 1);
    let change = &history[0].changes[0];
    assert_eq!(change.entity, "具体的取組 5-1-2");
    assert_eq!(change.field, "予算 › 3行目 › 金額（円）");
    assert_eq!(
        (change.old.as_deref(), change.new.as_deref()),
        (Some("25037000"), Some("1"))
    );

    assert_eq!(store.undo("阿倍野区", 2024).unwrap().as_ref(), Some(&plan));
    assert_eq!(store.load_plan("阿倍野区", 2024).unwrap(), plan);
    assert_eq!(
        store.redo("阿倍野区", 2024).unwrap().as_ref(),
        Some(&edited)
    );
    assert_eq!(store.undo_state("阿倍野区", 2024).unwrap(), (true, false));
    store.undo("阿倍野区", 2024).unwrap();
    // Undoing the import removes the plan; nothing further to undo.
    assert_eq!(store.undo("阿倍野区", 2024).unwrap(), None);
    assert!(store.load_plan("阿倍野区", 2024).is_err());
    assert!(store.undo("阿倍野区", 2024).is_err());
}

#[test]
fn rollover_never_changes_the_source_year() {
    let mut store = Store::open_in_memory().unwrap();
    let plan = demo_plan();
    store.import_plan(&plan, false, "取り込み").unwrap();
    let next = store.rollover("阿倍野区", 2024).unwrap();
    assert_eq!(next.fiscal_year, 2025);
    assert_eq!(store.load_plan("阿倍野区", 2024).unwrap(), plan);
    assert_eq!(store.load_plan("阿倍野区", 2025).unwrap(), next);
    assert!(matches!(
        store.rollover("阿倍野区", 2024),
        Err(Error::NextYearExists { .. })
    ));
    assert_eq!(store.list_plans().unwrap().len(), 2);
}

#[test]
fn foreign_files_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("memo.txt");
    std::fs::write(&text, "これはメモです").unwrap();
    assert!(matches!(Store::open(&text), Err(Error::NotHoshinFile(_))));
    assert_eq!(std::fs::read_to_string(&text).unwrap(), "これはメモです");

    let other = dir.path().join("other.sqlite");
    let conn = Connection::open(&other).unwrap();
    conn.execute_batch("CREATE TABLE t (x)").unwrap();
    drop(conn);
    let before = std::fs::read(&other).unwrap();
    let err = Store::open(&other).unwrap_err();
    assert!(
        err.to_string()
            .contains("Hoshin のデータファイルではありません"),
        "{err}"
    );
    assert_eq!(std::fs::read(&other).unwrap(), before);
}

#[test]
fn a_newer_schema_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.hoshin");
    drop(Store::open(&path).unwrap());
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    drop(conn);
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, Error::TooNew { found: 99, .. }), "{err}");
    assert!(err.to_string().contains("新しい版"));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn an_old_schema_is_backed_up_before_migrating() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.hoshin");
    // A file at version 1 that claims to be version 0 cannot exist; instead
    // check the backup helper on a real file.
    let store = Store::open(&path).unwrap();
    let backup = backup_before_migration(&store.conn, &path, 1).unwrap();
    assert!(backup
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("old.hoshin.v1-"));
    let copy = Store::open(&backup).unwrap();
    assert_eq!(copy.integrity_check().unwrap(), "ok");
}

#[test]
fn sealed_history_is_listed_but_not_undone() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .import_plan(&demo_plan(), false, "デモ計画を読み込み")
        .unwrap();
    store.seal_history("阿倍野区", 2024).unwrap();
    assert_eq!(store.undo_state("阿倍野区", 2024).unwrap(), (false, false));
    assert!(store.undo("阿倍野区", 2024).is_err());
    assert_eq!(store.history(10).unwrap()[0].action, "デモ計画を読み込み");
    assert!(store.load_plan("阿倍野区", 2024).is_ok());
}

#[test]
fn a_renamed_plan_keeps_its_content_and_history_and_cannot_be_undone_away() {
    let mut store = Store::open_in_memory().unwrap();
    let plan = demo_plan();
    store.import_plan(&plan, false, "取り込み").unwrap();
    store
        .update_plan("阿倍野区", 2024, "編集", |p| {
            p.mission = Some("使命".into());
            Ok(())
        })
        .unwrap();
    let renamed = store.rename_plan("阿倍野区", 2024, "東住吉区").unwrap();
    assert_eq!(renamed.ward, "東住吉区");
    assert!(store.load_plan("阿倍野区", 2024).is_err());
    let loaded = store.load_plan("東住吉区", 2024).unwrap();
    assert_eq!(loaded.mission.as_deref(), Some("使命"));
    assert_eq!(store.undo_state("東住吉区", 2024).unwrap(), (false, false));
    let history = store.plan_history("東住吉区", 2024, 10).unwrap();
    assert_eq!(history.len(), 3);
    assert!(history[0].action.contains("東住吉区"));
    // A name in use is refused, and nothing changes.
    store.import_plan(&plan, false, "取り込み").unwrap();
    let err = store.rename_plan("阿倍野区", 2024, "東住吉区").unwrap_err();
    assert!(matches!(err, Error::PlanExists { .. }), "{err}");
    assert_eq!(store.load_plan("阿倍野区", 2024).unwrap(), plan);
}

#[test]
fn a_reopened_file_sees_everything_and_refuses_a_replaced_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.hoshin");
    Store::open(&path)
        .unwrap()
        .import_plan(&demo_plan(), false, "取り込み")
        .unwrap();
    let mut store = Store::reopen(&path).unwrap();
    store
        .update_plan("阿倍野区", 2024, "編集", |p| {
            p.mission = Some("使命".into());
            Ok(())
        })
        .unwrap();
    drop(store);
    let loaded = Store::reopen(&path)
        .unwrap()
        .load_plan("阿倍野区", 2024)
        .unwrap();
    assert_eq!(loaded.mission.as_deref(), Some("使命"));
    std::fs::remove_file(&path).unwrap();
    assert!(
        Store::reopen(&path).is_err(),
        "a deleted file is not recreated"
    );
    assert!(!path.exists());
    std::fs::write(&path, "").unwrap();
    assert!(Store::reopen(&path).is_err(), "an empty file is not ours");
}

/// A file with `damage` done to it after 48 plans were stored: reading what
/// is still readable works, a read that reaches the damage and every write
/// are refused with the damaged-file message, and the file is never written.
fn damaged_file_is_read_but_never_written(damage: impl Fn(&mut Vec<u8>)) {
    let dir = tempfile::tempdir().unwrap();
    let written = dir.path().join("written.hoshin");
    let plans = crate::sample::city_archive(2, 2024);
    Store::open(&written)
        .unwrap()
        .import_plans(&plans, false, "取り込み")
        .unwrap();
    // A copy: a file this process has not yet checked (see `Store::write`).
    let path = dir.path().join("damaged.hoshin");
    let mut bytes = std::fs::read(&written).unwrap();
    damage(&mut bytes);
    std::fs::write(&path, &bytes).unwrap();

    let mut store = Store::open(&path).expect("opening reads only the header");
    let mut refused = 0;
    for plan in &plans {
        match store.load_plan(&plan.ward, plan.fiscal_year) {
            Ok(loaded) => assert_eq!(&loaded, plan),
            Err(Error::Damaged { .. }) => refused += 1,
            Err(other) => panic!("{other}"),
        }
    }
    let err = store
        .import_plan(&demo_plan(), true, "取り込み")
        .unwrap_err();
    assert!(matches!(err, Error::Damaged { .. }), "{err}");
    assert!(err.to_string().contains("壊れています"), "{err}");
    let err = store.seal_history("北区", 2024).unwrap_err();
    assert!(matches!(err, Error::Damaged { .. }), "{err}");
    drop(store);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        bytes,
        "the file is unchanged"
    );
    assert!(refused < plans.len(), "some plans are still readable");
}

#[test]
fn a_file_with_garbage_pages_is_read_but_never_written() {
    damaged_file_is_read_but_never_written(|bytes| {
        let page = 4096;
        let middle = bytes.len() / page / 2;
        bytes[middle * page..(middle + 4) * page].fill(0x5A);
    });
}

#[test]
fn a_truncated_file_is_refused_as_damaged_untouched() {
    // What a copy cut short (USB stick pulled, network share gone) leaves:
    // SQLite cannot read its schema, so nothing is readable.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.hoshin");
    Store::open(&path)
        .unwrap()
        .import_plans(&crate::sample::city_archive(2, 2024), false, "取り込み")
        .unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.truncate(bytes.len() * 3 / 5);
    std::fs::write(&path, &bytes).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, Error::Damaged { .. }), "{err}");
    assert!(err.to_string().contains("壊れています"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}
