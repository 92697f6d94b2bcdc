//! Rows → plan. A whole plan for export and the window, or one node with
//! only what an edit of it needs ("shallow": an issue without its
//! strategies, a strategy without its initiatives). Numbers (5-1-2) are
//! derived here from positions, never read from the file.

use base64::Engine;
use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::Number;

use super::images;
use crate::error::{Error, Result};
use crate::model::*;

/// Whether photos carry their image bytes (as base64) or only their slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Images {
    /// Filled from the image table: for export, JSON, and whole-plan diffs.
    Embedded,
    /// Left out (`data_base64` None); the stored image is kept by any save.
    Untouched,
}

/// The row an indicator or budget hangs off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    Issue(i64),
    Strategy(i64),
    Initiative(i64),
}

impl Owner {
    pub(crate) fn column(self) -> &'static str {
        match self {
            Owner::Issue(_) => "issue_id",
            Owner::Strategy(_) => "strategy_id",
            Owner::Initiative(_) => "initiative_id",
        }
    }
    pub(crate) fn id(self) -> i64 {
        match self {
            Owner::Issue(id) | Owner::Strategy(id) | Owner::Initiative(id) => id,
        }
    }
}

/// A JSON number from a typeless column: integers stay integers, reals reals.
pub(crate) fn number_from_sql(row: &Row, index: usize) -> rusqlite::Result<Option<Number>> {
    Ok(match row.get_ref(index)? {
        ValueRef::Integer(i) => Some(Number::from(i)),
        ValueRef::Real(f) => Number::from_f64(f),
        _ => None,
    })
}

fn json_list<T: serde::de::DeserializeOwned>(text: String) -> Vec<T> {
    // The column is CHECKed json_valid and only written by the core.
    serde_json::from_str(&text).unwrap_or_default()
}

pub(crate) fn plan_id(conn: &Connection, ward: &str, fiscal_year: i32) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM plan WHERE ward = ?1 AND fiscal_year = ?2")?
        .query_row(params![ward, fiscal_year], |r| r.get(0))
        .optional()?)
}

/// The plan row alone (no issues).
pub(crate) fn plan_fields(conn: &Connection, id: i64) -> Result<Plan> {
    Ok(conn
        .prepare_cached(
            "SELECT ward, fiscal_year, stage, source, goal, mission, basic_policy, self_evaluation, future_policy
             FROM plan WHERE id = ?1",
        )?
        .query_row([id], |r| {
            let stage: Option<String> = r.get(2)?;
            Ok(Plan {
                format: FORMAT_NAME.to_string(),
                version: FORMAT_VERSION,
                ward: r.get(0)?,
                fiscal_year: r.get(1)?,
                stage: stage.as_deref().and_then(Stage::from_code),
                source: r.get(3)?,
                goal: r.get(4)?,
                mission: r.get(5)?,
                basic_policy: r.get(6)?,
                self_evaluation: r.get(7)?,
                future_policy: r.get(8)?,
                issues: Vec::new(),
            })
        })?)
}

/// The whole plan, or None when there is no plan for that ward and year.
pub(crate) fn load_plan(
    conn: &Connection,
    ward: &str,
    fiscal_year: i32,
    images: Images,
) -> Result<Option<Plan>> {
    let Some(id) = plan_id(conn, ward, fiscal_year)? else {
        return Ok(None);
    };
    let mut plan = plan_fields(conn, id)?;
    for issue_id in child_ids(
        conn,
        "SELECT id FROM issue WHERE plan_id = ?1 ORDER BY position, id",
        id,
    )? {
        plan.issues.push(issue(conn, issue_id, true, images)?);
    }
    Ok(Some(plan))
}

fn child_ids(conn: &Connection, sql: &str, parent: i64) -> Result<Vec<i64>> {
    Ok(conn
        .prepare_cached(sql)?
        .query_map([parent], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// An issue; `deep` with its strategies and their initiatives.
pub(crate) fn issue(conn: &Connection, id: i64, deep: bool, images: Images) -> Result<Issue> {
    let mut issue = conn
        .prepare_cached(
            "SELECT uid, number, title, summary, recognition, sdgs, main_strategies FROM issue WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok(Issue {
                id: Some(r.get(0)?),
                number: r.get(1)?,
                title: r.get(2)?,
                summary: r.get(3)?,
                recognition: r.get(4)?,
                sdgs: json_list(r.get(5)?),
                main_strategies: json_list(r.get(6)?),
                ..Default::default()
            })
        })?;
    issue.budgets = budgets(conn, Owner::Issue(id))?;
    issue.outcome_indicators = indicators(conn, Owner::Issue(id))?;
    if deep {
        let ids = child_ids(
            conn,
            "SELECT id FROM strategy WHERE issue_id = ?1 ORDER BY position, id",
            id,
        )?;
        for (index, strategy_id) in ids.into_iter().enumerate() {
            let number = strategy_number(issue.number, index);
            issue
                .strategies
                .push(strategy(conn, strategy_id, &number, true, images)?);
        }
    }
    Ok(issue)
}

/// A strategy numbered `number` (5-1); `deep` with its initiatives.
pub(crate) fn strategy(
    conn: &Connection,
    id: i64,
    number: &str,
    deep: bool,
    images: Images,
) -> Result<Strategy> {
    let mut strategy = conn
        .prepare_cached(
            "SELECT uid, numbered, title, goal_state, current_state, challenges, direction, self_evaluation,
             improvements FROM strategy WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok(Strategy {
                id: Some(r.get(0)?),
                number: r.get::<_, bool>(1)?.then(|| number.to_string()),
                title: r.get(2)?,
                goal_state: r.get(3)?,
                current_state: r.get(4)?,
                challenges: r.get(5)?,
                direction: r.get(6)?,
                self_evaluation: r.get(7)?,
                improvements: r.get(8)?,
                ..Default::default()
            })
        })?;
    strategy.outcome_indicators = indicators(conn, Owner::Strategy(id))?;
    if deep {
        let ids = child_ids(
            conn,
            "SELECT id FROM initiative WHERE strategy_id = ?1 ORDER BY position, id",
            id,
        )?;
        for (index, initiative_id) in ids.into_iter().enumerate() {
            let number = child_number(number, index);
            strategy
                .initiatives
                .push(initiative(conn, initiative_id, &number, images)?);
        }
    }
    Ok(strategy)
}

/// An initiative numbered `number` (5-1-2), with all its rows.
pub(crate) fn initiative(
    conn: &Connection,
    id: i64,
    number: &str,
    images: Images,
) -> Result<Initiative> {
    let mut it = conn
        .prepare_cached(
            "SELECT uid, title, summary, section, council_opinions FROM initiative WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok(Initiative {
                id: Some(r.get(0)?),
                number: number.to_string(),
                title: r.get(1)?,
                summary: r.get(2)?,
                section: r.get(3)?,
                council_opinions: json_list(r.get(4)?),
                ..Default::default()
            })
        })?;
    it.budgets = budgets(conn, Owner::Initiative(id))?;
    it.activities = activities(conn, id)?;
    it.process_indicators = indicators(conn, Owner::Initiative(id))?;
    it.photos = photos(conn, id, images)?;
    Ok(it)
}

fn budgets(conn: &Connection, owner: Owner) -> Result<Vec<Budget>> {
    let sql = format!(
        "SELECT fiscal_year, kind, amount_yen FROM budget WHERE {} = ?1 ORDER BY position, id",
        owner.column()
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_map([owner.id()], |r| {
            let kind: String = r.get(1)?;
            Ok(Budget {
                fiscal_year: r.get(0)?,
                kind: BudgetKind::from_code(&kind).unwrap_or(BudgetKind::Budget),
                amount_yen: r.get::<_, Option<i64>>(2)?.map(|a| a as u64),
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

fn activities(conn: &Connection, initiative_id: i64) -> Result<Vec<Activity>> {
    let rows: Vec<(i64, Activity)> = conn
        .prepare_cached(
            "SELECT id, uid, text FROM activity WHERE initiative_id = ?1 ORDER BY position, id",
        )?
        .query_map([initiative_id], |r| {
            Ok((
                r.get(0)?,
                Activity {
                    id: Some(r.get(1)?),
                    text: r.get(2)?,
                    results: Vec::new(),
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, mut activity) in rows {
        activity.results = conn
            .prepare_cached(
                "SELECT fiscal_year, text FROM activity_result WHERE activity_id = ?1 ORDER BY position, id",
            )?
            .query_map([id], |r| {
                Ok(ActivityResult {
                    fiscal_year: r.get(0)?,
                    text: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        out.push(activity);
    }
    Ok(out)
}

pub(crate) fn indicators(conn: &Connection, owner: Owner) -> Result<Vec<Indicator>> {
    let sql = format!(
        "SELECT id, uid, text, target_value, target_unit, target_comparison, target_by_year, target_from_year,
         target_cumulative, target_text FROM indicator WHERE {} = ?1 ORDER BY position, id",
        owner.column()
    );
    let rows: Vec<(i64, Indicator)> = conn
        .prepare_cached(&sql)?
        .query_map([owner.id()], |r| {
            let comparison: Option<String> = r.get(5)?;
            Ok((
                r.get(0)?,
                Indicator {
                    id: Some(r.get(1)?),
                    text: r.get(2)?,
                    target: Target {
                        value: number_from_sql(r, 3)?,
                        unit: r.get(4)?,
                        comparison: comparison.as_deref().and_then(Comparison::from_code),
                        by_fiscal_year: r.get(6)?,
                        from_fiscal_year: r.get(7)?,
                        cumulative: r.get(8)?,
                        text: r.get(9)?,
                    },
                    results: Vec::new(),
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, mut indicator) in rows {
        indicator.results = conn
            .prepare_cached(
                "SELECT fiscal_year, value, achieved, source, rating, note FROM indicator_result
                 WHERE indicator_id = ?1 ORDER BY position, id",
            )?
            .query_map([id], |r| {
                Ok(IndicatorResult {
                    fiscal_year: r.get(0)?,
                    value: number_from_sql(r, 1)?,
                    achieved: r.get(2)?,
                    source: r.get(3)?,
                    rating: r.get(4)?,
                    note: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        out.push(indicator);
    }
    Ok(out)
}

fn photos(conn: &Connection, initiative_id: i64, images: Images) -> Result<Vec<Photo>> {
    let rows: Vec<(Photo, Option<String>)> = conn
        .prepare_cached(
            "SELECT p.uid, p.caption, p.image_hash, i.media_type FROM photo p LEFT JOIN image i ON i.hash = p.image_hash
             WHERE p.initiative_id = ?1 ORDER BY p.position, p.id",
        )?
        .query_map([initiative_id], |r| {
            Ok((
                Photo {
                    id: Some(r.get(0)?),
                    caption: r.get(1)?,
                    media_type: r.get(3)?,
                    data_base64: None,
                },
                r.get(2)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for (mut photo, hash) in rows {
        if let (Images::Embedded, Some(hash)) = (images, hash) {
            let bytes = images::bytes(conn, &hash)?;
            photo.data_base64 = Some(base64::engine::general_purpose::STANDARD.encode(bytes));
        }
        out.push(photo);
    }
    Ok(out)
}

/// Where a node sits: its row, its plan, and the numbers of its place.
#[derive(Debug, Clone)]
pub(crate) struct Located {
    pub row: i64,
    /// 5, "5-1" or "5-1-2"; empty for the plan.
    pub number: String,
}

/// Finds a node of plan `plan_id` by its stable id in `table` (issue,
/// strategy or initiative) and works out its number.
pub(crate) fn locate(
    conn: &Connection,
    plan_id: i64,
    table: NodeTable,
    uid: &str,
) -> Result<Located> {
    let missing = || {
        Error::NodeNotFound(format!(
            "{}が見つかりません。ほかの操作で削除された可能性があります（画面を更新しました）。",
            table.label()
        ))
    };
    // Positions among siblings, counted the way `ORDER BY position, id` lists them.
    let sql = match table {
        NodeTable::Issue => "SELECT id, number, 0, 0 FROM issue WHERE plan_id = ?1 AND uid = ?2",
        NodeTable::Strategy => {
            "SELECT s.id, i.number,
                    (SELECT count(*) FROM strategy o WHERE o.issue_id = s.issue_id AND (o.position, o.id) < (s.position, s.id)),
                    0
             FROM strategy s JOIN issue i ON i.id = s.issue_id WHERE s.plan_id = ?1 AND s.uid = ?2"
        }
        NodeTable::Initiative => {
            "SELECT n.id, i.number,
                    (SELECT count(*) FROM strategy o WHERE o.issue_id = s.issue_id AND (o.position, o.id) < (s.position, s.id)),
                    (SELECT count(*) FROM initiative o WHERE o.strategy_id = n.strategy_id AND (o.position, o.id) < (n.position, n.id))
             FROM initiative n JOIN strategy s ON s.id = n.strategy_id JOIN issue i ON i.id = s.issue_id
             WHERE n.plan_id = ?1 AND n.uid = ?2"
        }
    };
    let found: Option<(i64, u32, i64, i64)> = conn
        .prepare_cached(sql)?
        .query_row(params![plan_id, uid], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    let (row, issue_number, strategy_index, index) = found.ok_or_else(missing)?;
    let (strategy_index, index) = (strategy_index as usize, index as usize);
    let number = match table {
        NodeTable::Issue => issue_number.to_string(),
        NodeTable::Strategy => strategy_number(issue_number, strategy_index),
        NodeTable::Initiative => initiative_number(issue_number, strategy_index, index),
    };
    Ok(Located { row, number })
}

/// The tables of tree nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NodeTable {
    Issue,
    Strategy,
    Initiative,
}

impl NodeTable {
    pub(crate) fn name(self) -> &'static str {
        match self {
            NodeTable::Issue => "issue",
            NodeTable::Strategy => "strategy",
            NodeTable::Initiative => "initiative",
        }
    }
    pub(crate) fn label(self) -> &'static str {
        match self {
            NodeTable::Issue => "経営課題",
            NodeTable::Strategy => "戦略",
            NodeTable::Initiative => "具体的取組",
        }
    }
}

/// The owner of an indicator, activity or photo row, by the row's stable id.
pub(crate) fn owner_of(
    conn: &Connection,
    plan_id: i64,
    table: RowTable,
    uid: &str,
) -> Result<(NodeTable, String)> {
    let sql = match table {
        RowTable::Indicator => {
            "SELECT CASE WHEN d.issue_id IS NOT NULL THEN 'issue' WHEN d.strategy_id IS NOT NULL THEN 'strategy'
                    ELSE 'initiative' END, coalesce(i.uid, s.uid, n.uid)
             FROM indicator d LEFT JOIN issue i ON i.id = d.issue_id LEFT JOIN strategy s ON s.id = d.strategy_id
             LEFT JOIN initiative n ON n.id = d.initiative_id WHERE d.plan_id = ?1 AND d.uid = ?2"
        }
        RowTable::Activity => {
            "SELECT 'initiative', n.uid FROM activity a JOIN initiative n ON n.id = a.initiative_id
             WHERE a.plan_id = ?1 AND a.uid = ?2"
        }
        RowTable::Photo => {
            "SELECT 'initiative', n.uid FROM photo p JOIN initiative n ON n.id = p.initiative_id
             WHERE p.plan_id = ?1 AND p.uid = ?2"
        }
    };
    let found: Option<(String, String)> = conn
        .prepare_cached(sql)?
        .query_row(params![plan_id, uid], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (kind, owner) = found.ok_or_else(|| {
        Error::NodeNotFound(format!(
            "{}が見つかりません。ほかの操作で削除された可能性があります（画面を更新しました）。",
            table.label()
        ))
    })?;
    let kind = match kind.as_str() {
        "issue" => NodeTable::Issue,
        "strategy" => NodeTable::Strategy,
        _ => NodeTable::Initiative,
    };
    Ok((kind, owner))
}

/// Tables of rows with a stable id that hang off a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowTable {
    Indicator,
    Activity,
    Photo,
}

impl RowTable {
    fn label(self) -> &'static str {
        match self {
            RowTable::Indicator => "指標",
            RowTable::Activity => "主な取組の行",
            RowTable::Photo => "写真",
        }
    }
}
