use super::*;
use crate::demo_plan;
use crate::identity::{assign_missing, without_ids};
use crate::model::Activity;
use crate::ErrorCode;

/// The demo plan with ids, as the store gives it back.
fn demo_with_ids() -> Plan {
    let mut plan = demo_plan();
    assign_missing(&mut plan);
    plan
}

#[test]
fn a_plan_survives_the_file_with_its_ids() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.hoshin");
    let plan = demo_with_ids();
    {
        let mut store = Store::open(&path).unwrap();
        store.import_plan(&plan, false, "取り込み").unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.load_plan("阿倍野区", 2024).unwrap(), plan);
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn a_plan_without_ids_gets_them() {
    let mut store = Store::open_in_memory().unwrap();
    store.import_plan(&demo_plan(), false, "取り込み").unwrap();
    let mut loaded = store.load_plan("阿倍野区", 2024).unwrap();
    assert!(crate::identity::ids_mut(&mut loaded)
        .iter()
        .all(|id| id.is_some()));
    assert_eq!(without_ids(loaded), demo_plan());
}

#[test]
fn importing_twice_needs_replace_and_updates_in_place() {
    let mut store = Store::open_in_memory().unwrap();
    store.import_plan(&demo_plan(), false, "取り込み").unwrap();
    let stored = store.load_plan("阿倍野区", 2024).unwrap();
    // The same file again, without ids, one title changed.
    let mut other = demo_plan();
    other.issues[0].title = "別の名称".into();
    let err = store.import_plan(&other, false, "取り込み").unwrap_err();
    assert!(matches!(err, Error::PlanExists { .. }), "{err}");
    assert_eq!(store.load_plan("阿倍野区", 2024).unwrap(), stored);
    store.import_plan(&other, true, "再取り込み").unwrap();
    let replaced = store.load_plan("阿倍野区", 2024).unwrap();
    assert_eq!(without_ids(replaced.clone()), other);
    // Nodes kept their identity (matched by place) …
    let mut expected = stored.clone();
    expected.issues[0].title = "別の名称".into();
    assert_eq!(replaced, expected);
    // … and history holds only what differed.
    let set = &store.history(1).unwrap()[0];
    assert_eq!(set.scope, StepScope::ReplacePlan);
    assert_eq!(set.changes.len(), 1, "{:?}", set.changes);
    assert_eq!(set.changes[0].field, "名称");
}

#[test]
fn a_rejected_edit_writes_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .import_plan(&demo_with_ids(), false, "取り込み")
        .unwrap();
    let plan = store.load_plan("阿倍野区", 2024).unwrap();
    let err = store
        .update_plan("阿倍野区", 2024, "編集", |p| {
            p.issues[0].title = "変更".into();
            p.issues[0].strategies[0].initiatives[0].title = "  ".into();
            Ok(())
        })
        .unwrap_err();
    assert!(err.to_string().contains("具体的取組 5-1-1 の名称"), "{err}");
    assert_eq!(store.load_plan("阿倍野区", 2024).unwrap(), plan);
    assert_eq!(store.history(10).unwrap().len(), 1);
}

#[test]
fn undo_and_redo_walk_the_history() {
    let mut store = Store::open_in_memory().unwrap();
    let plan = demo_with_ids();
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
    assert_eq!(change.field, "予算 › 6予算額");
    assert_eq!(
        (change.old.as_deref(), change.new.as_deref()),
        (Some("25037000"), Some("1"))
    );

    assert_eq!(store.undo("阿倍野区", 2024).unwrap().action, "予算を編集");
    assert_eq!(store.load_plan("阿倍野区", 2024).unwrap(), plan);
    store.redo("阿倍野区", 2024).unwrap();
    assert_eq!(store.load_plan("阿倍野区", 2024).unwrap(), edited);
    let state = store.undo_state("阿倍野区", 2024).unwrap();
    assert_eq!(state.undo.map(|s| s.scope), Some(StepScope::Edit));
    assert!(state.redo.is_none());
    store.undo("阿倍野区", 2024).unwrap();
    let state = store.undo_state("阿倍野区", 2024).unwrap();
    let undo_import = state.undo.unwrap();
    assert_eq!(undo_import.scope, StepScope::CreatePlan);
    assert_eq!(state.redo.map(|s| s.action), Some("予算を編集".to_string()));
    // A step other than the one the user confirmed is refused.
    let err = store
        .undo_step("阿倍野区", 2024, undo_import.id + 1)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Conflict, "{err}");
    assert!(store.load_plan("阿倍野区", 2024).is_ok());
    // Undoing the import removes the plan; redo brings it back exactly.
    store.undo_step("阿倍野区", 2024, undo_import.id).unwrap();
    assert!(store.load_plan("阿倍野区", 2024).is_err());
    assert_eq!(
        store.undo("阿倍野区", 2024).unwrap_err().code(),
        ErrorCode::NothingToUndo
    );
    store.redo("阿倍野区", 2024).unwrap();
    store.redo("阿倍野区", 2024).unwrap();
    assert_eq!(store.load_plan("阿倍野区", 2024).unwrap(), edited);
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn a_new_action_forgets_what_was_undone() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .import_plan(&demo_with_ids(), false, "取り込み")
        .unwrap();
    store
        .update_plan("阿倍野区", 2024, "使命", |p| {
            p.mission = Some("一".into());
            Ok(())
        })
        .unwrap();
    store.undo("阿倍野区", 2024).unwrap();
    store
        .update_plan("阿倍野区", 2024, "目標", |p| {
            p.goal = Some("二".into());
            Ok(())
        })
        .unwrap();
    assert!(store.undo_state("阿倍野区", 2024).unwrap().redo.is_none());
    assert_eq!(
        store.redo("阿倍野区", 2024).unwrap_err().code(),
        ErrorCode::NothingToUndo
    );
}

#[test]
fn deleting_a_plan_is_one_undoable_step() {
    let mut store = Store::open_in_memory().unwrap();
    let plan = demo_with_ids();
    store.import_plan(&plan, false, "取り込み").unwrap();
    store.delete_plan("阿倍野区", 2024).unwrap();
    assert!(store.list_plans().unwrap().is_empty());
    let state = store.undo_state("阿倍野区", 2024).unwrap();
    assert_eq!(state.undo.unwrap().scope, StepScope::DeletePlan);
    store.undo("阿倍野区", 2024).unwrap();
    assert_eq!(store.load_plan("阿倍野区", 2024).unwrap(), plan);
    let count = |table: &str| -> i64 {
        store
            .conn
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    };
    assert!(count("initiative") > 0 && count("indicator_result") > 0);
}

#[test]
fn renaming_a_plan_keeps_its_history() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .import_plan(&demo_with_ids(), false, "取り込み")
        .unwrap();
    store
        .rename_plan("阿倍野区", 2024, "東住吉区", 2024)
        .unwrap();
    assert!(store.load_plan("阿倍野区", 2024).is_err());
    assert_eq!(store.load_plan("東住吉区", 2024).unwrap().issues.len(), 1);
    let step = store.undo_state("東住吉区", 2024).unwrap().undo.unwrap();
    assert!(step.action.contains("東住吉区"), "{}", step.action);
    store.undo("東住吉区", 2024).unwrap();
    assert!(store.load_plan("阿倍野区", 2024).is_ok());
    // A name that is taken is refused.
    store
        .import_plan(&Plan::new("東住吉区", 2024), false, "新規")
        .unwrap();
    let err = store
        .rename_plan("阿倍野区", 2024, "東住吉区", 2024)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::PlanExists);
}

#[test]
fn rollover_never_changes_the_source_year_and_shares_photos() {
    let mut store = Store::open_in_memory().unwrap();
    let mut plan = demo_with_ids();
    plan.issues[0].strategies[0].initiatives[0].photos[0].media_type = Some("image/png".into());
    plan.issues[0].strategies[0].initiatives[0].photos[0].data_base64 = Some(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==".into(),
    );
    store.import_plan(&plan, false, "取り込み").unwrap();
    let next = store.rollover("阿倍野区", 2024).unwrap();
    assert_eq!(next.fiscal_year, 2025);
    assert_eq!(store.load_plan("阿倍野区", 2024).unwrap(), plan);
    assert_eq!(store.load_plan("阿倍野区", 2025).unwrap(), next);
    // Ids survive the rollover, so year-on-year comparison can follow a node.
    assert_eq!(
        next.issues[0].strategies[0].initiatives[0].id,
        plan.issues[0].strategies[0].initiatives[0].id
    );
    let images: i64 = store
        .conn
        .query_row("SELECT count(*) FROM image", [], |r| r.get(0))
        .unwrap();
    assert_eq!(images, 1, "the photo is stored once for both years");
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
fn sealed_history_is_listed_but_not_undone() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .import_plan(&demo_plan(), false, "デモ計画を読み込み")
        .unwrap();
    store.seal_history("阿倍野区", 2024).unwrap();
    assert_eq!(
        store.undo_state("阿倍野区", 2024).unwrap(),
        UndoState::default()
    );
    assert!(store.undo("阿倍野区", 2024).is_err());
    let history = store.history(10).unwrap();
    assert_eq!(history[0].action, "デモ計画を読み込み");
    assert!(!history[0].replayable);
    assert!(store.load_plan("阿倍野区", 2024).is_ok());
}

#[test]
fn undo_in_one_plan_leaves_another_alone() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .import_plan(&demo_with_ids(), false, "取り込み")
        .unwrap();
    let mut other = demo_with_ids();
    other.ward = "東住吉区".into();
    store.import_plan(&other, false, "取り込み").unwrap();
    store
        .update_plan("阿倍野区", 2024, "削除", |p| {
            p.issues[0].strategies[0].initiatives.remove(0);
            Ok(())
        })
        .unwrap();
    // The other plan adds a row afterwards; undo in the first must still work.
    store
        .update_plan("東住吉区", 2024, "追加", |p| {
            p.issues[0].strategies[0].initiatives[0]
                .activities
                .push(Activity {
                    text: "新しい行".into(),
                    ..Default::default()
                });
            Ok(())
        })
        .unwrap();
    store.undo("阿倍野区", 2024).unwrap();
    assert_eq!(
        store.load_plan("阿倍野区", 2024).unwrap().issues[0].strategies[0]
            .initiatives
            .len(),
        2
    );
    assert_eq!(
        store.load_plan("東住吉区", 2024).unwrap().issues[0].strategies[0].initiatives[0]
            .activities
            .len(),
        other.issues[0].strategies[0].initiatives[0]
            .activities
            .len()
            + 1
    );
}

/// A version 1 file, written by Hoshin before stable ids (the demo plan, a
/// photo, two edits and an undone one): it opens, is backed up first, keeps
/// its plans, and says its old history was condensed.
#[test]
fn a_version_1_file_is_migrated_after_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.hoshin");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/v1.hoshin"),
        &path,
    )
    .unwrap();
    let mut store = Store::open(&path).unwrap();
    let backups: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("old.hoshin.v1-") && n.ends_with(".bak"))
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    let plan = store.load_plan("阿倍野区", 2024).unwrap();
    let mut expected = demo_plan();
    expected.mission = Some("移行前の使命".into());
    let photo = &mut expected.issues[0].strategies[0].initiatives[0].photos[0];
    photo.media_type = Some("image/png".into());
    photo.data_base64 = Some("iVBORw0KGgo=".into());
    assert_eq!(without_ids(plan.clone()), expected);
    let history = store.history(10).unwrap();
    assert_eq!(history[0].action, CONDENSED_HISTORY);
    assert!(
        history
            .iter()
            .any(|s| s.changes.iter().any(|c| c.field == "区の使命")),
        "{history:?}"
    );
    assert!(
        history.iter().all(|s| !s.replayable && !s.undone),
        "the undone change is gone"
    );
    assert!(store.undo_state("阿倍野区", 2024).unwrap().undo.is_none());
    // Editing works from there, with undo.
    store
        .update_plan("阿倍野区", 2024, "使命を編集", |p| {
            p.mission = Some("移行後".into());
            Ok(())
        })
        .unwrap();
    store.undo("阿倍野区", 2024).unwrap();
    assert_eq!(store.load_plan("阿倍野区", 2024).unwrap(), plan);
    assert_eq!(store.integrity_check().unwrap(), "ok");
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
            Ok(loaded) => assert_eq!(&without_ids(loaded), plan),
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

/// 担当課 typed with spaces around it (「総務課　」, a full-width space the
/// IME left) is the same section, however it comes in.
#[test]
fn a_section_with_surrounding_spaces_is_one_section() {
    use crate::fields::InitiativeText;
    let mut plan = demo_with_ids();
    let initiatives: Vec<_> = plan.issues[0].strategies[0]
        .initiatives
        .iter()
        .map(|it| it.id.clone().unwrap())
        .collect();
    let sections = &mut plan.issues[0].strategies[0].initiatives;
    sections[0].section = Some("総務課　".into());
    sections[1].section = Some("　総務課 ".into());
    let mut store = Store::open_in_memory().unwrap();
    // An import (JSON or Excel) …
    store.import_plan(&plan, false, "取り込み").unwrap();
    let loaded = store.load_plan("阿倍野区", 2024).unwrap();
    let stored = &loaded.issues[0].strategies[0].initiatives;
    assert_eq!(stored[0].section.as_deref(), Some("総務課"));
    assert_eq!(stored[1].section.as_deref(), Some("総務課"));
    // … an edit in the window …
    store
        .apply_edit(
            "阿倍野区",
            2024,
            &Edit::SetInitiativeText {
                initiative: initiatives[0].clone(),
                field: InitiativeText::Section,
                value: "\u{3000}市民協働課\u{3000}".into(),
            },
        )
        .unwrap();
    // … and a whole-plan change (a reply merge).
    store
        .update_plan("阿倍野区", 2024, "回答を取り込み", |p| {
            p.issues[0].strategies[0].initiatives[1].section = Some("市民協働課　".into());
            Ok(())
        })
        .unwrap();
    let loaded = store.load_plan("阿倍野区", 2024).unwrap();
    let stored = &loaded.issues[0].strategies[0].initiatives;
    assert_eq!(stored[0].section.as_deref(), Some("市民協働課"));
    assert_eq!(stored[1].section.as_deref(), Some("市民協働課"));
}

/// A file written before sections were trimmed still lists one section.
#[test]
fn sections_differing_by_spaces_are_listed_once() {
    let mut plan = demo_plan();
    for (i, it) in plan.issues[0].strategies[0]
        .initiatives
        .iter_mut()
        .enumerate()
    {
        it.section = Some(
            if i % 2 == 0 {
                "総務課　"
            } else {
                "総務課"
            }
            .into(),
        );
    }
    let n = plan.issues[0].strategies[0].initiatives.len();
    let listed: Vec<_> = crate::reply::sections(&plan)
        .into_iter()
        .filter(|(s, _)| s.starts_with("総務課"))
        .collect();
    assert_eq!(listed, vec![("総務課".to_string(), n)]);
    let it = &plan.issues[0].strategies[0].initiatives[0];
    assert!(crate::reply::belongs(it, " 総務課"));
}
