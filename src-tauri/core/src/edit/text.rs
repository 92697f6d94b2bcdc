//! Texts, lines, stage, issue number and SDGs.

use super::{refused, required, wrong_node, NodeData};
use crate::error::{Error, Result};
use crate::fields::LinesField;
use crate::model::Issue;
use crate::normalize::{clean_name, clean_text, nfkc, Problem};

/// A text field of one kind of node (see [`crate::fields`]).
pub trait TextField<Node>: Copy {
    fn label(self) -> &'static str;
    fn required(self) -> bool;
    fn is_name(self) -> bool;
    fn set(self, node: &mut Node, value: Option<String>);
}

macro_rules! text_field_impl {
    ($($field:ty => $node:ty),+) => {$(
        impl TextField<$node> for $field {
            fn label(self) -> &'static str { <$field>::label(self) }
            fn required(self) -> bool { <$field>::required(self) }
            fn is_name(self) -> bool { <$field>::is_name(self) }
            fn set(self, node: &mut $node, value: Option<String>) { <$field>::set(self, node, value) }
        }
    )+};
}
text_field_impl!(
    crate::fields::PlanText => crate::model::Plan,
    crate::fields::IssueText => crate::model::Issue,
    crate::fields::StrategyText => crate::model::Strategy,
    crate::fields::InitiativeText => crate::model::Initiative
);

/// Sets a text field; a required one (a title) may not be blank.
pub fn set_text<N, F: TextField<N>>(
    node: &mut N,
    field: F,
    value: &str,
    place: &str,
) -> Result<()> {
    let value = if field.required() {
        Some(required(format!("{place} の{}", field.label()), value)?)
    } else if field.is_name() {
        clean_name(value)
    } else {
        clean_text(value)
    };
    field.set(node, value);
    Ok(())
}

/// One entry per non-blank line; a leading ・ is the printed bullet.
pub fn set_lines(node: &mut NodeData, field: LinesField, lines: &[String]) -> Result<()> {
    let list = match (field, node) {
        (LinesField::MainStrategies, NodeData::Issue(issue)) => &mut issue.main_strategies,
        (LinesField::CouncilOpinions, NodeData::Initiative(it)) => &mut it.council_opinions,
        _ => return Err(wrong_node()),
    };
    *list = lines
        .iter()
        .flat_map(|l| l.lines())
        .filter_map(|l| clean_text(l.trim_start_matches('・')))
        .collect();
    Ok(())
}

pub fn set_issue_number(issue: &mut Issue, input: &str, place: &str) -> Result<()> {
    let parsed = nfkc(input).trim().parse::<u32>().ok().filter(|n| *n >= 1);
    issue.number = parsed
        .ok_or_else(|| refused(format!("{place} の番号"), Problem::NotAPositiveWhole, input))?;
    Ok(())
}

/// 「3, 11」「３、１１」: goals 1–17, each once.
pub fn set_sdgs(issue: &mut Issue, input: &str, place: &str) -> Result<()> {
    let place = format!("{place} の主なSDGsゴール");
    let mut goals = Vec::new();
    for part in nfkc(input)
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
    {
        let goal = part.parse::<u8>().ok().filter(|g| (1..=17).contains(g));
        let goal = goal.ok_or_else(|| {
            Error::invalid(place.clone(), "1〜17の番号を入力してください", Some(input))
        })?;
        if !goals.contains(&goal) {
            goals.push(goal);
        }
    }
    issue.sdgs = goals;
    Ok(())
}
