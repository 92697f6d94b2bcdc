//! The 区運営方針 model: one ward's plan for one fiscal year, exactly the shape of
//! the JSON interchange format (`plan.schema.json`, version 1).
//!
//! Serialisation is canonical: keys that the format always carries are always
//! written (null when unset); the few "sparse" keys (`stage`, a target's
//! `from_fiscal_year` and `cumulative`, a result's `rating` and `note`, a
//! photo's image) are written only when set. Numbers keep their JSON spelling
//! (`62.0` stays `62.0`, `70` stays `70`), because the printed plan shows them.

use serde::{Deserialize, Serialize};
use serde_json::Number;
use ts_rs::TS;

pub const FORMAT_NAME: &str = "hoshin-plan";
pub const FORMAT_VERSION: u32 = 1;

/// One ward's plan for one fiscal year (Western year of the April start).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Always "hoshin-plan".
    pub format: String,
    /// Always 1.
    pub version: u32,
    /// 区名, e.g. 阿倍野区.
    pub ward: String,
    /// 当年度, e.g. 2024 for 令和6年度.
    pub fiscal_year: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub stage: Option<Stage>,
    #[serde(default)]
    pub source: Option<String>,
    /// 区の目標
    #[serde(default)]
    pub goal: Option<String>,
    /// 区の使命
    #[serde(default)]
    pub mission: Option<String>,
    /// 区運営の基本的な考え方
    #[serde(default)]
    pub basic_policy: Option<String>,
    /// 自己評価（運営方針全体の定性評価）
    #[serde(default)]
    pub self_evaluation: Option<String>,
    /// 今後の方針
    #[serde(default)]
    pub future_policy: Option<String>,
    pub issues: Vec<Issue>,
}

/// 策定 / 中間振り返り / 自己評価
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Plan,
    Midterm,
    Final,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Stage::Plan, Stage::Midterm, Stage::Final];

    pub fn code(self) -> &'static str {
        match self {
            Stage::Plan => "plan",
            Stage::Midterm => "midterm",
            Stage::Final => "final",
        }
    }

    pub fn from_code(code: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Plan => "策定",
            Stage::Midterm => "中間振り返り",
            Stage::Final => "自己評価",
        }
    }
}

/// 経営課題
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Issue {
    /// Stable identity: kept across edits, moves, renumbering, rollover and
    /// files. Hoshin assigns one where it is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub id: Option<String>,
    pub number: u32,
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    /// 主なSDGsゴール (1–17)
    #[serde(default)]
    pub sdgs: Vec<u8>,
    /// 課題認識 (city layout from 令和5年度)
    #[serde(default)]
    pub recognition: Option<String>,
    #[serde(default)]
    pub outcome_indicators: Vec<Indicator>,
    #[serde(default)]
    pub budgets: Vec<Budget>,
    /// 主な戦略（課題解決の方策） as bullets
    #[serde(default)]
    pub main_strategies: Vec<String>,
    pub strategies: Vec<Strategy>,
}

/// めざす成果及び戦略
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Strategy {
    /// Stable identity: kept across edits, moves, renumbering, rollover and
    /// files. Hoshin assigns one where it is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub id: Option<String>,
    /// e.g. "5-1"; null where the layout lists strategies as bullets.
    pub number: Option<String>,
    pub title: String,
    /// めざす状態
    #[serde(default)]
    pub goal_state: Option<String>,
    /// 現状
    #[serde(default)]
    pub current_state: Option<String>,
    /// 課題
    #[serde(default)]
    pub challenges: Option<String>,
    /// 中期的な取組の方向性
    #[serde(default)]
    pub direction: Option<String>,
    #[serde(default)]
    pub outcome_indicators: Vec<Indicator>,
    /// 戦略の自己評価
    #[serde(default)]
    pub self_evaluation: Option<String>,
    /// 改善策
    #[serde(default)]
    pub improvements: Option<String>,
    #[serde(default)]
    pub initiatives: Vec<Initiative>,
}

impl Strategy {
    /// A strategy with a title and nothing else yet.
    pub fn new(number: Option<String>, title: String) -> Strategy {
        Strategy {
            number,
            title,
            goal_state: None,
            current_state: None,
            challenges: None,
            direction: None,
            outcome_indicators: Vec::new(),
            self_evaluation: None,
            improvements: None,
            initiatives: Vec::new(),
            ..Default::default()
        }
    }
}

/// 具体的取組
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Initiative {
    /// Stable identity: kept across edits, moves, renumbering, rollover and
    /// files. Hoshin assigns one where it is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub id: Option<String>,
    /// e.g. "5-1-2"
    pub number: String,
    pub title: String,
    /// 概要
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub budgets: Vec<Budget>,
    /// 主な取組
    #[serde(default)]
    pub activities: Vec<Activity>,
    /// プロセス（過程）指標
    #[serde(default)]
    pub process_indicators: Vec<Indicator>,
    /// 写真等
    #[serde(default)]
    pub photos: Vec<Photo>,
    /// 〈参考〉区政会議等意見
    #[serde(default)]
    pub council_opinions: Vec<String>,
    /// 担当課 (e.g. 市民協働課): the section that carries it out and reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub section: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    pub fiscal_year: i32,
    pub kind: BudgetKind,
    /// Whole yen; null prints as －.
    #[ts(type = "number | null")]
    pub amount_yen: Option<u64>,
}

/// 決算額 / 予算額
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum BudgetKind {
    Settled,
    Budget,
}

impl BudgetKind {
    pub fn code(self) -> &'static str {
        match self {
            BudgetKind::Settled => "settled",
            BudgetKind::Budget => "budget",
        }
    }
    pub fn from_code(code: &str) -> Option<BudgetKind> {
        [BudgetKind::Settled, BudgetKind::Budget]
            .into_iter()
            .find(|k| k.code() == code)
    }
    /// 決算額 / 予算額
    pub fn label(self) -> &'static str {
        match self {
            BudgetKind::Settled => "決算額",
            BudgetKind::Budget => "予算額",
        }
    }
}

/// A row of 主な取組 with its yearly results.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    /// Stable identity: kept across edits, moves, renumbering, rollover and
    /// files. Hoshin assigns one where it is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub id: Option<String>,
    pub text: String,
    #[serde(default)]
    pub results: Vec<ActivityResult>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct ActivityResult {
    pub fiscal_year: i32,
    pub text: String,
}

/// アウトカム指標 or プロセス指標.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Stable identity: kept across edits, moves, renumbering, rollover and
    /// files. Hoshin assigns one where it is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub id: Option<String>,
    pub text: String,
    pub target: Target,
    #[serde(default)]
    pub results: Vec<IndicatorResult>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// null for a qualitative target
    #[ts(type = "number | null")]
    pub value: Option<Number>,
    pub unit: String,
    pub comparison: Option<Comparison>,
    /// e.g. 2024 for 6年度までに; null for a yearly target
    #[serde(default)]
    pub by_fiscal_year: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub from_fiscal_year: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub cumulative: Option<bool>,
    /// the target as printed, e.g. 6年度までに70％以上
    #[serde(default)]
    pub text: Option<String>,
}

impl Target {
    /// What the parts say, as printed: 「6年度までに70%以上（累計）」, 「－」
    /// when there are none.
    pub fn text_from_parts(&self) -> String {
        let mut s = String::new();
        if let Some(y) = self.by_fiscal_year {
            s.push_str(&format!(
                "{}までに",
                crate::wareki::short_label(y, crate::wareki::Digits::Half)
            ));
        }
        if let Some(v) = &self.value {
            s.push_str(&format!("{v}{}", self.unit));
        }
        if let Some(c) = self.comparison {
            s.push_str(c.label());
        }
        if self.cumulative == Some(true) {
            s.push_str("（累計）");
        }
        if s.is_empty() {
            s.push('－');
        }
        s
    }
}

/// 以上 / 以下
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    AtLeast,
    AtMost,
}

impl Comparison {
    pub fn code(self) -> &'static str {
        match self {
            Comparison::AtLeast => "at_least",
            Comparison::AtMost => "at_most",
        }
    }
    pub fn from_code(code: &str) -> Option<Comparison> {
        [Comparison::AtLeast, Comparison::AtMost]
            .into_iter()
            .find(|c| c.code() == code)
    }
    pub fn label(self) -> &'static str {
        match self {
            Comparison::AtLeast => "以上",
            Comparison::AtMost => "以下",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct IndicatorResult {
    pub fiscal_year: i32,
    #[ts(type = "number | null")]
    pub value: Option<Number>,
    /// 〇 true / － false; null = not judged. Stored as confirmed, never recomputed.
    #[serde(default)]
    pub achieved: Option<bool>,
    /// 出典
    #[serde(default)]
    pub source: Option<String>,
    /// grade of the city's 定量評価, e.g. A
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub rating: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub note: Option<String>,
}

/// 写真等
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Photo {
    /// Stable identity: kept across edits, moves, renumbering, rollover and
    /// files. Hoshin assigns one where it is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub id: Option<String>,
    pub caption: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub media_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub data_base64: Option<String>,
}

impl Plan {
    /// An empty plan for a ward and year.
    pub fn new(ward: &str, fiscal_year: i32) -> Plan {
        Plan {
            format: FORMAT_NAME.to_string(),
            version: FORMAT_VERSION,
            ward: ward.to_string(),
            fiscal_year,
            // Not stated until the planner picks one; the window shows 策定.
            stage: None,
            source: None,
            goal: None,
            mission: None,
            basic_policy: None,
            self_evaluation: None,
            future_policy: None,
            issues: Vec::new(),
        }
    }

    /// Names as [`crate::normalize::clean_name`] keeps them, whatever wrote
    /// the plan (JSON, Excel, a reply): 「総務課　」 and 総務課 are one 担当課.
    pub fn clean_names(&mut self) {
        for issue in &mut self.issues {
            for strategy in &mut issue.strategies {
                for it in &mut strategy.initiatives {
                    it.section = it.section.as_deref().and_then(crate::normalize::clean_name);
                }
            }
        }
    }

    /// Rewrites every strategy and initiative number from the tree's shape
    /// (5-1, 5-1-2), so numbering follows moves, inserts and deletes.
    pub fn renumber(&mut self) {
        for issue in &mut self.issues {
            for (si, strategy) in issue.strategies.iter_mut().enumerate() {
                if strategy.number.is_some() {
                    strategy.number = Some(strategy_number(issue.number, si));
                }
                for (ii, initiative) in strategy.initiatives.iter_mut().enumerate() {
                    initiative.number = initiative_number(issue.number, si, ii);
                }
            }
        }
    }
}

/// The one numbering rule: a strategy is 「経営課題番号-位置」 (5-1) and an
/// initiative 「経営課題番号-戦略の位置-位置」 (5-1-2), positions from 1.
pub fn strategy_number(issue_number: u32, strategy_index: usize) -> String {
    child_number(&issue_number.to_string(), strategy_index)
}

/// See [`strategy_number`].
pub fn initiative_number(issue_number: u32, strategy_index: usize, index: usize) -> String {
    child_number(&strategy_number(issue_number, strategy_index), index)
}

/// The number of the child at `index` under the node numbered `parent`.
pub fn child_number(parent: &str, index: usize) -> String {
    format!("{parent}-{}", index + 1)
}

/// Japanese labels of the interchange format's keys (plan.schema.json).
pub fn field_label(key: &str) -> &str {
    match key {
        "ward" => "区名",
        "fiscal_year" => "年度",
        "stage" => "段階",
        "source" => "出典",
        "goal" => "区の目標",
        "mission" => "区の使命",
        "basic_policy" => "区運営の基本的な考え方",
        "self_evaluation" => "自己評価",
        "future_policy" => "今後の方針",
        "number" => "番号",
        "title" => "名称",
        "summary" => "概要",
        "sdgs" => "SDGsゴール",
        "recognition" => "課題認識",
        "outcome_indicators" => "アウトカム指標",
        "budgets" => "予算",
        "main_strategies" => "主な戦略",
        "goal_state" => "めざす状態",
        "current_state" => "現状",
        "challenges" => "課題",
        "direction" => "中期的な取組の方向性",
        "improvements" => "改善策",
        "activities" => "主な取組",
        "process_indicators" => "プロセス指標",
        "photos" => "写真",
        "council_opinions" => "区政会議等意見",
        "kind" => "種別",
        "amount_yen" => "金額（円）",
        "text" => "内容",
        "results" => "実績",
        "target" => "目標",
        "value" => "値",
        "unit" => "単位",
        "comparison" => "以上/以下",
        "by_fiscal_year" => "期限の年度",
        "from_fiscal_year" => "開始年度",
        "cumulative" => "累計",
        "achieved" => "達成（〇/－）",
        "rating" => "評価",
        "note" => "備考",
        "caption" => "説明",
        "media_type" => "画像形式",
        "data_base64" => "画像",
        "issues" | "strategies" | "initiatives" => "",
        other => other,
    }
}
