//! 照会・回答 (issue 11): the planning office asks each section (担当課) for
//! the figures of its own 具体的取組 in an Excel workbook, and merges the
//! replies back.
//!
//! A request remembers what it was made from: the part of the plan it
//! printed ([`Request::original`]). Merging compares, for every value the
//! section was asked for (a [`Slot`]), the reply with that original and
//! with the file today:
//!
//! | reply = original | file today = original | file today = reply | outcome |
//! |---|---|---|---|
//! | yes | – | – | nothing (the section left it) |
//! | no | yes | – | **change**: the reply's value is taken |
//! | no | no | yes | nothing (already so) |
//! | no | no | no | **conflict**: the office changed it too; the file keeps the office's value unless the planner picks the reply's |
//!
//! Everything else the reply differs in is refused and listed, never
//! applied: content outside the asked cells (a title retyped after the sheet
//! was unprotected), 取組 the request did not ask this section about (a
//! sheet copied from another section's workbook), 取組 whose 担当課 changed
//! since, rows deleted since, cells that cannot be read. A reply for another
//! plan is refused whole. One merge is one transaction and one undo step
//! ([`Store::update_plan`]). The workbook side is `xlsx::request`.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::Number;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::model::*;
use crate::normalize::clean_name;
use crate::rollover::budget_columns;
use crate::store::Store;
use crate::wareki::{long_label, Digits};

/// What a section is asked to fill in; the office picks any of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Ask {
    /// The plan year's 実績 of each 主な取組.
    ActivityResults,
    /// The plan year's value of each プロセス指標.
    ProcessValues,
    /// The plan year's 〇/－ of each プロセス指標.
    ProcessMarks,
    /// The 決算額 of the settled year (two years back).
    SettledBudget,
    /// The 予算額 of last year and this year.
    Budgets,
    /// The 取組's 概要.
    Summary,
    /// A note to the office per 取組 (shown when merging, not stored).
    Comment,
}

impl Ask {
    pub const ALL: [Ask; 7] = [
        Ask::ActivityResults,
        Ask::ProcessValues,
        Ask::ProcessMarks,
        Ask::SettledBudget,
        Ask::Budgets,
        Ask::Summary,
        Ask::Comment,
    ];
    /// What a request asks unless the office chooses: this year's results,
    /// the settled budget and a comment.
    pub const DEFAULT: [Ask; 5] = [
        Ask::ActivityResults,
        Ask::ProcessValues,
        Ask::ProcessMarks,
        Ask::SettledBudget,
        Ask::Comment,
    ];

    /// `activity-results`, … as the command line spells them.
    pub fn code(self) -> &'static str {
        match self {
            Ask::ActivityResults => "activity-results",
            Ask::ProcessValues => "process-values",
            Ask::ProcessMarks => "process-marks",
            Ask::SettledBudget => "settled-budget",
            Ask::Budgets => "budgets",
            Ask::Summary => "summary",
            Ask::Comment => "comment",
        }
    }

    pub fn from_code(code: &str) -> Option<Ask> {
        Ask::ALL.into_iter().find(|a| a.code() == code.trim())
    }

    /// 「主な取組の令和6年度実績」… for a plan of `year`.
    pub fn label(self, year: i32) -> String {
        let y = |y: i32| long_label(y, Digits::Half);
        match self {
            Ask::ActivityResults => format!("主な取組の{}実績", y(year)),
            Ask::ProcessValues => format!("プロセス指標の{}実績値", y(year)),
            Ask::ProcessMarks => format!("プロセス指標の{}達成状況（〇／－）", y(year)),
            Ask::SettledBudget => format!("{}決算額", y(budget_columns(year)[0].0)),
            Ask::Budgets => format!(
                "{}・{}予算額",
                y(budget_columns(year)[1].0),
                y(budget_columns(year)[2].0)
            ),
            Ask::Summary => "取組の概要".into(),
            Ask::Comment => "企画調整担当への連絡事項（コメント）".into(),
        }
    }
}

/// The slots of `it` that `asks` cover in a plan of `year`, in the order
/// the page shows them: 概要, budgets, 主な取組, プロセス指標.
fn asked_slots(asks: &[Ask], it: &Initiative, year: i32) -> Vec<Slot> {
    let has = |ask| asks.contains(&ask);
    let mut slots = Vec::new();
    if has(Ask::Summary) {
        slots.push(Slot::Summary);
    }
    for (k, (fiscal_year, kind)) in budget_columns(year).into_iter().enumerate() {
        if has(if k == 0 {
            Ask::SettledBudget
        } else {
            Ask::Budgets
        }) {
            slots.push(Slot::Budget {
                fiscal_year,
                settled: kind == BudgetKind::Settled,
            });
        }
    }
    if has(Ask::ActivityResults) {
        slots.extend(it.activities.iter().filter_map(|a| {
            Some(Slot::ActivityResult {
                activity: a.id.clone()?,
                fiscal_year: year,
            })
        }));
    }
    for ind in &it.process_indicators {
        for (ask, value) in [(Ask::ProcessValues, true), (Ask::ProcessMarks, false)] {
            if let (true, Some(indicator)) = (has(ask), ind.id.clone()) {
                slots.push(Slot::Process {
                    indicator,
                    fiscal_year: year,
                    value,
                });
            }
        }
    }
    slots
}

/// One value of a 取組 a section may fill in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Slot {
    Summary,
    Budget {
        fiscal_year: i32,
        settled: bool,
    },
    ActivityResult {
        activity: String,
        fiscal_year: i32,
    },
    /// A プロセス指標's value (`value`) or 〇/－ mark.
    Process {
        indicator: String,
        fiscal_year: i32,
        value: bool,
    },
}

/// A slot's value: what is compared and written.
#[derive(Debug, Clone)]
enum Val {
    Text(Option<String>),
    Number(Option<Number>),
    Mark(Option<bool>),
    /// None: no budget; Some(None): a budget printed 「－」.
    Yen(Option<Option<u64>>),
}

impl PartialEq for Val {
    fn eq(&self, other: &Val) -> bool {
        match (self, other) {
            (Val::Text(a), Val::Text(b)) => a == b,
            // 62 and 62.0 are the same figure.
            (Val::Number(a), Val::Number(b)) => {
                a.as_ref().map(|n| n.as_f64()) == b.as_ref().map(|n| n.as_f64())
            }
            (Val::Mark(a), Val::Mark(b)) => a == b,
            (Val::Yen(a), Val::Yen(b)) => a == b,
            _ => false,
        }
    }
}

const BLANK: &str = "（空欄）";

impl Val {
    fn show(&self, unit: &str) -> String {
        match self {
            Val::Text(t) => t.clone().unwrap_or_else(|| BLANK.into()),
            Val::Number(n) => n
                .as_ref()
                .map_or_else(|| BLANK.into(), |n| format!("{n}{unit}")),
            Val::Mark(Some(true)) => "〇".into(),
            Val::Mark(Some(false)) => "－".into(),
            Val::Mark(None) => BLANK.into(),
            Val::Yen(None) => BLANK.into(),
            Val::Yen(Some(None)) => "－".into(),
            Val::Yen(Some(Some(yen))) => format!("{}円", crate::limits::group(*yen)),
        }
    }
}

impl Slot {
    /// The slot's value in `it`; None when its row is not there.
    fn get(&self, it: &Initiative) -> Option<Val> {
        match self {
            Slot::Summary => Some(Val::Text(it.summary.clone())),
            Slot::Budget {
                fiscal_year,
                settled,
            } => Some(Val::Yen(
                it.budgets
                    .iter()
                    .find(|b| b.fiscal_year == *fiscal_year && is_settled(b) == *settled)
                    .map(|b| b.amount_yen),
            )),
            Slot::ActivityResult {
                activity,
                fiscal_year,
            } => {
                let a = it
                    .activities
                    .iter()
                    .find(|a| a.id.as_deref() == Some(activity))?;
                Some(Val::Text(
                    a.results
                        .iter()
                        .find(|r| r.fiscal_year == *fiscal_year)
                        .map(|r| r.text.clone()),
                ))
            }
            Slot::Process {
                indicator,
                fiscal_year,
                value,
            } => {
                let ind = process_indicator(it, indicator)?;
                let result = ind.results.iter().find(|r| r.fiscal_year == *fiscal_year);
                Some(if *value {
                    Val::Number(result.and_then(|r| r.value.clone()))
                } else {
                    Val::Mark(result.and_then(|r| r.achieved))
                })
            }
        }
    }

    /// Writes `val` into `it` (whose row exists: checked by `get`).
    fn set(&self, it: &mut Initiative, val: &Val) -> Result<()> {
        match (self, val) {
            (Slot::Summary, Val::Text(t)) => it.summary = t.clone(),
            (
                Slot::Budget {
                    fiscal_year,
                    settled,
                },
                Val::Yen(amount),
            ) => {
                let at = it
                    .budgets
                    .iter()
                    .position(|b| b.fiscal_year == *fiscal_year && is_settled(b) == *settled);
                match (at, amount) {
                    (Some(at), None) => {
                        it.budgets.remove(at);
                    }
                    (Some(at), Some(yen)) => it.budgets[at].amount_yen = *yen,
                    (None, None) => {}
                    (None, Some(yen)) => {
                        it.budgets.push(Budget {
                            fiscal_year: *fiscal_year,
                            kind: if *settled {
                                BudgetKind::Settled
                            } else {
                                BudgetKind::Budget
                            },
                            amount_yen: *yen,
                        });
                        it.budgets
                            .sort_by_key(|b| (b.fiscal_year, b.kind == BudgetKind::Budget));
                    }
                }
            }
            (
                Slot::ActivityResult {
                    activity,
                    fiscal_year,
                },
                Val::Text(text),
            ) => crate::edit::set_activity_result(
                it,
                activity,
                *fiscal_year,
                text.as_deref().unwrap_or(""),
            )?,
            (
                Slot::Process {
                    indicator,
                    fiscal_year,
                    ..
                },
                val,
            ) => {
                let ind = it
                    .process_indicators
                    .iter_mut()
                    .find(|i| i.id.as_deref() == Some(indicator))
                    .ok_or_else(|| Error::Refused("指標が見つかりません。".into()))?;
                crate::edit::update_result(ind, *fiscal_year, |r| match val {
                    Val::Number(n) => r.value = n.clone(),
                    Val::Mark(m) => r.achieved = *m,
                    _ => {}
                });
            }
            _ => return Err(Error::Refused("値の種類が合いません。".into())),
        }
        Ok(())
    }

    /// 「主な取組「…」の令和6年度実績」 in `it`.
    fn what(&self, it: &Initiative) -> String {
        let y = |y: &i32| long_label(*y, Digits::Half);
        match self {
            Slot::Summary => "概要".into(),
            Slot::Budget {
                fiscal_year,
                settled,
            } => format!(
                "{}{}",
                y(fiscal_year),
                if *settled { "決算額" } else { "予算額" }
            ),
            Slot::ActivityResult {
                activity,
                fiscal_year,
            } => {
                let text = it
                    .activities
                    .iter()
                    .find(|a| a.id.as_deref() == Some(activity))
                    .map_or("", |a| a.text.as_str());
                format!("主な取組「{}」の{}実績", short(text), y(fiscal_year))
            }
            Slot::Process {
                indicator,
                fiscal_year,
                value,
            } => {
                let text = process_indicator(it, indicator).map_or("", |i| i.text.as_str());
                let part = if *value { "実績値" } else { "達成状況" };
                format!("プロセス指標「{}」の{}{part}", short(text), y(fiscal_year))
            }
        }
    }

    fn unit<'a>(&self, it: &'a Initiative) -> &'a str {
        match self {
            Slot::Process { indicator, .. } => {
                process_indicator(it, indicator).map_or("", |i| i.target.unit.as_str())
            }
            _ => "",
        }
    }

    /// A key that names the slot across calls (the window's choice of a
    /// conflict): 「取組id/…」.
    fn key(&self, initiative: &str) -> String {
        match self {
            Slot::Summary => format!("{initiative}/summary"),
            Slot::Budget {
                fiscal_year,
                settled,
            } => format!("{initiative}/budget/{fiscal_year}/{settled}"),
            Slot::ActivityResult {
                activity,
                fiscal_year,
            } => format!("{initiative}/activity/{activity}/{fiscal_year}"),
            Slot::Process {
                indicator,
                fiscal_year,
                value,
            } => format!("{initiative}/process/{indicator}/{fiscal_year}/{value}"),
        }
    }
}

fn is_settled(b: &Budget) -> bool {
    b.kind == BudgetKind::Settled
}

fn process_indicator<'a>(it: &'a Initiative, id: &str) -> Option<&'a Indicator> {
    it.process_indicators
        .iter()
        .find(|i| i.id.as_deref() == Some(id))
}

/// The first 20 characters of a row's text, to name it.
fn short(text: &str) -> String {
    let first_line = text.lines().next().unwrap_or("");
    let mut s: String = first_line.chars().take(20).collect();
    if first_line.chars().count() > 20 || text.lines().count() > 1 {
        s.push('…');
    }
    s
}

/// Distinct 担当課 of a plan with their number of 取組, in plan order.
pub fn sections(plan: &Plan) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for it in initiatives(plan) {
        if let Some(section) = it.section.as_deref().and_then(clean_name) {
            match out.iter_mut().find(|(s, _)| *s == section) {
                Some((_, n)) => *n += 1,
                None => out.push((section, 1)),
            }
        }
    }
    out
}

/// How many 取組 of `plan` have no 担当課 (no request includes them).
pub fn unassigned(plan: &Plan) -> usize {
    initiatives(plan)
        .filter(|it| it.section.as_deref().and_then(clean_name).is_none())
        .count()
}

/// 「回答_市民協働課.xlsx」: the file name of a section's request workbook
/// (characters Windows refuses in names become 「_」).
pub fn request_file_name(section: &str) -> String {
    let safe: String = section
        .chars()
        .map(|c| {
            if r#"\/:*?"<>|"#.contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    format!("回答_{safe}.xlsx")
}

/// 「2025年4月10日 9:05」: when a request is made, on this computer's clock.
pub fn now_label() -> String {
    let now = time::OffsetDateTime::now_local().unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    format!(
        "{}年{}月{}日 {}:{:02}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute()
    )
}

/// Refuses replies that are not for the plan `ward`/`fiscal_year` (the one
/// the window shows).
pub fn check_for(replies: &[Reply], ward: &str, fiscal_year: i32) -> Result<()> {
    match replies
        .iter()
        .find(|r| (r.request.ward.as_str(), r.request.fiscal_year) != (ward, fiscal_year))
    {
        Some(r) => Err(Error::Refused(format!(
            "回答「{}」は {} {} の計画への照会です（表示している計画は {ward} {}）。その計画を開いてから取り込んでください。",
            r.file,
            r.request.ward,
            long_label(r.request.fiscal_year, Digits::Half),
            long_label(fiscal_year, Digits::Half)
        ))),
        None => Ok(()),
    }
}

/// Whether `it` belongs to `section` (both as typed, trimmed).
pub fn belongs(it: &Initiative, section: &str) -> bool {
    it.section.as_deref().and_then(clean_name) == clean_name(section)
}

fn initiatives(plan: &Plan) -> impl Iterator<Item = &Initiative> {
    plan.issues
        .iter()
        .flat_map(|i| &i.strategies)
        .flat_map(|s| &s.initiatives)
}

// ---- What a reply holds ----------------------------------------------------------

/// What a request workbook was made from (its hidden marker).
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub ward: String,
    pub fiscal_year: i32,
    pub section: String,
    pub asks: Vec<Ask>,
    /// When it was made, as the office's clock said (「2025年6月2日 10:15」).
    pub made_at: String,
    /// The part of the plan the request printed, as it printed it.
    pub original: Plan,
}

/// A reply workbook as read: its request, and what its sheets hold now.
#[derive(Debug)]
pub struct Reply {
    /// The file's name, to say which reply an item came from.
    pub file: String,
    pub request: Request,
    /// What the visible sheets read as (one plan per ward and year their
    /// title rows name; normally just the request's).
    pub filled: Vec<Plan>,
    /// Comments per 取組 id.
    pub comments: Vec<(String, String)>,
    /// Asked cells that could not be read, with why.
    pub unread: Vec<Unread>,
}

/// An asked cell whose content could not be read.
#[derive(Debug)]
pub struct Unread {
    pub initiative: String,
    pub slot: Slot,
    pub message: String,
}

// ---- The merge ------------------------------------------------------------------

/// What a merge does (or did) to the plan, per 取組, for the window and the
/// command line.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct MergePreview {
    pub ward: String,
    pub fiscal_year: i32,
    /// 「令和6年度」
    pub year_label: String,
    pub replies: Vec<ReplyInfo>,
    /// Per 取組 in plan order; those no longer in the plan last.
    pub groups: Vec<MergeGroup>,
    pub changes: u32,
    pub conflicts: u32,
    pub refused: u32,
    /// Whether the file was changed (false for a preview, a dry run, or a
    /// merge with nothing to apply).
    pub applied: bool,
}

impl MergePreview {
    /// Whether the planner should look at anything (conflicts, refusals).
    pub fn needs_attention(&self) -> bool {
        self.conflicts > 0 || self.refused > 0
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ReplyInfo {
    pub file: String,
    pub section: String,
    pub made_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct MergeGroup {
    /// The 取組's id (None for content outside any 取組).
    pub initiative: Option<String>,
    /// 「具体的取組 5-1-2」, or the sheet for content outside any 取組.
    pub place: String,
    pub title: String,
    pub section: Option<String>,
    /// What the section wrote to the office.
    pub comments: Vec<String>,
    pub items: Vec<MergeItem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// The reply's value is taken.
    Change,
    /// The office changed it too: the file keeps `today` unless the planner
    /// takes `reply` (then it is applied like a change).
    Conflict,
    /// Not applied; `reason` says why.
    Refused,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct MergeItem {
    /// Names a conflict when the planner chooses the reply's value.
    pub key: String,
    pub kind: ItemKind,
    /// 「主な取組「…」の令和6年度実績」
    pub what: String,
    /// The value the request was made from.
    pub original: String,
    /// The value in the file now (before this merge).
    pub today: String,
    pub reply: String,
    pub reason: Option<String>,
    /// Which reply it came from.
    pub file: String,
    /// For a conflict: the planner took the reply's value.
    pub taken: bool,
}

/// A value to write.
struct Pending {
    initiative: String,
    slot: Slot,
    val: Val,
}

/// Where a 取組 sits in a plan.
struct Found<'a> {
    it: &'a Initiative,
    /// 「具体的取組 5-1-2」
    place: String,
    /// Its position in the plan, to list groups in plan order.
    order: usize,
}

fn index(plan: &Plan) -> HashMap<&str, Found<'_>> {
    let mut map = HashMap::new();
    for (order, it) in initiatives(plan).enumerate() {
        if let Some(id) = it.id.as_deref() {
            map.insert(
                id,
                Found {
                    it,
                    place: format!("具体的取組 {}", it.number),
                    order,
                },
            );
        }
    }
    map
}

/// The preview being built: groups per 取組 (and per 戦略/経営課題 for
/// content outside any 取組), in the order of the plan today.
struct Groups<'a> {
    now: &'a HashMap<&'a str, Found<'a>>,
    groups: BTreeMap<(usize, u8, String), MergeGroup>,
}

impl Groups<'_> {
    /// The group of 取組 `id` (`fallback` names it when the plan no longer has it).
    fn of(&mut self, id: &str, fallback: &Found) -> &mut MergeGroup {
        let (order, it, place) = match self.now.get(id) {
            Some(f) => (f.order, f.it, f.place.clone()),
            None => (usize::MAX, fallback.it, fallback.place.clone()),
        };
        self.groups
            .entry((order, 1, id.to_string()))
            .or_insert_with(|| MergeGroup {
                initiative: Some(id.to_string()),
                place,
                title: it.title.clone(),
                section: it.section.clone(),
                comments: Vec::new(),
                items: Vec::new(),
            })
    }

    /// The group of printed content `p` outside any 取組: before the first
    /// 取組 under it.
    fn context(&mut self, p: &Printed) -> &mut MergeGroup {
        let order = self
            .now
            .get(p.anchor.as_str())
            .map_or(usize::MAX, |f| f.order);
        self.groups
            .entry((order, 0, p.place.clone()))
            .or_insert_with(|| MergeGroup {
                initiative: None,
                place: p.place.clone(),
                title: p.title.clone(),
                section: None,
                comments: Vec::new(),
                items: Vec::new(),
            })
    }

    fn add(&mut self, p: &Printed, item: MergeItem) {
        match &p.initiative {
            Some(id) => {
                let fallback = Found {
                    it: &Initiative::default(),
                    place: p.place.clone(),
                    order: usize::MAX,
                };
                let group = self.of(id, &fallback);
                if group.title.is_empty() {
                    group.title = p.title.clone();
                }
                group.items.push(item)
            }
            None => self.context(p).items.push(item),
        }
    }
}

fn refusal(
    file: &str,
    what: impl Into<String>,
    original: String,
    reply: String,
    reason: impl Into<String>,
) -> MergeItem {
    MergeItem {
        key: String::new(),
        kind: ItemKind::Refused,
        what: what.into(),
        original,
        today: String::new(),
        reply,
        reason: Some(reason.into()),
        file: file.to_string(),
        taken: false,
    }
}

const WHOLE: &str = "取組全体";

/// Builds the preview of merging `replies` into `today`, and the values it
/// writes (`take` lists the conflicts whose reply value the planner chose).
fn review(today: &Plan, replies: &[Reply], take: &HashSet<String>) -> (MergePreview, Vec<Pending>) {
    let now = index(today);
    let mut groups = Groups {
        now: &now,
        groups: BTreeMap::new(),
    };
    let mut pending: Vec<Pending> = Vec::new();
    // The first reply to change a slot, to catch two replies disagreeing.
    let mut claimed: HashMap<String, (String, Val)> = HashMap::new();
    let mut infos = Vec::new();
    for reply in replies {
        let req = &reply.request;
        let file = reply.file.as_str();
        infos.push(ReplyInfo {
            file: reply.file.clone(),
            section: req.section.clone(),
            made_at: req.made_at.clone(),
        });
        let asked = index(&req.original);
        let slots_of = |it: &Initiative| asked_slots(&req.asks, it, req.fiscal_year);
        let unread: HashMap<(&str, &Slot), &str> = reply
            .unread
            .iter()
            .map(|u| ((u.initiative.as_str(), &u.slot), u.message.as_str()))
            .collect();
        let mut seen: HashSet<&str> = HashSet::new();
        for plan in &reply.filled {
            let same_plan = plan.ward == req.ward && plan.fiscal_year == req.fiscal_year;
            let filled = index(plan);
            let mut ids: Vec<&str> = filled.keys().copied().collect();
            ids.sort_by_key(|id| filled[id].order);
            for id in ids {
                let found = &filled[id];
                let it = found.it;
                let Some(orig) = asked.get(id) else {
                    let owner = now
                        .get(id)
                        .and_then(|f| f.it.section.clone())
                        .map_or_else(String::new, |s| format!("（担当課「{s}」の取組）"));
                    groups.of(id, found).items.push(refusal(
                        file,
                        WHOLE,
                        String::new(),
                        String::new(),
                        format!("この照会（担当課「{}」）に含まれていない取組です{owner}。ほかの照会ブックから写したシートなどは取り込みません", req.section),
                    ));
                    continue;
                };
                if !same_plan {
                    groups.of(id, orig).items.push(refusal(
                        file,
                        WHOLE,
                        String::new(),
                        String::new(),
                        format!(
                            "シートの区名・年度（{} {}）が照会（{} {}）と違うため取り込みません",
                            plan.ward,
                            long_label(plan.fiscal_year, Digits::Half),
                            req.ward,
                            long_label(req.fiscal_year, Digits::Half)
                        ),
                    ));
                    continue;
                }
                seen.insert(id);
                let slots = slots_of(orig.it);
                let touched = slots.iter().any(|slot| {
                    unread.contains_key(&(id, slot)) || slot.get(it) != slot.get(orig.it)
                });
                let Some(current) = now.get(id) else {
                    if touched {
                        groups.of(id, orig).items.push(refusal(
                            file,
                            WHOLE,
                            String::new(),
                            String::new(),
                            "照会の後でこの取組が計画から削除されたため取り込みません",
                        ));
                    }
                    continue;
                };
                if !belongs(current.it, &req.section) {
                    if touched {
                        let section = current
                            .it
                            .section
                            .clone()
                            .unwrap_or_else(|| "未設定".into());
                        groups.of(id, orig).items.push(refusal(
                            file,
                            WHOLE,
                            String::new(),
                            String::new(),
                            format!("照会の後で担当課が「{section}」に変わったため、「{}」からの回答は取り込みません", req.section),
                        ));
                    }
                    continue;
                }
                for slot in &slots {
                    let what = slot.what(current.it);
                    let unit = slot.unit(current.it);
                    if let Some(message) = unread.get(&(id, slot)) {
                        let reason = format!("読み取れません: {message}");
                        groups.of(id, orig).items.push(refusal(
                            file,
                            what,
                            String::new(),
                            String::new(),
                            reason,
                        ));
                        continue;
                    }
                    let (Some(o), Some(r)) = (slot.get(orig.it), slot.get(it)) else {
                        continue;
                    };
                    if r == o {
                        continue;
                    }
                    let Some(t) = slot.get(current.it) else {
                        let reason = "照会の後でこの行が計画から削除されたため取り込みません";
                        groups.of(id, orig).items.push(refusal(
                            file,
                            what,
                            o.show(unit),
                            r.show(unit),
                            reason,
                        ));
                        continue;
                    };
                    let key = slot.key(id);
                    let mut item = MergeItem {
                        key: key.clone(),
                        kind: ItemKind::Change,
                        what,
                        original: o.show(unit),
                        today: t.show(unit),
                        reply: r.show(unit),
                        reason: None,
                        file: reply.file.clone(),
                        taken: false,
                    };
                    if let Some((other, val)) = claimed.get(&key) {
                        if *val != r {
                            item.kind = ItemKind::Refused;
                            item.reason = Some(format!(
                                "別の回答「{other}」がこの値を「{}」にしているため取り込みません",
                                val.show(unit)
                            ));
                            groups.of(id, orig).items.push(item);
                        }
                        continue;
                    }
                    if t == r {
                        continue; // already so
                    }
                    if t != o {
                        item.kind = ItemKind::Conflict;
                        item.taken = take.contains(&key);
                        item.reason = Some(
                            "照会の後で企画調整側でも値が変わっています。ファイルの値を残します"
                                .into(),
                        );
                    }
                    if item.kind == ItemKind::Change || item.taken {
                        pending.push(Pending {
                            initiative: id.to_string(),
                            slot: slot.clone(),
                            val: r.clone(),
                        });
                    }
                    claimed.insert(key, (reply.file.clone(), r));
                    groups.of(id, orig).items.push(item);
                }
            }
        }
        // The request's 取組 the reply no longer shows.
        let mut missing: Vec<&str> = asked
            .keys()
            .copied()
            .filter(|id| !seen.contains(id))
            .collect();
        missing.sort_by_key(|id| asked[id].order);
        for id in missing {
            if reply
                .filled
                .iter()
                .all(|p| !initiatives(p).any(|it| it.id.as_deref() == Some(id)))
            {
                groups.of(id, &asked[id]).items.push(refusal(
                    file,
                    WHOLE,
                    String::new(),
                    String::new(),
                    "回答に見当たりません（シートか行が削除されています）。この取組は取り込みません",
                ));
            }
        }
        // Content outside the asked cells.
        let asked_slots: HashSet<(String, Slot)> = asked
            .iter()
            .flat_map(|(id, f)| slots_of(f.it).into_iter().map(|s| (id.to_string(), s)))
            .collect();
        let before = printed(&req.original, &asked_slots);
        for plan in reply
            .filled
            .iter()
            .filter(|p| p.ward == req.ward && p.fiscal_year == req.fiscal_year)
        {
            let after = printed(plan, &asked_slots);
            // Only nodes both show, and only asked 取組 the reply has: a
            // missing or foreign one is reported above as a whole.
            let compared = |owner: &str, p: &Printed| {
                before.owners.contains(owner)
                    && after.owners.contains(owner)
                    && p.initiative
                        .as_deref()
                        .is_none_or(|id| asked.contains_key(id) && seen.contains(id))
            };
            for (key, (owner, was)) in &before.values {
                let is = after.values.get(key).map(|(_, p)| &p.value);
                if is == Some(&was.value) || !compared(owner, was) {
                    continue;
                }
                let value = is.cloned().unwrap_or_else(|| BLANK.to_string());
                let item = refusal(file, was.what.clone(), was.value.clone(), value, LOCKED);
                groups.add(was, item);
            }
            for (key, (owner, is)) in &after.values {
                if !before.values.contains_key(key) && compared(owner, is) {
                    let item = refusal(
                        file,
                        is.what.clone(),
                        BLANK.into(),
                        is.value.clone(),
                        LOCKED,
                    );
                    groups.add(is, item);
                }
            }
        }
        for (id, comment) in &reply.comments {
            if let Some(orig) = asked.get(id.as_str()) {
                groups.of(id, orig).comments.push(comment.clone());
            }
        }
    }
    let mut preview = MergePreview {
        ward: today.ward.clone(),
        fiscal_year: today.fiscal_year,
        year_label: long_label(today.fiscal_year, Digits::Half),
        replies: infos,
        groups: Vec::new(),
        changes: 0,
        conflicts: 0,
        refused: 0,
        applied: false,
    };
    for group in groups.groups.into_values() {
        if group.items.is_empty() && group.comments.is_empty() {
            continue;
        }
        for item in &group.items {
            match item.kind {
                ItemKind::Change => preview.changes += 1,
                ItemKind::Conflict => preview.conflicts += 1,
                ItemKind::Refused => preview.refused += 1,
            }
        }
        preview.groups.push(group);
    }
    (preview, pending)
}

const LOCKED: &str = "入力欄ではないセル（保護されたセル）が書き換えられています。取り込みません";

/// One value a request prints outside the asked cells.
struct Printed {
    /// The 取組 it belongs to; None for 経営課題 and 戦略 content.
    initiative: Option<String>,
    /// 「具体的取組 5-1-2」「戦略 5-1」「経営課題5」
    place: String,
    /// The title of the node at `place`.
    title: String,
    /// For content outside any 取組: the first 取組 under it (orders it).
    anchor: String,
    what: String,
    value: String,
}

/// The node printed values belong to.
struct At<'a> {
    /// Its key (issue, issue/strategy or 取組 id): what both sides must show
    /// for its values to be compared.
    owner: String,
    initiative: Option<&'a str>,
    place: String,
    title: &'a str,
    anchor: String,
}

/// What a request's page shows of `plan`, except the asked slots.
struct Page {
    /// Values by a key that names them by ids (a moved row is the same row);
    /// blank cells are left out, so a missing key reads as blank.
    values: BTreeMap<String, (String, Printed)>,
    /// Every node shown (see [`At::owner`]).
    owners: HashSet<String>,
}

impl Page {
    fn put(&mut self, at: &At, key: &str, what: impl Into<String>, value: String) {
        self.owners.insert(at.owner.clone());
        if value.is_empty() || value == BLANK {
            return;
        }
        self.values.insert(
            format!("{}/{key}", at.owner),
            (
                at.owner.clone(),
                Printed {
                    initiative: at.initiative.map(str::to_string),
                    place: at.place.clone(),
                    title: at.title.to_string(),
                    anchor: at.anchor.clone(),
                    what: what.into(),
                    value,
                },
            ),
        );
    }
}

fn printed(plan: &Plan, asked: &HashSet<(String, Slot)>) -> Page {
    let mut page = Page {
        values: BTreeMap::new(),
        owners: HashSet::new(),
    };
    let id_or = |id: &Option<String>, n: usize| id.clone().unwrap_or_else(|| format!("#{n}"));
    let text = |t: &Option<String>| t.clone().unwrap_or_default();
    let first = |s: &Strategy| {
        s.initiatives
            .first()
            .and_then(|i| i.id.clone())
            .unwrap_or_default()
    };
    for (n, issue) in plan.issues.iter().enumerate() {
        let issue_id = id_or(&issue.id, n);
        let at = At {
            owner: issue_id.clone(),
            initiative: None,
            place: format!("経営課題{}", issue.number),
            title: &issue.title,
            anchor: issue.strategies.first().map(first).unwrap_or_default(),
        };
        page.put(&at, "title", "経営課題の名称", issue.title.clone());
        page.put(&at, "summary", "経営課題の概要", text(&issue.summary));
        let sdgs: Vec<String> = issue.sdgs.iter().map(u8::to_string).collect();
        page.put(&at, "sdgs", "SDGsゴール", sdgs.join("、"));
        for (sn, s) in issue.strategies.iter().enumerate() {
            let at = At {
                owner: format!("{issue_id}/{}", id_or(&s.id, sn)),
                initiative: None,
                place: format!("戦略 {}", s.number.clone().unwrap_or_default()),
                title: &s.title,
                anchor: first(s),
            };
            for (what, value) in [
                ("戦略の名称", Some(s.title.clone())),
                ("めざす状態", s.goal_state.clone()),
                ("中期的な取組の方向性", s.direction.clone()),
                ("現状", s.current_state.clone()),
                ("課題", s.challenges.clone()),
                ("戦略の自己評価", s.self_evaluation.clone()),
                ("改善策", s.improvements.clone()),
            ] {
                page.put(&at, what, what, value.unwrap_or_default());
            }
            for (k, ind) in s.outcome_indicators.iter().enumerate() {
                let key = format!("outcome/{}", id_or(&ind.id, k));
                for (what, value) in indicator_cells(ind, "アウトカム指標", None, asked) {
                    page.put(&at, &format!("{key}/{what}"), what, value);
                }
            }
            for (n, it) in s.initiatives.iter().enumerate() {
                let iid = id_or(&it.id, n);
                let at = At {
                    owner: iid.clone(),
                    initiative: Some(&iid),
                    place: format!("具体的取組 {}", it.number),
                    title: &it.title,
                    anchor: String::new(),
                };
                let open = |slot: Slot| asked.contains(&(iid.clone(), slot));
                page.put(&at, "title", "取組の名称", it.title.clone());
                if !open(Slot::Summary) {
                    page.put(&at, "summary", "概要", text(&it.summary));
                }
                for b in &it.budgets {
                    let settled = is_settled(b);
                    let slot = Slot::Budget {
                        fiscal_year: b.fiscal_year,
                        settled,
                    };
                    if !open(slot) {
                        let key = format!("budget/{}/{settled}", b.fiscal_year);
                        let what = format!(
                            "{}{}",
                            long_label(b.fiscal_year, Digits::Half),
                            b.kind.label()
                        );
                        page.put(&at, &key, what, Val::Yen(Some(b.amount_yen)).show(""));
                    }
                }
                for (an, a) in it.activities.iter().enumerate() {
                    let aid = id_or(&a.id, an);
                    let row = format!("主な取組「{}」", short(&a.text));
                    page.put(&at, &format!("activity/{aid}"), row.clone(), a.text.clone());
                    for r in &a.results {
                        let slot = Slot::ActivityResult {
                            activity: aid.clone(),
                            fiscal_year: r.fiscal_year,
                        };
                        if !open(slot) {
                            let year = long_label(r.fiscal_year, Digits::Half);
                            let key = format!("activity/{aid}/{}", r.fiscal_year);
                            page.put(&at, &key, format!("{row}の{year}実績"), r.text.clone());
                        }
                    }
                }
                for (k, ind) in it.process_indicators.iter().enumerate() {
                    let pid = id_or(&ind.id, k);
                    for (what, value) in
                        indicator_cells(ind, "プロセス指標", Some((&iid, &pid)), asked)
                    {
                        page.put(&at, &format!("process/{pid}/{what}"), what, value);
                    }
                }
                for (pn, photo) in it.photos.iter().enumerate() {
                    let key = format!("photo/{}", id_or(&photo.id, pn));
                    page.put(&at, &key, "写真の説明", photo.caption.clone());
                }
                let opinions = it.council_opinions.join("\n");
                page.put(&at, "opinions", "〈参考〉区政会議等意見", opinions);
            }
        }
    }
    page
}

/// An indicator's printed cells: text, target, and per year value, mark
/// and source, except the asked slots (`ids`: its 取組 and own id).
fn indicator_cells(
    ind: &Indicator,
    kind: &str,
    ids: Option<(&str, &str)>,
    asked: &HashSet<(String, Slot)>,
) -> Vec<(String, String)> {
    let name = format!("{kind}「{}」", short(&ind.text));
    let mut cells = vec![
        (format!("{name}の内容"), ind.text.clone()),
        (
            format!("{name}の目標"),
            ind.target.text.clone().unwrap_or_default(),
        ),
    ];
    let open = |fiscal_year: i32, value: bool| {
        ids.is_some_and(|(it, id)| {
            asked.contains(&(
                it.to_string(),
                Slot::Process {
                    indicator: id.to_string(),
                    fiscal_year,
                    value,
                },
            ))
        })
    };
    for r in &ind.results {
        let year = long_label(r.fiscal_year, Digits::Half);
        if !open(r.fiscal_year, true) {
            let value = Val::Number(r.value.clone()).show(&ind.target.unit);
            cells.push((format!("{name}の{year}実績値"), value));
        }
        if !open(r.fiscal_year, false) {
            cells.push((
                format!("{name}の{year}達成状況"),
                Val::Mark(r.achieved).show(""),
            ));
        }
        cells.push((
            format!("{name}の{year}出典"),
            r.source.clone().unwrap_or_default(),
        ));
    }
    cells
}

/// Writes the pending values into `plan`.
fn apply(plan: &mut Plan, pending: &[Pending]) -> Result<()> {
    for p in pending {
        let it = plan
            .issues
            .iter_mut()
            .flat_map(|i| &mut i.strategies)
            .flat_map(|s| &mut s.initiatives)
            .find(|it| it.id.as_deref() == Some(p.initiative.as_str()))
            .ok_or_else(|| Error::Refused("取組が見つかりません。".into()))?;
        p.slot.set(it, &p.val)?;
    }
    Ok(())
}

/// The plan (ward, year) every reply was made for; refused when they differ.
fn plan_of(replies: &[Reply]) -> Result<(&str, i32)> {
    let first = replies
        .first()
        .ok_or_else(|| Error::Refused("取り込む回答がありません。".into()))?;
    fn of(r: &Reply) -> (&str, i32) {
        (r.request.ward.as_str(), r.request.fiscal_year)
    }
    let name = |r: &Reply| {
        format!(
            "{} {}",
            r.request.ward,
            long_label(r.request.fiscal_year, Digits::Half)
        )
    };
    if let Some(other) = replies.iter().find(|r| of(r) != of(first)) {
        return Err(Error::Refused(format!(
            "回答「{}」は {} の、「{}」は {} の計画への照会です。1つの計画の回答ずつ取り込んでください。",
            first.file,
            name(first),
            other.file,
            name(other)
        )));
    }
    Ok(of(first))
}

/// Refuses replies made from another file's plan (none of their 取組 is in
/// `today`): same ward and year, but not this plan.
fn check_made_from(today: &Plan, replies: &[Reply]) -> Result<()> {
    let ids: HashSet<&str> = initiatives(today).filter_map(|i| i.id.as_deref()).collect();
    for reply in replies {
        let mut asked = initiatives(&reply.request.original)
            .filter_map(|i| i.id.as_deref())
            .peekable();
        if asked.peek().is_some() && !asked.any(|id| ids.contains(id)) {
            return Err(Error::Refused(format!(
                "回答「{}」は、このファイルの {} {} の計画から作った照会ではありません（具体的取組が1つも一致しません）。照会を作ったファイルで取り込んでください。",
                reply.file,
                today.ward,
                long_label(today.fiscal_year, Digits::Half)
            )));
        }
    }
    Ok(())
}

/// Merges `replies` (all for one plan) into the file in one transaction and
/// one undo step, or with `dry_run` only says what it would do. `take`
/// names the conflicts (by [`MergeItem::key`]) where the reply's value
/// wins; every other conflict keeps the file's value.
pub fn merge(
    store: &mut Store,
    replies: &[Reply],
    take: &[String],
    dry_run: bool,
) -> Result<MergePreview> {
    let (ward, year) = plan_of(replies)?;
    let today = store
        .load_plan_without_images(ward, year)
        .map_err(|e| match e {
            Error::PlanNotFound { .. } => Error::Refused(format!(
                "回答「{}」は {ward} {} の計画への照会です。このファイルにはその計画がありません。",
                replies[0].file,
                long_label(year, Digits::Half)
            )),
            other => other,
        })?;
    check_made_from(&today, replies)?;
    let take: HashSet<String> = take.iter().cloned().collect();
    let (preview, pending) = review(&today, replies, &take);
    if dry_run || pending.is_empty() {
        return Ok(preview);
    }
    let mut sections: Vec<&str> = Vec::new();
    for r in replies {
        if !sections.contains(&r.request.section.as_str()) {
            sections.push(&r.request.section);
        }
    }
    let label = merge_label(&sections, &preview);
    let mut merged = None;
    store.update_plan(ward, year, &label, |plan| {
        // Again inside the transaction: the file may have changed since.
        let (preview, pending) = review(plan, replies, &take);
        apply(plan, &pending)?;
        merged = Some(preview);
        Ok(())
    })?;
    let mut preview = merged.unwrap_or(preview);
    preview.applied = true;
    Ok(preview)
}

/// 「回答を取り込み（総務課）: 具体的取組 5-1-2 へのコメント「…」」: the
/// history step of a merge keeps what the sections wrote to the office,
/// which the plan has no field for (on one line, as history lines are).
fn merge_label(sections: &[&str], preview: &MergePreview) -> String {
    let comments: Vec<String> = preview
        .groups
        .iter()
        .flat_map(|g| {
            g.comments.iter().map(move |c| {
                let one_line = c.lines().map(str::trim).collect::<Vec<_>>().join(" ");
                format!("{} へのコメント「{one_line}」", g.place)
            })
        })
        .collect();
    let label = format!("回答を取り込み（{}）", sections.join("、"));
    if comments.is_empty() {
        label
    } else {
        format!("{label}: {}", comments.join("、"))
    }
}

impl MergePreview {
    /// The preview as text, one item a line, for the command line.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let sections: Vec<&str> = self.replies.iter().map(|r| r.section.as_str()).collect();
        out.push_str(&format!(
            "回答: {} {}（{} 件: {}）\n",
            self.ward,
            self.year_label,
            self.replies.len(),
            sections.join("、")
        ));
        out.push_str(if self.applied {
            "ファイルに取り込みました（「元に戻す」で取り消せます）。\n"
        } else if self.changes == 0 && !self.groups.iter().flat_map(|g| &g.items).any(|i| i.taken) {
            "取り込む変更はありません。ファイルは変更していません。\n"
        } else {
            "試しに読んだだけです。ファイルは変更していません。\n"
        });
        out.push_str(&format!(
            "変更 {} 件、競合 {} 件、取り込まない変更 {} 件\n",
            self.changes, self.conflicts, self.refused
        ));
        for g in &self.groups {
            out.push('\n');
            let section = g
                .section
                .as_deref()
                .map_or_else(String::new, |s| format!("（{s}）"));
            out.push_str(&format!("{} {}{section}\n", g.place, g.title));
            for item in &g.items {
                let line = match item.kind {
                    ItemKind::Change => {
                        format!("  変更　{}: {} → {}", item.what, item.today, item.reply)
                    }
                    ItemKind::Conflict => format!(
                        "  競合　{}: ファイル {} ／ 回答 {}（照会時 {}）→ {}",
                        item.what,
                        item.today,
                        item.reply,
                        item.original,
                        if item.taken {
                            "回答の値にしました"
                        } else {
                            "ファイルの値を残します"
                        }
                    ),
                    ItemKind::Refused => {
                        let change = if item.reply.is_empty() && item.original.is_empty() {
                            String::new()
                        } else {
                            format!(": {} → {}", item.original, item.reply)
                        };
                        format!(
                            "  不可　{}{change} — {}",
                            item.what,
                            item.reason.as_deref().unwrap_or("")
                        )
                    }
                };
                out.push_str(&line);
                if self.replies.len() > 1 {
                    out.push_str(&format!("　[{}]", item.file));
                }
                out.push('\n');
            }
            for c in &g.comments {
                out.push_str(&format!("  コメント　{}\n", c.replace('\n', " ")));
            }
        }
        out
    }
}
