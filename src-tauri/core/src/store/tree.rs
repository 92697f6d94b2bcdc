//! Edits of the tree's shape: add, delete, move and duplicate 経営課題,
//! 戦略 and 具体的取組. Sibling order is the `position` column, rewritten
//! densely (0, 1, 2 …) after each change; numbers follow from it.

use rusqlite::params;

use super::apply::{node_ref, Run};
use super::load::{self, Images, NodeTable};
use crate::edit::{NodeData, NodeRef};
use crate::error::{Error, Result};
use crate::identity::{initiative_ids_mut, issue_ids_mut, new_id, renew, strategy_ids_mut};
use crate::model::*;
use crate::normalize::clean_text;
use crate::rollover::budget_columns;

/// The rows of one sibling list.
struct Siblings {
    table: NodeTable,
    parent: i64,
}

impl Siblings {
    fn parent_column(&self) -> &'static str {
        match self.table {
            NodeTable::Issue => "plan_id",
            NodeTable::Strategy => "issue_id",
            NodeTable::Initiative => "strategy_id",
        }
    }

    /// Row ids in order.
    fn rows(&self, run: &Run) -> Result<Vec<i64>> {
        let sql = format!(
            "SELECT id FROM {} WHERE {} = ?1 ORDER BY position, id",
            self.table.name(),
            self.parent_column()
        );
        Ok(run
            .conn
            .prepare_cached(&sql)?
            .query_map([self.parent], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// Writes positions 0, 1, 2 … for `rows`, where they differ.
    fn set_order(&self, run: &Run, rows: &[i64]) -> Result<()> {
        let table = self.table.name();
        for (position, row) in rows.iter().enumerate() {
            let sql = format!("UPDATE {table} SET position = ?2 WHERE id = ?1 AND position <> ?2");
            run.conn
                .prepare_cached(&sql)?
                .execute(params![row, position as i64])?;
        }
        Ok(())
    }

    /// The sibling list that holds `row`.
    fn of(run: &Run, table: NodeTable, row: i64) -> Result<Siblings> {
        let probe = Siblings { table, parent: 0 };
        let sql = format!(
            "SELECT {} FROM {} WHERE id = ?1",
            probe.parent_column(),
            table.name()
        );
        let parent = run
            .conn
            .prepare_cached(&sql)?
            .query_row([row], |r| r.get(0))?;
        Ok(Siblings { table, parent })
    }
}

fn table_of(node: &NodeRef) -> Result<(NodeTable, &str)> {
    match node {
        NodeRef::Plan => Err(Error::Refused(
            "計画全体はこの操作の対象にできません（計画の削除は「計画」メニューから行います）。"
                .into(),
        )),
        NodeRef::Issue { id } => Ok((NodeTable::Issue, id)),
        NodeRef::Strategy { id } => Ok((NodeTable::Strategy, id)),
        NodeRef::Initiative { id } => Ok((NodeTable::Initiative, id)),
    }
}

impl Run<'_> {
    fn next_issue_number(&self) -> Result<u32> {
        Ok(self.conn.query_row(
            "SELECT coalesce(max(number), 0) + 1 FROM issue WHERE plan_id = ?1",
            [self.plan_id],
            |r| r.get(0),
        )?)
    }

    /// Adds a child with a title under `parent`, after the sibling `after`
    /// (or at the end).
    pub(super) fn add_node(
        &mut self,
        parent: &NodeRef,
        title: &str,
        after: Option<&str>,
    ) -> Result<String> {
        let what = match parent {
            NodeRef::Plan => "経営課題",
            NodeRef::Issue { .. } => "戦略",
            NodeRef::Strategy { .. } => "具体的取組",
            NodeRef::Initiative { .. } => {
                return Err(Error::Refused(
                    "具体的取組の下には項目を追加できません。".into(),
                ))
            }
        };
        let title = clean_text(title).ok_or_else(|| {
            Error::invalid(
                format!("新しい{what}の名称"),
                "入力してください（空欄にはできません）",
                None,
            )
        })?;
        let id = new_id();
        let parent_loaded = self.load(parent, Images::Untouched)?;
        let place = parent_loaded.data.place();
        let siblings = Siblings {
            table: match parent {
                NodeRef::Plan => NodeTable::Issue,
                NodeRef::Issue { .. } => NodeTable::Strategy,
                _ => NodeTable::Initiative,
            },
            parent: parent_loaded.row,
        };
        let mut rows = siblings.rows(self)?;
        let position = match after {
            Some(after) => {
                let (_, after_row) = self.locate_in(siblings.table, after)?;
                rows.iter()
                    .position(|r| *r == after_row)
                    .map_or(rows.len(), |i| i + 1)
            }
            None => rows.len(),
        };
        let row = match &parent_loaded.data {
            NodeData::Plan(_) => {
                let issue = Issue {
                    id: Some(id.clone()),
                    number: self.next_issue_number()?,
                    title,
                    ..Default::default()
                };
                self.writer.insert_issue(position, &issue)?
            }
            NodeData::Issue(issue) => {
                let strategy = Strategy::new(Some(String::new()), title);
                let strategy = Strategy {
                    id: Some(id.clone()),
                    ..strategy
                };
                let number = strategy_number(issue.number, position);
                self.writer
                    .insert_strategy(parent_loaded.row, &number, position, &strategy)?
            }
            NodeData::Strategy(_) => {
                let budgets = budget_columns(self.plan_year)
                    .into_iter()
                    .map(|(fiscal_year, kind)| Budget {
                        fiscal_year,
                        kind,
                        amount_yen: None,
                    })
                    .collect();
                let initiative = Initiative {
                    id: Some(id.clone()),
                    title,
                    budgets,
                    ..Default::default()
                };
                let number = child_number(&parent_loaded.number, position);
                self.writer
                    .insert_initiative(parent_loaded.row, &number, position, &initiative)?
            }
            NodeData::Initiative(_) => unreachable!("refused above"),
        };
        rows.insert(position, row);
        siblings.set_order(self, &rows)?;
        self.applied.node = Some(node_ref(siblings.table, id));
        Ok(place)
    }

    fn locate_in(&self, table: NodeTable, id: &str) -> Result<(String, i64)> {
        let at = load::locate(self.conn, self.plan_id, table, id)?;
        Ok((at.number, at.row))
    }

    /// Loads a node with everything under it.
    fn load_deep(
        &self,
        table: NodeTable,
        id: &str,
        images: Images,
    ) -> Result<(i64, String, Subtree)> {
        let (number, row) = self.locate_in(table, id)?;
        let subtree = match table {
            NodeTable::Issue => Subtree::Issue(load::issue(self.conn, row, true, images)?),
            NodeTable::Strategy => {
                Subtree::Strategy(load::strategy(self.conn, row, &number, true, images)?)
            }
            NodeTable::Initiative => {
                Subtree::Initiative(load::initiative(self.conn, row, &number, images)?)
            }
        };
        Ok((row, number, subtree))
    }

    pub(super) fn delete_node(&mut self, node: &NodeRef) -> Result<String> {
        let (table, id) = table_of(node)?;
        let (row, number, subtree) = self.load_deep(table, id, Images::Untouched)?;
        let siblings = Siblings::of(self, table, row)?;
        let place = subtree.place(&number);
        match &subtree {
            Subtree::Issue(issue) => self.writer.delete_issue(issue)?,
            Subtree::Strategy(s) => self.writer.delete_strategy(&number, s)?,
            Subtree::Initiative(it) => self.writer.delete_initiative(&number, it)?,
        }
        let rows = siblings.rows(self)?;
        siblings.set_order(self, &rows)?;
        Ok(place)
    }

    pub(super) fn move_node(&mut self, node: &NodeRef, delta: i32) -> Result<String> {
        let (table, id) = table_of(node)?;
        let (number, row) = self.locate_in(table, id)?;
        let siblings = Siblings::of(self, table, row)?;
        let mut rows = siblings.rows(self)?;
        let i = rows
            .iter()
            .position(|r| *r == row)
            .expect("a node is among its siblings");
        let j = i as i64 + delta as i64;
        if j < 0 || j >= rows.len() as i64 {
            let edge = if delta < 0 { "先頭" } else { "末尾" };
            return Err(Error::Refused(format!(
                "{edge}のため、これ以上移動できません。"
            )));
        }
        rows.swap(i, j as usize);
        siblings.set_order(self, &rows)?;
        let place = format!("{} {number}", table.label());
        let place = if table == NodeTable::Issue {
            crate::validate::issue_place(number.parse().unwrap_or_default())
        } else {
            place
        };
        self.writer.note(
            &place,
            "並び順",
            Some(format!("{}番目", i + 1)),
            Some(format!("{}番目", j + 1)),
        );
        Ok(place)
    }

    /// A copy of a node and everything under it, right after it, with new
    /// ids; a copied 経営課題 gets the next free number. Photos share images.
    pub(super) fn duplicate_node(&mut self, node: &NodeRef) -> Result<String> {
        let (table, id) = table_of(node)?;
        let (row, number, subtree) = self.load_deep(table, id, Images::Embedded)?;
        let place = subtree.place(&number);
        let siblings = Siblings::of(self, table, row)?;
        let mut rows = siblings.rows(self)?;
        let position = rows
            .iter()
            .position(|r| *r == row)
            .expect("a node is among its siblings")
            + 1;
        let copy_row = match subtree {
            Subtree::Issue(mut issue) => {
                renew(issue_ids_mut(&mut issue));
                issue.number = self.next_issue_number()?;
                issue.title = format!("{}（コピー）", issue.title);
                self.applied.node = Some(node_ref(table, issue.id.clone().unwrap_or_default()));
                self.writer.insert_issue(position, &issue)?
            }
            Subtree::Strategy(mut s) => {
                renew(strategy_ids_mut(&mut s));
                self.applied.node = Some(node_ref(table, s.id.clone().unwrap_or_default()));
                let parent_number = number.rsplit_once('-').map_or("", |(p, _)| p).to_string();
                self.writer.insert_strategy(
                    siblings.parent,
                    &child_number(&parent_number, position),
                    position,
                    &s,
                )?
            }
            Subtree::Initiative(mut it) => {
                renew(initiative_ids_mut(&mut it));
                self.applied.node = Some(node_ref(table, it.id.clone().unwrap_or_default()));
                let parent_number = number.rsplit_once('-').map_or("", |(p, _)| p).to_string();
                self.writer.insert_initiative(
                    siblings.parent,
                    &child_number(&parent_number, position),
                    position,
                    &it,
                )?
            }
        };
        rows.insert(position, copy_row);
        siblings.set_order(self, &rows)?;
        Ok(place)
    }
}

/// A node with everything under it.
enum Subtree {
    Issue(Issue),
    Strategy(Strategy),
    Initiative(Initiative),
}

impl Subtree {
    fn place(&self, number: &str) -> String {
        match self {
            Subtree::Issue(issue) => crate::validate::issue_place(issue.number),
            Subtree::Strategy(_) => format!("戦略 {number}"),
            Subtree::Initiative(_) => format!("具体的取組 {number}"),
        }
    }
}
