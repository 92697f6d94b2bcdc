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

/// Reads a plan from interchange JSON: syntax (a key given twice in one
/// object is refused, not silently overwritten), schema, limits, then
/// domain rules.
pub fn parse_plan(text: &str) -> Result<Plan> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let syntax_error = |e: serde_json::Error| Error::Json {
        line: e.line(),
        column: e.column(),
        message: json_syntax_message(&e),
    };
    serde_json::from_str::<NoDuplicateKeys>(text).map_err(syntax_error)?;
    let value: Value = serde_json::from_str(text).map_err(syntax_error)?;
    check_schema(&value)?;
    let over_limits = crate::limits::check_value(&value);
    if !over_limits.is_empty() {
        return Err(Error::Invalid(over_limits));
    }
    // The schema and the limits describe the model, so this rarely fails;
    // serde's own text is English and has no place, so it is not shown.
    let plan: Plan = serde_json::from_value(value).map_err(|_| {
        Error::Refused(
            "JSON の内容が Hoshin の形式に合いません（値の種類か大きさが違う項目があります）。Hoshin で書き出した JSON ファイルか確かめてください。".into(),
        )
    })?;
    validate_plan(&plan)?;
    Ok(plan)
}

/// Reads any JSON and fails at the second occurrence of a key in an object.
struct NoDuplicateKeys;

impl<'de> serde::Deserialize<'de> for NoDuplicateKeys {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(NoDuplicateKeys)
    }
}

impl<'de> serde::de::Visitor<'de> for NoDuplicateKeys {
    type Value = NoDuplicateKeys;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E>(self, _: bool) -> std::result::Result<Self, E> {
        Ok(self)
    }
    fn visit_i64<E>(self, _: i64) -> std::result::Result<Self, E> {
        Ok(self)
    }
    fn visit_u64<E>(self, _: u64) -> std::result::Result<Self, E> {
        Ok(self)
    }
    fn visit_f64<E>(self, _: f64) -> std::result::Result<Self, E> {
        Ok(self)
    }
    fn visit_str<E>(self, _: &str) -> std::result::Result<Self, E> {
        Ok(self)
    }
    fn visit_unit<E>(self) -> std::result::Result<Self, E> {
        Ok(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Self, A::Error> {
        while seq.next_element::<NoDuplicateKeys>()?.is_some() {}
        Ok(self)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Self, A::Error> {
        let mut seen = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(serde::de::Error::custom(format!(
                    "項目「{key}」が同じところに2回あります。どちらか一方を消してください"
                )));
            }
            map.next_value::<NoDuplicateKeys>()?;
        }
        Ok(self)
    }
}

/// Reads a plan from an interchange JSON file (see [`parse_plan`]).
pub fn read_plan_file(path: &std::path::Path) -> Result<Plan> {
    let bytes = crate::limits::read_input_file(path)?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::Refused(format!(
            "「{}」は UTF-8 のテキストではないため JSON として読めません。Hoshin で書き出した JSON ファイルを指定してください。",
            path.display()
        ))
    })?;
    parse_plan(&text)
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
        // Our own messages (a key given twice); serde_json adds the place in English.
        Category::Data => e
            .to_string()
            .split(" at line ")
            .next()
            .unwrap_or("")
            .to_string(),
        Category::Io => "読み込めません".into(),
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
        K::Type { kind } => format!("値の種類が違います（{}にしてください）", type_names(kind)),
        K::Minimum { limit } => format!("{limit} 以上の値にしてください"),
        K::Maximum { limit } => format!("{limit} 以下の値にしてください"),
        K::MinLength { .. } => "空欄にはできません".into(),
        K::Enum { options } => format!("次のどれかにしてください: {options}"),
        K::Constant { expected_value } => {
            format!("「{expected_value}」でなければなりません（Hoshin の形式ではないファイルです）")
        }
        K::Pattern { pattern } => format!("書き方が違います（形式: {pattern}、例: 5-1-2）"),
        K::UniqueItems => "同じ値が重複しています".into(),
        K::MaxLength { limit } => format!("{limit}文字までにしてください"),
        K::MinItems { limit } => format!("{limit}件以上にしてください"),
        K::MaxItems { limit } => format!("{limit}件までにしてください"),
        _ => "Hoshin の形式に合いません".into(),
    }
}

/// 「整数か空（null）」: the JSON types a value may have, in Japanese.
fn type_names(kind: &jsonschema::error::TypeKind) -> String {
    use jsonschema::error::TypeKind;
    use jsonschema::JsonType;
    let name = |t: JsonType| match t {
        JsonType::Array => "一覧（配列）",
        JsonType::Boolean => "true か false",
        JsonType::Integer => "整数",
        JsonType::Null => "空（null）",
        JsonType::Number => "数値",
        JsonType::Object => "項目のまとまり（オブジェクト）",
        JsonType::String => "文字列",
    };
    match kind {
        TypeKind::Single(t) => name(*t).to_string(),
        TypeKind::Multiple(types) => types.into_iter().map(name).collect::<Vec<_>>().join("か"),
    }
}

/// Turns /issues/0/strategies/1/initiatives/0/budgets/2/amount_yen into
/// 「経営課題5 › 戦略 5-2 › 具体的取組 5-2-1 › 予算 › 3行目 › 金額（円）」.
pub(crate) fn place_of_pointer(root: &Value, pointer: &str) -> String {
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
