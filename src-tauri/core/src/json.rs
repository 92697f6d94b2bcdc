//! The JSON interchange format (`plan.schema.json`, version 1), both ways.
//! Reading checks the schema first, then the domain rules; errors name the
//! place in planners' words (経営課題5 › 戦略 5-1 › …), not JSON pointers.

use std::sync::OnceLock;

use jsonschema::error::ValidationErrorKind;
use jsonschema::Validator;
use serde_json::Value;

use crate::error::{Error, Result, Violation};
use crate::model::field_label;
use crate::model::Plan;
use crate::validate::validate_plan;

pub const SCHEMA_JSON: &str = include_str!("../plan.schema.json");

fn validator() -> &'static Validator {
    static VALIDATOR: OnceLock<Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let schema: Value = serde_json::from_str(SCHEMA_JSON).expect("the bundled schema is JSON");
        jsonschema::validator_for(&schema).expect("the bundled schema compiles")
    })
}

/// Reads a plan from interchange JSON: syntax, schema, then domain rules.
pub fn parse_plan(text: &str) -> Result<Plan> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: Value = serde_json::from_str(text).map_err(|e| Error::Json {
        line: e.line(),
        column: e.column(),
        message: json_syntax_message(&e),
    })?;
    check_schema(&value)?;
    let plan: Plan = serde_json::from_value(value).map_err(|e| Error::Json {
        line: 0,
        column: 0,
        message: e.to_string(),
    })?;
    validate_plan(&plan)?;
    Ok(plan)
}

/// Checks a value against the interchange schema.
pub fn check_schema(value: &Value) -> Result<()> {
    let violations: Vec<Violation> = validator()
        .iter_errors(value)
        .map(|e| Violation {
            place: place_of_pointer(value, e.instance_path().as_str()),
            message: schema_message(e.kind()),
            input: input_text(e.instance()),
        })
        .collect();
    if violations.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(violations))
    }
}

/// Canonical interchange JSON (two-space indent, trailing newline).
pub fn to_json(plan: &Plan) -> String {
    let mut text = serde_json::to_string_pretty(plan).expect("a plan serialises");
    text.push('\n');
    text
}

fn json_syntax_message(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Eof => "ファイルが途中で終わっています".into(),
        Category::Syntax => "JSON の書式が正しくありません".into(),
        Category::Data => format!("値の形が違います（{e}）"),
        Category::Io => format!("読み込めません（{e}）"),
    }
}

fn input_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn schema_message(kind: &ValidationErrorKind) -> String {
    use ValidationErrorKind as K;
    match kind {
        K::Required { property } => format!(
            "必須の項目「{}」がありません",
            property.as_str().unwrap_or_default()
        ),
        K::AdditionalProperties { unexpected } => {
            format!(
                "Hoshin の形式にない項目があります: {}",
                unexpected.join(", ")
            )
        }
        K::Type { kind } => format!("値の種類が違います（{kind:?} が必要です）"),
        K::Minimum { limit } => format!("{limit} 以上の値にしてください"),
        K::Maximum { limit } => format!("{limit} 以下の値にしてください"),
        K::MinLength { .. } => "空欄にはできません".into(),
        K::Enum { options } => format!("次のどれかにしてください: {options}"),
        K::Constant { expected_value } => {
            format!("「{expected_value}」でなければなりません（Hoshin の形式ではないファイルです）")
        }
        K::Pattern { pattern } => format!("書き方が違います（形式: {pattern}、例: 5-1-2）"),
        K::UniqueItems => "同じ値が重複しています".into(),
        other => format!("形式に合いません（{other:?}）"),
    }
}

/// Turns /issues/0/strategies/1/initiatives/0/budgets/2/amount_yen into
/// 「経営課題5 › 戦略 5-2 › 具体的取組 5-2-1 › 予算 › 3行目 › 金額（円）」.
fn place_of_pointer(root: &Value, pointer: &str) -> String {
    let mut place: Vec<String> = Vec::new();
    let mut node = Some(root);
    let mut numbers: Vec<String> = Vec::new();
    let mut parent_key = String::new();
    for raw in pointer.split('/').skip(1) {
        let segment = raw.replace("~1", "/").replace("~0", "~");
        node = node.and_then(|n| match n {
            Value::Array(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
            Value::Object(map) => map.get(&segment),
            _ => None,
        });
        match (parent_key.as_str(), segment.parse::<usize>()) {
            ("issues", Ok(i)) => {
                let number = node.and_then(|n| n.get("number")).and_then(Value::as_u64);
                numbers = vec![number.map_or_else(|| (i + 1).to_string(), |n| n.to_string())];
                place.push(format!("経営課題{}", numbers[0]));
            }
            ("strategies", Ok(i)) => {
                numbers.truncate(1);
                numbers.push((i + 1).to_string());
                place.push(format!("戦略 {}", numbers.join("-")));
            }
            ("initiatives", Ok(i)) => {
                numbers.truncate(2);
                numbers.push((i + 1).to_string());
                place.push(format!("具体的取組 {}", numbers.join("-")));
            }
            (_, Ok(i)) => place.push(format!("{}行目", i + 1)),
            (_, Err(_)) => {
                let label = field_label(&segment);
                if !label.is_empty() {
                    place.push(label.to_string());
                }
            }
        }
        parent_key = segment;
    }
    if place.is_empty() {
        "計画".into()
    } else {
        place.join(" › ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DEMO_PLAN_JSON;

    #[test]
    fn the_example_round_trips_exactly() {
        let plan = parse_plan(DEMO_PLAN_JSON).unwrap();
        let original: Value = serde_json::from_str(DEMO_PLAN_JSON).unwrap();
        let exported: Value = serde_json::from_str(&to_json(&plan)).unwrap();
        assert_eq!(original, exported);
    }

    #[test]
    fn schema_errors_name_the_place_in_japanese() {
        let mut v: Value = serde_json::from_str(DEMO_PLAN_JSON).unwrap();
        v["issues"][0]["strategies"][0]["initiatives"][1]["budgets"][2]["amount_yen"] =
            Value::from(-5);
        let err = parse_plan(&v.to_string()).unwrap_err().to_string();
        assert!(
            err.contains("経営課題5 › 戦略 5-1 › 具体的取組 5-1-2 › 予算 › 3行目 › 金額（円）"),
            "{err}"
        );
        assert!(err.contains("0 以上"), "{err}");
    }

    #[test]
    fn broken_json_says_where() {
        let err = parse_plan("{\n  \"format\": \"hoshin-plan\",\n  oops")
            .unwrap_err()
            .to_string();
        assert!(err.contains("3行目"), "{err}");
    }

    #[test]
    fn a_foreign_json_is_refused() {
        let err = parse_plan(r#"{"name": "not a plan"}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("必須の項目「format」"), "{err}");
    }
}
