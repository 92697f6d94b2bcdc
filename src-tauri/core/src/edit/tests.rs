//! Every kind of edit, through the store: what the file holds afterwards,
//! what a refusal says, and that undo gives back the plan exactly.

use super::*;
use crate::demo_plan;
use crate::store::{Applied, Store};
use crate::ErrorCode;

const WARD: &str = "阿倍野区";
const YEAR: i32 = 2024;
/// A 1×1 PNG and a 1×1 JPEG.
const PNG_B64: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const JPEG_B64: &str = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AVN//2Q==";

struct Fixture {
    store: Store,
}

impl Fixture {
    fn new() -> Fixture {
        let mut store = Store::open_in_memory().unwrap();
        store.import_plan(&demo_plan(), false, "取り込み").unwrap();
        Fixture { store }
    }

    fn plan(&self) -> Plan {
        self.store.load_plan(WARD, YEAR).unwrap()
    }

    fn apply(&mut self, edit: Edit) -> Result<Applied> {
        self.store.apply_edit(WARD, YEAR, &edit)
    }

    /// Applies an edit, checks that undo gives back the plan before it and
    /// redo the plan after it, and returns the plan after it.
    fn apply_undoable(&mut self, edit: Edit) -> Plan {
        let before = self.plan();
        self.apply(edit).unwrap();
        let after = self.plan();
        assert_ne!(before, after, "the edit changed nothing");
        self.store.undo(WARD, YEAR).unwrap();
        assert_eq!(self.plan(), before, "undo gives back the plan exactly");
        self.store.redo(WARD, YEAR).unwrap();
        assert_eq!(self.plan(), after, "redo gives back the edit exactly");
        after
    }

    fn refused(&mut self, edit: Edit) -> Error {
        let before = self.plan();
        let history = self.store.history(100).unwrap().len();
        let err = self.apply(edit).unwrap_err();
        assert_eq!(self.plan(), before, "a refused edit changes nothing");
        assert_eq!(self.store.history(100).unwrap().len(), history);
        err
    }

    fn issue(&self) -> String {
        self.plan().issues[0].id.clone().unwrap()
    }
    fn strategy(&self, s: usize) -> String {
        self.plan().issues[0].strategies[s].id.clone().unwrap()
    }
    fn initiative(&self, s: usize, i: usize) -> String {
        self.plan().issues[0].strategies[s].initiatives[i]
            .id
            .clone()
            .unwrap()
    }
}

fn initiative_of(plan: &Plan, s: usize, i: usize) -> &Initiative {
    &plan.issues[0].strategies[s].initiatives[i]
}

#[test]
fn plan_text_and_stage() {
    let mut f = Fixture::new();
    let plan = f.apply_undoable(Edit::SetPlanText {
        field: PlanText::Mission,
        value: "  区民とともに  ".into(),
    });
    assert_eq!(plan.mission.as_deref(), Some("区民とともに"));
    let plan = f.apply_undoable(Edit::SetStage {
        stage: Stage::Final,
    });
    assert_eq!(plan.stage, Some(Stage::Final));
    let set = &f.store.history(1).unwrap()[0];
    assert_eq!(set.action, "段階を「自己評価」に変更");
}

#[test]
fn issue_strategy_and_initiative_texts() {
    let mut f = Fixture::new();
    let (issue, strategy, initiative) = (f.issue(), f.strategy(1), f.initiative(0, 1));
    let plan = f.apply_undoable(Edit::SetIssueText {
        issue: issue.clone(),
        field: IssueText::Recognition,
        value: "認識".into(),
    });
    assert_eq!(plan.issues[0].recognition.as_deref(), Some("認識"));
    let plan = f.apply_undoable(Edit::SetStrategyText {
        strategy,
        field: StrategyText::Improvements,
        value: "改善する".into(),
    });
    assert_eq!(
        plan.issues[0].strategies[1].improvements.as_deref(),
        Some("改善する")
    );
    let plan = f.apply_undoable(Edit::SetInitiativeText {
        initiative: initiative.clone(),
        field: InitiativeText::Section,
        value: "市民協働課".into(),
    });
    assert_eq!(
        initiative_of(&plan, 0, 1).section.as_deref(),
        Some("市民協働課")
    );
    let history = &f.store.history(1).unwrap()[0];
    assert_eq!(history.action, "具体的取組 5-1-2 の担当課を編集");
    assert_eq!(history.changes[0].new.as_deref(), Some("市民協働課"));

    let err = f.refused(Edit::SetInitiativeText {
        initiative,
        field: InitiativeText::Title,
        value: " 　".into(),
    });
    assert_eq!(err.code(), ErrorCode::Invalid);
    assert!(err.to_string().contains("具体的取組 5-1-2 の名称"), "{err}");
    let err = f.refused(Edit::SetIssueText {
        issue,
        field: IssueText::Title,
        value: String::new(),
    });
    assert!(err.to_string().contains("経営課題5 の名称"), "{err}");
}

#[test]
fn lines_keep_one_entry_per_line_without_bullets() {
    let mut f = Fixture::new();
    let initiative = f.initiative(1, 0);
    let plan = f.apply_undoable(Edit::SetLines {
        node: NodeRef::Initiative { id: initiative },
        field: LinesField::CouncilOpinions,
        lines: vec!["・一つ目\n・二つ目".into(), "".into(), "三つ目".into()],
    });
    assert_eq!(
        initiative_of(&plan, 1, 0).council_opinions,
        ["一つ目", "二つ目", "三つ目"]
    );
    let issue = f.issue();
    let plan = f.apply_undoable(Edit::SetLines {
        node: NodeRef::Issue { id: issue.clone() },
        field: LinesField::MainStrategies,
        lines: vec!["戦略A".into()],
    });
    assert_eq!(plan.issues[0].main_strategies, ["戦略A"]);
    // An issue has no 区政会議等意見.
    f.refused(Edit::SetLines {
        node: NodeRef::Issue { id: issue },
        field: LinesField::CouncilOpinions,
        lines: vec!["x".into()],
    });
}

#[test]
fn issue_number_renumbers_the_tree_and_must_be_free() {
    let mut f = Fixture::new();
    let issue = f.issue();
    let plan = f.apply_undoable(Edit::SetIssueNumber {
        issue: issue.clone(),
        number: "６".into(),
    });
    assert_eq!(plan.issues[0].number, 6);
    assert_eq!(initiative_of(&plan, 1, 1).number, "6-2-2");
    f.apply(Edit::AddNode {
        parent: NodeRef::Plan,
        title: "新しい課題".into(),
        after: None,
    })
    .unwrap();
    let err = f.refused(Edit::SetIssueNumber {
        issue: issue.clone(),
        number: "7".into(),
    });
    assert!(err.to_string().contains("同じ番号"), "{err}");
    let err = f.refused(Edit::SetIssueNumber {
        issue,
        number: "0".into(),
    });
    assert!(err.to_string().contains("1以上"), "{err}");
}

#[test]
fn sdgs_in_any_spelling() {
    let mut f = Fixture::new();
    let issue = f.issue();
    let plan = f.apply_undoable(Edit::SetSdgs {
        issue: issue.clone(),
        input: "１１、３, 11".into(),
    });
    assert_eq!(plan.issues[0].sdgs, [11, 3]);
    let err = f.refused(Edit::SetSdgs {
        issue,
        input: "18".into(),
    });
    assert!(err.to_string().contains("1〜17"), "{err}");
}

#[test]
fn budgets_accept_full_width_and_name_a_bad_cell() {
    let mut f = Fixture::new();
    let initiative = f.initiative(0, 1);
    let plan = f.apply_undoable(Edit::SetBudget {
        node: NodeRef::Initiative {
            id: initiative.clone(),
        },
        fiscal_year: 2024,
        kind: BudgetKind::Budget,
        input: "１６，２１７，０００".into(),
    });
    assert_eq!(
        initiative_of(&plan, 0, 1).budgets[2].amount_yen,
        Some(16_217_000)
    );
    let plan = f.apply_undoable(Edit::SetBudget {
        node: NodeRef::Initiative {
            id: initiative.clone(),
        },
        fiscal_year: 2024,
        kind: BudgetKind::Budget,
        input: "６，１３５千円".into(),
    });
    assert_eq!(
        initiative_of(&plan, 0, 1).budgets[2].amount_yen,
        Some(6_135_000)
    );
    let err = f.refused(Edit::SetBudget {
        node: NodeRef::Initiative { id: initiative },
        fiscal_year: 2024,
        kind: BudgetKind::Budget,
        input: "abc".into(),
    });
    assert_eq!(
        err.to_string(),
        "具体的取組 5-1-2 の 6予算額: 数値を入力してください（入力値: \"abc\"）"
    );
    // An issue's own budget, a cell that did not exist yet.
    let issue = f.issue();
    let plan = f.apply_undoable(Edit::SetBudget {
        node: NodeRef::Issue { id: issue },
        fiscal_year: 2023,
        kind: BudgetKind::Settled,
        input: "1,000".into(),
    });
    assert_eq!(plan.issues[0].budgets[0].amount_yen, Some(1000));
}

#[test]
fn nodes_are_added_where_asked_and_need_a_title() {
    let mut f = Fixture::new();
    let strategy = f.strategy(0);
    let first = f.initiative(0, 0);
    let before = f.plan();
    let applied = f
        .apply(Edit::AddNode {
            parent: NodeRef::Strategy {
                id: strategy.clone(),
            },
            title: "間の取組".into(),
            after: Some(first),
        })
        .unwrap();
    let plan = f.plan();
    let added = initiative_of(&plan, 0, 1);
    assert_eq!(added.title, "間の取組");
    assert_eq!(added.number, "5-1-2");
    assert_eq!(
        applied.node,
        Some(NodeRef::Initiative {
            id: added.id.clone().unwrap()
        })
    );
    assert_eq!(
        initiative_of(&plan, 0, 2).title,
        initiative_of(&before, 0, 1).title
    );
    // A new initiative has the plan's three budget columns, blank.
    let years: Vec<_> = added
        .budgets
        .iter()
        .map(|b| (b.fiscal_year, b.kind, b.amount_yen))
        .collect();
    assert_eq!(
        years,
        [
            (2022, BudgetKind::Settled, None),
            (2023, BudgetKind::Budget, None),
            (2024, BudgetKind::Budget, None)
        ]
    );
    f.store.undo(WARD, YEAR).unwrap();
    assert_eq!(f.plan(), before);

    let err = f.refused(Edit::AddNode {
        parent: NodeRef::Strategy { id: strategy },
        title: "  ".into(),
        after: None,
    });
    assert!(err.to_string().contains("名称"), "{err}");
    let plan = f.apply_undoable(Edit::AddNode {
        parent: NodeRef::Plan,
        title: "新しい経営課題".into(),
        after: None,
    });
    assert_eq!(plan.issues[1].number, 6);
    let issue = plan.issues[1].id.clone().unwrap();
    let plan = f.apply_undoable(Edit::AddNode {
        parent: NodeRef::Issue { id: issue },
        title: "新しい戦略".into(),
        after: None,
    });
    assert_eq!(plan.issues[1].strategies[0].number.as_deref(), Some("6-1"));
}

#[test]
fn deleting_renumbers_and_undo_restores_everything() {
    let mut f = Fixture::new();
    let first = f.initiative(0, 0);
    let plan = f.apply_undoable(Edit::DeleteNode {
        node: NodeRef::Initiative { id: first },
    });
    assert_eq!(plan.issues[0].strategies[0].initiatives.len(), 1);
    assert_eq!(initiative_of(&plan, 0, 0).number, "5-1-1");
    assert_eq!(initiative_of(&plan, 0, 0).title, "区政情報の効果的な発信");
    let strategy = f.strategy(1);
    let plan = f.apply_undoable(Edit::DeleteNode {
        node: NodeRef::Strategy { id: strategy },
    });
    assert_eq!(plan.issues[0].strategies.len(), 1);
    let issue = f.issue();
    let plan = f.apply_undoable(Edit::DeleteNode {
        node: NodeRef::Issue { id: issue },
    });
    assert!(plan.issues.is_empty());
    f.refused(Edit::DeleteNode {
        node: NodeRef::Plan,
    });
}

#[test]
fn moving_renumbers_and_stops_at_the_ends() {
    let mut f = Fixture::new();
    let second = f.initiative(0, 1);
    let plan = f.apply_undoable(Edit::MoveNode {
        node: NodeRef::Initiative { id: second.clone() },
        delta: -1,
    });
    assert_eq!(initiative_of(&plan, 0, 0).title, "区政情報の効果的な発信");
    assert_eq!(initiative_of(&plan, 0, 0).number, "5-1-1");
    let err = f.refused(Edit::MoveNode {
        node: NodeRef::Initiative { id: second },
        delta: -1,
    });
    assert!(err.to_string().contains("これ以上移動できません"), "{err}");
    let last = f.strategy(1);
    let err = f.refused(Edit::MoveNode {
        node: NodeRef::Strategy { id: last },
        delta: 1,
    });
    assert!(err.to_string().contains("末尾"), "{err}");
}

#[test]
fn duplicates_get_new_ids_and_share_images() {
    let mut f = Fixture::new();
    let initiative = f.initiative(0, 0);
    let photo = f.plan().issues[0].strategies[0].initiatives[0].photos[0]
        .id
        .clone()
        .unwrap();
    f.apply(Edit::DeletePhoto { photo }).unwrap();
    f.apply(Edit::AddPhoto {
        initiative: initiative.clone(),
        caption: "写真".into(),
        media_type: Some("image/png".into()),
        data_base64: Some(PNG_B64.into()),
    })
    .unwrap();
    let applied = f
        .apply(Edit::DuplicateNode {
            node: NodeRef::Initiative {
                id: initiative.clone(),
            },
        })
        .unwrap();
    let plan = f.plan();
    let (original, copy) = (initiative_of(&plan, 0, 0), initiative_of(&plan, 0, 1));
    assert_eq!(copy.number, "5-1-2");
    assert_eq!(copy.title, original.title);
    assert_eq!(
        copy.photos.last().unwrap().data_base64,
        original.photos.last().unwrap().data_base64
    );
    assert_ne!(copy.id, original.id);
    assert_eq!(
        applied.node,
        Some(NodeRef::Initiative {
            id: copy.id.clone().unwrap()
        })
    );
    let ids = |it: &Initiative| -> Vec<Option<String>> {
        let mut it = it.clone();
        crate::identity::initiative_ids_mut(&mut it)
            .into_iter()
            .map(|x| x.clone())
            .collect()
    };
    assert!(ids(copy).iter().all(|id| !ids(original).contains(id)));
    let issue = f.issue();
    let plan = f.apply_undoable(Edit::DuplicateNode {
        node: NodeRef::Issue { id: issue },
    });
    assert_eq!(plan.issues[1].number, 6);
    assert_eq!(
        plan.issues[1].title,
        "区民から信頼される区役所づくり（コピー）"
    );
    assert_eq!(plan.issues[1].strategies[1].initiatives[1].number, "6-2-2");
}

#[test]
fn activity_rows() {
    let mut f = Fixture::new();
    let initiative = f.initiative(0, 0);
    let first = initiative_of(&f.plan(), 0, 0).activities[0]
        .id
        .clone()
        .unwrap();
    let plan = f.apply_undoable(Edit::AddActivity {
        initiative: initiative.clone(),
        text: "最初に入る行".into(),
        before: Some(first.clone()),
        id: None,
    });
    assert_eq!(
        initiative_of(&plan, 0, 0).activities[0].text,
        "最初に入る行"
    );
    let plan = f.apply_undoable(Edit::SetActivityText {
        activity: first.clone(),
        text: "書き換えた行".into(),
    });
    assert_eq!(
        initiative_of(&plan, 0, 0).activities[1].text,
        "書き換えた行"
    );
    let plan = f.apply_undoable(Edit::SetActivityResult {
        activity: first.clone(),
        fiscal_year: 2024,
        text: "実績あり".into(),
    });
    let results = &initiative_of(&plan, 0, 0).activities[1].results;
    assert_eq!(results.last().unwrap().text, "実績あり");
    let plan = f.apply_undoable(Edit::SetActivityResult {
        activity: first.clone(),
        fiscal_year: 2024,
        text: " ".into(),
    });
    assert!(initiative_of(&plan, 0, 0).activities[1]
        .results
        .iter()
        .all(|r| r.fiscal_year != 2024));
    let plan = f.apply_undoable(Edit::MoveActivity {
        activity: first.clone(),
        delta: -1,
    });
    assert_eq!(
        initiative_of(&plan, 0, 0).activities[0].id.as_deref(),
        Some(first.as_str())
    );
    let err = f.refused(Edit::SetActivityText {
        activity: first.clone(),
        text: "".into(),
    });
    assert!(err.to_string().contains("行を削除"), "{err}");
    let err = f.refused(Edit::AddActivity {
        initiative: initiative.clone(),
        text: "".into(),
        before: None,
        id: None,
    });
    // A row the caller names can be given results in the same batch.
    let plan = f.apply_undoable(Edit::Batch {
        label: "貼り付け".into(),
        edits: vec![
            Edit::AddActivity {
                initiative: initiative.clone(),
                text: "新しい行".into(),
                before: None,
                id: Some("row-new-1".into()),
            },
            Edit::SetActivityResult {
                activity: "row-new-1".into(),
                fiscal_year: 2024,
                text: "実績".into(),
            },
        ],
    });
    let added = initiative_of(&plan, 0, 0).activities.last().unwrap();
    assert_eq!(
        (added.id.as_deref(), added.results[0].text.as_str()),
        (Some("row-new-1"), "実績")
    );
    f.refused(Edit::AddActivity {
        initiative,
        text: "x".into(),
        before: None,
        id: Some("bad id!".into()),
    });
    assert_eq!(err.code(), ErrorCode::Invalid);
    let plan = f.apply_undoable(Edit::DeleteActivity {
        activity: first.clone(),
    });
    assert!(initiative_of(&plan, 0, 0)
        .activities
        .iter()
        .all(|a| a.id.as_deref() != Some(first.as_str())));
    let err = f.refused(Edit::DeleteActivity { activity: first });
    assert_eq!(err.code(), ErrorCode::NodeNotFound);
}

#[test]
fn indicators_targets_and_results() {
    let mut f = Fixture::new();
    let strategy = f.strategy(0);
    let plan = f.apply_undoable(Edit::AddIndicator {
        node: NodeRef::Strategy { id: strategy },
        text: "参加者数".into(),
        unit: "人".into(),
    });
    let indicator = plan.issues[0].strategies[0]
        .outcome_indicators
        .last()
        .unwrap();
    assert_eq!(indicator.target.unit, "人");
    let id = indicator.id.clone().unwrap();
    let plan = f.apply_undoable(Edit::SetTarget {
        indicator: id.clone(),
        value: Some("１，２００".into()),
        unit: "人".into(),
        comparison: Some(Comparison::AtLeast),
        by_fiscal_year: "令和6年度".into(),
        from_fiscal_year: String::new(),
        cumulative: false,
        text: String::new(),
    });
    let target = &plan.issues[0].strategies[0]
        .outcome_indicators
        .last()
        .unwrap()
        .target;
    assert_eq!(target.value.as_ref().unwrap().to_string(), "1200");
    assert_eq!(target.by_fiscal_year, Some(2024));
    let plan = f.apply_undoable(Edit::SetResult {
        indicator: id.clone(),
        fiscal_year: 2024,
        value: Some("1300".into()),
        mark: None,
        source: Some("受付簿".into()),
        rating: None,
        note: None,
    });
    let result = plan.issues[0].strategies[0]
        .outcome_indicators
        .last()
        .unwrap()
        .results
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        result.achieved,
        Some(true),
        "1300 against 1200以上 suggests 〇"
    );
    assert_eq!(result.source.as_deref(), Some("受付簿"));
    let plan = f.apply_undoable(Edit::SetIndicatorText {
        indicator: id.clone(),
        text: "延べ参加者数".into(),
    });
    assert_eq!(
        plan.issues[0].strategies[0]
            .outcome_indicators
            .last()
            .unwrap()
            .text,
        "延べ参加者数"
    );
    let plan = f.apply_undoable(Edit::MoveIndicator {
        indicator: id.clone(),
        delta: -1,
    });
    assert_eq!(
        plan.issues[0].strategies[0].outcome_indicators[0]
            .id
            .as_deref(),
        Some(id.as_str())
    );
    let plan = f.apply_undoable(Edit::DeleteIndicator { indicator: id });
    assert_eq!(plan.issues[0].strategies[0].outcome_indicators.len(), 1);
}

#[test]
fn results_accept_full_width_keep_their_spelling_and_refuse_120_percent() {
    let mut f = Fixture::new();
    let indicator = initiative_of(&f.plan(), 0, 0).process_indicators[0]
        .id
        .clone()
        .unwrap();
    let set = |value: &str, mark: Option<&str>| Edit::SetResult {
        indicator: indicator.clone(),
        fiscal_year: 2024,
        value: Some(value.into()),
        mark: mark.map(str::to_string),
        source: None,
        rating: None,
        note: None,
    };
    let plan = f.apply_undoable(set("５２．５％", Some("〇")));
    let results = &initiative_of(&plan, 0, 0).process_indicators[0].results;
    assert_eq!(
        results.last().unwrap().value.as_ref().unwrap().to_string(),
        "52.5"
    );
    let err = f.refused(set("120", None));
    assert!(
        err.to_string()
            .contains("具体的取組 5-1-1 の指標 1 の令和6年度実績")
            && err.to_string().contains("0〜100"),
        "{err}"
    );
    let err = f.refused(set("50", Some("△")));
    assert!(err.to_string().contains("〇"), "{err}");
    // Editing only the mark keeps a stored 62.0 as 62.0.
    let outcome = f.plan().issues[0].strategies[0].outcome_indicators[0].clone();
    let stored = outcome
        .results
        .iter()
        .find(|r| {
            r.value
                .as_ref()
                .is_some_and(|v| v.to_string().contains('.'))
        })
        .cloned();
    if let Some(stored) = stored {
        let plan = f.apply_undoable(Edit::SetResult {
            indicator: outcome.id.clone().unwrap(),
            fiscal_year: stored.fiscal_year,
            value: None,
            mark: Some(
                if stored.achieved == Some(true) {
                    "－"
                } else {
                    "〇"
                }
                .into(),
            ),
            source: None,
            rating: None,
            note: None,
        });
        let after = plan.issues[0].strategies[0].outcome_indicators[0]
            .results
            .iter()
            .find(|r| r.fiscal_year == stored.fiscal_year)
            .unwrap();
        assert_eq!(after.value, stored.value);
    }
}

#[test]
fn suggestion_uses_that_years_target() {
    let plan = demo_plan();
    let indicator = &plan.issues[0].strategies[1].initiatives[0].process_indicators[0];
    // 80.5% under today's 85% target would be －, but the stored mark is 〇.
    assert_eq!(suggest_achieved(Some(80.5), &indicator.target), Some(false));
    assert_eq!(indicator.results[0].achieved, Some(true));
    assert_eq!(suggest_achieved(Some(90.0), &indicator.target), Some(true));
    assert_eq!(suggest_achieved(None, &indicator.target), None);
}

#[test]
fn photos() {
    let mut f = Fixture::new();
    let initiative = f.initiative(1, 1);
    let plan = f.apply_undoable(Edit::AddPhoto {
        initiative: initiative.clone(),
        caption: "新しい写真".into(),
        media_type: Some("image/png".into()),
        data_base64: Some(PNG_B64.into()),
    });
    let photo = initiative_of(&plan, 1, 1).photos.last().unwrap().clone();
    assert_eq!(photo.data_base64.as_deref(), Some(PNG_B64));
    let id = photo.id.clone().unwrap();
    let plan = f.apply_undoable(Edit::SetPhotoCaption {
        photo: id.clone(),
        caption: "説明を変更".into(),
    });
    let photo = initiative_of(&plan, 1, 1).photos.last().unwrap();
    assert_eq!(photo.caption, "説明を変更");
    assert_eq!(
        photo.data_base64.as_deref(),
        Some(PNG_B64),
        "a caption edit keeps the image"
    );
    let plan = f.apply_undoable(Edit::DeletePhoto { photo: id });
    assert_eq!(initiative_of(&plan, 1, 1).photos.len(), 2);
    // Too big, or not an image type Hoshin prints: refused, nothing stored.
    use base64::Engine;
    let huge =
        base64::engine::general_purpose::STANDARD
            .encode(vec![0u8; crate::store::MAX_IMAGE_BYTES + 1]);
    let err = f.refused(Edit::AddPhoto {
        initiative: initiative.clone(),
        caption: "大きな写真".into(),
        media_type: Some("image/jpeg".into()),
        data_base64: Some(huge),
    });
    assert!(err.to_string().contains("大きすぎます"), "{err}");
    let err = f.refused(Edit::AddPhoto {
        initiative,
        caption: "GIF".into(),
        media_type: Some("image/gif".into()),
        data_base64: Some("R0lGOD".into()),
    });
    assert!(err.to_string().contains("PNG か JPEG"), "{err}");
}

#[test]
fn a_batch_is_all_or_nothing_and_one_undo_step() {
    let mut f = Fixture::new();
    let initiative = f.initiative(0, 1);
    let cell = |year: i32, input: &str| Edit::SetBudget {
        node: NodeRef::Initiative {
            id: initiative.clone(),
        },
        fiscal_year: year,
        kind: BudgetKind::Budget,
        input: input.into(),
    };
    f.refused(Edit::Batch {
        label: "貼り付け".into(),
        edits: vec![cell(2023, "1"), cell(2024, "x")],
    });
    let before = f.plan();
    f.apply(Edit::Batch {
        label: "貼り付け".into(),
        edits: vec![cell(2023, "1"), cell(2024, "2")],
    })
    .unwrap();
    assert_eq!(f.store.history(1).unwrap()[0].action, "貼り付け");
    f.store.undo(WARD, YEAR).unwrap();
    assert_eq!(f.plan(), before);
}

#[test]
fn an_edit_of_something_deleted_meanwhile_says_so() {
    let mut f = Fixture::new();
    let initiative = f.initiative(0, 0);
    f.apply(Edit::DeleteNode {
        node: NodeRef::Initiative {
            id: initiative.clone(),
        },
    })
    .unwrap();
    let err = f.refused(Edit::SetInitiativeText {
        initiative,
        field: InitiativeText::Summary,
        value: "x".into(),
    });
    assert_eq!(err.code(), ErrorCode::NodeNotFound);
    assert!(err.to_string().contains("見つかりません"), "{err}");
}

#[test]
fn an_edit_that_changes_nothing_records_nothing() {
    let mut f = Fixture::new();
    let mission = f.plan().mission.unwrap_or_default();
    let history = f.store.history(100).unwrap().len();
    f.apply(Edit::SetPlanText {
        field: PlanText::Mission,
        value: mission,
    })
    .unwrap();
    assert_eq!(f.store.history(100).unwrap().len(), history);
}

#[test]
fn a_printed_target_that_said_the_numbers_follows_them_and_a_written_one_stays() {
    let mut f = Fixture::new();
    let process = |plan: &Plan| initiative_of(plan, 0, 0).process_indicators[0].clone();
    let indicator = process(&f.plan());
    assert_eq!(indicator.target.text.as_deref(), Some("50％以上"));
    let id = indicator.id.clone().unwrap();
    // The window sends the whole target, the printed text as it shows it.
    let set = |value: &str, comparison: Comparison, text: &str| Edit::SetTarget {
        indicator: id.clone(),
        value: Some(value.into()),
        unit: "%".into(),
        comparison: Some(comparison),
        by_fiscal_year: String::new(),
        from_fiscal_year: String::new(),
        cumulative: false,
        text: text.into(),
    };
    let plan = f.apply_undoable(set("60", Comparison::AtLeast, "50％以上"));
    assert_eq!(process(&plan).target.text.as_deref(), Some("60％以上"));
    let plan = f.apply_undoable(set("60", Comparison::AtMost, "60％以上"));
    assert_eq!(process(&plan).target.text.as_deref(), Some("60％以下"));
    // A text the planner writes is kept, also when the numbers change later.
    let plan = f.apply_undoable(set("60", Comparison::AtMost, "前年度比 60％以下"));
    assert_eq!(
        process(&plan).target.text.as_deref(),
        Some("前年度比 60％以下")
    );
    let plan = f.apply_undoable(set("55", Comparison::AtMost, "前年度比 60％以下"));
    assert_eq!(
        process(&plan).target.text.as_deref(),
        Some("前年度比 60％以下")
    );
}

/// 「画像を追加」 with a file that only has an image's name (a text file
/// called fake.png), or whose bytes are another kind than declared: refused
/// with the photo's name, nothing stored.
#[test]
fn a_photo_must_be_the_png_or_jpeg_it_says() {
    use base64::Engine;
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let mut f = Fixture::new();
    let initiative = f.initiative(1, 1);
    let add = |caption: &str, media_type: &str, data: String| Edit::AddPhoto {
        initiative: initiative.clone(),
        caption: caption.into(),
        media_type: Some(media_type.into()),
        data_base64: Some(data),
    };
    let err = f.refused(add(
        "fake",
        "image/png",
        b64("これは画像ではありません\n".as_bytes()),
    ));
    assert!(
        err.to_string()
            .contains("写真「fake」は PNG・JPEG の画像ではありません"),
        "{err}"
    );
    // Only the signature, nothing after it: not an image either.
    let err = f.refused(add("途中まで", "image/png", b64(b"\x89PNG\r\n\x1a\n")));
    assert!(
        err.to_string()
            .contains("写真「途中まで」は PNG・JPEG の画像ではありません"),
        "{err}"
    );
    let err = f.refused(add("逆", "image/png", JPEG_B64.into()));
    assert!(
        err.to_string().contains("写真「逆」は JPEG の画像です"),
        "{err}"
    );
    let err = f.refused(add("逆", "image/jpeg", PNG_B64.into()));
    assert!(
        err.to_string().contains("写真「逆」は PNG の画像です"),
        "{err}"
    );
    f.apply_undoable(add("本物", "image/jpeg", JPEG_B64.into()));
    f.apply_undoable(add("本物", "image/png", PNG_B64.into()));
}

/// The same through a JSON file: the import is refused and names the photo.
#[test]
fn a_json_photo_that_is_not_an_image_is_refused() {
    use base64::Engine;
    let mut plan = demo_plan();
    let photo = &mut plan.issues[0].strategies[0].initiatives[0].photos[0];
    photo.caption = "fake".into();
    photo.media_type = Some("image/png".into());
    photo.data_base64 = Some(base64::engine::general_purpose::STANDARD.encode(b"not a png"));
    let mut store = Store::open_in_memory().unwrap();
    let err = crate::json::parse_plan(&crate::json::to_json(&plan))
        .and_then(|p| store.import_plan(&p, false, "取り込み"))
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("写真「fake」は PNG・JPEG の画像ではありません"),
        "{err}"
    );
    assert!(store.list_plans().unwrap().is_empty());
}

/// The history's words for what a pasted block or a plan text changed.
#[test]
fn history_labels_say_what_changed() {
    let mut f = Fixture::new();
    let initiative = f.initiative(1, 1);
    let rows_before = initiative_of(&f.plan(), 1, 1).activities.len();
    let last = |f: &Fixture| f.store.history(1).unwrap()[0].action.clone();
    // Three rows pasted under the existing ones, with a result each.
    let mut edits = Vec::new();
    for k in 0..3 {
        let id = crate::identity::new_id();
        edits.push(Edit::AddActivity {
            initiative: initiative.clone(),
            text: format!("貼り付けた取組{k}"),
            before: None,
            id: Some(id.clone()),
        });
        edits.push(Edit::SetActivityResult {
            activity: id,
            fiscal_year: YEAR,
            text: "実施".into(),
        });
    }
    let plan = f.apply_undoable(Edit::Batch {
        label: String::new(),
        edits,
    });
    assert!(initiative_of(&plan, 1, 1).activities.len() == rows_before + 3);
    assert_eq!(last(&f), "具体的取組 5-2-2 の主な取組を編集（3行を追加）");
    // Two existing rows changed, in two columns each.
    let rows: Vec<String> = initiative_of(&plan, 1, 1).activities[..2]
        .iter()
        .map(|a| a.id.clone().unwrap())
        .collect();
    let edits = rows
        .iter()
        .flat_map(|id| {
            [
                Edit::SetActivityText {
                    activity: id.clone(),
                    text: "変更した取組".into(),
                },
                Edit::SetActivityResult {
                    activity: id.clone(),
                    fiscal_year: YEAR,
                    text: "変更".into(),
                },
            ]
        })
        .collect();
    f.apply_undoable(Edit::Batch {
        label: String::new(),
        edits,
    });
    assert_eq!(last(&f), "具体的取組 5-2-2 の主な取組を編集（2行を変更）");
    f.apply_undoable(Edit::SetPlanText {
        field: PlanText::Mission,
        value: "新しい使命".into(),
    });
    assert_eq!(last(&f), "計画の区の使命を編集");
}

#[test]
fn marks_that_disagree_with_value_and_target_are_pointed_at() {
    let mut f = Fixture::new();
    let plan = f.plan();
    // The seed marks 80.5 and 80.2 〇 under 85％以上 (5-2-1); every other mark agrees.
    let doubts = crate::edit::mark_doubts(&plan);
    let indicator = initiative_of(&plan, 1, 0).process_indicators[0]
        .id
        .clone()
        .unwrap();
    assert_eq!(
        doubts
            .iter()
            .map(|d| (d.indicator.as_str(), d.fiscal_year, d.marked))
            .collect::<Vec<_>>(),
        vec![
            (indicator.as_str(), 2022, true),
            (indicator.as_str(), 2023, true)
        ]
    );
    // Marked again to agree (－), the doubt goes.
    let plan = f.apply_undoable(Edit::SetResult {
        indicator: indicator.clone(),
        fiscal_year: 2023,
        value: None,
        mark: Some("－".into()),
        source: None,
        rating: None,
        note: None,
    });
    assert_eq!(crate::edit::mark_doubts(&plan).len(), 1);
}
