//! Plan ⇄ rows. A plan is saved as a unit: its row is kept (by ward and year)
//! and its children are written anew in tree order, inside the caller's
//! transaction.

use base64::Engine;
use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::Number;

use crate::error::Result;
use crate::model::*;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// A JSON number in a typeless column: integers stay integers, reals reals.
fn number_to_sql(n: &Option<Number>) -> ToSqlOutput<'static> {
    let value = match n {
        None => Value::Null,
        Some(n) => match n.as_i64() {
            Some(i) if !n.is_f64() => Value::Integer(i),
            _ => Value::Real(n.as_f64().unwrap_or(f64::NAN)),
        },
    };
    ToSqlOutput::Owned(value)
}

fn number_from_sql(row: &Row, index: usize) -> rusqlite::Result<Option<Number>> {
    Ok(match row.get_ref(index)? {
        ValueRef::Integer(i) => Some(Number::from(i)),
        ValueRef::Real(f) => Number::from_f64(f),
        _ => None,
    })
}

pub(super) fn plan_id(conn: &Connection, ward: &str, fiscal_year: i32) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM plan WHERE ward = ?1 AND fiscal_year = ?2")?
        .query_row(params![ward, fiscal_year], |r| r.get(0))
        .optional()?)
}

pub(super) fn delete_plan(conn: &Connection, ward: &str, fiscal_year: i32) -> Result<()> {
    conn.execute(
        "DELETE FROM plan WHERE ward = ?1 AND fiscal_year = ?2",
        params![ward, fiscal_year],
    )?;
    Ok(())
}

pub(super) fn save_plan(conn: &Connection, plan: &Plan) -> Result<()> {
    let stage = plan.stage.map(Stage::code);
    let id = match plan_id(conn, &plan.ward, plan.fiscal_year)? {
        Some(id) => {
            conn.execute(
                "UPDATE plan SET stage = ?2, source = ?3, goal = ?4, mission = ?5, basic_policy = ?6,
                 self_evaluation = ?7, future_policy = ?8 WHERE id = ?1",
                params![id, stage, plan.source, plan.goal, plan.mission, plan.basic_policy, plan.self_evaluation, plan.future_policy],
            )?;
            conn.execute("DELETE FROM issue WHERE plan_id = ?1", [id])?;
            id
        }
        None => {
            conn.execute(
                "INSERT INTO plan (ward, fiscal_year, stage, source, goal, mission, basic_policy, self_evaluation, future_policy)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![plan.ward, plan.fiscal_year, stage, plan.source, plan.goal, plan.mission, plan.basic_policy, plan.self_evaluation, plan.future_policy],
            )?;
            conn.last_insert_rowid()
        }
    };
    for (pos, issue) in plan.issues.iter().enumerate() {
        save_issue(conn, id, pos, issue)?;
    }
    Ok(())
}

fn save_issue(conn: &Connection, plan_id: i64, pos: usize, issue: &Issue) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO issue (plan_id, position, number, title, summary, recognition) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![plan_id, pos as i64, issue.number, issue.title, issue.summary, issue.recognition])?;
    let id = conn.last_insert_rowid();
    for (p, goal) in issue.sdgs.iter().enumerate() {
        conn.prepare_cached(
            "INSERT INTO issue_sdg (issue_id, position, goal) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![id, p as i64, goal])?;
    }
    for (p, text) in issue.main_strategies.iter().enumerate() {
        conn.prepare_cached(
            "INSERT INTO issue_main_strategy (issue_id, position, text) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![id, p as i64, text])?;
    }
    save_budgets(conn, Owner::Issue(id), &issue.budgets)?;
    save_indicators(conn, Owner::Issue(id), &issue.outcome_indicators)?;
    for (p, strategy) in issue.strategies.iter().enumerate() {
        save_strategy(conn, id, p, strategy)?;
    }
    Ok(())
}

fn save_strategy(conn: &Connection, issue_id: i64, pos: usize, s: &Strategy) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO strategy (issue_id, position, numbered, title, goal_state, current_state, challenges, direction,
         self_evaluation, improvements) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        issue_id,
        pos as i64,
        s.number.is_some(),
        s.title,
        s.goal_state,
        s.current_state,
        s.challenges,
        s.direction,
        s.self_evaluation,
        s.improvements
    ])?;
    let id = conn.last_insert_rowid();
    save_indicators(conn, Owner::Strategy(id), &s.outcome_indicators)?;
    for (p, initiative) in s.initiatives.iter().enumerate() {
        save_initiative(conn, id, p, initiative)?;
    }
    Ok(())
}

fn save_initiative(conn: &Connection, strategy_id: i64, pos: usize, it: &Initiative) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO initiative (strategy_id, position, title, summary) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![strategy_id, pos as i64, it.title, it.summary])?;
    let id = conn.last_insert_rowid();
    save_budgets(conn, Owner::Initiative(id), &it.budgets)?;
    for (p, activity) in it.activities.iter().enumerate() {
        conn.prepare_cached(
            "INSERT INTO activity (initiative_id, position, text) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![id, p as i64, activity.text])?;
        let activity_id = conn.last_insert_rowid();
        for (rp, result) in activity.results.iter().enumerate() {
            conn.prepare_cached(
                "INSERT INTO activity_result (activity_id, position, fiscal_year, text) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![activity_id, rp as i64, result.fiscal_year, result.text])?;
        }
    }
    save_indicators(conn, Owner::Initiative(id), &it.process_indicators)?;
    for (p, photo) in it.photos.iter().enumerate() {
        // Validation has already checked that the base64 decodes.
        let data = photo.data_base64.as_ref().and_then(|d| B64.decode(d).ok());
        conn.prepare_cached(
            "INSERT INTO photo (initiative_id, position, caption, media_type, data) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![id, p as i64, photo.caption, photo.media_type, data])?;
    }
    for (p, text) in it.council_opinions.iter().enumerate() {
        conn.prepare_cached(
            "INSERT INTO council_opinion (initiative_id, position, text) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![id, p as i64, text])?;
    }
    Ok(())
}

/// Which row a budget or indicator hangs off.
#[derive(Clone, Copy)]
enum Owner {
    Issue(i64),
    Strategy(i64),
    Initiative(i64),
}

impl Owner {
    /// (issue_id, strategy_id, initiative_id)
    fn columns(self) -> (Option<i64>, Option<i64>, Option<i64>) {
        match self {
            Owner::Issue(id) => (Some(id), None, None),
            Owner::Strategy(id) => (None, Some(id), None),
            Owner::Initiative(id) => (None, None, Some(id)),
        }
    }
    fn column_name(self) -> &'static str {
        match self {
            Owner::Issue(_) => "issue_id",
            Owner::Strategy(_) => "strategy_id",
            Owner::Initiative(_) => "initiative_id",
        }
    }
    fn id(self) -> i64 {
        match self {
            Owner::Issue(id) | Owner::Strategy(id) | Owner::Initiative(id) => id,
        }
    }
}

fn save_budgets(conn: &Connection, owner: Owner, budgets: &[Budget]) -> Result<()> {
    let (issue_id, _, initiative_id) = owner.columns();
    for (p, b) in budgets.iter().enumerate() {
        conn.prepare_cached(
            "INSERT INTO budget (issue_id, initiative_id, position, fiscal_year, kind, amount_yen) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![issue_id, initiative_id, p as i64, b.fiscal_year, b.kind.code(), b.amount_yen.map(|a| a as i64)])?;
    }
    Ok(())
}

fn save_indicators(conn: &Connection, owner: Owner, indicators: &[Indicator]) -> Result<()> {
    let (issue_id, strategy_id, initiative_id) = owner.columns();
    for (p, ind) in indicators.iter().enumerate() {
        let t = &ind.target;
        conn.prepare_cached(
            "INSERT INTO indicator (issue_id, strategy_id, initiative_id, position, text, target_value, target_unit,
             target_comparison, target_by_year, target_from_year, target_cumulative, target_text)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?
        .execute(params![
            issue_id,
            strategy_id,
            initiative_id,
            p as i64,
            ind.text,
            number_to_sql(&t.value),
            t.unit,
            t.comparison.map(Comparison::code),
            t.by_fiscal_year,
            t.from_fiscal_year,
            t.cumulative,
            t.text
        ])?;
        let id = conn.last_insert_rowid();
        for (rp, r) in ind.results.iter().enumerate() {
            conn.prepare_cached(
                "INSERT INTO indicator_result (indicator_id, position, fiscal_year, value, achieved, source, rating, note)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![id, rp as i64, r.fiscal_year, number_to_sql(&r.value), r.achieved, r.source, r.rating, r.note])?;
        }
    }
    Ok(())
}

pub(super) fn load_plan(conn: &Connection, ward: &str, fiscal_year: i32) -> Result<Option<Plan>> {
    let row = conn
        .prepare_cached(
            "SELECT id, stage, source, goal, mission, basic_policy, self_evaluation, future_policy
             FROM plan WHERE ward = ?1 AND fiscal_year = ?2",
        )?
        .query_row(params![ward, fiscal_year], |r| {
            let stage: Option<String> = r.get(1)?;
            Ok((
                r.get::<_, i64>(0)?,
                Plan {
                    format: FORMAT_NAME.to_string(),
                    version: FORMAT_VERSION,
                    ward: ward.to_string(),
                    fiscal_year,
                    stage: stage.as_deref().and_then(Stage::from_code),
                    source: r.get(2)?,
                    goal: r.get(3)?,
                    mission: r.get(4)?,
                    basic_policy: r.get(5)?,
                    self_evaluation: r.get(6)?,
                    future_policy: r.get(7)?,
                    issues: Vec::new(),
                },
            ))
        })
        .optional()?;
    let Some((id, mut plan)) = row else {
        return Ok(None);
    };
    let issue_rows: Vec<(i64, Issue)> = conn
        .prepare_cached("SELECT id, number, title, summary, recognition FROM issue WHERE plan_id = ?1 ORDER BY position")?
        .query_map([id], |r| {
            Ok((
                r.get(0)?,
                Issue {
                    number: r.get(1)?,
                    title: r.get(2)?,
                    summary: r.get(3)?,
                    sdgs: Vec::new(),
                    recognition: r.get(4)?,
                    outcome_indicators: Vec::new(),
                    budgets: Vec::new(),
                    main_strategies: Vec::new(),
                    strategies: Vec::new(),
                    ..Default::default()
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (issue_id, mut issue) in issue_rows {
        issue.sdgs = list(
            conn,
            "SELECT goal FROM issue_sdg WHERE issue_id = ?1 ORDER BY position",
            issue_id,
        )?;
        issue.main_strategies = list(
            conn,
            "SELECT text FROM issue_main_strategy WHERE issue_id = ?1 ORDER BY position",
            issue_id,
        )?;
        issue.budgets = load_budgets(conn, Owner::Issue(issue_id))?;
        issue.outcome_indicators = load_indicators(conn, Owner::Issue(issue_id))?;
        issue.strategies = load_strategies(conn, issue_id, issue.number)?;
        plan.issues.push(issue);
    }
    Ok(Some(plan))
}

fn list<T: rusqlite::types::FromSql>(conn: &Connection, sql: &str, id: i64) -> Result<Vec<T>> {
    Ok(conn
        .prepare_cached(sql)?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

fn load_strategies(conn: &Connection, issue_id: i64, issue_number: u32) -> Result<Vec<Strategy>> {
    let rows: Vec<(i64, Strategy)> = conn
        .prepare_cached(
            "SELECT id, numbered, title, goal_state, current_state, challenges, direction, self_evaluation, improvements
             FROM strategy WHERE issue_id = ?1 ORDER BY position",
        )?
        .query_map([issue_id], |r| {
            Ok((
                r.get(0)?,
                Strategy {
                    number: r.get::<_, bool>(1)?.then(String::new),
                    title: r.get(2)?,
                    goal_state: r.get(3)?,
                    current_state: r.get(4)?,
                    challenges: r.get(5)?,
                    direction: r.get(6)?,
                    outcome_indicators: Vec::new(),
                    self_evaluation: r.get(7)?,
                    improvements: r.get(8)?,
                    initiatives: Vec::new(),
                    ..Default::default()
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut strategies = Vec::with_capacity(rows.len());
    for (index, (id, mut s)) in rows.into_iter().enumerate() {
        let number = format!("{issue_number}-{}", index + 1);
        if s.number.is_some() {
            s.number = Some(number.clone());
        }
        s.outcome_indicators = load_indicators(conn, Owner::Strategy(id))?;
        s.initiatives = load_initiatives(conn, id, &number)?;
        strategies.push(s);
    }
    Ok(strategies)
}

fn load_initiatives(
    conn: &Connection,
    strategy_id: i64,
    strategy_number: &str,
) -> Result<Vec<Initiative>> {
    let rows: Vec<(i64, String, Option<String>)> = conn
        .prepare_cached(
            "SELECT id, title, summary FROM initiative WHERE strategy_id = ?1 ORDER BY position",
        )?
        .query_map([strategy_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut initiatives = Vec::with_capacity(rows.len());
    for (index, (id, title, summary)) in rows.into_iter().enumerate() {
        let activity_rows: Vec<(i64, String)> = conn
            .prepare_cached(
                "SELECT id, text FROM activity WHERE initiative_id = ?1 ORDER BY position",
            )?
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut activities = Vec::with_capacity(activity_rows.len());
        for (activity_id, text) in activity_rows {
            let results = conn
                .prepare_cached(
                    "SELECT fiscal_year, text FROM activity_result WHERE activity_id = ?1 ORDER BY position",
                )?
                .query_map([activity_id], |r| {
                    Ok(ActivityResult {
                        fiscal_year: r.get(0)?,
                        text: r.get(1)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            activities.push(Activity {
                text,
                results,
                ..Default::default()
            });
        }
        let photos = conn
            .prepare_cached("SELECT caption, media_type, data FROM photo WHERE initiative_id = ?1 ORDER BY position")?
            .query_map([id], |r| {
                Ok(Photo {
                    caption: r.get(0)?,
                    media_type: r.get(1)?,
                    data_base64: r.get::<_, Option<Vec<u8>>>(2)?.map(|d| B64.encode(d)),
                    ..Default::default()
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        initiatives.push(Initiative {
            number: format!("{strategy_number}-{}", index + 1),
            title,
            summary,
            budgets: load_budgets(conn, Owner::Initiative(id))?,
            activities,
            process_indicators: load_indicators(conn, Owner::Initiative(id))?,
            photos,
            council_opinions: list(
                conn,
                "SELECT text FROM council_opinion WHERE initiative_id = ?1 ORDER BY position",
                id,
            )?,
            ..Default::default()
        });
    }
    Ok(initiatives)
}

fn load_budgets(conn: &Connection, owner: Owner) -> Result<Vec<Budget>> {
    let sql = format!(
        "SELECT fiscal_year, kind, amount_yen FROM budget WHERE {} = ?1 ORDER BY position",
        owner.column_name()
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

fn load_indicators(conn: &Connection, owner: Owner) -> Result<Vec<Indicator>> {
    let sql = format!(
        "SELECT id, text, target_value, target_unit, target_comparison, target_by_year, target_from_year,
         target_cumulative, target_text FROM indicator WHERE {} = ?1 ORDER BY position",
        owner.column_name()
    );
    let rows: Vec<(i64, Indicator)> = conn
        .prepare_cached(&sql)?
        .query_map([owner.id()], |r| {
            let comparison: Option<String> = r.get(4)?;
            Ok((
                r.get(0)?,
                Indicator {
                    text: r.get(1)?,
                    target: Target {
                        value: number_from_sql(r, 2)?,
                        unit: r.get(3)?,
                        comparison: comparison.as_deref().and_then(Comparison::from_code),
                        by_fiscal_year: r.get(5)?,
                        from_fiscal_year: r.get(6)?,
                        cumulative: r.get(7)?,
                        text: r.get(8)?,
                    },
                    results: Vec::new(),
                    ..Default::default()
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut indicators = Vec::with_capacity(rows.len());
    for (id, mut indicator) in rows {
        indicator.results = conn
            .prepare_cached(
                "SELECT fiscal_year, value, achieved, source, rating, note FROM indicator_result
                 WHERE indicator_id = ?1 ORDER BY position",
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
        indicators.push(indicator);
    }
    Ok(indicators)
}
