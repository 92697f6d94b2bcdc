//! What Hoshin accepts, in one place: text lengths, characters, amounts,
//! years, and the size of files it reads. Every value that passes here can
//! be stored (SQLite), exported (JSON, xlsx, SVG, PDF) and imported again.
//!
//! [`check_plan`] runs inside `validate_plan`, so every import and every
//! edit is checked; [`check_value`] runs on raw interchange JSON before it
//! becomes a `Plan`, so a number that does not fit the model gets a place
//! instead of a deserialisation error. The xlsx reader's limits are the
//! `XLSX_*` constants (enforced in `xlsx/read.rs`).

use serde_json::Value;

use crate::error::Violation;
use crate::json::place_of_pointer;
use crate::validate::{MAX_FISCAL_YEAR, MIN_FISCAL_YEAR};

/// Yen amounts: 15 digits, what Excel shows exactly and far above a ward's
/// budget (an f64, an SQLite integer and JSON all keep it exactly).
pub const MAX_YEN: u64 = 999_999_999_999_999;
/// Indicator values (targets and results), for the same reason.
pub const MAX_QUANTITY: f64 = 999_999_999_999_999.0;

/// Excel's limit for one cell (UTF-16 code units), so every text can be
/// written to a workbook.
pub const MAX_TEXT: usize = 32_767;
/// Names that are printed as headings, in chart titles and file names.
pub const MAX_TITLE: usize = 200;
/// 区名 and 担当課: printed on every page and by the command line.
pub const MAX_NAME: usize = 50;
/// A unit such as 件, 人, %.
pub const MAX_UNIT: usize = 20;
/// A photo's base64 text (about 12 MB of image).
pub const MAX_PHOTO_BASE64: usize = 16 << 20;

/// Files read whole into memory (interchange JSON, workbooks).
pub const MAX_IMPORT_FILE_BYTES: u64 = 100 << 20;
/// A workbook's parts, inflated, all together.
pub const XLSX_MAX_INFLATED_BYTES: u64 = 256 << 20;
pub const XLSX_MAX_ZIP_ENTRIES: usize = 10_000;
/// Cells with a value must lie within these rows and columns (A…IV).
pub const XLSX_MAX_ROWS: u32 = 100_000;
pub const XLSX_MAX_COLUMNS: u32 = 256;
/// Cells with a value, and their text, in the whole workbook.
pub const XLSX_MAX_CELLS: usize = 2_000_000;
pub const XLSX_MAX_TEXT_BYTES: usize = 128 << 20;

/// Reads a file a user hands in (JSON or workbook), refusing one larger
/// than [`MAX_IMPORT_FILE_BYTES`] before it is read into memory.
pub fn read_input_file(path: &std::path::Path) -> crate::Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| crate::Error::io(path, e))?;
    let mut bytes = Vec::new();
    file.take(MAX_IMPORT_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| crate::Error::io(path, e))?;
    if bytes.len() as u64 > MAX_IMPORT_FILE_BYTES {
        return Err(crate::Error::Refused(format!(
            "「{}」は大きすぎて取り込めません（{} MB まで）。取り込むファイルを確かめてください。",
            path.display(),
            MAX_IMPORT_FILE_BYTES >> 20
        )));
    }
    Ok(bytes)
}

/// Fields printed on one line (the command line's plan list and history,
/// headings): no line breaks or tabs either.
fn single_line(key: &str) -> bool {
    matches!(
        key,
        "ward" | "unit" | "section" | "id" | "number" | "media_type"
    )
}

fn max_length(key: &str) -> usize {
    match key {
        "ward" | "section" => MAX_NAME,
        "unit" => MAX_UNIT,
        "title" | "caption" | "id" | "number" => MAX_TITLE,
        "data_base64" => MAX_PHOTO_BASE64,
        _ => MAX_TEXT,
    }
}

/// A character no export can carry: control characters (XML and terminals
/// cannot show them) and the non-characters U+FFFE/U+FFFF. Tabs and line
/// breaks are text, except in single-line fields.
pub fn is_forbidden_char(c: char, single_line: bool) -> bool {
    match c {
        '\t' | '\n' | '\r' => single_line,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}' => true,
        _ => false,
    }
}

/// Why a text of field `key` is refused, if it is. Call this where a text
/// comes in (e.g. a field edited in the window) to refuse it early.
pub fn check_text(key: &str, text: &str) -> Option<String> {
    let one_line = single_line(key);
    if let Some(c) = text.chars().find(|c| is_forbidden_char(*c, one_line)) {
        return Some(if matches!(c, '\t' | '\n' | '\r') {
            "改行やタブは入れられません（1行で入力してください）".into()
        } else {
            format!(
                "表示できない制御文字（U+{:04X}）が含まれています。その文字を消してから入力してください",
                c as u32
            )
        });
    }
    let max = max_length(key);
    let length = text.encode_utf16().count();
    if length > max {
        return Some(if key == "data_base64" {
            format!("画像が大きすぎます（{} MB まで）", (max * 3 / 4) >> 20)
        } else {
            format!("長すぎます（{length}文字。{max}文字までにしてください）")
        });
    }
    None
}

/// Why a yen amount is refused, if it is.
pub fn check_yen(amount: u64) -> Option<String> {
    (amount > MAX_YEN).then(|| format!("金額が大きすぎます（{}円まで）", group(MAX_YEN)))
}

/// 999999 → 999,999 (yen as people write them).
pub fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Every limit, on a plan as interchange JSON.
pub fn check_value(root: &Value) -> Vec<Violation> {
    let mut found = Vec::new();
    walk(root, root, &mut String::new(), "", &mut found);
    found
}

/// Every limit, on a plan.
pub fn check_plan(plan: &crate::model::Plan) -> Vec<Violation> {
    check_value(&serde_json::to_value(plan).expect("a plan serialises"))
}

fn walk(root: &Value, node: &Value, pointer: &mut String, key: &str, found: &mut Vec<Violation>) {
    let mut add = |message: String, input: Option<String>| {
        found.push(Violation {
            place: place_of_pointer(root, pointer),
            message,
            input,
        })
    };
    match node {
        Value::String(text) => {
            if let Some(message) = check_text(key, text) {
                let shown: String = text.chars().take(40).collect();
                add(message, (text.len() <= 200).then_some(shown));
            }
        }
        Value::Number(n) => {
            let shown = Some(n.to_string());
            if key == "amount_yen" {
                match n.as_u64() {
                    Some(yen) => {
                        if let Some(message) = check_yen(yen) {
                            add(message, shown);
                        }
                    }
                    None if n.as_i64().is_some() => {}
                    None => add(
                        format!("円単位の整数で、{}円までにしてください", group(MAX_YEN)),
                        shown,
                    ),
                }
            } else if key == "value" {
                if n.as_f64().is_some_and(|v| v.abs() > MAX_QUANTITY) {
                    add(format!("値が大きすぎます（{}まで）", group(MAX_YEN)), shown);
                }
            } else if matches!(key, "by_fiscal_year" | "from_fiscal_year") {
                // The other years are checked by the schema and by validate_plan.
                let range = MIN_FISCAL_YEAR as i64..=MAX_FISCAL_YEAR as i64;
                if !n.as_i64().is_some_and(|y| range.contains(&y)) {
                    add(
                        format!("年度は{MIN_FISCAL_YEAR}〜{MAX_FISCAL_YEAR}年度の範囲で入力してください"),
                        shown,
                    );
                }
            } else if n.as_u64().is_none_or(|v| v > u32::MAX as u64)
                && n.as_i64().is_none_or(|v| v >= 0)
            {
                // 番号, SDGs goals, version: small whole numbers (the schema
                // gives their range; this keeps them within the model's types).
                add(
                    "整数を入力してください（大きすぎる値は使えません）".into(),
                    shown,
                );
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push_str(&format!("/{i}"));
                walk(root, item, pointer, key, found);
                pointer.truncate(len);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&k.replace('~', "~0").replace('/', "~1"));
                walk(root, v, pointer, k, found);
                pointer.truncate(len);
            }
        }
        Value::Bool(_) | Value::Null => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_but_line_breaks_are_text() {
        assert!(check_text("summary", "一行目\n二行目\tと").is_none());
        assert!(check_text("title", "a\u{1b}[31mb").is_some());
        assert!(check_text("title", "a\u{0}b").is_some());
        assert!(check_text("title", "a\u{9b}b").is_some());
        assert!(check_text("ward", "阿倍野区\n").is_some());
        assert!(check_text("ward", "阿倍野区").is_none());
    }

    #[test]
    fn lengths_count_as_excel_does() {
        assert!(check_text("summary", &"あ".repeat(MAX_TEXT)).is_none());
        assert!(check_text("summary", &"あ".repeat(MAX_TEXT + 1)).is_some());
        // An emoji is two UTF-16 units, as Excel counts it.
        assert!(check_text("summary", &"😀".repeat(MAX_TEXT / 2 + 1)).is_some());
        assert!(check_text("title", &"あ".repeat(MAX_TITLE + 1)).is_some());
    }

    #[test]
    fn amounts_fit_excel_and_sqlite() {
        assert!(check_yen(MAX_YEN).is_none());
        assert!(check_yen(MAX_YEN + 1)
            .unwrap()
            .contains("999,999,999,999,999円"));
    }
}
