//! Layout C, the ward's 事業計画書 page: one sheet per 経営課題, blocks top to
//! bottom as the seed page prints them. The layout is the constants below
//! (column grid, spans, labels, field bindings); `write` and `read` walk the
//! same blocks in the same order.

use rust_xlsxwriter::{Image, Workbook, XlsxError};

use super::grid::{full_width_number, print_setup, Out, Span, Styles};
use super::read::{Book, Grid};
use crate::error::{Error, Result};
use crate::model::{
    Activity, ActivityResult, Budget, Comparison, Indicator, IndicatorResult, Initiative, Issue,
    Photo, Plan, Stage, Strategy, Target,
};
use crate::normalize::{clean_text, nfkc, parse_amount, parse_quantity};
use crate::rollover::{budget_columns, first_activity_year, first_indicator_year};
use crate::validate::budget_column_label;
use crate::wareki::{initial_label, long_label, parse_label, short_label, Digits};

// ---- The layout, as data ------------------------------------------------

/// Column widths A…N: A holds the vertical 「具体的取組」 label, B the row
/// labels, C–G the texts, H–M three years × (value, mark), N the target.
const WIDTHS: [f64; 14] = [
    3.5, 14.0, 12.0, 12.0, 12.0, 12.0, 12.0, 9.0, 5.0, 9.0, 5.0, 9.0, 5.0, 24.0,
];
/// The column the reader keys blocks on.
const KEY: u16 = 1;
const FULL: Span = Span(1, 13);
const LABEL: Span = Span(KEY, KEY);
const BODY: Span = Span(2, 13);

const TITLE_WARD: Span = Span(1, 2);
const TITLE_YEAR: Span = Span(3, 4);
const TITLE_DOC: Span = Span(5, 8);
const TITLE_STAGE_LABEL: Span = Span(11, 12);
const TITLE_STAGE: Span = Span(13, 13);
/// The plan's 出典 note, on a row of its own under the title.
const SOURCE_NOTE_LABEL: Span = Span(1, 2);
const SOURCE_NOTE: Span = Span(3, 13);
const SDGS_LABEL: Span = Span(1, 2);
const SDGS: Span = Span(3, 13);

const DOC_TITLE: &str = "事業計画書";
const STAGE_LABEL: &str = "段階";
const SDGS_TITLE: &str = "【主なSDGｓゴール】";
const ISSUE_PREFIX: &str = "経営課題";
const STRATEGY_PREFIX: &str = "めざす成果及び戦略";
const INITIATIVE_PREFIX: &str = "具体的取組";
const LEGEND: &str = "〇：目標達成　　－：目標未達成";
const MARK_DONE: &str = "〇";
const MARK_MISSED: &str = "－";

/// A labelled text box: the label in B, the text across C–N.
struct TextBox<T> {
    label: &'static str,
    get: fn(&T) -> &Option<String>,
    set: fn(&mut T) -> &mut Option<String>,
}

const STRATEGY_BOXES: [TextBox<Strategy>; 4] = [
    TextBox {
        label: "【めざす状態】",
        get: |s| &s.goal_state,
        set: |s| &mut s.goal_state,
    },
    TextBox {
        label: "【中期的な取組の方向性】",
        get: |s| &s.direction,
        set: |s| &mut s.direction,
    },
    TextBox {
        label: "【現状】",
        get: |s| &s.current_state,
        set: |s| &mut s.current_state,
    },
    TextBox {
        label: "【課題】",
        get: |s| &s.challenges,
        set: |s| &mut s.challenges,
    },
];

const SUMMARY_BOX: TextBox<Initiative> = TextBox {
    label: "概要",
    get: |i| &i.summary,
    set: |i| &mut i.summary,
};

/// An indicator table: header, then per indicator a row of values and marks,
/// a row of target details and (when any) a row of sources, then the legend.
struct IndicatorTable {
    title: &'static str,
    /// A second header above the years, as the process table prints.
    status: Option<&'static str>,
    /// 「令和４年度」 (outcome) or 「令和4年度」 (process), as the seed prints.
    digits: Digits,
}

const OUTCOME_TABLE: IndicatorTable = IndicatorTable {
    title: "【アウトカム指標】",
    status: None,
    digits: Digits::Full,
};
const PROCESS_TABLE: IndicatorTable = IndicatorTable {
    title: "プロセス（過程）指標（取組によりめざす指標）",
    status: Some("プロセス（過程）指標の達成状況"),
    digits: Digits::Half,
};
const IND_TEXT: Span = Span(1, 6);
const IND_TARGET: Span = Span(13, 13);
const TARGET_HEADER: &str = "目標";
fn year_value(i: usize) -> Span {
    Span(7 + 2 * i as u16, 7 + 2 * i as u16)
}
fn year_mark(i: usize) -> Span {
    Span(8 + 2 * i as u16, 8 + 2 * i as u16)
}
fn year_both(i: usize) -> Span {
    Span(7 + 2 * i as u16, 8 + 2 * i as u16)
}
const SOURCE_LABEL: &str = "出典";
/// The target details row: labels and the cells they name.
const DETAIL_LABELS: [(Span, &str); 4] = [
    (Span(1, 1), "目標値"),
    (Span(5, 5), "期限年度"),
    (Span(7, 8), "開始年度"),
    (Span(11, 12), "累計"),
];
const D_VALUE: Span = Span(2, 2);
const D_UNIT: Span = Span(3, 3);
const D_COMPARISON: Span = Span(4, 4);
const D_BY: Span = Span(6, 6);
const D_FROM: Span = Span(9, 10);
const D_CUMULATIVE: Span = Span(13, 13);
const CUMULATIVE_YES: &str = "累計";
const CUMULATIVE_NO: &str = "単年度";

/// The budget row: (label cell, amount cell) per column of `budget_columns`.
const BUDGET_LABEL: &str = "予算（円）";
const BUDGET_CELLS: [(Span, Span); 3] = [
    (Span(2, 2), Span(3, 3)),
    (Span(4, 4), Span(5, 5)),
    (Span(6, 6), Span(7, 9)),
];

const ACTIVITY_TITLE: &str = "主な取組";
const ACT_TEXT: Span = Span(1, 6);
const ACT_YEARS: [Span; 2] = [Span(7, 9), Span(10, 13)];

const PHOTO_LABEL: &str = "写真等";
const CAPTION_LABEL: &str = "（説明）";
const PHOTO_SLOTS: [Span; 2] = [Span(2, 6), Span(7, 13)];
const PHOTO_ROW_PT: f64 = 120.0;
const EMPTY_PHOTO_ROW_PT: f64 = 48.0;

const OPINION_TITLE: &str = "〈参考〉区政会議等意見";
const BULLET: &str = "・";

/// 戦略の自己評価 | 課題 | 改善策. The middle box has no field in the model
/// (the strategy's 課題 is printed above); it is printed empty.
const EVAL: [Span; 3] = [Span(1, 4), Span(5, 9), Span(10, 13)];
const EVAL_LABELS: [&str; 2] = ["課題", "改善策"];

// ---- Writing --------------------------------------------------------------

pub fn write(book: &mut Workbook, plan: &Plan, prefix_ward: bool) -> Result<(), XlsxError> {
    let st = Styles::new();
    for issue in &plan.issues {
        let ws = book.add_worksheet();
        let name = format!("{ISSUE_PREFIX}{}", issue.number);
        ws.set_name(if prefix_ward {
            format!("{} {} {name}", plan.ward, initial_label(plan.fiscal_year))
        } else {
            name
        })?;
        let caption = format!(
            "{}　{}　{}",
            plan.ward,
            long_label(plan.fiscal_year, Digits::Half),
            DOC_TITLE
        );
        print_setup(ws, true, Some((0, 0)), &caption)?;
        ws.set_print_gridlines(false);
        let mut out = Out::new(ws, &WIDTHS)?;
        write_issue(&mut out, &st, plan, issue)?;
    }
    Ok(())
}

fn write_issue(o: &mut Out, st: &Styles, plan: &Plan, issue: &Issue) -> Result<(), XlsxError> {
    o.put(TITLE_WARD, &plan.ward, &st.title)?;
    o.put(
        TITLE_YEAR,
        &long_label(plan.fiscal_year, Digits::Full),
        &st.title,
    )?;
    o.put(TITLE_DOC, DOC_TITLE, &st.title)?;
    o.put(TITLE_STAGE_LABEL, STAGE_LABEL, &st.label)?;
    o.put(
        TITLE_STAGE,
        plan.stage.map(Stage::label).unwrap_or(""),
        &st.center,
    )?;
    o.next(24.0)?;
    o.put(SOURCE_NOTE_LABEL, SOURCE_LABEL, &st.label)?;
    o.put(SOURCE_NOTE, plan.source.as_deref().unwrap_or(""), &st.text)?;
    o.next(18.0)?;
    o.put(SDGS_LABEL, SDGS_TITLE, &st.label)?;
    let goals: Vec<String> = issue.sdgs.iter().map(u8::to_string).collect();
    o.put(SDGS, &goals.join("、"), &st.text)?;
    o.next(20.0)?;
    o.put(
        FULL,
        &format!(
            "{ISSUE_PREFIX}{}　【{}】",
            full_width_number(&issue.number.to_string()),
            issue.title
        ),
        &st.heading,
    )?;
    o.next(22.0)?;
    o.put(FULL, issue.summary.as_deref().unwrap_or(""), &st.text)?;
    o.next(20.0)?;
    for (si, strategy) in issue.strategies.iter().enumerate() {
        let number = strategy
            .number
            .clone()
            .unwrap_or_else(|| format!("{}-{}", issue.number, si + 1));
        o.next(8.0)?;
        let heading = format!(
            "{STRATEGY_PREFIX}　{}　【{}】",
            full_width_number(&number),
            strategy.title
        );
        o.put(FULL, &heading, &st.heading)?;
        o.next(22.0)?;
        for b in &STRATEGY_BOXES {
            o.put(LABEL, b.label, &st.label)?;
            o.put(BODY, (b.get)(strategy).as_deref().unwrap_or(""), &st.text)?;
            o.next(20.0)?;
        }
        write_indicators(o, st, plan, &OUTCOME_TABLE, &strategy.outcome_indicators)?;
        for initiative in &strategy.initiatives {
            write_initiative(o, st, plan, initiative)?;
        }
        o.put(
            EVAL[0],
            &format!("戦略{}の自己評価", full_width_number(&number)),
            &st.header,
        )?;
        o.put(EVAL[1], EVAL_LABELS[0], &st.header)?;
        o.put(EVAL[2], EVAL_LABELS[1], &st.header)?;
        o.next(18.0)?;
        o.put(
            EVAL[0],
            strategy.self_evaluation.as_deref().unwrap_or(""),
            &st.text,
        )?;
        o.put(EVAL[1], "", &st.text)?;
        o.put(
            EVAL[2],
            strategy.improvements.as_deref().unwrap_or(""),
            &st.text,
        )?;
        o.next(60.0)?;
    }
    Ok(())
}

fn indicator_years(plan: &Plan) -> [i32; 3] {
    let first = first_indicator_year(plan.fiscal_year);
    [first, first + 1, first + 2]
}

fn value_text(value: &serde_json::Number, unit: &str) -> String {
    let unit = if crate::normalize::is_percent(unit) {
        "%"
    } else {
        unit
    };
    format!("{value}{unit}")
}

fn write_indicators(
    o: &mut Out,
    st: &Styles,
    plan: &Plan,
    table: &IndicatorTable,
    indicators: &[Indicator],
) -> Result<(), XlsxError> {
    let years = indicator_years(plan);
    o.put(IND_TEXT, table.title, &st.label)?;
    if let Some(status) = table.status {
        o.put(Span(7, 12), status, &st.header)?;
        o.put(IND_TARGET, TARGET_HEADER, &st.header)?;
        o.next(18.0)?;
        o.put(IND_TEXT, "", &st.label)?;
        o.put(IND_TARGET, "", &st.header)?;
    } else {
        o.put(IND_TARGET, TARGET_HEADER, &st.header)?;
    }
    for (i, year) in years.iter().enumerate() {
        o.put(year_both(i), &long_label(*year, table.digits), &st.header)?;
    }
    o.next(18.0)?;
    for indicator in indicators {
        let unit = &indicator.target.unit;
        o.put(IND_TEXT, &indicator.text, &st.text)?;
        for (i, year) in years.iter().enumerate() {
            let result = indicator.results.iter().find(|r| r.fiscal_year == *year);
            let value = result
                .and_then(|r| r.value.as_ref())
                .map(|v| value_text(v, unit))
                .unwrap_or_default();
            let mark = match result.and_then(|r| r.achieved) {
                Some(true) => MARK_DONE,
                Some(false) => MARK_MISSED,
                None => "",
            };
            o.put(year_value(i), &value, &st.center)?;
            o.put(year_mark(i), mark, &st.center)?;
        }
        o.put(
            IND_TARGET,
            indicator.target.text.as_deref().unwrap_or(""),
            &st.center,
        )?;
        o.next(20.0)?;
        let t = &indicator.target;
        for (span, label) in DETAIL_LABELS {
            o.put_sized(span, label, &st.small, 11.0)?;
        }
        let year = |y: Option<i32>| y.map(|y| long_label(y, Digits::Half)).unwrap_or_default();
        let cumulative = match t.cumulative {
            Some(true) => CUMULATIVE_YES,
            Some(false) => CUMULATIVE_NO,
            None => "",
        };
        let details = [
            (
                D_VALUE,
                t.value.as_ref().map(|v| v.to_string()).unwrap_or_default(),
            ),
            (D_UNIT, t.unit.clone()),
            (
                D_COMPARISON,
                t.comparison
                    .map(|c| c.label().to_string())
                    .unwrap_or_default(),
            ),
            (D_BY, year(t.by_fiscal_year)),
            (D_FROM, year(t.from_fiscal_year)),
            (D_CUMULATIVE, cumulative.to_string()),
        ];
        for (span, text) in details {
            o.put_sized(span, &text, &st.small, 11.0)?;
        }
        o.next(14.0)?;
        let sources: Vec<Option<&str>> = years
            .iter()
            .map(|y| {
                indicator
                    .results
                    .iter()
                    .find(|r| r.fiscal_year == *y)
                    .and_then(|r| r.source.as_deref())
            })
            .collect();
        if sources.iter().any(Option::is_some) {
            o.put_sized(IND_TEXT, SOURCE_LABEL, &st.small, 11.0)?;
            for (i, source) in sources.iter().enumerate() {
                o.put_sized(year_both(i), source.unwrap_or(""), &st.small, 11.0)?;
            }
            o.put_sized(IND_TARGET, "", &st.small, 11.0)?;
            o.next(14.0)?;
        }
    }
    o.put(FULL, LEGEND, &st.legend)?;
    o.next(14.0)
}

fn write_initiative(
    o: &mut Out,
    st: &Styles,
    plan: &Plan,
    initiative: &Initiative,
) -> Result<(), XlsxError> {
    let first_row = o.row;
    let heading = format!(
        "{INITIATIVE_PREFIX}{} 【{}】",
        full_width_number(&initiative.number),
        initiative.title
    );
    o.put(FULL, &heading, &st.heading)?;
    o.next(20.0)?;
    o.put(LABEL, SUMMARY_BOX.label, &st.label)?;
    o.put(
        BODY,
        (SUMMARY_BOX.get)(initiative).as_deref().unwrap_or(""),
        &st.text,
    )?;
    o.next(20.0)?;
    o.put(LABEL, BUDGET_LABEL, &st.label)?;
    for ((fiscal_year, kind), (label_span, amount_span)) in budget_columns(plan.fiscal_year)
        .into_iter()
        .zip(BUDGET_CELLS)
    {
        let column = Budget {
            fiscal_year,
            kind,
            amount_yen: None,
        };
        o.put(label_span, &budget_column_label(&column), &st.header)?;
        match initiative
            .budgets
            .iter()
            .find(|b| b.fiscal_year == fiscal_year && b.kind == kind)
        {
            Some(Budget {
                amount_yen: Some(yen),
                ..
            }) => o.number(amount_span, *yen as f64, &st.yen)?,
            Some(_) => o.put(amount_span, MARK_MISSED, &st.center)?,
            None => o.put(amount_span, "", &st.yen)?,
        }
    }
    o.put(Span(10, 13), "", &st.text)?;
    o.next(20.0)?;
    // 主な取組
    let act_years = [first_activity_year(plan.fiscal_year), plan.fiscal_year];
    o.put(ACT_TEXT, ACTIVITY_TITLE, &st.header)?;
    for (span, year) in ACT_YEARS.iter().zip(act_years) {
        o.put(
            *span,
            &format!("{}実績", short_label(year, Digits::Half)),
            &st.header,
        )?;
    }
    o.next(18.0)?;
    for activity in &initiative.activities {
        o.put(ACT_TEXT, &activity.text, &st.text)?;
        for (span, year) in ACT_YEARS.iter().zip(act_years) {
            let text = activity
                .results
                .iter()
                .find(|r| r.fiscal_year == year)
                .map(|r| r.text.as_str())
                .unwrap_or("");
            o.put(*span, text, &st.center)?;
        }
        o.next(18.0)?;
    }
    write_indicators(o, st, plan, &PROCESS_TABLE, &initiative.process_indicators)?;
    // 写真等, two slots a row
    let slots = initiative.photos.len().max(1).div_ceil(2) * 2;
    for pair in (0..slots).collect::<Vec<_>>().chunks(2) {
        o.put(LABEL, PHOTO_LABEL, &st.label)?;
        let mut any_image = false;
        for (slot, &n) in PHOTO_SLOTS.iter().zip(pair) {
            o.put(*slot, "", &st.center)?;
            if let Some(image) = initiative.photos.get(n).and_then(photo_image) {
                o.ws.insert_image_fit_to_cell(o.row, slot.0, &image, true)?;
                any_image = true;
            }
        }
        o.next(if any_image {
            PHOTO_ROW_PT
        } else {
            EMPTY_PHOTO_ROW_PT
        })?;
        o.put(LABEL, CAPTION_LABEL, &st.label)?;
        for (slot, &n) in PHOTO_SLOTS.iter().zip(pair) {
            o.put(
                *slot,
                initiative
                    .photos
                    .get(n)
                    .map(|p| p.caption.as_str())
                    .unwrap_or(""),
                &st.center,
            )?;
        }
        o.next(18.0)?;
    }
    o.put(FULL, OPINION_TITLE, &st.label)?;
    o.next(18.0)?;
    for opinion in &initiative.council_opinions {
        o.put(LABEL, BULLET, &st.center)?;
        o.put(BODY, opinion, &st.text)?;
        o.next(18.0)?;
    }
    o.ws.merge_range(
        first_row,
        0,
        o.row - 1,
        0,
        "具\n体\n的\n取\n組",
        &st.vertical,
    )?;
    Ok(())
}

fn photo_image(photo: &Photo) -> Option<Image> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(photo.data_base64.as_ref()?)
        .ok()?;
    Image::new_from_buffer(&bytes)
        .ok()
        .map(|i| i.set_alt_text(&photo.caption))
}

// ---- What survives ----------------------------------------------------------

pub fn carried(plan: &Plan) -> Plan {
    let mut p = plan.clone();
    p.goal = None;
    p.mission = None;
    p.basic_policy = None;
    p.self_evaluation = None;
    p.future_policy = None;
    let years = indicator_years(plan);
    let act_years = [first_activity_year(plan.fiscal_year), plan.fiscal_year];
    let keep_results = |ind: &mut Indicator| {
        ind.results = years
            .iter()
            .filter_map(|y| ind.results.iter().find(|r| r.fiscal_year == *y).cloned())
            .map(|r| IndicatorResult {
                rating: None,
                note: None,
                ..r
            })
            .collect();
    };
    for (ii, issue) in p.issues.iter_mut().enumerate() {
        issue.recognition = None;
        issue.outcome_indicators.clear();
        issue.budgets.clear();
        issue.main_strategies.clear();
        for (si, s) in issue.strategies.iter_mut().enumerate() {
            s.number
                .get_or_insert_with(|| format!("{}-{}", plan.issues[ii].number, si + 1));
            s.outcome_indicators.iter_mut().for_each(keep_results);
            for i in &mut s.initiatives {
                i.process_indicators.iter_mut().for_each(keep_results);
                i.budgets = budget_columns(plan.fiscal_year)
                    .iter()
                    .filter_map(|(y, k)| {
                        i.budgets
                            .iter()
                            .find(|b| b.fiscal_year == *y && b.kind == *k)
                            .cloned()
                    })
                    .collect();
                for a in &mut i.activities {
                    a.results = act_years
                        .iter()
                        .filter_map(|y| a.results.iter().find(|r| r.fiscal_year == *y).cloned())
                        .collect();
                }
                for photo in &mut i.photos {
                    photo.media_type = None;
                    photo.data_base64 = None;
                }
            }
        }
    }
    p
}

// ---- Reading ----------------------------------------------------------------

/// A cursor over one sheet's rows.
struct Rows<'a> {
    g: &'a Grid,
    row: u32,
}

impl Rows<'_> {
    fn at(&self, span: Span) -> String {
        self.g.text(self.row, span.0)
    }
    fn key(&self) -> String {
        self.at(LABEL).trim().to_string()
    }
    fn done(&self) -> bool {
        self.row >= self.g.height()
    }
    fn err(&self, span: Span, message: impl Into<String>) -> Error {
        self.g.error(self.row, span.0, message)
    }
    fn expect(&self, span: Span, label: &str) -> Result<()> {
        if self.at(span).trim() == label {
            Ok(())
        } else {
            Err(self.err(span, format!("ここには「{label}」があるはずです。事業計画書の様式どおりになっているか確かめてください")))
        }
    }
    fn optional(&self, span: Span) -> Option<String> {
        clean_text(&self.at(span))
    }
    fn required(&self, span: Span, what: &str) -> Result<String> {
        self.optional(span).ok_or_else(|| {
            self.err(
                span,
                format!("{what}を入力してください（空欄にはできません）"),
            )
        })
    }
    fn skip_blank(&mut self) {
        while !self.done()
            && (0..WIDTHS.len() as u16).all(|c| self.g.text(self.row, c).trim().is_empty())
        {
            self.row += 1;
        }
    }
    fn year(&self, span: Span) -> Result<Option<i32>> {
        let text = self.at(span);
        if text.trim().is_empty() {
            return Ok(None);
        }
        parse_label(&text)
            .map(Some)
            .ok_or_else(|| self.err(span, "年度を入力してください（例: 令和6年度）"))
    }
}

/// 「めざす成果及び戦略　５－１　【title】」 → (Some("5-1"), title).
fn split_heading(text: &str, prefix: &str) -> Option<(Option<String>, String)> {
    let rest = text.trim().strip_prefix(prefix)?;
    let open = rest.find('【')?;
    let close = rest.rfind('】')?;
    let number = nfkc(&rest[..open]).trim().replace(' ', "");
    let title = rest.get(open + '【'.len_utf8()..close)?.to_string();
    Some(((!number.is_empty()).then_some(number), title))
}

pub fn read(book: &Book) -> Result<Vec<Plan>> {
    let mut plans: Vec<Plan> = Vec::new();
    for g in book.sheets.iter().filter(|g| g.name.contains(ISSUE_PREFIX)) {
        let mut r = Rows { g, row: 0 };
        let ward = r.required(TITLE_WARD, "区名")?;
        let year = r
            .year(TITLE_YEAR)?
            .ok_or_else(|| r.err(TITLE_YEAR, "年度を入力してください（例: 令和6年度）"))?;
        r.expect(TITLE_STAGE_LABEL, STAGE_LABEL)?;
        let stage = match r.at(TITLE_STAGE).trim() {
            "" => None,
            s => Some(
                Stage::ALL
                    .into_iter()
                    .find(|st| st.label() == s)
                    .ok_or_else(|| {
                        r.err(
                            TITLE_STAGE,
                            "段階は「策定」「中間振り返り」「自己評価」のどれかにしてください",
                        )
                    })?,
            ),
        };
        let index = match plans
            .iter()
            .position(|p| p.ward == ward && p.fiscal_year == year)
        {
            Some(i) => i,
            None => {
                let mut plan = Plan::new(&ward, year);
                plan.stage = stage;
                plan.source = Rows { g, row: 1 }.optional(SOURCE_NOTE);
                plans.push(plan);
                plans.len() - 1
            }
        };
        r.row += 1;
        r.expect(SOURCE_NOTE_LABEL, SOURCE_LABEL)?;
        r.row += 1;
        let issue = read_issue(&mut r, &plans[index])?;
        plans[index].issues.push(issue);
    }
    Ok(plans)
}

fn read_issue(r: &mut Rows, plan: &Plan) -> Result<Issue> {
    r.expect(SDGS_LABEL, SDGS_TITLE)?;
    let mut sdgs = Vec::new();
    for part in nfkc(&r.at(SDGS))
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
    {
        sdgs.push(part.parse::<u8>().map_err(|_| {
            r.err(
                SDGS,
                "SDGsゴールは1〜17の番号を「、」で区切って入力してください",
            )
        })?);
    }
    r.row += 1;
    let heading = r.at(FULL);
    let (number, title) = split_heading(&heading, ISSUE_PREFIX)
        .ok_or_else(|| r.err(FULL, "「経営課題５　【名称】」の形で入力してください"))?;
    let number = number.and_then(|n| n.parse::<u32>().ok()).ok_or_else(|| {
        r.err(
            FULL,
            "経営課題の番号を入力してください（例: 経営課題５　【名称】）",
        )
    })?;
    r.row += 1;
    let summary = r.optional(FULL);
    r.row += 1;
    let mut issue = Issue {
        number,
        title,
        summary,
        sdgs,
        recognition: None,
        outcome_indicators: Vec::new(),
        budgets: Vec::new(),
        main_strategies: Vec::new(),
        strategies: Vec::new(),
        ..Default::default()
    };
    loop {
        r.skip_blank();
        if r.done() {
            break;
        }
        issue.strategies.push(read_strategy(r, plan)?);
    }
    Ok(issue)
}

fn read_strategy(r: &mut Rows, plan: &Plan) -> Result<Strategy> {
    let (number, title) = split_heading(&r.at(FULL), STRATEGY_PREFIX).ok_or_else(|| {
        r.err(
            FULL,
            "ここには「めざす成果及び戦略　５－１　【名称】」の見出しがあるはずです",
        )
    })?;
    r.row += 1;
    let mut s = Strategy::new(number, title);
    for b in &STRATEGY_BOXES {
        r.expect(LABEL, b.label)?;
        *(b.set)(&mut s) = r.optional(BODY);
        r.row += 1;
    }
    s.outcome_indicators = read_indicators(r, plan, &OUTCOME_TABLE)?;
    while r.key().starts_with(INITIATIVE_PREFIX) {
        s.initiatives.push(read_initiative(r, plan)?);
    }
    if !r.key().starts_with("戦略") {
        return Err(r.err(
            LABEL,
            "ここには「具体的取組…」か「戦略…の自己評価」の見出しがあるはずです",
        ));
    }
    r.expect(EVAL[1], EVAL_LABELS[0])?;
    r.expect(EVAL[2], EVAL_LABELS[1])?;
    r.row += 1;
    s.self_evaluation = r.optional(EVAL[0]);
    s.improvements = r.optional(EVAL[2]);
    r.row += 1;
    Ok(s)
}

fn read_indicators(r: &mut Rows, plan: &Plan, table: &IndicatorTable) -> Result<Vec<Indicator>> {
    r.expect(IND_TEXT, table.title)?;
    if table.status.is_some() {
        r.row += 1;
    }
    let years = indicator_years(plan);
    for (i, year) in years.iter().enumerate() {
        r.expect(year_both(i), &long_label(*year, table.digits))?;
    }
    r.row += 1;
    let mut indicators = Vec::new();
    while r.key() != LEGEND {
        if r.done() {
            return Err(r.err(
                LABEL,
                format!("指標の表の終わりに凡例「{LEGEND}」があるはずです"),
            ));
        }
        let text_row = r.row;
        r.row += 1;
        r.expect(DETAIL_LABELS[0].0, DETAIL_LABELS[0].1)?;
        let target = read_target(r)?;
        r.row += 1;
        let source_row = (r.key() == SOURCE_LABEL).then_some(r.row);
        let text = Rows {
            g: r.g,
            row: text_row,
        };
        let mut results = Vec::new();
        for (i, year) in years.iter().enumerate() {
            let value_text = text.at(year_value(i));
            let value = parse_quantity(&value_text, &target.unit)
                .map_err(|p| text.err(year_value(i), p.to_string()))?;
            let achieved = match nfkc(text.at(year_mark(i)).trim()).as_str() {
                "" => None,
                "〇" | "○" | "◯" => Some(true),
                "-" | "ー" | "―" | "‐" | "−" | "×" => Some(false),
                _ => {
                    return Err(text.err(
                        year_mark(i),
                        "達成状況は「〇」（目標達成）か「－」（目標未達成）にしてください",
                    ))
                }
            };
            let source = source_row.and_then(|row| clean_text(&r.g.text(row, year_both(i).0)));
            if value.is_some()
                || achieved.is_some()
                || source.is_some()
                || !value_text.trim().is_empty()
            {
                results.push(IndicatorResult {
                    fiscal_year: *year,
                    value,
                    achieved,
                    source,
                    rating: None,
                    note: None,
                });
            }
        }
        indicators.push(Indicator {
            text: text.required(IND_TEXT, "指標の内容")?,
            target: Target {
                text: text.optional(IND_TARGET),
                ..target
            },
            results,
            ..Default::default()
        });
        if source_row.is_some() {
            r.row += 1;
        }
    }
    r.row += 1;
    Ok(indicators)
}

fn read_target(r: &Rows) -> Result<Target> {
    let unit = r.at(D_UNIT).trim().to_string();
    let value = parse_quantity(&r.at(D_VALUE), &unit).map_err(|p| r.err(D_VALUE, p.to_string()))?;
    let comparison = match r.at(D_COMPARISON).trim() {
        "" => None,
        s => Some(
            [Comparison::AtLeast, Comparison::AtMost]
                .into_iter()
                .find(|c| c.label() == s)
                .ok_or_else(|| r.err(D_COMPARISON, "「以上」か「以下」にしてください"))?,
        ),
    };
    let cumulative = match r.at(D_CUMULATIVE).trim() {
        "" => None,
        CUMULATIVE_YES => Some(true),
        CUMULATIVE_NO => Some(false),
        _ => {
            return Err(r.err(
                D_CUMULATIVE,
                format!("「{CUMULATIVE_YES}」か「{CUMULATIVE_NO}」にしてください"),
            ))
        }
    };
    Ok(Target {
        value,
        unit,
        comparison,
        by_fiscal_year: r.year(D_BY)?,
        from_fiscal_year: r.year(D_FROM)?,
        cumulative,
        text: None,
    })
}

fn read_initiative(r: &mut Rows, plan: &Plan) -> Result<Initiative> {
    let (number, title) = split_heading(&r.at(FULL), INITIATIVE_PREFIX).ok_or_else(|| {
        r.err(
            FULL,
            "「具体的取組５－１－２ 【名称】」の形で入力してください",
        )
    })?;
    let number = number.ok_or_else(|| {
        r.err(
            FULL,
            "具体的取組の番号を入力してください（例: 具体的取組５－１－２）",
        )
    })?;
    r.row += 1;
    r.expect(LABEL, SUMMARY_BOX.label)?;
    let mut initiative = Initiative {
        number,
        title,
        summary: None,
        budgets: Vec::new(),
        activities: Vec::new(),
        process_indicators: Vec::new(),
        photos: Vec::new(),
        council_opinions: Vec::new(),
        ..Default::default()
    };
    *(SUMMARY_BOX.set)(&mut initiative) = r.optional(BODY);
    r.row += 1;
    r.expect(LABEL, BUDGET_LABEL)?;
    for ((fiscal_year, kind), (label_span, amount_span)) in budget_columns(plan.fiscal_year)
        .into_iter()
        .zip(BUDGET_CELLS)
    {
        let mut budget = Budget {
            fiscal_year,
            kind,
            amount_yen: None,
        };
        r.expect(label_span, &budget_column_label(&budget))?;
        let cell = r.g.value(r.row, amount_span.0);
        let bad = |m: String| r.err(amount_span, m);
        budget.amount_yen = match cell {
            calamine::Data::Empty => continue,
            calamine::Data::Float(f) if *f >= 0.0 && f.fract() == 0.0 => Some(*f as u64),
            calamine::Data::Int(i) if *i >= 0 => Some(*i as u64),
            _ => parse_amount(&r.at(amount_span))
                .map_err(|p| bad(format!("{}の金額: {p}", budget_column_label(&budget))))?,
        };
        if budget.amount_yen.is_none() && r.at(amount_span).trim().is_empty() {
            continue;
        }
        initiative.budgets.push(budget);
    }
    r.row += 1;
    let act_years = [first_activity_year(plan.fiscal_year), plan.fiscal_year];
    r.expect(ACT_TEXT, ACTIVITY_TITLE)?;
    for (span, year) in ACT_YEARS.iter().zip(act_years) {
        r.expect(*span, &format!("{}実績", short_label(year, Digits::Half)))?;
    }
    r.row += 1;
    while r.key() != PROCESS_TABLE.title {
        if r.done() {
            return Err(r.err(
                LABEL,
                format!("ここには「{}」の表があるはずです", PROCESS_TABLE.title),
            ));
        }
        let mut activity = Activity {
            text: r.required(ACT_TEXT, "主な取組")?,
            results: Vec::new(),
            ..Default::default()
        };
        for (span, year) in ACT_YEARS.iter().zip(act_years) {
            if let Some(text) = r.optional(*span) {
                activity.results.push(ActivityResult {
                    fiscal_year: year,
                    text,
                });
            }
        }
        initiative.activities.push(activity);
        r.row += 1;
    }
    initiative.process_indicators = read_indicators(r, plan, &PROCESS_TABLE)?;
    while r.key() == PHOTO_LABEL {
        r.row += 1;
        r.expect(LABEL, CAPTION_LABEL)?;
        for slot in PHOTO_SLOTS {
            if let Some(caption) = r.optional(slot) {
                initiative.photos.push(Photo {
                    caption,
                    media_type: None,
                    data_base64: None,
                    ..Default::default()
                });
            }
        }
        r.row += 1;
    }
    r.expect(FULL, OPINION_TITLE)?;
    r.row += 1;
    while r.key() == BULLET {
        initiative
            .council_opinions
            .push(r.required(BODY, "区政会議等意見")?);
        r.row += 1;
    }
    Ok(initiative)
}
