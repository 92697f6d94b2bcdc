//! Runs one [`Edit`] from the window: finds the node it addresses by id,
//! loads only that node, applies the edit (see [`crate::edit`]), validates
//! the node and writes the rows that changed. Tree edits (add, delete, move,
//! duplicate) are in `tree.rs`.

use rusqlite::Connection;

use super::load::{self, Images, NodeTable, RowTable};
use super::sync::Writer;
use crate::edit::{apply_to_node, Edit, NodeData, NodeRef};
use crate::error::{Error, Result};
use crate::validate::validate_node;

/// What an applied edit created, so the window can select or focus it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Applied {
    /// A node the edit added (AddNode, DuplicateNode).
    pub node: Option<NodeRef>,
    /// Ids of rows the edit added (主な取組 rows, indicators, photos).
    pub rows: Vec<String>,
}

pub(super) struct Run<'a> {
    pub(super) conn: &'a Connection,
    pub(super) plan_id: i64,
    pub(super) plan_year: i32,
    pub(super) writer: Writer<'a>,
    pub(super) applied: Applied,
}

/// A loaded node and where it is.
pub(super) struct Loaded {
    pub row: i64,
    /// 「5-1-2」 (empty for the plan).
    pub number: String,
    pub data: NodeData,
}

impl<'a> Run<'a> {
    pub(super) fn new(conn: &'a Connection, plan_id: i64, plan_year: i32) -> Run<'a> {
        Run {
            conn,
            plan_id,
            plan_year,
            writer: Writer::new(conn, plan_id, Images::Untouched),
            applied: Applied::default(),
        }
    }

    pub(super) fn finish(self) -> (Applied, Writer<'a>) {
        (self.applied, self.writer)
    }

    /// Applies an edit; answers with the place it changed (for the history).
    pub(super) fn apply(&mut self, edit: &Edit) -> Result<String> {
        match edit {
            Edit::Batch { edits, .. } => {
                let mut first = None;
                for edit in edits {
                    let place = self.apply(edit)?;
                    first.get_or_insert(place);
                }
                Ok(first.unwrap_or_else(|| "計画".into()))
            }
            Edit::AddNode {
                parent,
                title,
                after,
            } => self.add_node(parent, title, after.as_deref()),
            Edit::DeleteNode { node } => self.delete_node(node),
            Edit::MoveNode { node, delta } => self.move_node(node, *delta),
            Edit::DuplicateNode { node } => self.duplicate_node(node),
            _ => {
                let target = self.target_of(edit)?;
                self.edit_node(&target, edit)
            }
        }
    }

    /// The node whose content an edit changes.
    fn target_of(&self, edit: &Edit) -> Result<NodeRef> {
        let owner = |table, id: &str| -> Result<NodeRef> {
            let (kind, id) = load::owner_of(self.conn, self.plan_id, table, id)?;
            Ok(node_ref(kind, id))
        };
        Ok(match edit {
            Edit::SetPlanText { .. } | Edit::SetStage { .. } => NodeRef::Plan,
            Edit::SetIssueText { issue, .. }
            | Edit::SetIssueNumber { issue, .. }
            | Edit::SetSdgs { issue, .. } => NodeRef::Issue { id: issue.clone() },
            Edit::SetStrategyText { strategy, .. } => NodeRef::Strategy {
                id: strategy.clone(),
            },
            Edit::SetInitiativeText { initiative, .. }
            | Edit::AddActivity { initiative, .. }
            | Edit::AddPhoto { initiative, .. } => NodeRef::Initiative {
                id: initiative.clone(),
            },
            Edit::SetLines { node, .. }
            | Edit::SetBudget { node, .. }
            | Edit::AddIndicator { node, .. } => node.clone(),
            Edit::SetActivityText { activity, .. }
            | Edit::SetActivityResult { activity, .. }
            | Edit::MoveActivity { activity, .. }
            | Edit::DeleteActivity { activity } => owner(RowTable::Activity, activity)?,
            Edit::SetIndicatorText { indicator, .. }
            | Edit::SetTarget { indicator, .. }
            | Edit::SetResult { indicator, .. }
            | Edit::MoveIndicator { indicator, .. }
            | Edit::DeleteIndicator { indicator } => owner(RowTable::Indicator, indicator)?,
            Edit::SetPhotoCaption { photo, .. } | Edit::DeletePhoto { photo } => {
                owner(RowTable::Photo, photo)?
            }
            Edit::AddNode { .. }
            | Edit::DeleteNode { .. }
            | Edit::MoveNode { .. }
            | Edit::DuplicateNode { .. }
            | Edit::Batch { .. } => unreachable!("tree edits and batches are run by `apply`"),
        })
    }

    /// A node with what an edit of its content needs (see [`NodeData`]).
    pub(super) fn load(&self, node: &NodeRef, images: Images) -> Result<Loaded> {
        let located = |table, id: &str| load::locate(self.conn, self.plan_id, table, id);
        Ok(match node {
            NodeRef::Plan => Loaded {
                row: self.plan_id,
                number: String::new(),
                data: NodeData::Plan(load::plan_fields(self.conn, self.plan_id)?),
            },
            NodeRef::Issue { id } => {
                let at = located(NodeTable::Issue, id)?;
                let issue = load::issue(self.conn, at.row, false, images)?;
                Loaded {
                    row: at.row,
                    number: at.number,
                    data: NodeData::Issue(issue),
                }
            }
            NodeRef::Strategy { id } => {
                let at = located(NodeTable::Strategy, id)?;
                let strategy = load::strategy(self.conn, at.row, &at.number, false, images)?;
                Loaded {
                    row: at.row,
                    number: at.number,
                    data: NodeData::Strategy(strategy),
                }
            }
            NodeRef::Initiative { id } => {
                let at = located(NodeTable::Initiative, id)?;
                let initiative = load::initiative(self.conn, at.row, &at.number, images)?;
                Loaded {
                    row: at.row,
                    number: at.number,
                    data: NodeData::Initiative(initiative),
                }
            }
        })
    }

    /// Writes what differs between a node as loaded and as edited.
    fn save(&mut self, loaded: &Loaded, new: &NodeData) -> Result<()> {
        let w = &mut self.writer;
        match (&loaded.data, new) {
            (NodeData::Plan(o), NodeData::Plan(n)) => w.plan(o, n, false),
            (NodeData::Issue(o), NodeData::Issue(n)) => w.issue(loaded.row, o, n, false),
            (NodeData::Strategy(o), NodeData::Strategy(n)) => {
                w.strategy(loaded.row, &loaded.number, o, n, false)
            }
            (NodeData::Initiative(o), NodeData::Initiative(n)) => {
                w.initiative(loaded.row, &loaded.number, o, n)
            }
            _ => unreachable!("an edit keeps the kind of node it edits"),
        }
    }

    fn edit_node(&mut self, target: &NodeRef, edit: &Edit) -> Result<String> {
        let loaded = self.load(target, Images::Untouched)?;
        let mut new = loaded.data.clone();
        apply_to_node(&mut new, edit)?;
        if let (Edit::SetIssueNumber { .. }, NodeData::Issue(issue)) = (edit, &new) {
            self.check_issue_number_free(loaded.row, issue.number)?;
        }
        validate_node(&new)?;
        self.save(&loaded, &new)?;
        let before = row_ids(&loaded.data);
        self.applied
            .rows
            .extend(row_ids(&new).into_iter().filter(|id| !before.contains(id)));
        Ok(loaded.data.place())
    }

    pub(super) fn check_issue_number_free(&self, issue_row: i64, number: u32) -> Result<()> {
        let taken: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM issue WHERE plan_id = ?1 AND number = ?2 AND id <> ?3)",
            rusqlite::params![self.plan_id, number, issue_row],
            |r| r.get(0),
        )?;
        if taken {
            return Err(Error::invalid(
                crate::validate::issue_place(number),
                "同じ番号の経営課題がすでにあります。別の番号にしてください",
                Some(&number.to_string()),
            ));
        }
        Ok(())
    }
}

pub(super) fn node_ref(table: NodeTable, id: String) -> NodeRef {
    match table {
        NodeTable::Issue => NodeRef::Issue { id },
        NodeTable::Strategy => NodeRef::Strategy { id },
        NodeTable::Initiative => NodeRef::Initiative { id },
    }
}

/// Ids of the rows (indicators, 主な取組, photos) a node holds.
fn row_ids(node: &NodeData) -> Vec<String> {
    let mut ids: Vec<String> = node
        .indicators()
        .iter()
        .filter_map(|x| x.id.clone())
        .collect();
    if let NodeData::Initiative(it) = node {
        ids.extend(it.activities.iter().filter_map(|x| x.id.clone()));
        ids.extend(it.photos.iter().filter_map(|x| x.id.clone()));
    }
    ids
}

/// Collects what to confirm before `edit` is saved (see `Store::edit_warnings`).
pub(super) fn warnings(
    conn: &Connection,
    plan_id: i64,
    edit: &Edit,
    out: &mut Vec<String>,
) -> Result<()> {
    match edit {
        Edit::SetBudget {
            node,
            fiscal_year,
            kind,
            input,
        } => {
            let place = match node {
                NodeRef::Issue { id } => crate::validate::issue_place(
                    load::locate(conn, plan_id, NodeTable::Issue, id)?
                        .number
                        .parse()
                        .unwrap_or(0),
                ),
                NodeRef::Initiative { id } => {
                    format!(
                        "具体的取組 {}",
                        load::locate(conn, plan_id, NodeTable::Initiative, id)?.number
                    )
                }
                _ => return Ok(()),
            };
            out.extend(crate::edit::large_amount_warning(
                &place,
                *fiscal_year,
                *kind,
                input,
            ));
        }
        Edit::Batch { edits, .. } => {
            for edit in edits {
                warnings(conn, plan_id, edit, out)?;
            }
        }
        _ => {}
    }
    Ok(())
}
