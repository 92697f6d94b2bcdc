//! What an edit costs in the file, measured in bytes: an edit stores what it
//! changes, not the plan again, and photos are stored once. Also: long runs
//! of undo and redo give back exactly the plans they should.

use base64::Engine;
use hoshin_core::model::{Photo, Plan};
use hoshin_core::{demo_plan, Store};

/// Bytes of the file and its WAL together (what the planner's disk holds).
fn file_bytes(path: &std::path::Path) -> u64 {
    let wal = path.with_extension("hoshin-wal");
    std::fs::metadata(path).map_or(0, |m| m.len()) + std::fs::metadata(wal).map_or(0, |m| m.len())
}

/// Incompressible bytes, like a JPEG's.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// A JPEG of `len` bytes that do not compress: a 1×1 JPEG, then noise.
fn jpeg_of(len: usize, seed: u64) -> Vec<u8> {
    let mut bytes = base64::engine::general_purpose::STANDARD
        .decode("/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AVN//2Q==")
        .unwrap();
    bytes.extend(noise(len - bytes.len(), seed));
    bytes
}

/// The demo plan with 8 photos of 560 kB each (4.5 MB of images).
fn demo_with_photos() -> Plan {
    let mut plan = demo_plan();
    let mut seed = 0;
    for initiative in plan.issues[0]
        .strategies
        .iter_mut()
        .flat_map(|s| &mut s.initiatives)
    {
        for photo in &mut initiative.photos {
            seed += 1;
            *photo = Photo {
                media_type: Some("image/jpeg".into()),
                data_base64: Some(
                    base64::engine::general_purpose::STANDARD.encode(jpeg_of(560_000, seed)),
                ),
                ..photo.clone()
            };
        }
    }
    plan
}

fn replace_mission_times(store: &mut Store, plan: &Plan, times: usize) {
    for i in 0..times {
        let mut changed = plan.clone();
        changed.mission = Some(format!("区の使命 その{i}"));
        store
            .import_plan(&changed, true, "JSON を取り込み")
            .unwrap();
    }
}

#[test]
fn twenty_one_field_replaces_of_a_plan_with_photos_grow_the_file_by_less_than_a_megabyte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("photos.hoshin");
    let plan = demo_with_photos();
    let mut store = Store::open(&path).unwrap();
    store.import_plan(&plan, false, "取り込み").unwrap();
    drop(store);
    let before = file_bytes(&path);
    let mut store = Store::open(&path).unwrap();
    replace_mission_times(&mut store, &plan, 20);
    drop(store); // checkpoints the WAL into the file
    let growth = file_bytes(&path).saturating_sub(before);
    println!("8 photos: file {before} B, growth over 20 replaces {growth} B");
    assert!(
        before < 6_000_000,
        "4.5 MB of images stored once, not as base64 text: {before} B"
    );
    assert!(
        growth < 1_000_000,
        "20 one-field replaces grew the file by {growth} B"
    );
}

#[test]
fn ten_one_field_replaces_of_a_city_sized_plan_grow_the_file_by_less_than_a_megabyte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("city.hoshin");
    let plan = hoshin_core::sample::city_sized_plan("大阪市", 2024, 1200);
    let initiatives: usize = plan
        .issues
        .iter()
        .flat_map(|i| &i.strategies)
        .map(|s| s.initiatives.len())
        .sum();
    assert_eq!(initiatives, 1200);
    let mut store = Store::open(&path).unwrap();
    store.import_plan(&plan, false, "取り込み").unwrap();
    drop(store);
    let before = file_bytes(&path);
    let mut store = Store::open(&path).unwrap();
    replace_mission_times(&mut store, &plan, 10);
    drop(store);
    let growth = file_bytes(&path).saturating_sub(before);
    println!("city-sized plan: file {before} B, growth over 10 replaces {growth} B");
    assert!(
        growth < 1_000_000,
        "10 one-field replaces grew the file by {growth} B"
    );
    // History says what changed, once per replace: the 区の使命.
    let store = Store::open(&path).unwrap();
    let history = store.history(10).unwrap();
    assert!(history
        .iter()
        .all(|s| s.changes.len() == 1 && s.changes[0].field == "区の使命"));
}

/// Twenty edits of every kind, then twenty undos back to the start and
/// twenty redos forward to the end, comparing the whole plan at each step.
#[test]
fn twenty_undos_and_redos_give_back_every_plan_exactly() {
    use hoshin_core::edit::{Edit, NodeRef};
    use hoshin_core::fields::{InitiativeText, PlanText};
    use hoshin_core::model::BudgetKind;

    let mut store = Store::open_in_memory().unwrap();
    store
        .import_plan(&demo_with_photos(), false, "取り込み")
        .unwrap();
    let (ward, year) = ("阿倍野区", 2024);
    let mut states = vec![store.load_plan(ward, year).unwrap()];
    for i in 0..20 {
        let plan = states.last().unwrap().clone();
        let strategy = &plan.issues[0].strategies[i % 2];
        let initiative = &strategy.initiatives[i % strategy.initiatives.len()];
        let id = initiative.id.clone().unwrap();
        let edit = match i % 10 {
            0 => Edit::SetPlanText {
                field: PlanText::Mission,
                value: format!("使命 {i}"),
            },
            1 => Edit::SetBudget {
                node: NodeRef::Initiative { id },
                fiscal_year: 2024,
                kind: BudgetKind::Budget,
                input: format!("{}", 1000 * (i + 1)),
            },
            2 => Edit::DuplicateNode {
                node: NodeRef::Initiative { id },
            },
            3 => Edit::MoveNode {
                node: NodeRef::Strategy {
                    id: plan.issues[0].strategies[1].id.clone().unwrap(),
                },
                delta: -1,
            },
            4 => Edit::AddActivity {
                initiative: id,
                text: format!("追加した行 {i}"),
                before: None,
                id: None,
            },
            5 => Edit::DeletePhoto {
                photo: initiative.photos[0].id.clone().unwrap(),
            },
            6 => Edit::SetInitiativeText {
                initiative: id,
                field: InitiativeText::Section,
                value: "総務課".into(),
            },
            7 => Edit::Batch {
                label: "貼り付け".into(),
                edits: (0..3)
                    .map(|k| Edit::SetActivityText {
                        activity: initiative.activities[k % initiative.activities.len()]
                            .id
                            .clone()
                            .unwrap(),
                        text: format!("貼り付け {i}-{k}"),
                    })
                    .collect(),
            },
            8 => Edit::DeleteNode {
                node: NodeRef::Initiative { id },
            },
            _ => Edit::AddNode {
                parent: NodeRef::Plan,
                title: format!("新しい経営課題 {i}"),
                after: None,
            },
        };
        store
            .apply_edit(ward, year, &edit)
            .unwrap_or_else(|e| panic!("edit {i}: {e}"));
        states.push(store.load_plan(ward, year).unwrap());
    }
    for i in (0..20).rev() {
        store.undo(ward, year).unwrap();
        assert_eq!(
            store.load_plan(ward, year).unwrap(),
            states[i],
            "after undoing edit {i}"
        );
    }
    for (i, expected) in states.iter().enumerate().skip(1) {
        store.redo(ward, year).unwrap();
        assert_eq!(
            &store.load_plan(ward, year).unwrap(),
            expected,
            "after redoing edit {}",
            i - 1
        );
    }
    assert_eq!(store.integrity_check().unwrap(), "ok");
}
