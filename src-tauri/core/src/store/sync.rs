//! Plan → rows, by difference. Given the stored version of a plan or node
//! (`old`, as loaded) and the wanted one (`new`), writes only the rows that
//! differ: nodes are matched by stable id, yearly rows by year, budgets by
//! year and kind. Every difference is also logged in planners' words for the
//! history list; the exact before/after values are in the SQLite session
//! changeset that the caller records around these writes.

use base64::Engine;
use rusqlite::types::{ToSqlOutput, Value};
use rusqlite::{params, Connection, ToSql};
use serde_json::Number;

use super::history::FieldChange;
use super::images;
use super::load::{Images, Owner};
use crate::error::{Error, Result};
use crate::fields::{InitiativeText, IssueText, LinesField, PlanText, StrategyText, TextField};
use crate::identity::HasId;
use crate::model::*;
use crate::validate::budget_column_label;
use crate::wareki::{long_label, Digits};

/// A JSON number in a typeless column: integers stay integers, reals reals.
pub(crate) fn number_to_sql(n: &Option<Number>) -> ToSqlOutput<'static> {
    let value = match n {
        None => Value::Null,
        Some(n) => match n.as_i64() {
            Some(i) if !n.is_f64() => Value::Integer(i),
            _ => Value::Real(n.as_f64().unwrap_or(f64::NAN)),
        },
    };
    ToSqlOutput::Owned(value)
}

fn json_text<T: serde::Serialize>(list: &[T]) -> String {
    serde_json::to_string(list).expect("a list of strings or numbers serialises")
}

/// What a list edit does to one element.
enum ListOp<'a, T> {
    Delete(&'a T),
    Insert(usize, &'a T),
    Keep {
        position: usize,
        moved: bool,
        old: &'a T,
        new: &'a T,
    },
}

/// Matches two versions of a list by key: what to delete, insert, keep.
fn diff_list<'a, T, K: PartialEq>(
    old: &'a [T],
    new: &'a [T],
    key: impl Fn(&T) -> K,
) -> Vec<ListOp<'a, T>> {
    let mut ops: Vec<ListOp<T>> = old
        .iter()
        .filter(|o| !new.iter().any(|n| key(n) == key(o)))
        .map(ListOp::Delete)
        .collect();
    for (position, n) in new.iter().enumerate() {
        match old.iter().position(|o| key(o) == key(n)) {
            Some(index) => ops.push(ListOp::Keep {
                position,
                moved: index != position,
                old: &old[index],
                new: n,
            }),
            None => ops.push(ListOp::Insert(position, n)),
        }
    }
    ops
}

fn uid<T: HasId>(node: &T) -> &str {
    node.id_ref()
        .expect("ids are assigned before a plan is written")
}

/// Writes differences of one plan's rows and logs them.
pub(crate) struct Writer<'a> {
    conn: &'a Connection,
    plan_id: i64,
    images: Images,
    /// What changed, for people (history list, `hoshin history`).
    pub log: Vec<FieldChange>,
    /// Images referred to by the rows this writer touched.
    pub images_used: Vec<String>,
}

impl<'a> Writer<'a> {
    pub(crate) fn new(conn: &'a Connection, plan_id: i64, images: Images) -> Writer<'a> {
        Writer {
            conn,
            plan_id,
            images,
            log: Vec::new(),
            images_used: Vec::new(),
        }
    }

    pub(crate) fn note(
        &mut self,
        entity: &str,
        field: &str,
        old: Option<String>,
        new: Option<String>,
    ) {
        self.log.push(FieldChange {
            entity: entity.to_string(),
            field: field.to_string(),
            old,
            new,
        });
    }

    fn exec(&self, sql: &str, params: &[&dyn ToSql]) -> Result<()> {
        self.conn.prepare_cached(sql)?.execute(params)?;
        Ok(())
    }

    fn row_of(&self, table: &str, uid: &str) -> Result<i64> {
        let sql = format!("SELECT id FROM {table} WHERE plan_id = ?1 AND uid = ?2");
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row(params![self.plan_id, uid], |r| r.get(0))?)
    }

    /// Writes the text fields of a node that differ, and logs them.
    fn texts<F: TextField>(
        &mut self,
        table: &str,
        row: i64,
        place: &str,
        old: &F::Node,
        new: &F::Node,
    ) -> Result<()> {
        for &field in F::ALL {
            let (o, n) = (field.get(old), field.get(new));
            if o != n {
                let sql = format!("UPDATE {table} SET {} = ?2 WHERE id = ?1", field.column());
                self.exec(&sql, &[&row, &n])?;
                self.note(
                    place,
                    field.label(),
                    o.map(str::to_string),
                    n.map(str::to_string),
                );
            }
        }
        Ok(())
    }

    fn set_position(&self, table: &str, row: i64, position: usize) -> Result<()> {
        self.exec(
            &format!("UPDATE {table} SET position = ?2 WHERE id = ?1"),
            &[&row, &(position as i64)],
        )
    }

    // ----- the plan -----

    /// A new plan with everything in it. Returns the plan's row id.
    pub(crate) fn insert_plan(conn: &'a Connection, plan: &Plan) -> Result<Writer<'a>> {
        conn.prepare_cached(
            "INSERT INTO plan (ward, fiscal_year, stage, source, goal, mission, basic_policy, self_evaluation, future_policy)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            plan.ward,
            plan.fiscal_year,
            plan.stage.map(Stage::code),
            plan.source,
            plan.goal,
            plan.mission,
            plan.basic_policy,
            plan.self_evaluation,
            plan.future_policy
        ])?;
        let mut w = Writer::new(conn, conn.last_insert_rowid(), Images::Embedded);
        for (position, issue) in plan.issues.iter().enumerate() {
            w.insert_issue(position, issue)?;
        }
        // One line says it: a new plan, not every node in it.
        w.log.clear();
        w.note(
            "計画",
            "（新規作成）",
            None,
            Some(format!(
                "{} {}",
                plan.ward,
                long_label(plan.fiscal_year, Digits::Half)
            )),
        );
        Ok(w)
    }

    /// Deletes the plan and everything in it.
    pub(crate) fn delete_plan(&mut self, plan: &Plan) -> Result<()> {
        for issue in &plan.issues {
            self.delete_issue(issue)?;
        }
        self.log.clear();
        self.exec("DELETE FROM plan WHERE id = ?1", &[&self.plan_id])?;
        self.note(
            "計画",
            "（削除）",
            Some(format!(
                "{} {}",
                plan.ward,
                long_label(plan.fiscal_year, Digits::Half)
            )),
            None,
        );
        Ok(())
    }

    /// The plan's own fields (`deep`: and all its issues).
    pub(crate) fn plan(&mut self, old: &Plan, new: &Plan, deep: bool) -> Result<()> {
        if (&old.ward, old.fiscal_year) != (&new.ward, new.fiscal_year) {
            self.exec(
                "UPDATE plan SET ward = ?2, fiscal_year = ?3 WHERE id = ?1",
                &[&self.plan_id, &new.ward, &new.fiscal_year],
            )?;
            let label =
                |p: &Plan| format!("{} {}", p.ward, long_label(p.fiscal_year, Digits::Half));
            self.note("計画", "区名・年度", Some(label(old)), Some(label(new)));
        }
        if old.stage != new.stage {
            self.exec(
                "UPDATE plan SET stage = ?2 WHERE id = ?1",
                &[&self.plan_id, &new.stage.map(Stage::code)],
            )?;
            let label = |s: Option<Stage>| s.map(|s| s.label().to_string());
            self.note("計画", "段階", label(old.stage), label(new.stage));
        }
        self.texts::<PlanText>("plan", self.plan_id, "計画", old, new)?;
        if deep {
            for op in diff_list(&old.issues, &new.issues, |i| uid(i).to_string()) {
                match op {
                    ListOp::Delete(issue) => self.delete_issue(issue)?,
                    ListOp::Insert(position, issue) => {
                        self.insert_issue(position, issue)?;
                    }
                    ListOp::Keep {
                        position,
                        moved,
                        old,
                        new,
                    } => {
                        let row = self.row_of("issue", uid(new))?;
                        if moved {
                            self.set_position("issue", row, position)?;
                        }
                        self.issue(row, old, new, true)?;
                    }
                }
            }
        }
        Ok(())
    }

    // ----- 経営課題 -----

    pub(crate) fn insert_issue(&mut self, position: usize, issue: &Issue) -> Result<i64> {
        self.exec(
            "INSERT INTO issue (plan_id, uid, position, number, title, summary, recognition, sdgs, main_strategies)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            &[
                &self.plan_id,
                &uid(issue),
                &(position as i64),
                &issue.number,
                &issue.title,
                &issue.summary,
                &issue.recognition,
                &json_text(&issue.sdgs),
                &json_text(&issue.main_strategies),
            ],
        )?;
        let row = self.conn.last_insert_rowid();
        let place = issue_place(issue.number);
        self.budgets(Owner::Issue(row), &place, &[], &issue.budgets)?;
        self.indicators(Owner::Issue(row), &place, &[], &issue.outcome_indicators)?;
        for (index, strategy) in issue.strategies.iter().enumerate() {
            self.insert_strategy(row, &strategy_number(issue.number, index), index, strategy)?;
        }
        self.note(&place, "（追加）", None, Some(issue.title.clone()));
        Ok(row)
    }

    pub(crate) fn delete_issue(&mut self, issue: &Issue) -> Result<()> {
        let row = self.row_of("issue", uid(issue))?;
        let place = issue_place(issue.number);
        for (index, strategy) in issue.strategies.iter().enumerate() {
            self.delete_strategy(&strategy_number(issue.number, index), strategy)?;
        }
        self.indicators(Owner::Issue(row), &place, &issue.outcome_indicators, &[])?;
        self.budgets(Owner::Issue(row), &place, &issue.budgets, &[])?;
        self.exec("DELETE FROM issue WHERE id = ?1", &[&row])?;
        self.note(&place, "（削除）", Some(issue.title.clone()), None);
        Ok(())
    }

    /// An issue's fields, budgets and indicators (`deep`: and strategies).
    pub(crate) fn issue(&mut self, row: i64, old: &Issue, new: &Issue, deep: bool) -> Result<()> {
        let place = issue_place(new.number);
        if old.number != new.number {
            self.exec(
                "UPDATE issue SET number = ?2 WHERE id = ?1",
                &[&row, &new.number],
            )?;
            self.note(
                &place,
                "番号",
                Some(old.number.to_string()),
                Some(new.number.to_string()),
            );
        }
        self.texts::<IssueText>("issue", row, &place, old, new)?;
        if old.sdgs != new.sdgs {
            self.exec(
                "UPDATE issue SET sdgs = ?2 WHERE id = ?1",
                &[&row, &json_text(&new.sdgs)],
            )?;
            let show = |g: &[u8]| g.iter().map(u8::to_string).collect::<Vec<_>>().join("、");
            self.note(
                &place,
                "主なSDGsゴール",
                Some(show(&old.sdgs)),
                Some(show(&new.sdgs)),
            );
        }
        if old.main_strategies != new.main_strategies {
            self.exec(
                "UPDATE issue SET main_strategies = ?2 WHERE id = ?1",
                &[&row, &json_text(&new.main_strategies)],
            )?;
            self.note_lines(
                &place,
                LinesField::MainStrategies,
                &old.main_strategies,
                &new.main_strategies,
            );
        }
        self.budgets(Owner::Issue(row), &place, &old.budgets, &new.budgets)?;
        self.indicators(
            Owner::Issue(row),
            &place,
            &old.outcome_indicators,
            &new.outcome_indicators,
        )?;
        if deep {
            for op in diff_list(&old.strategies, &new.strategies, |s| uid(s).to_string()) {
                match op {
                    ListOp::Delete(s) => {
                        let index = old
                            .strategies
                            .iter()
                            .position(|o| std::ptr::eq(o, s))
                            .unwrap_or(0);
                        self.delete_strategy(&strategy_number(old.number, index), s)?
                    }
                    ListOp::Insert(position, s) => {
                        self.insert_strategy(
                            row,
                            &strategy_number(new.number, position),
                            position,
                            s,
                        )?;
                    }
                    ListOp::Keep {
                        position,
                        moved,
                        old: o,
                        new: n,
                    } => {
                        let srow = self.row_of("strategy", uid(n))?;
                        if moved {
                            self.set_position("strategy", srow, position)?;
                        }
                        self.strategy(srow, &strategy_number(new.number, position), o, n, true)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn note_lines(&mut self, place: &str, field: LinesField, old: &[String], new: &[String]) {
        let show = |l: &[String]| (!l.is_empty()).then(|| l.join("\n"));
        self.note(place, field.label(), show(old), show(new));
    }

    // ----- 戦略 -----

    pub(crate) fn insert_strategy(
        &mut self,
        issue_row: i64,
        number: &str,
        position: usize,
        s: &Strategy,
    ) -> Result<i64> {
        self.exec(
            "INSERT INTO strategy (plan_id, issue_id, uid, position, numbered, title, goal_state, current_state,
             challenges, direction, self_evaluation, improvements) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            &[
                &self.plan_id,
                &issue_row,
                &uid(s),
                &(position as i64),
                &s.number.is_some(),
                &s.title,
                &s.goal_state,
                &s.current_state,
                &s.challenges,
                &s.direction,
                &s.self_evaluation,
                &s.improvements,
            ],
        )?;
        let row = self.conn.last_insert_rowid();
        let place = format!("戦略 {number}");
        self.indicators(Owner::Strategy(row), &place, &[], &s.outcome_indicators)?;
        for (index, initiative) in s.initiatives.iter().enumerate() {
            self.insert_initiative(row, &child_number(number, index), index, initiative)?;
        }
        self.note(&place, "（追加）", None, Some(s.title.clone()));
        Ok(row)
    }

    pub(crate) fn delete_strategy(&mut self, number: &str, s: &Strategy) -> Result<()> {
        let row = self.row_of("strategy", uid(s))?;
        let place = format!("戦略 {number}");
        for (i, initiative) in s.initiatives.iter().enumerate() {
            self.delete_initiative(&child_number(number, i), initiative)?;
        }
        self.indicators(Owner::Strategy(row), &place, &s.outcome_indicators, &[])?;
        self.exec("DELETE FROM strategy WHERE id = ?1", &[&row])?;
        self.note(&place, "（削除）", Some(s.title.clone()), None);
        Ok(())
    }

    /// A strategy's fields and indicators (`deep`: and initiatives).
    pub(crate) fn strategy(
        &mut self,
        row: i64,
        number: &str,
        old: &Strategy,
        new: &Strategy,
        deep: bool,
    ) -> Result<()> {
        let place = format!("戦略 {number}");
        if old.number.is_some() != new.number.is_some() {
            self.exec(
                "UPDATE strategy SET numbered = ?2 WHERE id = ?1",
                &[&row, &new.number.is_some()],
            )?;
        }
        self.texts::<StrategyText>("strategy", row, &place, old, new)?;
        self.indicators(
            Owner::Strategy(row),
            &place,
            &old.outcome_indicators,
            &new.outcome_indicators,
        )?;
        if deep {
            for op in diff_list(&old.initiatives, &new.initiatives, |i| uid(i).to_string()) {
                match op {
                    ListOp::Delete(it) => self.delete_initiative(&it.number, it)?,
                    ListOp::Insert(position, it) => {
                        self.insert_initiative(row, &child_number(number, position), position, it)?;
                    }
                    ListOp::Keep {
                        position,
                        moved,
                        old: o,
                        new: n,
                    } => {
                        let irow = self.row_of("initiative", uid(n))?;
                        if moved {
                            self.set_position("initiative", irow, position)?;
                        }
                        self.initiative(irow, &child_number(number, position), o, n)?;
                    }
                }
            }
        }
        Ok(())
    }

    // ----- 具体的取組 -----

    pub(crate) fn insert_initiative(
        &mut self,
        strategy_row: i64,
        number: &str,
        position: usize,
        it: &Initiative,
    ) -> Result<i64> {
        self.exec(
            "INSERT INTO initiative (plan_id, strategy_id, uid, position, title, summary, section, council_opinions)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            &[
                &self.plan_id,
                &strategy_row,
                &uid(it),
                &(position as i64),
                &it.title,
                &it.summary,
                &it.section,
                &json_text(&it.council_opinions),
            ],
        )?;
        let row = self.conn.last_insert_rowid();
        let place = format!("具体的取組 {number}");
        self.budgets(Owner::Initiative(row), &place, &[], &it.budgets)?;
        self.activities(row, &place, &[], &it.activities)?;
        self.indicators(Owner::Initiative(row), &place, &[], &it.process_indicators)?;
        self.photos(row, &place, &[], &it.photos)?;
        self.note(&place, "（追加）", None, Some(it.title.clone()));
        Ok(row)
    }

    pub(crate) fn delete_initiative(&mut self, number: &str, it: &Initiative) -> Result<()> {
        let row = self.row_of("initiative", uid(it))?;
        let place = format!("具体的取組 {number}");
        self.photos(row, &place, &it.photos, &[])?;
        self.indicators(Owner::Initiative(row), &place, &it.process_indicators, &[])?;
        self.activities(row, &place, &it.activities, &[])?;
        self.budgets(Owner::Initiative(row), &place, &it.budgets, &[])?;
        self.exec("DELETE FROM initiative WHERE id = ?1", &[&row])?;
        self.note(&place, "（削除）", Some(it.title.clone()), None);
        Ok(())
    }

    pub(crate) fn initiative(
        &mut self,
        row: i64,
        number: &str,
        old: &Initiative,
        new: &Initiative,
    ) -> Result<()> {
        let place = format!("具体的取組 {number}");
        self.texts::<InitiativeText>("initiative", row, &place, old, new)?;
        if old.council_opinions != new.council_opinions {
            self.exec(
                "UPDATE initiative SET council_opinions = ?2 WHERE id = ?1",
                &[&row, &json_text(&new.council_opinions)],
            )?;
            self.note_lines(
                &place,
                LinesField::CouncilOpinions,
                &old.council_opinions,
                &new.council_opinions,
            );
        }
        self.budgets(Owner::Initiative(row), &place, &old.budgets, &new.budgets)?;
        self.activities(row, &place, &old.activities, &new.activities)?;
        self.indicators(
            Owner::Initiative(row),
            &place,
            &old.process_indicators,
            &new.process_indicators,
        )?;
        self.photos(row, &place, &old.photos, &new.photos)
    }

    // ----- rows of a node -----

    fn budgets(&mut self, owner: Owner, place: &str, old: &[Budget], new: &[Budget]) -> Result<()> {
        if old == new {
            return Ok(());
        }
        let (issue_id, initiative_id) = match owner {
            Owner::Issue(id) => (Some(id), None),
            _ => (None, Some(owner.id())),
        };
        let row_of = |b: &Budget| -> Result<i64> {
            let sql = format!(
                "SELECT id FROM budget WHERE {} = ?1 AND fiscal_year = ?2 AND kind = ?3",
                owner.column()
            );
            Ok(self
                .conn
                .prepare_cached(&sql)?
                .query_row(params![owner.id(), b.fiscal_year, b.kind.code()], |r| {
                    r.get(0)
                })?)
        };
        let yen = |b: &Budget| b.amount_yen.map(|a| a as i64);
        let show = |b: &Budget| b.amount_yen.map(|a| a.to_string());
        let mut notes = Vec::new();
        for op in diff_list(old, new, |b| (b.fiscal_year, b.kind)) {
            match op {
                ListOp::Delete(b) => {
                    let row = row_of(b)?;
                    self.exec("DELETE FROM budget WHERE id = ?1", &[&row])?;
                    notes.push((budget_column_label(b), show(b), None));
                }
                ListOp::Insert(position, b) => {
                    self.exec(
                        "INSERT INTO budget (issue_id, initiative_id, position, fiscal_year, kind, amount_yen)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        &[&issue_id, &initiative_id, &(position as i64), &b.fiscal_year, &b.kind.code(), &yen(b)],
                    )?;
                    if b.amount_yen.is_some() {
                        notes.push((budget_column_label(b), None, show(b)));
                    }
                }
                ListOp::Keep {
                    position,
                    moved,
                    old: o,
                    new: n,
                } => {
                    let row = row_of(n)?;
                    if moved {
                        self.set_position("budget", row, position)?;
                    }
                    if o.amount_yen != n.amount_yen {
                        self.exec(
                            "UPDATE budget SET amount_yen = ?2 WHERE id = ?1",
                            &[&row, &yen(n)],
                        )?;
                        notes.push((budget_column_label(n), show(o), show(n)));
                    }
                }
            }
        }
        for (label, o, n) in notes {
            self.note(place, &format!("予算 › {label}"), o, n);
        }
        Ok(())
    }

    fn activities(
        &mut self,
        initiative_row: i64,
        place: &str,
        old: &[Activity],
        new: &[Activity],
    ) -> Result<()> {
        if old == new {
            return Ok(());
        }
        for op in diff_list(old, new, |a| uid(a).to_string()) {
            match op {
                ListOp::Delete(a) => {
                    let row = self.row_of("activity", uid(a))?;
                    self.yearly_rows(row, place, &activity_subject(&a.text), &a.results, &[], "")?;
                    self.exec("DELETE FROM activity WHERE id = ?1", &[&row])?;
                    self.note(place, "主な取組（削除）", Some(a.text.clone()), None);
                }
                ListOp::Insert(position, a) => {
                    self.exec(
                        "INSERT INTO activity (plan_id, initiative_id, uid, position, text) VALUES (?1, ?2, ?3, ?4, ?5)",
                        &[&self.plan_id, &initiative_row, &uid(a), &(position as i64), &a.text],
                    )?;
                    let row = self.conn.last_insert_rowid();
                    self.note(place, "主な取組（追加）", None, Some(a.text.clone()));
                    self.yearly_rows(row, place, &activity_subject(&a.text), &[], &a.results, "")?;
                }
                ListOp::Keep {
                    position,
                    moved,
                    old: o,
                    new: n,
                } => {
                    let row = self.row_of("activity", uid(n))?;
                    if moved {
                        self.set_position("activity", row, position)?;
                        self.note(
                            place,
                            "主な取組（並べ替え）",
                            Some(n.text.clone()),
                            Some(format!("{}行目", position + 1)),
                        );
                    }
                    if o.text != n.text {
                        self.exec(
                            "UPDATE activity SET text = ?2 WHERE id = ?1",
                            &[&row, &n.text],
                        )?;
                        self.note(
                            place,
                            &format!("主な取組 {}行目", position + 1),
                            Some(o.text.clone()),
                            Some(n.text.clone()),
                        );
                    }
                    self.yearly_rows(
                        row,
                        place,
                        &activity_subject(&n.text),
                        &o.results,
                        &n.results,
                        "",
                    )?;
                }
            }
        }
        Ok(())
    }

    /// Syncs the rows a node keeps once per fiscal year (`R`), matched by
    /// year; `subject` names the node in the history list
    /// (「主な取組「…」」), `unit` the indicator's unit where values have one.
    fn yearly_rows<R: YearlyRow>(
        &mut self,
        parent: i64,
        place: &str,
        subject: &str,
        old: &[R],
        new: &[R],
        unit: &str,
    ) -> Result<()> {
        if old == new {
            return Ok(());
        }
        let (table, parent_column) = (R::TABLE, R::PARENT);
        let row_of = |r: &R| -> Result<i64> {
            let sql =
                format!("SELECT id FROM {table} WHERE {parent_column} = ?1 AND fiscal_year = ?2");
            Ok(self
                .conn
                .prepare_cached(&sql)?
                .query_row(params![parent, r.fiscal_year()], |x| x.get(0))?)
        };
        let columns = R::COLUMNS.join(", ");
        let mut notes = Vec::new();
        for op in diff_list(old, new, R::fiscal_year) {
            match op {
                ListOp::Delete(r) => {
                    let id = row_of(r)?;
                    self.exec(&format!("DELETE FROM {table} WHERE id = ?1"), &[&id])?;
                    notes.push((r.fiscal_year(), Some(r.shown(unit)), None));
                }
                ListOp::Insert(position, r) => {
                    let marks: Vec<String> = (0..R::COLUMNS.len())
                        .map(|k| format!("?{}", k + 4))
                        .collect();
                    let sql = format!(
                        "INSERT INTO {table} ({parent_column}, position, fiscal_year, {columns}) VALUES (?1, ?2, ?3, {})",
                        marks.join(", ")
                    );
                    let values = r.values();
                    let (position, year) = (position as i64, r.fiscal_year());
                    let mut args: Vec<&dyn ToSql> = vec![&parent, &position, &year];
                    args.extend(values.iter().map(|v| v.as_ref()));
                    self.exec(&sql, &args)?;
                    notes.push((r.fiscal_year(), None, Some(r.shown(unit))));
                }
                ListOp::Keep {
                    position,
                    moved,
                    old: o,
                    new: n,
                } => {
                    let id = row_of(n)?;
                    if moved {
                        self.set_position(table, id, position)?;
                    }
                    if o != n {
                        let sets: Vec<String> = R::COLUMNS
                            .iter()
                            .enumerate()
                            .map(|(k, c)| format!("{c} = ?{}", k + 2))
                            .collect();
                        let sql = format!("UPDATE {table} SET {} WHERE id = ?1", sets.join(", "));
                        let values = n.values();
                        let mut args: Vec<&dyn ToSql> = vec![&id];
                        args.extend(values.iter().map(|v| v.as_ref()));
                        self.exec(&sql, &args)?;
                        notes.push((n.fiscal_year(), Some(o.shown(unit)), Some(n.shown(unit))));
                    }
                }
            }
        }
        for (year, o, n) in notes {
            let field = format!("{subject}の{}実績", long_label(year, Digits::Half));
            self.note(place, &field, o, n);
        }
        Ok(())
    }

    fn indicators(
        &mut self,
        owner: Owner,
        place: &str,
        old: &[Indicator],
        new: &[Indicator],
    ) -> Result<()> {
        if old == new {
            return Ok(());
        }
        let kind = match owner {
            Owner::Initiative(_) => "プロセス指標",
            _ => "アウトカム指標",
        };
        let (issue_id, strategy_id, initiative_id) = match owner {
            Owner::Issue(id) => (Some(id), None, None),
            Owner::Strategy(id) => (None, Some(id), None),
            Owner::Initiative(id) => (None, None, Some(id)),
        };
        for op in diff_list(old, new, |i| uid(i).to_string()) {
            match op {
                ListOp::Delete(ind) => {
                    let row = self.row_of("indicator", uid(ind))?;
                    self.yearly_rows(
                        row,
                        place,
                        &indicator_subject(&ind.text),
                        &ind.results,
                        &[],
                        &ind.target.unit,
                    )?;
                    self.exec("DELETE FROM indicator WHERE id = ?1", &[&row])?;
                    self.note(
                        place,
                        &format!("{kind}（削除）"),
                        Some(ind.text.clone()),
                        None,
                    );
                }
                ListOp::Insert(position, ind) => {
                    let t = &ind.target;
                    self.exec(
                        "INSERT INTO indicator (plan_id, issue_id, strategy_id, initiative_id, uid, position, text,
                         target_value, target_unit, target_comparison, target_by_year, target_from_year,
                         target_cumulative, target_text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                        &[
                            &self.plan_id,
                            &issue_id,
                            &strategy_id,
                            &initiative_id,
                            &uid(ind),
                            &(position as i64),
                            &ind.text,
                            &number_to_sql(&t.value),
                            &t.unit,
                            &t.comparison.map(Comparison::code),
                            &t.by_fiscal_year,
                            &t.from_fiscal_year,
                            &t.cumulative,
                            &t.text,
                        ],
                    )?;
                    let row = self.conn.last_insert_rowid();
                    self.note(
                        place,
                        &format!("{kind}（追加）"),
                        None,
                        Some(ind.text.clone()),
                    );
                    self.yearly_rows(
                        row,
                        place,
                        &indicator_subject(&ind.text),
                        &[],
                        &ind.results,
                        &t.unit,
                    )?;
                }
                ListOp::Keep {
                    position,
                    moved,
                    old: o,
                    new: n,
                } => {
                    let row = self.row_of("indicator", uid(n))?;
                    let field = format!("{kind} {}", position + 1);
                    if moved {
                        self.set_position("indicator", row, position)?;
                    }
                    if o.text != n.text {
                        self.exec(
                            "UPDATE indicator SET text = ?2 WHERE id = ?1",
                            &[&row, &n.text],
                        )?;
                        self.note(
                            place,
                            &format!("{field} › 内容"),
                            Some(o.text.clone()),
                            Some(n.text.clone()),
                        );
                    }
                    if o.target != n.target {
                        let t = &n.target;
                        self.exec(
                            "UPDATE indicator SET target_value = ?2, target_unit = ?3, target_comparison = ?4,
                             target_by_year = ?5, target_from_year = ?6, target_cumulative = ?7, target_text = ?8 WHERE id = ?1",
                            &[
                                &row,
                                &number_to_sql(&t.value),
                                &t.unit,
                                &t.comparison.map(Comparison::code),
                                &t.by_fiscal_year,
                                &t.from_fiscal_year,
                                &t.cumulative,
                                &t.text,
                            ],
                        )?;
                        self.note(
                            place,
                            &format!("{field} › 目標"),
                            Some(o.target.text_from_parts()),
                            Some(t.text_from_parts()),
                        );
                    }
                    self.yearly_rows(
                        row,
                        place,
                        &indicator_subject(&n.text),
                        &o.results,
                        &n.results,
                        &n.target.unit,
                    )?;
                }
            }
        }
        Ok(())
    }

    fn photos(
        &mut self,
        initiative_row: i64,
        place: &str,
        old: &[Photo],
        new: &[Photo],
    ) -> Result<()> {
        if old == new {
            return Ok(());
        }
        for op in diff_list(old, new, |p| uid(p).to_string()) {
            match op {
                ListOp::Delete(p) => {
                    let row = self.row_of("photo", uid(p))?;
                    self.remember_image_of(row)?;
                    self.exec("DELETE FROM photo WHERE id = ?1", &[&row])?;
                    self.note(place, "写真（削除）", Some(p.caption.clone()), None);
                }
                ListOp::Insert(position, p) => {
                    let hash = self.store_image(place, p)?;
                    self.exec(
                        "INSERT INTO photo (plan_id, initiative_id, uid, position, caption, image_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        &[&self.plan_id, &initiative_row, &uid(p), &(position as i64), &p.caption, &hash],
                    )?;
                    self.note(place, "写真（追加）", None, Some(p.caption.clone()));
                }
                ListOp::Keep {
                    position,
                    moved,
                    old: o,
                    new: n,
                } => {
                    let row = self.row_of("photo", uid(n))?;
                    if moved {
                        self.set_position("photo", row, position)?;
                    }
                    if o.caption != n.caption {
                        self.exec(
                            "UPDATE photo SET caption = ?2 WHERE id = ?1",
                            &[&row, &n.caption],
                        )?;
                        self.note(
                            place,
                            &format!("写真 {}枚目 › 説明", position + 1),
                            Some(o.caption.clone()),
                            Some(n.caption.clone()),
                        );
                    }
                    let image_changed = (o.data_base64 != n.data_base64
                        || o.media_type != n.media_type)
                        && self.images == Images::Embedded;
                    if image_changed {
                        self.remember_image_of(row)?;
                        let hash = self.store_image(place, n)?;
                        self.exec(
                            "UPDATE photo SET image_hash = ?2 WHERE id = ?1",
                            &[&row, &hash],
                        )?;
                        self.note(
                            place,
                            &format!("写真 {}枚目 › 画像", position + 1),
                            Some("（変更前の画像）".into()),
                            Some("（新しい画像）".into()),
                        );
                    }
                }
            }
        }
        Ok(())
    }

    /// Stores a photo's image (if it has one) and returns its hash.
    fn store_image(&mut self, place: &str, photo: &Photo) -> Result<Option<String>> {
        let (Some(media_type), Some(data)) = (&photo.media_type, &photo.data_base64) else {
            return Ok(None);
        };
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|_| {
                Error::invalid(
                    format!("{place} の写真「{}」", photo.caption),
                    "画像データ（base64）が壊れています",
                    None,
                )
            })?;
        if bytes.len() > images::MAX_IMAGE_BYTES {
            return Err(Error::invalid(
                format!("{place} の写真「{}」", photo.caption),
                format!(
                    "画像が大きすぎます（{:.1} MB、上限 {} MB）。縮小した画像を使ってください",
                    bytes.len() as f64 / 1_048_576.0,
                    images::MAX_IMAGE_BYTES / 1_048_576
                ),
                None,
            ));
        }
        let name = match photo.caption.as_str() {
            "" => "写真".to_string(),
            caption => format!("写真「{caption}」"),
        };
        if let Some(problem) = images::kind_problem(&name, media_type, &bytes) {
            return Err(Error::invalid(place, problem, None));
        }
        let hash = images::put(self.conn, media_type, &bytes)?;
        self.images_used.push(hash.clone());
        Ok(Some(hash))
    }

    fn remember_image_of(&mut self, photo_row: i64) -> Result<()> {
        let hash: Option<String> = self
            .conn
            .prepare_cached("SELECT image_hash FROM photo WHERE id = ?1")?
            .query_row([photo_row], |r| r.get(0))?;
        self.images_used.extend(hash);
        Ok(())
    }
}

fn issue_place(number: u32) -> String {
    crate::validate::issue_place(number)
}

/// The first characters of a long text, for a history line.
fn short(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(20).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

fn activity_subject(text: &str) -> String {
    format!("主な取組「{}」", short(text))
}

fn indicator_subject(text: &str) -> String {
    format!("指標「{}」", short(text))
}

/// A row kept once per fiscal year under a parent row: its table, the
/// parent's column and the value columns after `fiscal_year`, in the order
/// `values` gives them.
trait YearlyRow: PartialEq {
    const TABLE: &'static str;
    const PARENT: &'static str;
    const COLUMNS: &'static [&'static str];
    fn fiscal_year(&self) -> i32;
    fn values(&self) -> Vec<Box<dyn ToSql + '_>>;
    /// The value as the history list shows it.
    fn shown(&self, unit: &str) -> String;
}

impl YearlyRow for ActivityResult {
    const TABLE: &'static str = "activity_result";
    const PARENT: &'static str = "activity_id";
    const COLUMNS: &'static [&'static str] = &["text"];
    fn fiscal_year(&self) -> i32 {
        self.fiscal_year
    }
    fn values(&self) -> Vec<Box<dyn ToSql + '_>> {
        vec![Box::new(&self.text)]
    }
    fn shown(&self, _unit: &str) -> String {
        self.text.clone()
    }
}

impl YearlyRow for IndicatorResult {
    const TABLE: &'static str = "indicator_result";
    const PARENT: &'static str = "indicator_id";
    const COLUMNS: &'static [&'static str] = &["value", "achieved", "source", "rating", "note"];
    fn fiscal_year(&self) -> i32 {
        self.fiscal_year
    }
    fn values(&self) -> Vec<Box<dyn ToSql + '_>> {
        vec![
            Box::new(number_to_sql(&self.value)),
            Box::new(self.achieved),
            Box::new(&self.source),
            Box::new(&self.rating),
            Box::new(&self.note),
        ]
    }
    fn shown(&self, unit: &str) -> String {
        result_text(self, unit)
    }
}

fn result_text(r: &IndicatorResult, unit: &str) -> String {
    let value = r
        .value
        .as_ref()
        .map_or("－".to_string(), |v| format!("{v}{unit}"));
    match r.achieved {
        Some(true) => format!("{value} 〇"),
        Some(false) => format!("{value} －"),
        None => value,
    }
}
