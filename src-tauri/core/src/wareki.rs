//! 和暦 (Japanese era) labels for fiscal years. A fiscal year is stored as the
//! Western year of its April start: 2024 = 令和6年度 (April 2024 – March 2025).
//!
//! Eras are data: a new era is one more line in [`ERAS`].

use crate::normalize::nfkc;

/// An era and the first fiscal year it names. A fiscal year takes the era in
/// force on its 1 April; 平成31年度 is also accepted as a synonym of 令和元年度.
pub struct Era {
    pub name: &'static str,
    pub initial: char,
    pub first_fiscal_year: i32,
}

/// Newest first.
pub const ERAS: &[Era] = &[
    Era {
        name: "令和",
        initial: 'R',
        first_fiscal_year: 2019,
    },
    Era {
        name: "平成",
        initial: 'H',
        first_fiscal_year: 1989,
    },
];

/// How digits are written in a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Digits {
    /// 令和6年度
    Half,
    /// 令和６年度
    Full,
}

fn era_of(fiscal_year: i32) -> Option<(&'static Era, i32)> {
    ERAS.iter()
        .find(|e| fiscal_year >= e.first_fiscal_year)
        .map(|e| (e, fiscal_year - e.first_fiscal_year + 1))
}

fn write_digits(n: i32, digits: Digits) -> String {
    let s = n.to_string();
    match digits {
        Digits::Half => s,
        Digits::Full => s
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
            .collect(),
    }
}

/// The era year as written inside a label: 元 for the first year.
fn era_year_text(era_year: i32, digits: Digits) -> String {
    if era_year == 1 {
        "元".to_string()
    } else {
        write_digits(era_year, digits)
    }
}

/// 「令和6年度」; a year before the first era falls back to 「1988年度」.
pub fn long_label(fiscal_year: i32, digits: Digits) -> String {
    match era_of(fiscal_year) {
        Some((era, y)) => format!("{}{}年度", era.name, era_year_text(y, digits)),
        None => format!("{}年度", write_digits(fiscal_year, digits)),
    }
}

/// 「6年度」 as printed inside tables (「5年度実績」).
pub fn short_label(fiscal_year: i32, digits: Digits) -> String {
    format!("{}年度", short_number(fiscal_year, digits))
}

/// The bare era year, 「6」, as in 「6予算額」; 元 for the first year.
pub fn short_number(fiscal_year: i32, digits: Digits) -> String {
    match era_of(fiscal_year) {
        Some((_, y)) => era_year_text(y, digits),
        None => write_digits(fiscal_year, digits),
    }
}

/// 「R6」
pub fn initial_label(fiscal_year: i32) -> String {
    match era_of(fiscal_year) {
        Some((era, y)) => format!("{}{}", era.initial, y),
        None => fiscal_year.to_string(),
    }
}

/// Every label of one fiscal year, for views that print year columns.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct YearLabel {
    pub fiscal_year: i32,
    /// 「令和6年度」
    pub long: String,
    /// 「6年度」
    pub short: String,
    /// 「6」 as in 「6予算額」
    pub number: String,
}

impl YearLabel {
    pub fn of(fiscal_year: i32) -> YearLabel {
        YearLabel {
            fiscal_year,
            long: long_label(fiscal_year, Digits::Half),
            short: short_label(fiscal_year, Digits::Half),
            number: short_number(fiscal_year, Digits::Half),
        }
    }
}

/// Reads 「令和6年度」「令和６年度」「令和元年度」「平成31年度」「R6」「r6年度」「2024」「2024年度」.
/// A bare era year such as 「6年度」 needs a context and is not accepted here.
pub fn parse_label(text: &str) -> Option<i32> {
    let s = nfkc(text).trim().to_string();
    let s = s.strip_suffix("年度").unwrap_or(&s).trim();
    let s = s.strip_suffix('年').unwrap_or(s);
    if let Ok(year) = s.parse::<i32>() {
        return (year >= 1000).then_some(year);
    }
    for era in ERAS {
        let rest = s
            .strip_prefix(era.name)
            .or_else(|| s.strip_prefix(era.initial))
            .or_else(|| s.strip_prefix(era.initial.to_ascii_lowercase()));
        if let Some(rest) = rest {
            let era_year = if rest == "元" {
                1
            } else {
                rest.parse::<i32>().ok().filter(|y| *y >= 1)?
            };
            return Some(era.first_fiscal_year + era_year - 1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_of_reiwa_years() {
        assert_eq!(long_label(2024, Digits::Half), "令和6年度");
        assert_eq!(long_label(2024, Digits::Full), "令和６年度");
        assert_eq!(long_label(2019, Digits::Half), "令和元年度");
        assert_eq!(long_label(2018, Digits::Half), "平成30年度");
        assert_eq!(long_label(2030, Digits::Full), "令和１２年度");
        assert_eq!(short_label(2023, Digits::Half), "5年度");
        assert_eq!(short_number(2022, Digits::Half), "4");
        assert_eq!(initial_label(2024), "R6");
    }

    #[test]
    fn parses_every_spelling() {
        for (text, year) in [
            ("令和6年度", 2024),
            ("令和６年度", 2024),
            ("令和元年度", 2019),
            ("平成31年度", 2019),
            ("平成30年度", 2018),
            ("R6", 2024),
            ("Ｒ６年度", 2024),
            ("2024年度", 2024),
            ("２０２４", 2024),
        ] {
            assert_eq!(parse_label(text), Some(year), "{text}");
        }
        assert_eq!(parse_label("6年度"), None);
        assert_eq!(parse_label("令和0年度"), None);
        assert_eq!(parse_label("abc"), None);
    }

    #[test]
    fn round_trips_every_year() {
        for year in 1989..=2200 {
            for digits in [Digits::Half, Digits::Full] {
                assert_eq!(parse_label(&long_label(year, digits)), Some(year));
            }
            assert_eq!(parse_label(&initial_label(year)), Some(year));
        }
    }
}
