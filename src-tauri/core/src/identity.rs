//! Stable identities of a plan's nodes (経営課題, 戦略, 具体的取組, 主な取組,
//! indicators, photos): the interchange format's `id`. An id survives edits,
//! moves, renumbering, rollover and files; numbers (5-1-2) are derived from
//! positions instead. Ids are unique within a plan.

use crate::model::*;

/// Nodes with a stable id.
pub(crate) trait HasId {
    fn id_ref(&self) -> Option<&str>;
}

macro_rules! has_id {
    ($($t:ty),+) => {$(impl HasId for $t {
        fn id_ref(&self) -> Option<&str> { self.id.as_deref() }
    })+};
}
has_id!(Issue, Strategy, Initiative, Activity, Indicator, Photo);

/// A fresh id: 32 lower-case hex digits (fits the schema's `^[0-9A-Za-z_-]+$`).
pub fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Whether `id` is one the interchange format allows (`^[0-9A-Za-z_-]+$`, 1–64).
pub fn is_valid(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Every id slot of a plan, in tree order.
pub fn ids_mut(plan: &mut Plan) -> Vec<&mut Option<String>> {
    plan.issues.iter_mut().flat_map(issue_ids_mut).collect()
}

/// An issue's id and those of everything under it.
pub fn issue_ids_mut(issue: &mut Issue) -> Vec<&mut Option<String>> {
    let mut ids = vec![&mut issue.id];
    ids.extend(issue.outcome_indicators.iter_mut().map(|x| &mut x.id));
    ids.extend(issue.strategies.iter_mut().flat_map(strategy_ids_mut));
    ids
}

/// A strategy's id and those of everything under it.
pub fn strategy_ids_mut(strategy: &mut Strategy) -> Vec<&mut Option<String>> {
    let mut ids = vec![&mut strategy.id];
    ids.extend(strategy.outcome_indicators.iter_mut().map(|x| &mut x.id));
    ids.extend(strategy.initiatives.iter_mut().flat_map(initiative_ids_mut));
    ids
}

/// The initiative's own id and those of its rows.
pub fn initiative_ids_mut(initiative: &mut Initiative) -> Vec<&mut Option<String>> {
    let mut ids = vec![&mut initiative.id];
    ids.extend(initiative.activities.iter_mut().map(|x| &mut x.id));
    ids.extend(initiative.process_indicators.iter_mut().map(|x| &mut x.id));
    ids.extend(initiative.photos.iter_mut().map(|x| &mut x.id));
    ids
}

/// The plan with every id removed: how a file written before ids (or by
/// hand) has it, for comparing content.
pub fn without_ids(mut plan: Plan) -> Plan {
    for id in ids_mut(&mut plan) {
        *id = None;
    }
    plan
}

/// Gives every node without an id a new one.
pub fn assign_missing(plan: &mut Plan) {
    for id in ids_mut(plan) {
        if id.is_none() {
            *id = Some(new_id());
        }
    }
}

/// Gives a copy of a subtree new ids throughout (duplicate, not the same node).
pub fn renew(ids: Vec<&mut Option<String>>) {
    for id in ids {
        *id = Some(new_id());
    }
}

/// Where `new` (an imported version of the plan) has no ids, takes those of
/// the stored plan `old` for the node in the same place: issues by number,
/// strategies and initiatives by position under a matched parent, rows by
/// position in their list. So a file without ids updates the plan in place
/// rather than replacing every node. Nodes that match nothing get new ids.
pub fn adopt(old: &Plan, new: &mut Plan) {
    for issue in &mut new.issues {
        let Some(old_issue) = old.issues.iter().find(|o| o.number == issue.number) else {
            continue;
        };
        take(&mut issue.id, &old_issue.id);
        take_all(
            &mut issue.outcome_indicators,
            &old_issue.outcome_indicators,
            |x| &mut x.id,
            |x| &x.id,
        );
        for (strategy, old_strategy) in issue.strategies.iter_mut().zip(&old_issue.strategies) {
            take(&mut strategy.id, &old_strategy.id);
            take_all(
                &mut strategy.outcome_indicators,
                &old_strategy.outcome_indicators,
                |x| &mut x.id,
                |x| &x.id,
            );
            for (it, old_it) in strategy
                .initiatives
                .iter_mut()
                .zip(&old_strategy.initiatives)
            {
                take(&mut it.id, &old_it.id);
                take_all(
                    &mut it.activities,
                    &old_it.activities,
                    |x| &mut x.id,
                    |x| &x.id,
                );
                take_all(
                    &mut it.process_indicators,
                    &old_it.process_indicators,
                    |x| &mut x.id,
                    |x| &x.id,
                );
                take_all(&mut it.photos, &old_it.photos, |x| &mut x.id, |x| &x.id);
            }
        }
    }
    // An id taken twice (the file had ids for some nodes only) stays with
    // the first node; the second gets a new one.
    let mut seen = std::collections::HashSet::new();
    for id in ids_mut(new) {
        if let Some(value) = id {
            if !seen.insert(value.clone()) {
                *id = None;
            }
        }
    }
    assign_missing(new);
}

fn take(id: &mut Option<String>, old: &Option<String>) {
    if id.is_none() {
        id.clone_from(old);
    }
}

fn take_all<T>(
    new: &mut [T],
    old: &[T],
    id: impl Fn(&mut T) -> &mut Option<String>,
    old_id: impl Fn(&T) -> &Option<String>,
) {
    for (n, o) in new.iter_mut().zip(old) {
        take(id(n), old_id(o));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo_plan;

    #[test]
    fn every_node_gets_a_distinct_id() {
        let mut plan = demo_plan();
        assign_missing(&mut plan);
        let ids: Vec<String> = ids_mut(&mut plan)
            .into_iter()
            .map(|i| i.clone().unwrap())
            .collect();
        let unique: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(ids.len(), unique.len());
        assert!(ids.len() > 20, "{}", ids.len());
    }

    #[test]
    fn a_file_without_ids_takes_them_by_place() {
        let mut old = demo_plan();
        assign_missing(&mut old);
        let mut new = demo_plan();
        new.issues[0].strategies[0].initiatives[0].title = "変更".into();
        new.issues[0].strategies[0].initiatives.push(Initiative {
            title: "新しい取組".into(),
            ..Default::default()
        });
        adopt(&old, &mut new);
        let (o, n) = (&old.issues[0].strategies[0], &new.issues[0].strategies[0]);
        assert_eq!(n.id, o.id);
        assert_eq!(n.initiatives[0].id, o.initiatives[0].id);
        assert_eq!(
            n.initiatives[1].activities[0].id,
            o.initiatives[1].activities[0].id
        );
        let fresh = n.initiatives.last().unwrap().id.clone().unwrap();
        assert!(ids_mut(&mut old)
            .into_iter()
            .all(|i| i.as_deref() != Some(fresh.as_str())));
    }
}
