//! Reading what planners type or paste: 全角 digits, commas, ％ and － are
//! normalised (NFKC) before a value is parsed. Shared by the UI (through the
//! commands), the CLI and every importer.

use serde_json::Number;
use unicode_normalization::UnicodeNormalization;

use crate::limits::{is_forbidden_char, MAX_QUANTITY, MAX_YEN};

/// NFKC: １６，２１７，０００ → 16,217,000 and ％ → %.
pub fn nfkc(text: &str) -> String {
    text.nfkc().collect()
}

/// Why a typed value was refused. The caller adds where it was typed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("数値を入力してください")]
    NotANumber,
    #[error("0以上の値を入力してください")]
    Negative,
    #[error("円単位の整数を入力してください")]
    NotWholeYen,
    #[error("金額が大きすぎます（999,999,999,999,999円まで）")]
    TooLarge,
    #[error("値が大きすぎます（999,999,999,999,999まで）")]
    QuantityTooLarge,
    #[error("0〜100の範囲で入力してください（単位が%のため）")]
    PercentOutOfRange,
    #[error("〇（達成）か －（未達成）を入力してください")]
    NotAMark,
    #[error("年度を入力してください（例: 令和6年度、R6、2024）")]
    NotAYear,
    #[error("1以上の整数を入力してください")]
    NotAPositiveWhole,
}

/// Characters that mean "no value" in a printed cell.
fn is_blank_mark(s: &str) -> bool {
    s.is_empty() || matches!(s, "-" | "－" | "―" | "‐" | "−" | "ー")
}

/// Strips a unit suffix and thousands separators: "16,217,000円" → "16217000".
fn strip_number_decoration<'a>(s: &'a str, suffixes: &[&str]) -> String {
    let mut s: &'a str = s.trim();
    for suffix in suffixes {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest.trim_end();
        }
    }
    s.chars()
        .filter(|c| *c != ',' && !c.is_whitespace())
        .collect()
}

/// An amount in whole yen. Blank, 「－」 or 「-」 is no amount (printed as －).
/// Planners also write amounts in 千円 or 万円 (「6,135千円」「613.5万円」).
pub fn parse_amount(input: &str) -> Result<Option<u64>, Problem> {
    let normal = nfkc(input);
    let trimmed = normal.trim();
    if is_blank_mark(trimmed) {
        return Ok(None);
    }
    let in_yen = trimmed.strip_suffix('円').unwrap_or(trimmed).trim_end();
    let (number, zeros) = [("百万", 6), ("億", 8), ("万", 4), ("千", 3)]
        .into_iter()
        .find_map(|(unit, zeros)| in_yen.strip_suffix(unit).map(|n| (n, zeros)))
        .unwrap_or((in_yen, 0));
    let digits = strip_number_decoration(number, &[]);
    if let Some(rest) = digits.strip_prefix('-') {
        return Err(if rest.parse::<f64>().is_ok() {
            Problem::Negative
        } else {
            Problem::NotANumber
        });
    }
    let yen = whole_yen(&digits, zeros)?;
    check_yen(yen).map(|()| Some(yen))
}

/// 「61.35」 in units of 10^`zeros` yen as whole yen, by the digits (no
/// binary fractions: 61.35万 is 613,500 exactly).
fn whole_yen(digits: &str, zeros: usize) -> Result<u64, Problem> {
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let is_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !is_digits(whole) || !is_digits(fraction) {
        return Err(Problem::NotANumber);
    }
    let fraction = fraction.trim_end_matches('0');
    if fraction.len() > zeros {
        return Err(Problem::NotWholeYen);
    }
    let all = format!("{whole}{fraction}{}", "0".repeat(zeros - fraction.len()));
    all.parse::<u64>().map_err(|_| Problem::TooLarge)
}

/// An amount read as a number (e.g. an Excel cell): whole, 0 or more, and
/// within [`MAX_YEN`].
pub fn yen_from_f64(value: f64) -> Result<u64, Problem> {
    if !value.is_finite() {
        return Err(Problem::NotANumber);
    }
    if value < 0.0 {
        return Err(Problem::Negative);
    }
    if value > MAX_YEN as f64 {
        return Err(Problem::TooLarge);
    }
    if value.fract() != 0.0 {
        return Err(Problem::NotWholeYen);
    }
    Ok(value as u64)
}

/// Whether `yen` can be stored and exported (see [`MAX_YEN`]).
pub fn check_yen(yen: u64) -> Result<(), Problem> {
    if yen > MAX_YEN {
        Err(Problem::TooLarge)
    } else {
        Ok(())
    }
}

/// A measured or target value. Keeps the typed spelling (62.0 stays 62.0).
/// When `unit` is % the value must lie in 0–100.
pub fn parse_quantity(input: &str, unit: &str) -> Result<Option<Number>, Problem> {
    let normal = nfkc(input);
    let trimmed = normal.trim();
    if is_blank_mark(trimmed) {
        return Ok(None);
    }
    let unit = nfkc(unit);
    let literal = strip_number_decoration(trimmed, &["%", unit.trim()]);
    let literal = literal.strip_prefix('+').unwrap_or(&literal);
    if literal.is_empty()
        || !literal
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
    {
        return Err(Problem::NotANumber);
    }
    let number: Number = serde_json::from_str(literal).map_err(|_| Problem::NotANumber)?;
    let value = number.as_f64().ok_or(Problem::NotANumber)?;
    check_quantity(value, &unit)?;
    Ok(Some(number))
}

/// The domain range of a value in a unit: never negative, 0–100 for %.
pub fn check_quantity(value: f64, unit: &str) -> Result<(), Problem> {
    if !value.is_finite() {
        return Err(Problem::NotANumber);
    }
    if value < 0.0 {
        return Err(Problem::Negative);
    }
    if is_percent(unit) && value > 100.0 {
        return Err(Problem::PercentOutOfRange);
    }
    if value > MAX_QUANTITY {
        return Err(Problem::QuantityTooLarge);
    }
    Ok(())
}

pub fn is_percent(unit: &str) -> bool {
    matches!(unit.trim(), "%" | "％" | "パーセント")
}

/// An achievement mark as typed: 〇 (also ○ ◯ o) is Some(true), － (also - ー ×
/// x) is Some(false); blank is None, "no mark given".
pub fn parse_mark(input: &str) -> Result<Option<Option<bool>>, Problem> {
    match nfkc(input).trim() {
        "" => Ok(None),
        "〇" | "○" | "◯" | "o" | "O" | "達成" => Ok(Some(Some(true))),
        "-" | "－" | "ー" | "―" | "‐" | "–" | "—" | "−" | "×" | "x" | "X" | "未達成" => {
            Ok(Some(Some(false)))
        }
        "未" | "未判定" | "/" => Ok(Some(None)),
        _ => Err(Problem::NotAMark),
    }
}

/// Trimmed text, or None when nothing is left. Line breaks inside are kept;
/// Word's line break (vertical tab) becomes one, and other control
/// characters, which no export can show, are dropped.
pub fn clean_text(input: &str) -> Option<String> {
    let text =
        input.trim_matches(|c: char| c.is_whitespace() && c != '\u{3000}' || c == '\u{feff}');
    let text: String = text
        .replace("\r\n", "\n")
        .chars()
        .map(|c| if matches!(c, '\r' | '\u{b}') { '\n' } else { c })
        .filter(|c| !is_forbidden_char(*c, false))
        .collect();
    (!text.trim().is_empty()).then_some(text)
}

/// A name on one line (担当課): [`clean_text`], and full-width spaces at
/// either end go too (a paragraph's leading 「　」 is indentation, a name's
/// is a typing slip), so 「総務課　」 is 総務課.
pub fn clean_name(input: &str) -> Option<String> {
    clean_text(input)
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_every_spelling() {
        assert_eq!(parse_amount("１６，２１７，０００"), Ok(Some(16_217_000)));
        assert_eq!(parse_amount("16,217,000円"), Ok(Some(16_217_000)));
        assert_eq!(parse_amount(" 380000 "), Ok(Some(380_000)));
        assert_eq!(parse_amount("－"), Ok(None));
        assert_eq!(parse_amount(""), Ok(None));
        assert_eq!(parse_amount("5000.0"), Ok(Some(5000)));
    }

    #[test]
    fn amounts_in_thousands_and_ten_thousands_of_yen() {
        assert_eq!(parse_amount("6,135千円"), Ok(Some(6_135_000)));
        assert_eq!(parse_amount("６，１３５千円"), Ok(Some(6_135_000)));
        assert_eq!(parse_amount("6135.5千"), Ok(Some(6_135_500)));
        assert_eq!(parse_amount("61.35万円"), Ok(Some(613_500)));
        assert_eq!(parse_amount("613.5 万円"), Ok(Some(6_135_000)));
        assert_eq!(parse_amount("1.2億円"), Ok(Some(120_000_000)));
        assert_eq!(parse_amount("6.1百万円"), Ok(Some(6_100_000)));
        assert_eq!(parse_amount("6.1355千円"), Err(Problem::NotWholeYen));
        assert_eq!(parse_amount("千円"), Err(Problem::NotANumber));
        assert_eq!(parse_amount("-5千円"), Err(Problem::Negative));
        assert_eq!(parse_amount("9999999999999億円"), Err(Problem::TooLarge));
    }

    #[test]
    fn bad_amounts_say_why() {
        assert_eq!(parse_amount("abc"), Err(Problem::NotANumber));
        assert_eq!(parse_amount("12a"), Err(Problem::NotANumber));
        assert_eq!(parse_amount("-5"), Err(Problem::Negative));
        assert_eq!(parse_amount("－５００"), Err(Problem::Negative));
        assert_eq!(parse_amount("10.5"), Err(Problem::NotWholeYen));
        assert_eq!(
            parse_amount("99999999999999999999999"),
            Err(Problem::TooLarge)
        );
        assert_eq!(parse_amount("9223372036854775807"), Err(Problem::TooLarge));
        assert_eq!(parse_amount("1e30"), Err(Problem::NotANumber));
        assert_eq!(parse_amount("1000000000000000.0"), Err(Problem::TooLarge));
        assert_eq!(
            parse_amount("999,999,999,999,999"),
            Ok(Some(999_999_999_999_999))
        );
        assert_eq!(yen_from_f64(1e30), Err(Problem::TooLarge));
        assert_eq!(yen_from_f64(f64::NAN), Err(Problem::NotANumber));
        assert_eq!(yen_from_f64(-1.0), Err(Problem::Negative));
        assert_eq!(yen_from_f64(5000.0), Ok(5000));
    }

    #[test]
    fn quantities_keep_their_spelling() {
        let q = |s, u| parse_quantity(s, u).map(|n| n.map(|n| n.to_string()));
        assert_eq!(q("62.0", "%"), Ok(Some("62.0".into())));
        assert_eq!(q("７０％", "%"), Ok(Some("70".into())));
        assert_eq!(q("１０，０００世帯", "世帯"), Ok(Some("10000".into())));
        assert_eq!(q("120%", "%"), Err(Problem::PercentOutOfRange));
        assert_eq!(q("120", "件"), Ok(Some("120".into())));
        assert_eq!(q("-3", "件"), Err(Problem::Negative));
        assert_eq!(q("x", "%"), Err(Problem::NotANumber));
        assert_eq!(q("", "%"), Ok(None));
        assert_eq!(
            q("10000000000000000000", "件"),
            Err(Problem::QuantityTooLarge)
        );
    }

    #[test]
    fn marks_in_every_spelling() {
        assert_eq!(parse_mark("〇"), Ok(Some(Some(true))));
        assert_eq!(parse_mark("○"), Ok(Some(Some(true))));
        assert_eq!(parse_mark("－"), Ok(Some(Some(false))));
        assert_eq!(parse_mark("-"), Ok(Some(Some(false))));
        assert_eq!(parse_mark(" "), Ok(None));
        assert_eq!(parse_mark("未"), Ok(Some(None)));
        assert_eq!(parse_mark("△"), Err(Problem::NotAMark));
    }

    #[test]
    fn text_is_trimmed_but_keeps_lines() {
        assert_eq!(clean_text("  ・一\r\n・二 \n"), Some("・一\n・二".into()));
        assert_eq!(clean_text(" \n "), None);
        assert_eq!(
            clean_text("区\u{1b}[31m民\u{0}\u{b}二行目\u{7}"),
            Some("区[31m民\n二行目".into())
        );
    }
}
