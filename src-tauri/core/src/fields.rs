//! The text fields a planner edits, one enum per kind of node. The window
//! names a field by these enums (generated into TypeScript), the store
//! writes the column they name, and history and messages use their labels,
//! so a field's name, column and label are written once, here.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{Initiative, Issue, Plan, Strategy};

/// What every text-field enum offers, so code that walks the fields of any
/// node (the store's writer) is written once.
pub trait TextField: Copy + 'static {
    type Node;
    const ALL: &'static [Self];
    fn column(self) -> &'static str;
    fn label(self) -> &'static str;
    fn get(self, node: &Self::Node) -> Option<&str>;
}

/// One enum of text fields of a node type: variant, struct field, column,
/// Japanese label, and whether it may be blank.
macro_rules! text_fields {
    ($(#[$meta:meta])* $name:ident for $node:ty {
        $($(#[$vmeta:meta])* $variant:ident => $field:ident, $label:literal, $kind:ident;)+
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
        #[ts(export)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The column in the node's table (also the interchange key).
            pub fn column(self) -> &'static str {
                match self { $($name::$variant => stringify!($field),)+ }
            }

            /// 「名称」「概要」…
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            /// Whether the field must not be blank (a title).
            pub fn required(self) -> bool {
                match self { $($name::$variant => text_fields!(@required $kind),)+ }
            }

            pub fn get(self, node: &$node) -> Option<&str> {
                match self { $($name::$variant => text_fields!(@get node.$field, $kind),)+ }
            }

            /// Whether the field is a name (trimmed of full-width spaces too).
            pub fn is_name(self) -> bool {
                match self { $($name::$variant => text_fields!(@name $kind),)+ }
            }

            /// Sets the field; a required field is only ever set to text.
            pub fn set(self, node: &mut $node, value: Option<String>) {
                match self { $($name::$variant => text_fields!(@set node.$field, value, $kind),)+ }
            }
        }

        impl TextField for $name {
            type Node = $node;
            const ALL: &'static [$name] = $name::ALL;
            fn column(self) -> &'static str {
                $name::column(self)
            }
            fn label(self) -> &'static str {
                $name::label(self)
            }
            fn get(self, node: &$node) -> Option<&str> {
                $name::get(self, node)
            }
        }
    };
    (@required required) => { true };
    (@required optional) => { false };
    (@required name) => { false };
    (@name name) => { true };
    (@name $other:ident) => { false };
    (@get $e:expr, required) => { Some($e.as_str()) };
    (@get $e:expr, optional) => { $e.as_deref() };
    (@get $e:expr, name) => { $e.as_deref() };
    (@set $e:expr, $v:ident, required) => { if let Some(v) = $v { $e = v } };
    (@set $e:expr, $v:ident, optional) => { $e = $v };
    (@set $e:expr, $v:ident, name) => { $e = $v };
}

text_fields! {
    /// Texts of the plan as a whole.
    PlanText for Plan {
        /// 区の目標
        Goal => goal, "区の目標", optional;
        /// 区の使命
        Mission => mission, "区の使命", optional;
        BasicPolicy => basic_policy, "区運営の基本的な考え方", optional;
        SelfEvaluation => self_evaluation, "自己評価", optional;
        FuturePolicy => future_policy, "今後の方針", optional;
        Source => source, "出典", optional;
    }
}

text_fields! {
    /// Texts of a 経営課題.
    IssueText for Issue {
        Title => title, "名称", required;
        Summary => summary, "概要", optional;
        Recognition => recognition, "課題認識", optional;
    }
}

text_fields! {
    /// Texts of a 戦略 (めざす成果及び戦略).
    StrategyText for Strategy {
        Title => title, "名称", required;
        GoalState => goal_state, "めざす状態", optional;
        CurrentState => current_state, "現状", optional;
        Challenges => challenges, "課題", optional;
        Direction => direction, "中期的な取組の方向性", optional;
        SelfEvaluation => self_evaluation, "自己評価", optional;
        Improvements => improvements, "改善策", optional;
    }
}

text_fields! {
    /// Texts of a 具体的取組.
    InitiativeText for Initiative {
        Title => title, "名称", required;
        Summary => summary, "概要", optional;
        /// 担当課
        Section => section, "担当課", name;
    }
}

/// Lists of lines: 主な戦略 of an issue, 区政会議等意見 of an initiative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum LinesField {
    /// 主な戦略（課題解決の方策） of a 経営課題
    MainStrategies,
    /// 〈参考〉区政会議等意見 of a 具体的取組
    CouncilOpinions,
}

impl LinesField {
    pub fn label(self) -> &'static str {
        match self {
            LinesField::MainStrategies => "主な戦略",
            LinesField::CouncilOpinions => "区政会議等意見",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_the_interchange_keys() {
        let plan = crate::demo_plan();
        let json = serde_json::to_value(&plan.issues[0].strategies[0]).unwrap();
        for field in StrategyText::ALL {
            assert!(json.get(field.column()).is_some(), "{}", field.column());
        }
        let json = serde_json::to_value(&plan).unwrap();
        for field in PlanText::ALL {
            assert!(json.get(field.column()).is_some(), "{}", field.column());
        }
    }

    #[test]
    fn a_required_field_is_never_blanked() {
        let mut issue = crate::demo_plan().issues[0].clone();
        IssueText::Title.set(&mut issue, None);
        assert_eq!(
            IssueText::Title.get(&issue),
            Some("区民から信頼される区役所づくり")
        );
        IssueText::Summary.set(&mut issue, None);
        assert_eq!(IssueText::Summary.get(&issue), None);
    }
}
