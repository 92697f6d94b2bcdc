//! 照会・回答 (issue 11) in the core: request workbooks read back as replies,
//! and the merge's rules on replies changed at the model level. The round
//! trip through a workbook edited by another program (openpyxl) is tested
//! with the CLI (src-tauri/cli/tests/reply.rs).

use hoshin_core::model::*;
use hoshin_core::reply::{self, Ask, ItemKind, MergePreview, Reply};
use hoshin_core::{xlsx, Store};

const WARD: &str = "阿倍野区";
const YEAR: i32 = 2024;

/// The demo plan with 担当課: 5-1-x 市民協働課, 5-2-1 窓口サービス課, 5-2-2 総務課.
fn plan() -> Plan {
    let mut plan = hoshin_core::demo_plan();
    hoshin_core::identity::assign_missing(&mut plan);
    let sections = ["市民協働課", "市民協働課", "窓口サービス課", "総務課"];
    let mut n = 0;
    for s in &mut plan.issues[0].strategies {
        for it in &mut s.initiatives {
            it.section = Some(sections[n].to_string());
            n += 1;
        }
    }
    plan
}

fn store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    store.import_plan(&plan(), false, "テスト").unwrap();
    store
}

fn request(store: &Store, section: &str) -> Vec<u8> {
    let plan = store.load_plan(WARD, YEAR).unwrap();
    xlsx::write_request(&plan, section, &Ask::DEFAULT, "2025-04-10 09:00").unwrap()
}

fn reply_of(store: &Store, section: &str) -> Reply {
    xlsx::read_reply(&request(store, section), &format!("回答_{section}.xlsx")).unwrap()
}

fn initiative<'a>(plan: &'a mut Plan, number: &str) -> &'a mut Initiative {
    plan.issues
        .iter_mut()
        .flat_map(|i| &mut i.strategies)
        .flat_map(|s| &mut s.initiatives)
        .find(|i| i.number == number)
        .unwrap()
}

fn filled<'a>(reply: &'a mut Reply, number: &str) -> &'a mut Initiative {
    initiative(&mut reply.filled[0], number)
}

fn merge(store: &mut Store, replies: &[Reply]) -> MergePreview {
    reply::merge(store, replies, &[], false).unwrap()
}

fn items(preview: &MergePreview, kind: ItemKind) -> Vec<String> {
    preview
        .groups
        .iter()
        .flat_map(|g| &g.items)
        .filter(|i| i.kind == kind)
        .map(|i| format!("{}: {} → {}", i.what, i.today, i.reply))
        .collect()
}

#[test]
fn an_untouched_reply_reads_as_the_request_and_changes_nothing() {
    let mut store = store();
    let before = store.load_plan(WARD, YEAR).unwrap();
    let history = store.plan_history(WARD, YEAR, 100).unwrap().len();
    let reply = reply_of(&store, "市民協働課");
    assert_eq!(reply.request.section, "市民協働課");
    assert_eq!(reply.request.asks, Ask::DEFAULT.to_vec());
    assert_eq!(reply.filled.len(), 1);
    let numbers: Vec<&str> = reply.filled[0].issues[0].strategies[0]
        .initiatives
        .iter()
        .map(|i| i.number.as_str())
        .collect();
    assert_eq!(numbers, ["5-1-1", "5-1-2"], "only the section's 取組");
    assert_eq!(reply.filled[0].issues[0].strategies.len(), 1);
    assert!(reply.unread.is_empty());
    let preview = merge(&mut store, &[reply]);
    assert_eq!(
        (
            preview.changes,
            preview.conflicts,
            preview.refused,
            preview.applied
        ),
        (0, 0, 0, false),
        "{preview:#?}"
    );
    assert_eq!(store.load_plan(WARD, YEAR).unwrap(), before);
    assert_eq!(store.plan_history(WARD, YEAR, 100).unwrap().len(), history);
}

#[test]
fn a_fill_is_applied_in_one_undo_step() {
    let mut store = store();
    let before = store.load_plan(WARD, YEAR).unwrap();
    let mut reply = reply_of(&store, "市民協働課");
    let it = filled(&mut reply, "5-1-2");
    it.activities[0].results.push(ActivityResult {
        fiscal_year: YEAR,
        text: "月1回（12回）".into(),
    });
    it.process_indicators[0].results.push(IndicatorResult {
        fiscal_year: YEAR,
        value: Some(serde_json::from_str("51.5").unwrap()),
        achieved: Some(true),
        ..Default::default()
    });
    it.budgets[0].amount_yen = Some(16_000_000);
    let preview = merge(&mut store, &[reply]);
    assert_eq!(
        items(&preview, ItemKind::Change),
        [
            "令和4年度決算額: 16,217,000円 → 16,000,000円",
            "主な取組「広報紙の全戸配布　（月1回：65,500…」の令和6年度実績: （空欄） → 月1回（12回）",
            "プロセス指標「区の様々な取組み（施策・事業・イベントな…」の令和6年度実績値: （空欄） → 51.5%",
            "プロセス指標「区の様々な取組み（施策・事業・イベントな…」の令和6年度達成状況: （空欄） → 〇",
        ]
    );
    assert!(
        preview.applied && !preview.needs_attention(),
        "{preview:#?}"
    );
    let mut after = store.load_plan(WARD, YEAR).unwrap();
    let it = initiative(&mut after, "5-1-2");
    assert_eq!(
        it.activities[0].results.last().unwrap().text,
        "月1回（12回）"
    );
    let result = it.process_indicators[0].results.last().unwrap();
    assert_eq!(
        (
            result.fiscal_year,
            result.value.as_ref().unwrap().to_string(),
            result.achieved
        ),
        (YEAR, "51.5".to_string(), Some(true))
    );
    assert_eq!(it.budgets[0].amount_yen, Some(16_000_000));
    let step = store.undo(WARD, YEAR).unwrap();
    assert_eq!(step.action, "回答を取り込み（市民協働課）");
    assert_eq!(
        store.load_plan(WARD, YEAR).unwrap(),
        before,
        "one undo step"
    );
}

#[test]
fn a_conflict_keeps_the_office_value_unless_the_planner_takes_the_reply() {
    let mut store = store();
    let mut reply = reply_of(&store, "市民協働課");
    filled(&mut reply, "5-1-1").budgets[0].amount_yen = Some(5_000_000);
    filled(&mut reply, "5-1-1").activities[1]
        .results
        .push(ActivityResult {
            fiscal_year: YEAR,
            text: "各3回".into(),
        });
    // The office corrects the same 決算額 after sending the request.
    store
        .update_plan(WARD, YEAR, "企画調整の修正", |p| {
            initiative(p, "5-1-1").budgets[0].amount_yen = Some(5_200_000);
            Ok(())
        })
        .unwrap();
    let preview = reply::merge(&mut store, std::slice::from_ref(&reply), &[], true).unwrap();
    assert_eq!(
        items(&preview, ItemKind::Conflict),
        ["令和4年度決算額: 5,200,000円 → 5,000,000円"]
    );
    let conflict = preview.groups[0]
        .items
        .iter()
        .find(|i| i.kind == ItemKind::Conflict)
        .unwrap();
    assert_eq!(conflict.original, "5,100,000円");
    assert!(!preview.applied, "a dry run");
    let kept = merge(&mut store, std::slice::from_ref(&reply));
    assert!(kept.needs_attention());
    let mut now = store.load_plan(WARD, YEAR).unwrap();
    assert_eq!(
        initiative(&mut now, "5-1-1").budgets[0].amount_yen,
        Some(5_200_000),
        "the office's value stays"
    );
    assert_eq!(
        initiative(&mut now, "5-1-1").activities[1]
            .results
            .last()
            .unwrap()
            .text,
        "各3回",
        "the rest is merged"
    );
    // The planner takes the reply's value for this conflict.
    let key = conflict.key.clone();
    let taken = reply::merge(&mut store, &[reply], &[key], false).unwrap();
    assert_eq!(taken.conflicts, 1);
    assert!(taken.groups[0].items.iter().any(|i| i.taken));
    let mut now = store.load_plan(WARD, YEAR).unwrap();
    assert_eq!(
        initiative(&mut now, "5-1-1").budgets[0].amount_yen,
        Some(5_000_000)
    );
}

#[test]
fn edits_outside_the_asked_cells_are_listed_and_never_applied() {
    let mut store = store();
    let before = store.load_plan(WARD, YEAR).unwrap();
    let mut reply = reply_of(&store, "市民協働課");
    let it = filled(&mut reply, "5-1-1");
    it.title = "区民ニーズの把握（改）".into();
    it.activities[0].results[0].text = "3回".into(); // last year's: not asked
    it.activities.push(Activity {
        id: None,
        text: "勝手に足した行".into(),
        results: Vec::new(),
    });
    reply.filled[0].issues[0].strategies[0].goal_state = Some("書き換え".into());
    let preview = merge(&mut store, &[reply]);
    let refused = items(&preview, ItemKind::Refused);
    assert_eq!(refused.len(), 4, "{refused:#?}");
    assert!(refused.iter().any(|r| r.starts_with("取組の名称")));
    assert!(refused.iter().any(|r| r.contains("令和5年度実績")));
    assert!(refused.iter().any(|r| r.contains("勝手に足した行")));
    assert!(refused.iter().any(|r| r.starts_with("めざす状態")));
    assert_eq!((preview.changes, preview.applied), (0, false));
    assert_eq!(store.load_plan(WARD, YEAR).unwrap(), before);
}

#[test]
fn another_sections_initiatives_are_refused() {
    let mut store = store();
    let mut reply = reply_of(&store, "市民協働課");
    // A sheet of 総務課's request copied into this workbook.
    let mut other = reply_of(&store, "総務課");
    let mut foreign = other.filled.remove(0).issues.remove(0);
    foreign.strategies[0].initiatives[0].activities[0]
        .results
        .push(ActivityResult {
            fiscal_year: YEAR,
            text: "12回".into(),
        });
    reply.filled[0].issues.push(foreign);
    let preview = merge(&mut store, &[reply]);
    let refused = &preview
        .groups
        .iter()
        .find(|g| g.place == "具体的取組 5-2-2")
        .unwrap()
        .items;
    assert_eq!(refused.len(), 1);
    assert!(refused[0]
        .reason
        .as_ref()
        .unwrap()
        .contains("担当課「総務課」の取組"));
    assert_eq!(preview.changes, 0);
}

#[test]
fn a_reply_after_the_initiative_changed_hands_or_lost_a_row_is_refused_there() {
    let mut store = store();
    let mut reply = reply_of(&store, "市民協働課");
    filled(&mut reply, "5-1-1").activities[0]
        .results
        .push(ActivityResult {
            fiscal_year: YEAR,
            text: "2回".into(),
        });
    filled(&mut reply, "5-1-2").activities[2]
        .results
        .push(ActivityResult {
            fiscal_year: YEAR,
            text: "随時".into(),
        });
    filled(&mut reply, "5-1-2").activities[1]
        .results
        .push(ActivityResult {
            fiscal_year: YEAR,
            text: "毎日".into(),
        });
    store
        .update_plan(WARD, YEAR, "担当替え", |p| {
            initiative(p, "5-1-1").section = Some("総務課".into());
            initiative(p, "5-1-2").activities.remove(2);
            Ok(())
        })
        .unwrap();
    let preview = merge(&mut store, &[reply]);
    let reasons: Vec<String> = preview
        .groups
        .iter()
        .flat_map(|g| &g.items)
        .filter_map(|i| i.reason.clone())
        .collect();
    assert_eq!(reasons.len(), 2, "{reasons:#?}");
    assert!(reasons[0].contains("担当課が「総務課」に変わった"));
    assert!(reasons[1].contains("行が計画から削除された"));
    assert_eq!(preview.changes, 1, "the third row still merges");
}

#[test]
fn two_replies_that_disagree_keep_the_first() {
    let mut store = store();
    let mut first = reply_of(&store, "市民協働課");
    let mut second = reply_of(&store, "市民協働課");
    second.file = "回答_市民協働課_再送.xlsx".into();
    filled(&mut first, "5-1-1").budgets[0].amount_yen = Some(1);
    filled(&mut second, "5-1-1").budgets[0].amount_yen = Some(2);
    let preview = merge(&mut store, &[first, second]);
    assert_eq!((preview.changes, preview.refused), (1, 1));
    let refused = items(&preview, ItemKind::Refused);
    assert_eq!(refused, ["令和4年度決算額: 5,100,000円 → 2円"]);
    let mut now = store.load_plan(WARD, YEAR).unwrap();
    assert_eq!(initiative(&mut now, "5-1-1").budgets[0].amount_yen, Some(1));
}

#[test]
fn a_reply_merged_again_changes_nothing() {
    let mut store = store();
    let mut reply = reply_of(&store, "総務課");
    filled(&mut reply, "5-2-2").activities[1]
        .results
        .push(ActivityResult {
            fiscal_year: YEAR,
            text: "1回".into(),
        });
    assert_eq!(merge(&mut store, std::slice::from_ref(&reply)).changes, 1);
    let again = merge(&mut store, &[reply]);
    assert_eq!(
        (again.changes, again.conflicts, again.refused, again.applied),
        (0, 0, 0, false)
    );
}

#[test]
fn replies_for_another_plan_are_refused_whole() {
    let mut store = store();
    // Another year: the file has no 令和5年度 plan.
    let mut old = plan();
    old.fiscal_year = 2023;
    let bytes = xlsx::write_request(&old, "総務課", &Ask::DEFAULT, "2024-04-01 09:00").unwrap();
    let reply = xlsx::read_reply(&bytes, "昨年度.xlsx").unwrap();
    let e = reply::merge(&mut store, &[reply], &[], false).unwrap_err();
    assert!(e.to_string().contains("令和5年度 の計画への照会"), "{e}");
    // Same ward and year, but another file's plan (other ids).
    let mut stranger = plan();
    hoshin_core::identity::renew(hoshin_core::identity::ids_mut(&mut stranger));
    let bytes =
        xlsx::write_request(&stranger, "総務課", &Ask::DEFAULT, "2025-04-01 09:00").unwrap();
    let reply = xlsx::read_reply(&bytes, "別ファイル.xlsx").unwrap();
    let e = reply::merge(&mut store, &[reply], &[], false).unwrap_err();
    assert!(
        e.to_string()
            .contains("このファイルの 阿倍野区 令和6年度 の計画から作った照会ではありません"),
        "{e}"
    );
    // Replies for two plans at once.
    let a = reply_of(&store, "総務課");
    let b = xlsx::read_reply(
        &xlsx::write_request(&old, "総務課", &Ask::DEFAULT, "").unwrap(),
        "b.xlsx",
    )
    .unwrap();
    let e = reply::merge(&mut store, &[a, b], &[], false).unwrap_err();
    assert!(e.to_string().contains("1つの計画の回答ずつ"), "{e}");
}

#[test]
fn a_request_for_an_unknown_section_names_the_known_ones() {
    let e = xlsx::write_request(&plan(), "土木課", &Ask::DEFAULT, "").unwrap_err();
    assert_eq!(
        e.to_string(),
        "阿倍野区 令和6年度 の計画に、担当課「土木課」の具体的取組はありません（この計画の担当課: 市民協働課、窓口サービス課、総務課）。"
    );
    let e = xlsx::write_request(&plan(), "総務課", &[Ask::Comment], "").unwrap_err();
    assert!(e.to_string().contains("1つ以上"));
}

#[test]
fn not_a_reply() {
    let plain = xlsx::export_workbook_bytes(&[plan()], xlsx::Layout::JigyoKeikakusho).unwrap();
    let e = xlsx::read_reply(&plain, "事業計画書.xlsx").unwrap_err();
    assert!(
        e.to_string().contains("照会ブック（回答）ではありません"),
        "{e}"
    );
    let e = xlsx::read_reply(b"not a zip", "x.xlsx").unwrap_err();
    assert!(
        e.to_string()
            .contains("Excel ブック（.xlsx）として読めません"),
        "{e}"
    );
}

#[test]
fn a_fill_lands_on_its_initiative_after_the_office_moved_it() {
    // Rows are matched by id, not by place: the office swaps 5-1-1 and 5-1-2
    // after the request was made; the reply still calls it 5-1-2.
    let mut store = store();
    let mut reply = reply_of(&store, "市民協働課");
    store
        .update_plan(WARD, YEAR, "入れ替え", |plan| {
            plan.issues[0].strategies[0].initiatives.swap(0, 1);
            Ok(())
        })
        .unwrap();
    let before = store.load_plan(WARD, YEAR).unwrap();
    let it = filled(&mut reply, "5-1-2");
    let id = it.id.clone();
    it.activities[0].results.push(ActivityResult {
        fiscal_year: YEAR,
        text: "月1回（12回）".into(),
    });
    let preview = merge(&mut store, &[reply]);
    assert_eq!(
        (preview.changes, preview.conflicts, preview.refused),
        (1, 0, 0),
        "{preview:#?}"
    );
    assert_eq!(
        preview.groups[0].place, "具体的取組 5-1-1",
        "the preview names it as the plan numbers it today"
    );
    let mut after = store.load_plan(WARD, YEAR).unwrap();
    let moved = initiative(&mut after, "5-1-1");
    assert_eq!(moved.id, id);
    assert_eq!(
        moved.activities[0].results.last().unwrap().text,
        "月1回（12回）"
    );
    let mut before = before;
    assert_eq!(
        initiative(&mut after, "5-1-2"),
        initiative(&mut before, "5-1-2"),
        "the initiative now at 5-1-2 is untouched"
    );
}

#[test]
fn rollover_keeps_every_section() {
    let mut store = store();
    let next = store.rollover(WARD, YEAR).unwrap();
    assert_eq!(next.fiscal_year, YEAR + 1);
    assert_eq!(
        reply::sections(&next),
        [
            ("市民協働課".to_string(), 2),
            ("窓口サービス課".to_string(), 1),
            ("総務課".to_string(), 1)
        ]
    );
}
