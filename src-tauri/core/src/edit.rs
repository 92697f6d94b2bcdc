//! Edits a planner makes in the window, as data. Each [`Edit`] is applied by
//! [`apply`] inside `Store::update_plan`, so it is validated and saved in one
//! transaction with its history. Typed input (amounts, values) is parsed here
//! through [`crate::normalize`], and a refusal names the place in Japanese.

use serde::Deserialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::*;
use crate::normalize::{clean_text, parse_amount, parse_mark, parse_quantity, Problem};
use crate::validate::{budget_column_label, initiative_place, issue_place, strategy_place};
use crate::wareki::{long_label, Digits};

/// A node of the tree by position: the plan (all None), an issue, a strategy
/// or an initiative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, TS)]
#[ts(export)]
pub struct NodePath {
    pub issue: Option<usize>,
    pub strategy: Option<usize>,
    pub initiative: Option<usize>,
}

/// Which indicator list of a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorList {
    /// アウトカム指標 of an issue or strategy
    Outcome,
    /// プロセス指標 of an initiative
    Process,
}

#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
#[ts(export)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Edit {
    /// A text field of a node, by its interchange name (title, summary, goal_state, …).
    SetText {
        node: NodePath,
        field: String,
        value: String,
    },
    SetStage {
        stage: Stage,
    },
    /// A 経営課題's number as typed (「５」); strategies and initiatives follow.
    SetIssueNumber {
        node: NodePath,
        number: String,
    },
    /// One budget cell as typed: 「１６，２１７，０００」, 「－」 or blank.
    SetBudget {
        node: NodePath,
        fiscal_year: i32,
        kind: BudgetKind,
        input: String,
    },
    /// Adds a child: an issue under the plan, a strategy under an issue, an initiative under a strategy.
    AddChild {
        node: NodePath,
        title: String,
    },
    DeleteNode {
        node: NodePath,
    },
    /// Moves a node up (-1) or down (+1) among its siblings; numbering follows.
    MoveNode {
        node: NodePath,
        delta: i32,
    },
    DuplicateNode {
        node: NodePath,
    },
    /// 主な取組 rows: text, then one result per year (blank removes it).
    SetActivity {
        node: NodePath,
        row: usize,
        text: String,
    },
    SetActivityResult {
        node: NodePath,
        row: usize,
        fiscal_year: i32,
        text: String,
    },
    AddActivity {
        node: NodePath,
        text: String,
    },
    DeleteActivity {
        node: NodePath,
        row: usize,
    },
    /// A new 主な取組 row at `row` (the end when `row` is the row count); its text is required.
    InsertActivity {
        node: NodePath,
        row: usize,
        text: String,
    },
    /// Moves a 主な取組 row up (-1) or down (+1).
    MoveActivity {
        node: NodePath,
        row: usize,
        delta: i32,
    },
    AddIndicator {
        node: NodePath,
        list: IndicatorList,
        text: String,
        unit: String,
    },
    DeleteIndicator {
        node: NodePath,
        list: IndicatorList,
        index: usize,
    },
    SetIndicatorText {
        node: NodePath,
        list: IndicatorList,
        index: usize,
        text: String,
    },
    /// The target as typed: value 「７０」, unit, 以上/以下, the year it is due
    /// (「令和6年度」「R6」「2024」, blank for a yearly target), printed text.
    /// `value` None keeps the stored value (and its spelling); the start
    /// year and 累計 describe a target over several years (R3~R5合計).
    SetTarget {
        node: NodePath,
        list: IndicatorList,
        index: usize,
        value: Option<String>,
        unit: String,
        comparison: Option<Comparison>,
        by_fiscal_year: String,
        from_fiscal_year: String,
        cumulative: bool,
        text: String,
    },
    /// One year's result: value and mark as typed (〇/－; blank = suggest
    /// from that year's target), 出典.
    /// Only the given parts change (None keeps what is stored, so a stored
    /// 62.0 stays 62.0 when only its mark is edited).
    SetResult {
        node: NodePath,
        list: IndicatorList,
        index: usize,
        fiscal_year: i32,
        value: Option<String>,
        mark: Option<String>,
        source: Option<String>,
        /// grade of the city's 定量評価, e.g. A
        rating: Option<String>,
        note: Option<String>,
    },
    /// 主なSDGsゴール as typed: 「3, 11」「３、１１」.
    SetSdgs {
        node: NodePath,
        input: String,
    },
    /// A photo slot; the image is optional (a caption alone marks the slot).
    AddPhoto {
        node: NodePath,
        caption: String,
        media_type: Option<String>,
        data_base64: Option<String>,
    },
    SetPhotoCaption {
        node: NodePath,
        index: usize,
        caption: String,
    },
    DeletePhoto {
        node: NodePath,
        index: usize,
    },
    /// Several edits as one action (a block pasted from Excel): all or nothing.
    Batch {
        label: String,
        edits: Vec<Edit>,
    },
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

/// A short Japanese description of an edit, for the history list.
pub fn describe(plan: &Plan, edit: &Edit) -> String {
    let place = |node: &NodePath| place_of(plan, node);
    match edit {
        Edit::SetText { node, field, .. } => {
            format!("{} の{}を編集", place(node), field_label(field))
        }
        Edit::SetStage { stage } => format!("段階を「{}」に変更", stage.label()),
        Edit::SetIssueNumber { node, .. } => format!("{} の番号を変更", place(node)),
        Edit::SetSdgs { node, .. } => format!("{} のSDGsゴールを編集", place(node)),
        Edit::SetBudget {
            node,
            fiscal_year,
            kind,
            ..
        } => {
            let label = budget_column_label(&Budget {
                fiscal_year: *fiscal_year,
                kind: *kind,
                amount_yen: None,
            });
            format!("{} の{label}を編集", place(node))
        }
        Edit::AddChild { node, .. } => format!("{} に追加", place(node)),
        Edit::DeleteNode { node } => format!("{} を削除", place(node)),
        Edit::MoveNode { node, .. } => format!("{} を移動", place(node)),
        Edit::DuplicateNode { node } => format!("{} を複製", place(node)),
        Edit::SetActivity { node, .. }
        | Edit::SetActivityResult { node, .. }
        | Edit::AddActivity { node, .. }
        | Edit::DeleteActivity { node, .. }
        | Edit::InsertActivity { node, .. }
        | Edit::MoveActivity { node, .. } => format!("{} の主な取組を編集", place(node)),
        Edit::AddIndicator { node, .. }
        | Edit::DeleteIndicator { node, .. }
        | Edit::SetIndicatorText { node, .. }
        | Edit::SetTarget { node, .. }
        | Edit::SetResult { node, .. } => format!("{} の指標を編集", place(node)),
        Edit::AddPhoto { node, .. }
        | Edit::SetPhotoCaption { node, .. }
        | Edit::DeletePhoto { node, .. } => {
            format!("{} の写真を編集", place(node))
        }
        Edit::Batch { label, edits } => match edits.first() {
            Some(first) if label.is_empty() => {
                format!("{}（{}件）", describe(plan, first), edits.len())
            }
            _ => label.clone(),
        },
    }
}

/// 「具体的取組 5-1-2」 for a path, 「計画」 for the root.
pub fn place_of(plan: &Plan, node: &NodePath) -> String {
    let number = |i: usize| plan.issues.get(i).map_or(i as u32 + 1, |x| x.number);
    match (node.issue, node.strategy, node.initiative) {
        (Some(i), Some(s), Some(n)) => initiative_place(number(i), s, n),
        (Some(i), Some(s), None) => strategy_place(number(i), s),
        (Some(i), None, None) => issue_place(number(i)),
        _ => "計画".to_string(),
    }
}

fn missing(plan: &Plan, node: &NodePath) -> Error {
    Error::Refused(format!(
        "{} が見つかりません（画面を更新してください）",
        place_of(plan, node)
    ))
}

fn refused(place: String, problem: Problem, input: &str) -> Error {
    Error::invalid(place, problem.to_string(), Some(input))
}

fn issue_mut<'a>(plan: &'a mut Plan, node: &NodePath) -> Option<&'a mut Issue> {
    plan.issues.get_mut(node.issue?)
}

fn strategy_mut<'a>(plan: &'a mut Plan, node: &NodePath) -> Option<&'a mut Strategy> {
    issue_mut(plan, node)?.strategies.get_mut(node.strategy?)
}

fn initiative_mut<'a>(plan: &'a mut Plan, node: &NodePath) -> Option<&'a mut Initiative> {
    strategy_mut(plan, node)?
        .initiatives
        .get_mut(node.initiative?)
}

fn indicators_mut<'a>(
    plan: &'a mut Plan,
    node: &NodePath,
    list: IndicatorList,
) -> Option<&'a mut Vec<Indicator>> {
    match (list, node.initiative, node.strategy) {
        (IndicatorList::Process, Some(_), _) => {
            Some(&mut initiative_mut(plan, node)?.process_indicators)
        }
        (IndicatorList::Outcome, None, Some(_)) => {
            Some(&mut strategy_mut(plan, node)?.outcome_indicators)
        }
        (IndicatorList::Outcome, None, None) => {
            Some(&mut issue_mut(plan, node)?.outcome_indicators)
        }
        _ => None,
    }
}

/// The text fields each kind of node has, by interchange name.
fn text_slot<'a>(plan: &'a mut Plan, node: &NodePath, field: &str) -> Option<TextSlot<'a>> {
    use TextSlot::{Optional as O, Required as R};
    Some(match (node.issue, node.strategy, node.initiative) {
        (None, _, _) => match field {
            "goal" => O(&mut plan.goal),
            "mission" => O(&mut plan.mission),
            "basic_policy" => O(&mut plan.basic_policy),
            "self_evaluation" => O(&mut plan.self_evaluation),
            "future_policy" => O(&mut plan.future_policy),
            "source" => O(&mut plan.source),
            _ => return None,
        },
        (Some(_), None, _) => {
            let issue = issue_mut(plan, node)?;
            match field {
                "title" => R(&mut issue.title),
                "summary" => O(&mut issue.summary),
                "recognition" => O(&mut issue.recognition),
                _ => return None,
            }
        }
        (Some(_), Some(_), None) => {
            let s = strategy_mut(plan, node)?;
            match field {
                "title" => R(&mut s.title),
                "goal_state" => O(&mut s.goal_state),
                "current_state" => O(&mut s.current_state),
                "challenges" => O(&mut s.challenges),
                "direction" => O(&mut s.direction),
                "self_evaluation" => O(&mut s.self_evaluation),
                "improvements" => O(&mut s.improvements),
                _ => return None,
            }
        }
        (Some(_), Some(_), Some(_)) => {
            let it = initiative_mut(plan, node)?;
            match field {
                "title" => R(&mut it.title),
                "summary" => O(&mut it.summary),
                _ => return None,
            }
        }
    })
}

enum TextSlot<'a> {
    Required(&'a mut String),
    Optional(&'a mut Option<String>),
}

/// Applies one edit. Renumbering and validation follow in `update_plan`.
pub fn apply(plan: &mut Plan, edit: Edit) -> Result<()> {
    let snapshot = plan.clone();
    let not_found = |node: &NodePath| missing(&snapshot, node);
    match edit {
        Edit::SetText { node, field, value }
            if field == "council_opinions" || field == "main_strategies" =>
        {
            let list = match (field.as_str(), node.initiative) {
                ("council_opinions", Some(_)) => {
                    &mut initiative_mut(plan, &node)
                        .ok_or_else(|| not_found(&node))?
                        .council_opinions
                }
                ("main_strategies", None) => {
                    &mut issue_mut(plan, &node)
                        .ok_or_else(|| not_found(&node))?
                        .main_strategies
                }
                _ => return Err(not_found(&node)),
            };
            // One entry per line; a typed leading ・ is the printed bullet, not text.
            *list = value
                .lines()
                .filter_map(|l| clean_text(l.trim_start_matches('・')))
                .collect();
        }
        Edit::SetText { node, field, value } => {
            let place = format!("{} の{}", place_of(&snapshot, &node), field_label(&field));
            match text_slot(plan, &node, &field).ok_or_else(|| not_found(&node))? {
                TextSlot::Optional(slot) => *slot = clean_text(&value),
                TextSlot::Required(slot) => {
                    *slot = clean_text(&value).ok_or_else(|| {
                        Error::invalid(place, "入力してください（空欄にはできません）", None)
                    })?
                }
            }
        }
        Edit::SetStage { stage } => plan.stage = Some(stage),
        Edit::SetSdgs { node, input } => {
            let place = format!("{} の主なSDGsゴール", place_of(&snapshot, &node));
            let mut goals = Vec::new();
            for part in crate::normalize::nfkc(&input)
                .split(|c: char| !c.is_ascii_digit())
                .filter(|p| !p.is_empty())
            {
                let goal = part.parse::<u8>().ok().filter(|g| (1..=17).contains(g));
                let goal = goal.ok_or_else(|| {
                    Error::invalid(place.clone(), "1〜17の番号を入力してください", Some(&input))
                })?;
                if !goals.contains(&goal) {
                    goals.push(goal);
                }
            }
            issue_mut(plan, &node).ok_or_else(|| not_found(&node))?.sdgs = goals;
        }
        Edit::SetIssueNumber { node, number } => {
            let place = format!("{} の番号", place_of(&snapshot, &node));
            let parsed = crate::normalize::nfkc(&number)
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| *n >= 1);
            let parsed =
                parsed.ok_or_else(|| refused(place, Problem::NotAPositiveWhole, &number))?;
            issue_mut(plan, &node)
                .ok_or_else(|| not_found(&node))?
                .number = parsed;
        }
        Edit::SetBudget {
            node,
            fiscal_year,
            kind,
            input,
        } => {
            let label = budget_column_label(&Budget {
                fiscal_year,
                kind,
                amount_yen: None,
            });
            let place = format!("{} の {label}", place_of(&snapshot, &node));
            let amount = parse_amount(&input).map_err(|p| refused(place, p, &input))?;
            let budgets = match node.initiative {
                Some(_) => {
                    &mut initiative_mut(plan, &node)
                        .ok_or_else(|| not_found(&node))?
                        .budgets
                }
                None => {
                    &mut issue_mut(plan, &node)
                        .ok_or_else(|| not_found(&node))?
                        .budgets
                }
            };
            match budgets
                .iter_mut()
                .find(|b| b.fiscal_year == fiscal_year && b.kind == kind)
            {
                Some(b) => b.amount_yen = amount,
                None => {
                    budgets.push(Budget {
                        fiscal_year,
                        kind,
                        amount_yen: amount,
                    });
                    budgets.sort_by_key(|b| (b.fiscal_year, b.kind == BudgetKind::Budget));
                }
            }
        }
        Edit::AddChild { node, title } => {
            let title = clean_text(&title).unwrap_or_else(|| "（名称未設定）".into());
            match (node.issue, node.strategy) {
                (None, _) => {
                    let number = plan.issues.iter().map(|i| i.number).max().unwrap_or(0) + 1;
                    plan.issues.push(Issue {
                        number,
                        title,
                        summary: None,
                        sdgs: Vec::new(),
                        recognition: None,
                        outcome_indicators: Vec::new(),
                        budgets: Vec::new(),
                        main_strategies: Vec::new(),
                        strategies: Vec::new(),
                        ..Default::default()
                    });
                }
                (Some(_), None) => issue_mut(plan, &node)
                    .ok_or_else(|| not_found(&node))?
                    .strategies
                    .push(Strategy::new(Some(String::new()), title)),
                (Some(_), Some(_)) => {
                    let year = snapshot.fiscal_year;
                    let budgets = crate::rollover::budget_columns(year)
                        .into_iter()
                        .map(|(fiscal_year, kind)| Budget {
                            fiscal_year,
                            kind,
                            amount_yen: None,
                        })
                        .collect();
                    strategy_mut(plan, &node)
                        .ok_or_else(|| not_found(&node))?
                        .initiatives
                        .push(Initiative {
                            number: String::new(),
                            title,
                            summary: None,
                            budgets,
                            activities: Vec::new(),
                            process_indicators: Vec::new(),
                            photos: Vec::new(),
                            council_opinions: Vec::new(),
                            ..Default::default()
                        })
                }
            }
        }
        Edit::DeleteNode { node } => with_siblings(plan, &node, &snapshot, |list, i| {
            list.remove(i);
            Ok(())
        })?,
        Edit::MoveNode { node, delta } => with_siblings(plan, &node, &snapshot, |list, i| {
            let j = i as i64 + delta as i64;
            if j < 0 || j >= list.len() as i64 {
                return Err(Error::Refused("これ以上移動できません".into()));
            }
            list.swap(i, j as usize);
            Ok(())
        })?,
        Edit::DuplicateNode { node } => {
            if node.strategy.is_none() {
                // An issue copy needs a new number.
                let i = node.issue.ok_or_else(|| not_found(&node))?;
                let mut copy = plan.issues.get(i).ok_or_else(|| not_found(&node))?.clone();
                copy.number = plan.issues.iter().map(|x| x.number).max().unwrap_or(0) + 1;
                copy.title = format!("{}（コピー）", copy.title);
                plan.issues.insert(i + 1, copy);
            } else {
                with_siblings(plan, &node, &snapshot, |list, i| {
                    list.duplicate(i);
                    Ok(())
                })?
            }
        }
        Edit::SetActivity { node, row, text } => {
            let it = initiative_mut(plan, &node).ok_or_else(|| not_found(&node))?;
            let place = format!("{} の主な取組 {}行目", place_of(&snapshot, &node), row + 1);
            let activity = it.activities.get_mut(row).ok_or_else(|| not_found(&node))?;
            activity.text = clean_text(&text).ok_or_else(|| {
                Error::invalid(
                    place,
                    "入力してください（行を消すには「行を削除」を使います）",
                    None,
                )
            })?;
        }
        Edit::SetActivityResult {
            node,
            row,
            fiscal_year,
            text,
        } => {
            let it = initiative_mut(plan, &node).ok_or_else(|| not_found(&node))?;
            let activity = it.activities.get_mut(row).ok_or_else(|| not_found(&node))?;
            activity.results.retain(|r| r.fiscal_year != fiscal_year);
            if let Some(text) = clean_text(&text) {
                activity.results.push(ActivityResult { fiscal_year, text });
                activity.results.sort_by_key(|r| r.fiscal_year);
            }
        }
        Edit::AddActivity { node, text } => {
            let it = initiative_mut(plan, &node).ok_or_else(|| not_found(&node))?;
            it.activities.push(Activity {
                text: clean_text(&text).unwrap_or_else(|| "（未入力）".into()),
                results: Vec::new(),
                ..Default::default()
            });
        }
        Edit::DeleteActivity { node, row } => {
            let it = initiative_mut(plan, &node).ok_or_else(|| not_found(&node))?;
            if row >= it.activities.len() {
                return Err(not_found(&node));
            }
            it.activities.remove(row);
        }
        Edit::InsertActivity { node, row, text } => {
            let place = format!("{} の主な取組 {}行目", place_of(&snapshot, &node), row + 1);
            let it = initiative_mut(plan, &node).ok_or_else(|| not_found(&node))?;
            if row > it.activities.len() {
                return Err(not_found(&node));
            }
            let text = clean_text(&text)
                .ok_or_else(|| Error::invalid(place, "主な取組を入力してください", None))?;
            it.activities.insert(
                row,
                Activity {
                    text,
                    ..Default::default()
                },
            );
        }
        Edit::MoveActivity { node, row, delta } => {
            let it = initiative_mut(plan, &node).ok_or_else(|| not_found(&node))?;
            let to = row as i64 + delta as i64;
            if row >= it.activities.len() || to < 0 || to >= it.activities.len() as i64 {
                return Err(Error::Refused("これ以上移動できません".into()));
            }
            it.activities.swap(row, to as usize);
        }
        Edit::AddIndicator {
            node,
            list,
            text,
            unit,
        } => {
            indicators_mut(plan, &node, list)
                .ok_or_else(|| not_found(&node))?
                .push(Indicator {
                    text: clean_text(&text).unwrap_or_else(|| "（指標の内容を入力）".into()),
                    target: Target {
                        value: None,
                        unit: clean_text(&unit).unwrap_or_else(|| "%".into()),
                        comparison: Some(Comparison::AtLeast),
                        by_fiscal_year: None,
                        from_fiscal_year: None,
                        cumulative: None,
                        text: None,
                    },
                    results: Vec::new(),
                    ..Default::default()
                });
        }
        Edit::DeleteIndicator { node, list, index } => {
            let list = indicators_mut(plan, &node, list).ok_or_else(|| not_found(&node))?;
            if index >= list.len() {
                return Err(not_found(&node));
            }
            list.remove(index);
        }
        Edit::SetIndicatorText {
            node,
            list,
            index,
            text,
        } => {
            let place = format!("{} の指標 {} の内容", place_of(&snapshot, &node), index + 1);
            let indicator =
                indicator_mut(plan, &node, list, index).ok_or_else(|| not_found(&node))?;
            indicator.text = clean_text(&text).ok_or_else(|| {
                Error::invalid(place, "入力してください（空欄にはできません）", None)
            })?;
        }
        Edit::SetTarget {
            node,
            list,
            index,
            value,
            unit,
            comparison,
            by_fiscal_year,
            from_fiscal_year,
            cumulative,
            text,
        } => {
            let place = format!("{} の指標 {} の目標", place_of(&snapshot, &node), index + 1);
            let unit = clean_text(&crate::normalize::nfkc(&unit)).unwrap_or_default();
            let year = |input: &str, what: &str| -> Result<Option<i32>> {
                clean_text(input)
                    .map(|label| {
                        crate::wareki::parse_label(&label).ok_or_else(|| {
                            refused(format!("{place}の{what}"), Problem::NotAYear, &label)
                        })
                    })
                    .transpose()
            };
            let by = year(&by_fiscal_year, "期限")?;
            let from = year(&from_fiscal_year, "開始年度")?;
            let indicator =
                indicator_mut(plan, &node, list, index).ok_or_else(|| not_found(&node))?;
            if let Some(value) = &value {
                indicator.target.value = parse_quantity(value, &unit)
                    .map_err(|p| refused(format!("{place}値"), p, value))?;
            }
            indicator.target.unit = unit;
            indicator.target.comparison = comparison;
            indicator.target.by_fiscal_year = by;
            indicator.target.from_fiscal_year = from;
            // Absent unless set, as the interchange format writes it.
            indicator.target.cumulative = cumulative.then_some(true);
            indicator.target.text = clean_text(&text);
        }
        Edit::SetResult {
            node,
            list,
            index,
            fiscal_year,
            value,
            mark,
            source,
            rating,
            note,
        } => {
            let place = format!(
                "{} の指標 {} の{}実績",
                place_of(&snapshot, &node),
                index + 1,
                long_label(fiscal_year, Digits::Half)
            );
            let indicator =
                indicator_mut(plan, &node, list, index).ok_or_else(|| not_found(&node))?;
            let existing = indicator
                .results
                .iter()
                .position(|r| r.fiscal_year == fiscal_year);
            let mut result = existing.map_or(
                IndicatorResult {
                    fiscal_year,
                    value: None,
                    achieved: None,
                    source: None,
                    rating: None,
                    note: None,
                },
                |i| indicator.results[i].clone(),
            );
            if let Some(value) = &value {
                result.value = parse_quantity(value, &indicator.target.unit)
                    .map_err(|p| refused(place.clone(), p, value))?;
            }
            match mark
                .as_deref()
                .map(parse_mark)
                .transpose()
                .map_err(|p| refused(place, p, mark.as_deref().unwrap_or("")))?
            {
                Some(Some(confirmed)) => result.achieved = confirmed,
                // The mark cell cleared, the value untouched: no mark.
                Some(None) if value.is_none() => result.achieved = None,
                // A new value without a typed mark: suggest one from that year's target.
                _ if value.is_some() => {
                    result.achieved = suggest_achieved(
                        result.value.as_ref().and_then(|n| n.as_f64()),
                        &indicator.target,
                    )
                }
                _ => {}
            }
            if let Some(source) = &source {
                result.source = clean_text(source);
            }
            if let Some(rating) = &rating {
                result.rating = clean_text(&crate::normalize::nfkc(rating));
            }
            if let Some(note) = &note {
                result.note = clean_text(note);
            }
            let empty =
                result.value.is_none() && result.achieved.is_none() && result.source.is_none();
            match (existing, empty) {
                (Some(i), true) => {
                    indicator.results.remove(i);
                }
                (Some(i), false) => indicator.results[i] = result,
                (None, true) => {}
                (None, false) => {
                    indicator.results.push(result);
                    indicator.results.sort_by_key(|r| r.fiscal_year);
                }
            }
        }
        Edit::AddPhoto {
            node,
            caption,
            media_type,
            data_base64,
        } => {
            let it = initiative_mut(plan, &node).ok_or_else(|| not_found(&node))?;
            it.photos.push(Photo {
                caption: clean_text(&caption).unwrap_or_default(),
                media_type,
                data_base64,
                ..Default::default()
            });
        }
        Edit::SetPhotoCaption {
            node,
            index,
            caption,
        } => {
            let it = initiative_mut(plan, &node).ok_or_else(|| not_found(&node))?;
            it.photos
                .get_mut(index)
                .ok_or_else(|| not_found(&node))?
                .caption = clean_text(&caption).unwrap_or_default();
        }
        Edit::DeletePhoto { node, index } => {
            let it = initiative_mut(plan, &node).ok_or_else(|| not_found(&node))?;
            if index >= it.photos.len() {
                return Err(not_found(&node));
            }
            it.photos.remove(index);
        }
        Edit::Batch { edits, .. } => {
            for edit in edits {
                apply(plan, edit)?;
            }
        }
    }
    Ok(())
}

fn indicator_mut<'a>(
    plan: &'a mut Plan,
    node: &NodePath,
    list: IndicatorList,
    index: usize,
) -> Option<&'a mut Indicator> {
    indicators_mut(plan, node, list)?.get_mut(index)
}

/// A list of tree siblings, whatever their type.
trait Siblings {
    fn len(&self) -> usize;
    fn remove(&mut self, i: usize);
    fn swap(&mut self, i: usize, j: usize);
    fn duplicate(&mut self, i: usize);
}

impl<T: Clone> Siblings for Vec<T> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn remove(&mut self, i: usize) {
        Vec::remove(self, i);
    }
    fn swap(&mut self, i: usize, j: usize) {
        <[T]>::swap(self, i, j)
    }
    fn duplicate(&mut self, i: usize) {
        let copy = self[i].clone();
        self.insert(i + 1, copy);
    }
}

/// Runs `f` on the sibling list that holds `node`, with its index there.
fn with_siblings(
    plan: &mut Plan,
    node: &NodePath,
    snapshot: &Plan,
    f: impl FnOnce(&mut dyn Siblings, usize) -> Result<()>,
) -> Result<()> {
    let not_found = || missing(snapshot, node);
    match (node.issue, node.strategy, node.initiative) {
        (Some(_), Some(_), Some(n)) => {
            let list = &mut strategy_mut(plan, node).ok_or_else(not_found)?.initiatives;
            if n >= list.len() {
                return Err(not_found());
            }
            f(list, n)
        }
        (Some(_), Some(s), None) => {
            let list = &mut issue_mut(plan, node).ok_or_else(not_found)?.strategies;
            if s >= list.len() {
                return Err(not_found());
            }
            f(list, s)
        }
        (Some(i), None, None) if i < plan.issues.len() => f(&mut plan.issues, i),
        _ => Err(not_found()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo_plan;

    fn at(issue: usize, strategy: usize, initiative: usize) -> NodePath {
        NodePath {
            issue: Some(issue),
            strategy: Some(strategy),
            initiative: Some(initiative),
        }
    }

    #[test]
    fn full_width_budgets_are_normalised() {
        let mut plan = demo_plan();
        apply(
            &mut plan,
            Edit::SetBudget {
                node: at(0, 0, 1),
                fiscal_year: 2024,
                kind: BudgetKind::Budget,
                input: "１６，２１７，０００".into(),
            },
        )
        .unwrap();
        assert_eq!(
            plan.issues[0].strategies[0].initiatives[1].budgets[2].amount_yen,
            Some(16_217_000)
        );
    }

    #[test]
    fn a_bad_amount_names_the_cell() {
        let mut plan = demo_plan();
        let err = apply(
            &mut plan,
            Edit::SetBudget {
                node: at(0, 0, 1),
                fiscal_year: 2024,
                kind: BudgetKind::Budget,
                input: "abc".into(),
            },
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            err,
            "具体的取組 5-1-2 の 6予算額: 数値を入力してください（入力値: \"abc\"）"
        );
    }

    #[test]
    fn activity_rows_insert_anywhere_and_move() {
        let mut plan = demo_plan();
        let node = at(0, 0, 1);
        let texts = |p: &Plan| -> Vec<String> {
            p.issues[0].strategies[0].initiatives[1]
                .activities
                .iter()
                .map(|a| a.text.clone())
                .collect()
        };
        let before = texts(&plan);
        let insert = |row, text: &str| Edit::InsertActivity {
            node,
            row,
            text: text.into(),
        };
        apply(&mut plan, insert(1, "新しい行")).unwrap();
        assert_eq!(texts(&plan)[1], "新しい行");
        assert_eq!(texts(&plan)[2], before[1]);
        let end = texts(&plan).len();
        apply(&mut plan, insert(end, "最後")).unwrap();
        assert_eq!(texts(&plan).last().unwrap(), "最後");
        assert!(apply(&mut plan, insert(0, "  ")).is_err(), "no empty rows");
        assert!(apply(&mut plan, insert(99, "x")).is_err());
        apply(
            &mut plan,
            Edit::MoveActivity {
                node,
                row: 1,
                delta: -1,
            },
        )
        .unwrap();
        assert_eq!(texts(&plan)[0], "新しい行");
        assert!(apply(
            &mut plan,
            Edit::MoveActivity {
                node,
                row: 0,
                delta: -1
            }
        )
        .is_err());
    }

    #[test]
    fn moving_renumbers() {
        let mut plan = demo_plan();
        apply(
            &mut plan,
            Edit::MoveNode {
                node: at(0, 0, 1),
                delta: -1,
            },
        )
        .unwrap();
        plan.renumber();
        assert_eq!(
            plan.issues[0].strategies[0].initiatives[0].title,
            "区政情報の効果的な発信"
        );
        assert_eq!(plan.issues[0].strategies[0].initiatives[0].number, "5-1-1");
        assert!(apply(
            &mut plan,
            Edit::MoveNode {
                node: at(0, 0, 0),
                delta: -1
            }
        )
        .is_err());
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
    fn results_accept_full_width_and_refuse_120_percent() {
        let mut plan = demo_plan();
        let set = |value: &str| Edit::SetResult {
            node: at(0, 0, 0),
            list: IndicatorList::Process,
            index: 0,
            fiscal_year: 2024,
            value: Some(value.into()),
            mark: Some("〇".into()),
            source: None,
            rating: None,
            note: None,
        };
        apply(&mut plan, set("５２．５％")).unwrap();
        let r = &plan.issues[0].strategies[0].initiatives[0].process_indicators[0].results;
        assert_eq!(
            r.last().unwrap().value.as_ref().unwrap().to_string(),
            "52.5"
        );
        let err = apply(&mut plan, set("120")).unwrap_err().to_string();
        let mut suggested = demo_plan();
        let blank_mark = Edit::SetResult {
            node: at(0, 0, 0),
            list: IndicatorList::Process,
            index: 0,
            fiscal_year: 2024,
            value: Some("55".into()),
            mark: None,
            source: None,
            rating: None,
            note: None,
        };
        apply(&mut suggested, blank_mark).unwrap();
        let results =
            &suggested.issues[0].strategies[0].initiatives[0].process_indicators[0].results;
        assert_eq!(
            results.last().unwrap().achieved,
            Some(true),
            "55% against 50%以上 suggests 〇"
        );
        assert!(
            err.contains("具体的取組 5-1-1 の指標 1 の令和6年度実績") && err.contains("0〜100"),
            "{err}"
        );
    }
}
