//! Edits a planner makes in the window, as data. Nodes are addressed by
//! their stable id ([`NodeRef`], rows by their own id), text fields by enums
//! ([`crate::fields`]), so neither a renumbering nor a typo can make an edit
//! land somewhere else. `Store::apply_edit` runs each edit in one
//! transaction: it loads only the node the edit touches, applies one of the
//! family functions here to it, validates it and writes the rows that
//! changed. Typed input (amounts, values, marks) is parsed here through
//! [`crate::normalize`], and a refusal names the place in Japanese.

mod activity;
mod budget;
mod indicator;
mod photo;
mod text;

pub use activity::*;
pub use budget::*;
pub use indicator::*;
pub use photo::*;
pub use text::*;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::fields::{InitiativeText, IssueText, LinesField, PlanText, StrategyText};
use crate::model::*;
use crate::normalize::Problem;

/// A node of the plan's tree by its stable id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NodeRef {
    Plan,
    Issue { id: String },
    Strategy { id: String },
    Initiative { id: String },
}

#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
#[ts(export)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Edit {
    // ----- texts -----
    SetPlanText {
        field: PlanText,
        value: String,
    },
    SetIssueText {
        issue: String,
        field: IssueText,
        value: String,
    },
    SetStrategyText {
        strategy: String,
        field: StrategyText,
        value: String,
    },
    SetInitiativeText {
        initiative: String,
        field: InitiativeText,
        value: String,
    },
    /// 主な戦略 (issue) or 区政会議等意見 (initiative), one entry per line; a
    /// typed leading ・ is the printed bullet, not text.
    SetLines {
        node: NodeRef,
        field: LinesField,
        lines: Vec<String>,
    },
    SetStage {
        stage: Stage,
    },
    /// A 経営課題's number as typed (「５」); strategies and initiatives follow.
    SetIssueNumber {
        issue: String,
        number: String,
    },
    /// 主なSDGsゴール as typed: 「3, 11」「３、１１」.
    SetSdgs {
        issue: String,
        input: String,
    },
    // ----- budgets -----
    /// One budget cell of an issue or initiative as typed: 「１６，２１７，０００」,
    /// 「－」 or blank.
    SetBudget {
        node: NodeRef,
        fiscal_year: i32,
        kind: BudgetKind,
        input: String,
    },
    // ----- the tree -----
    /// Adds a child with a title: an issue under the plan, a strategy under
    /// an issue, an initiative under a strategy; after `after` (a sibling's
    /// id) or at the end.
    AddNode {
        parent: NodeRef,
        title: String,
        after: Option<String>,
    },
    DeleteNode {
        node: NodeRef,
    },
    /// Moves a node up (-1) or down (+1) among its siblings; numbering follows.
    MoveNode {
        node: NodeRef,
        delta: i32,
    },
    DuplicateNode {
        node: NodeRef,
    },
    // ----- 主な取組 rows -----
    /// A new row of 主な取組 before the row `before` (or at the end). `id`
    /// may name the new row (so a batch can give it results); a new id is
    /// made otherwise.
    AddActivity {
        initiative: String,
        text: String,
        before: Option<String>,
        id: Option<String>,
    },
    SetActivityText {
        activity: String,
        text: String,
    },
    /// One year's 実績 of a row; blank removes it.
    SetActivityResult {
        activity: String,
        fiscal_year: i32,
        text: String,
    },
    MoveActivity {
        activity: String,
        delta: i32,
    },
    DeleteActivity {
        activity: String,
    },
    // ----- indicators -----
    /// An indicator under a node: アウトカム指標 of an issue or strategy,
    /// プロセス指標 of an initiative.
    AddIndicator {
        node: NodeRef,
        text: String,
        unit: String,
    },
    SetIndicatorText {
        indicator: String,
        text: String,
    },
    /// The target as typed: value 「７０」, unit, 以上/以下, the year it is due
    /// (「令和6年度」「R6」「2024」, blank for a yearly target), printed text.
    /// `value` None keeps the stored value (and its spelling); the start
    /// year and 累計 describe a target over several years (R3~R5合計).
    SetTarget {
        indicator: String,
        value: Option<String>,
        unit: String,
        comparison: Option<Comparison>,
        by_fiscal_year: String,
        from_fiscal_year: String,
        cumulative: bool,
        text: String,
    },
    /// One year's result: value and mark as typed (〇/－; blank = suggest
    /// from that year's target), 出典, 評価, 備考. Only the given parts
    /// change (None keeps what is stored, so a stored 62.0 stays 62.0 when
    /// only its mark is edited).
    SetResult {
        indicator: String,
        fiscal_year: i32,
        value: Option<String>,
        mark: Option<String>,
        source: Option<String>,
        rating: Option<String>,
        note: Option<String>,
    },
    MoveIndicator {
        indicator: String,
        delta: i32,
    },
    DeleteIndicator {
        indicator: String,
    },
    // ----- photos -----
    /// A photo slot; the image is optional (a caption alone marks the slot).
    AddPhoto {
        initiative: String,
        caption: String,
        media_type: Option<String>,
        data_base64: Option<String>,
    },
    SetPhotoCaption {
        photo: String,
        caption: String,
    },
    DeletePhoto {
        photo: String,
    },
    /// Several edits as one action (a block pasted from Excel): all or
    /// nothing, one undo step.
    Batch {
        label: String,
        edits: Vec<Edit>,
    },
}

/// One node as an edit sees it: the plan, an issue or a strategy without
/// their children in the tree, or an initiative with all its rows.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeData {
    Plan(Plan),
    Issue(Issue),
    Strategy(Strategy),
    Initiative(Initiative),
}

impl NodeData {
    /// 「計画」「経営課題5」「戦略 5-1」「具体的取組 5-1-2」
    pub fn place(&self) -> String {
        match self {
            NodeData::Plan(_) => "計画".into(),
            NodeData::Issue(i) => crate::validate::issue_place(i.number),
            NodeData::Strategy(s) => format!("戦略 {}", s.number.as_deref().unwrap_or_default()),
            NodeData::Initiative(i) => format!("具体的取組 {}", i.number),
        }
    }

    /// The node's indicators: アウトカム指標 or プロセス指標.
    pub fn indicators_mut(&mut self) -> Option<&mut Vec<Indicator>> {
        match self {
            NodeData::Plan(_) => None,
            NodeData::Issue(i) => Some(&mut i.outcome_indicators),
            NodeData::Strategy(s) => Some(&mut s.outcome_indicators),
            NodeData::Initiative(i) => Some(&mut i.process_indicators),
        }
    }

    pub fn indicators(&self) -> &[Indicator] {
        match self {
            NodeData::Plan(_) => &[],
            NodeData::Issue(i) => &i.outcome_indicators,
            NodeData::Strategy(s) => &s.outcome_indicators,
            NodeData::Initiative(i) => &i.process_indicators,
        }
    }

    fn budgets_mut(&mut self) -> Option<&mut Vec<Budget>> {
        match self {
            NodeData::Issue(i) => Some(&mut i.budgets),
            NodeData::Initiative(i) => Some(&mut i.budgets),
            _ => None,
        }
    }

    fn initiative_mut(&mut self) -> Result<&mut Initiative> {
        match self {
            NodeData::Initiative(i) => Ok(i),
            _ => Err(wrong_node()),
        }
    }
}

/// An edit that names a field or list the node does not have (a bug in the
/// caller, not a planner's mistake).
fn wrong_node() -> Error {
    Error::Refused("この項目にはその操作ができません。".into())
}

fn refused(place: String, problem: Problem, input: &str) -> Error {
    Error::invalid(place, problem.to_string(), Some(input))
}

/// A required text: trimmed, not blank.
fn required(place: String, input: &str) -> Result<String> {
    crate::normalize::clean_text(input)
        .ok_or_else(|| Error::invalid(place, "入力してください（空欄にはできません）", None))
}

/// Finds a row with a stable id in a list, or says it is gone.
fn position_of<T>(
    list: &[T],
    id: &str,
    what: &str,
    get: impl Fn(&T) -> Option<&str>,
) -> Result<usize> {
    list.iter().position(|x| get(x) == Some(id)).ok_or_else(|| {
        Error::NodeNotFound(format!(
            "{what}が見つかりません。ほかの操作で削除された可能性があります（画面を更新しました）。"
        ))
    })
}

/// Moves element `i` by `delta` places, or says it cannot go further.
fn shift<T>(list: &mut [T], i: usize, delta: i32) -> Result<()> {
    let j = i as i64 + delta as i64;
    if j < 0 || j >= list.len() as i64 {
        let edge = if delta < 0 { "先頭" } else { "末尾" };
        return Err(Error::Refused(format!(
            "{edge}のため、これ以上移動できません。"
        )));
    }
    list.swap(i, j as usize);
    Ok(())
}

/// The 〇/－ a result deserves against that year's target (以上/以下). The
/// planner confirms it; a stored mark is never recomputed.
pub fn suggest_achieved(value: Option<f64>, target: &Target) -> Option<bool> {
    let (value, goal) = (value?, target.value.as_ref()?.as_f64()?);
    match target.comparison? {
        Comparison::AtLeast => Some(value >= goal),
        Comparison::AtMost => Some(value <= goal),
    }
}

/// A stored 〇/－ that disagrees with what the value and the target say
/// (80.2 marked 〇 under 85％以上). Marks stay the planner's; the window
/// only points at these so they are looked at again.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct MarkDoubt {
    pub indicator: String,
    pub fiscal_year: i32,
    /// The mark stored: true for 〇.
    pub marked: bool,
}

/// Every [`MarkDoubt`] of a plan, in tree order.
pub fn mark_doubts(plan: &Plan) -> Vec<MarkDoubt> {
    let mut indicators: Vec<&Indicator> = Vec::new();
    for issue in &plan.issues {
        indicators.extend(&issue.outcome_indicators);
        for s in &issue.strategies {
            indicators.extend(&s.outcome_indicators);
            for i in &s.initiatives {
                indicators.extend(&i.process_indicators);
            }
        }
    }
    let mut doubts = Vec::new();
    for indicator in indicators {
        for r in &indicator.results {
            let Some(marked) = r.achieved else { continue };
            let value = r.value.as_ref().and_then(|v| v.as_f64());
            if suggest_achieved(value, &indicator.target).is_some_and(|s| s != marked) {
                doubts.push(MarkDoubt {
                    indicator: indicator.id.clone().unwrap_or_default(),
                    fiscal_year: r.fiscal_year,
                    marked,
                });
            }
        }
    }
    doubts
}

/// A short Japanese description of an edit at `place`, for the history list.
pub fn describe(edit: &Edit, place: &str) -> String {
    match edit {
        Edit::SetPlanText { field, .. } => format!("{}の{}を編集", of(place), field.label()),
        Edit::SetIssueText { field, .. } => format!("{}の{}を編集", of(place), field.label()),
        Edit::SetStrategyText { field, .. } => format!("{}の{}を編集", of(place), field.label()),
        Edit::SetInitiativeText { field, .. } => format!("{}の{}を編集", of(place), field.label()),
        Edit::SetLines { field, .. } => format!("{}の{}を編集", of(place), field.label()),
        Edit::SetStage { stage } => format!("段階を「{}」に変更", stage.label()),
        Edit::SetIssueNumber { .. } => format!("{}の番号を変更", of(place)),
        Edit::SetSdgs { .. } => format!("{}のSDGsゴールを編集", of(place)),
        Edit::SetBudget {
            fiscal_year, kind, ..
        } => {
            let label = crate::validate::budget_column_label(&Budget {
                fiscal_year: *fiscal_year,
                kind: *kind,
                amount_yen: None,
            });
            format!("{}の{label}を編集", of(place))
        }
        Edit::AddNode { .. } => format!("{}に追加", of(place)),
        Edit::DeleteNode { .. } => format!("{}を削除", of(place)),
        Edit::MoveNode { .. } => format!("{}を移動", of(place)),
        Edit::DuplicateNode { .. } => format!("{}を複製", of(place)),
        Edit::AddActivity { .. }
        | Edit::SetActivityText { .. }
        | Edit::SetActivityResult { .. }
        | Edit::MoveActivity { .. }
        | Edit::DeleteActivity { .. } => format!("{}の主な取組を編集", of(place)),
        Edit::AddIndicator { .. }
        | Edit::SetIndicatorText { .. }
        | Edit::SetTarget { .. }
        | Edit::SetResult { .. }
        | Edit::MoveIndicator { .. }
        | Edit::DeleteIndicator { .. } => format!("{}の指標を編集", of(place)),
        Edit::AddPhoto { .. } | Edit::SetPhotoCaption { .. } | Edit::DeletePhoto { .. } => {
            format!("{}の写真を編集", of(place))
        }
        Edit::Batch { label, edits } if label.is_empty() => describe_batch(edits, place),
        Edit::Batch { label, .. } => label.clone(),
    }
}

/// 「具体的取組 5-1-2 の」 but 「計画の」: a space only after a number.
fn of(place: &str) -> String {
    match place.chars().last() {
        Some(c) if c.is_ascii_alphanumeric() => format!("{place} "),
        _ => place.to_string(),
    }
}

/// A pasted block: what one edit says, and how many rows it added, changed
/// or deleted (not how many cells: 3 rows with a result each is 3 rows).
fn describe_batch(edits: &[Edit], place: &str) -> String {
    let Some(first) = edits.first() else {
        return format!("{}を編集", of(place));
    };
    let label = describe(first, place);
    let others = edits
        .iter()
        .map(|e| describe(e, place))
        .filter(|l| *l != label)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    if others > 0 {
        return format!("{label}ほか{others}件");
    }
    let mut added: Vec<Option<&str>> = Vec::new();
    let mut changed: Vec<&str> = Vec::new();
    let mut deleted: Vec<&str> = Vec::new();
    for edit in edits {
        match row_of(edit) {
            Some(Row::Added(id)) => added.push(id),
            Some(Row::Changed(id)) if !added.contains(&Some(id)) && !changed.contains(&id) => {
                changed.push(id)
            }
            Some(Row::Deleted(id)) if !deleted.contains(&id) => deleted.push(id),
            _ => {}
        }
    }
    changed.retain(|id| !deleted.contains(id));
    let unit = if matches!(
        first,
        Edit::AddPhoto { .. } | Edit::SetPhotoCaption { .. } | Edit::DeletePhoto { .. }
    ) {
        "枚"
    } else {
        "行"
    };
    let counts: Vec<String> = [
        (added.len(), "追加"),
        (changed.len(), "変更"),
        (deleted.len(), "削除"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n}{unit}を{what}"))
    .collect();
    if counts.is_empty() {
        label
    } else {
        format!("{label}（{}）", counts.join("、"))
    }
}

/// What an edit does to a row (主な取組, indicator, photo), by the row's id.
enum Row<'a> {
    Added(Option<&'a str>),
    Changed(&'a str),
    Deleted(&'a str),
}

fn row_of(edit: &Edit) -> Option<Row<'_>> {
    Some(match edit {
        Edit::AddActivity { id, .. } => Row::Added(id.as_deref()),
        Edit::AddIndicator { .. } | Edit::AddPhoto { .. } => Row::Added(None),
        Edit::SetActivityText { activity, .. }
        | Edit::SetActivityResult { activity, .. }
        | Edit::MoveActivity { activity, .. } => Row::Changed(activity),
        Edit::SetIndicatorText { indicator, .. }
        | Edit::SetTarget { indicator, .. }
        | Edit::SetResult { indicator, .. }
        | Edit::MoveIndicator { indicator, .. } => Row::Changed(indicator),
        Edit::SetPhotoCaption { photo, .. } => Row::Changed(photo),
        Edit::DeleteActivity { activity } => Row::Deleted(activity),
        Edit::DeleteIndicator { indicator } => Row::Deleted(indicator),
        Edit::DeletePhoto { photo } => Row::Deleted(photo),
        _ => return None,
    })
}

/// Applies an edit that changes one node's own content (not the tree's
/// shape) to that node, loaded by the store. The store then validates the
/// node and writes what changed.
pub fn apply_to_node(node: &mut NodeData, edit: &Edit) -> Result<()> {
    let place = node.place();
    match (edit, &mut *node) {
        (Edit::SetPlanText { field, value }, NodeData::Plan(plan)) => {
            set_text(plan, *field, value, &place)
        }
        (Edit::SetIssueText { field, value, .. }, NodeData::Issue(issue)) => {
            set_text(issue, *field, value, &place)
        }
        (Edit::SetStrategyText { field, value, .. }, NodeData::Strategy(s)) => {
            set_text(s, *field, value, &place)
        }
        (Edit::SetInitiativeText { field, value, .. }, NodeData::Initiative(it)) => {
            set_text(it, *field, value, &place)
        }
        (Edit::SetLines { field, lines, .. }, _) => set_lines(node, *field, lines),
        (Edit::SetStage { stage }, NodeData::Plan(plan)) => {
            plan.stage = Some(*stage);
            Ok(())
        }
        (Edit::SetIssueNumber { number, .. }, NodeData::Issue(issue)) => {
            set_issue_number(issue, number, &place)
        }
        (Edit::SetSdgs { input, .. }, NodeData::Issue(issue)) => set_sdgs(issue, input, &place),
        (
            Edit::SetBudget {
                fiscal_year,
                kind,
                input,
                ..
            },
            _,
        ) => {
            let budgets = node.budgets_mut().ok_or_else(wrong_node)?;
            set_budget(budgets, *fiscal_year, *kind, input, &place)
        }
        (
            Edit::AddActivity {
                text, before, id, ..
            },
            _,
        ) => add_activity(
            node.initiative_mut()?,
            text,
            before.as_deref(),
            id.as_deref(),
            &place,
        ),
        (Edit::SetActivityText { activity, text }, _) => {
            set_activity_text(node.initiative_mut()?, activity, text, &place)
        }
        (
            Edit::SetActivityResult {
                activity,
                fiscal_year,
                text,
            },
            _,
        ) => set_activity_result(node.initiative_mut()?, activity, *fiscal_year, text),
        (Edit::MoveActivity { activity, delta }, _) => {
            move_activity(node.initiative_mut()?, activity, *delta)
        }
        (Edit::DeleteActivity { activity }, _) => delete_activity(node.initiative_mut()?, activity),
        (Edit::AddIndicator { text, unit, .. }, _) => {
            let list = node.indicators_mut().ok_or_else(wrong_node)?;
            add_indicator(list, text, unit, &place)
        }
        (Edit::SetIndicatorText { indicator, text }, _) => {
            let list = node.indicators_mut().ok_or_else(wrong_node)?;
            set_indicator_text(list, indicator, text, &place)
        }
        (
            Edit::SetTarget {
                indicator,
                value,
                unit,
                comparison,
                by_fiscal_year,
                from_fiscal_year,
                cumulative,
                text,
            },
            _,
        ) => {
            let list = node.indicators_mut().ok_or_else(wrong_node)?;
            let target = TargetInput {
                value: value.as_deref(),
                unit,
                comparison: *comparison,
                by_fiscal_year,
                from_fiscal_year,
                cumulative: *cumulative,
                text,
            };
            set_target(list, indicator, target, &place)
        }
        (
            Edit::SetResult {
                indicator,
                fiscal_year,
                value,
                mark,
                source,
                rating,
                note,
            },
            _,
        ) => {
            let list = node.indicators_mut().ok_or_else(wrong_node)?;
            let input = ResultInput {
                value: value.as_deref(),
                mark: mark.as_deref(),
                source: source.as_deref(),
                rating: rating.as_deref(),
                note: note.as_deref(),
            };
            set_result(list, indicator, *fiscal_year, input, &place)
        }
        (Edit::MoveIndicator { indicator, delta }, _) => {
            let list = node.indicators_mut().ok_or_else(wrong_node)?;
            let i = position_of(list, indicator, "指標", |x| x.id.as_deref())?;
            shift(list, i, *delta)
        }
        (Edit::DeleteIndicator { indicator }, _) => {
            let list = node.indicators_mut().ok_or_else(wrong_node)?;
            let i = position_of(list, indicator, "指標", |x| x.id.as_deref())?;
            list.remove(i);
            Ok(())
        }
        (
            Edit::AddPhoto {
                caption,
                media_type,
                data_base64,
                ..
            },
            _,
        ) => add_photo(
            node.initiative_mut()?,
            caption,
            media_type.clone(),
            data_base64.clone(),
        ),
        (Edit::SetPhotoCaption { photo, caption }, _) => {
            set_photo_caption(node.initiative_mut()?, photo, caption)
        }
        (Edit::DeletePhoto { photo }, _) => delete_photo(node.initiative_mut()?, photo),
        _ => Err(wrong_node()),
    }
}

#[cfg(test)]
mod tests;
