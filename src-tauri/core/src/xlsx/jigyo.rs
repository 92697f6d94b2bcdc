//! Layout C, the ward's 事業計画書 page, as one description (see `page`):
//! one landscape sheet per 経営課題, arranged as the booklet page is.
//!
//! ```text
//! ┌ title row (repeated on every page): 経営課題５【…】 SDGs  区  年度  事業計画書 ┐
//! │ 概要 of the issue                                                              │
//! │ めざす成果及び戦略 ５－１ 【…】                                                 │
//! │ 【めざす状態】 / 【中期的な取組の方向性】 │ 【現状】                              │
//! │ 【アウトカム指標】 目標 令和４年度 … 〇/－ │ 【課題】                             │
//! │┌具┬ 具体的取組５－１－１【…】          │ 写真等 │ 写真等 │〈参考〉区政会議等意見│
//! ││体│ 概要 4決算額 … 5予算額 … 6予算額 … │ image  │ image  │ ・opinions          │
//! ││的│ summary                           │        │        │                     │
//! ││取│ 主な取組 | 5年度実績 | 6年度実績     │        │        │                     │
//! ││組│ プロセス（過程）指標 … 〇/－ legend  │caption │caption │                     │
//! │ 戦略５－１の自己評価 | 課題 | 改善策                                            │
//! ```
//!
//! Quiet columns (hidden, not printed) carry the plan's stage and 出典 note,
//! every node's id, a 取組's 担当課, each target's details and the spelling
//! of each result value, so that re-import gives back what was exported.

use rust_xlsxwriter::{Workbook, XlsxError};

use super::grid::{full_width_number, Span};
use super::page::{
    self, Accepts, Anchor, Bind, Blank, Block, Boxed, Cell, Computed, Cx, Each, Field, If, In,
    Input, Key, Label, More, Quiet, Required, Row, Rule, Section, Side, Style, Text, Value, Walk,
    When,
};
use super::print::{self, Printed, Setup, A4_LANDSCAPE};
use super::read::{format_float, Book, Grid};
use crate::error::Result;
use crate::identity::HasId;
use crate::model::{
    Activity, ActivityResult, Budget, Comparison, Indicator, IndicatorResult, Initiative, Issue,
    Photo, Plan, Stage, Strategy,
};
use crate::normalize::{clean_text, is_percent, nfkc, parse_amount, parse_mark, parse_quantity};
use crate::rollover::{budget_columns, first_activity_year, first_indicator_year};
use crate::validate::{budget_column_label, initiative_place, strategy_place};
use crate::wareki::{initial_label, long_label, parse_label, short_label, Digits};

// ---- The grid ------------------------------------------------------------------

/// Column A holds the vertical 「具体的取組」 label; B…BI are a 20-pixel grid
/// (方眼) the boxes span. At 80 % on A4 landscape this fills the page width.
const GRID_COLUMNS: usize = 60;
const WIDTHS: [u32; GRID_COLUMNS + 1] = {
    let mut w = [20; GRID_COLUMNS + 1];
    w[0] = 24;
    w
};
/// Quiet columns after the gap column.
const QUIET_COLUMNS: u16 = 12;
const QUIET_COL: u16 = GRID_COLUMNS as u16 + 2;
/// Body text in points: 7.2 pt on paper at 80 %.
const FONT: &str = "ＭＳ Ｐゴシック";
const FONT_SIZE: f64 = 9.0;

const FULL: Span = Span(1, 60);
/// A 取組: its tables on the left, photos and opinions on the right.
const LEFT: Span = Span(1, 41);
const PHOTO: [Span; 2] = [Span(42, 47), Span(48, 53)];
const OPINIONS: Span = Span(54, 60);
const VERTICAL: Span = Span(0, 0);
/// The column the reader tells rows apart by.
const KEY: u16 = 1;

/// An indicator table's columns: text, target, then per year a value and a
/// mark; sources and the legend span `width`.
#[derive(Clone, Copy)]
struct Table {
    text: Span,
    target: Span,
    first: u16,
    value: u16,
    mark: u16,
    width: Span,
}

impl Table {
    const fn value(self, k: u16) -> Span {
        let at = self.first + k * (self.value + self.mark);
        Span(at, at + self.value - 1)
    }
    const fn mark(self, k: u16) -> Span {
        let at = self.first + k * (self.value + self.mark) + self.value;
        Span(at, at + self.mark - 1)
    }
    const fn both(self, k: u16) -> Span {
        Span(self.value(k).0, self.mark(k).1)
    }
}

/// The 戦略's アウトカム指標 across the page.
const OUTCOME: Table = Table {
    text: Span(1, 30),
    target: Span(31, 36),
    first: 37,
    value: 6,
    mark: 2,
    width: FULL,
};
/// A 取組's プロセス指標 in its left part.
const PROCESS: Table = Table {
    text: Span(1, 21),
    target: Span(22, 26),
    first: 27,
    value: 4,
    mark: 1,
    width: LEFT,
};

const DOC_TITLE: &str = "事業計画書";
const SDGS_TITLE: &str = "【主なSDGｓゴール】";
const ISSUE_PREFIX: &str = "経営課題";
const STRATEGY_PREFIX: &str = "めざす成果及び戦略";
const INITIATIVE_PREFIX: &str = "具体的取組";
const LEGEND: &str = "〇：目標達成　　－：目標未達成";
const MARK_DONE: &str = "〇";
const MARK_MISSED: &str = "－";
const OUTCOME_TITLE: &str = "【アウトカム指標】";
const PROCESS_TITLE: &str = "プロセス（過程）指標（取組によりめざす指標）";
const PROCESS_STATUS: &str = "プロセス（過程）指標の達成状況";
const TARGET_HEADER: &str = "目標";
const ACTIVITY_TITLE: &str = "主な取組";
const PHOTO_LABEL: &str = "写真等";
const OPINION_TITLE: &str = "〈参考〉区政会議等意見";
const BULLET: &str = "・";
const SOURCE_PREFIX: &str = "出典（";
const CUMULATIVE_YES: &str = "累計";
const CUMULATIVE_NO: &str = "単年度";

/// One sheet's node: the plan's own fields and one issue.
#[derive(Debug, Clone, Default)]
struct IssuePage {
    ward: String,
    year: i32,
    stage: Option<Stage>,
    source: Option<String>,
    issue: Issue,
}

// ---- The description --------------------------------------------------------------

const fn cell<T>(span: Span, style: Style, bind: &'static dyn Bind<T>) -> Cell<T> {
    Cell {
        span,
        down: 0,
        style,
        bind,
    }
}

const fn quiet<T>(col: u16, bind: &'static dyn Bind<T>) -> Quiet<T> {
    Quiet { col, bind }
}

/// A row always written, with no quiet cells.
const fn row<T>(name: &'static str, cells: &'static [Cell<T>], min_pt: f64) -> Row<T> {
    Row {
        name,
        cells,
        quiet: &[],
        min_pt,
        stretch: false,
        when: None,
    }
}

/// A node's id in quiet column `Q1`.
macro_rules! id {
    ($t:ty) => {
        quiet(
            Q1,
            &Text {
                get: |n: &$t| &n.id,
                set: |n| &mut n.id,
                field: Field::Quiet,
            },
        )
    };
}

/// An optional text field of a node.
macro_rules! text {
    ($t:ty, $field:ident, $kind:expr) => {
        &Text {
            get: |n: &$t| &n.$field,
            set: |n| &mut n.$field,
            field: $kind,
        }
    };
}

/// Quiet column 0 marks continuation rows (see `page::CONTINUATION`); the
/// others are per row.
const Q1: u16 = 1;
const Q2: u16 = 2;
const Q3: u16 = 3;
/// One line of body text.
const LINE_PT: f64 = 15.0;

static TITLE: Row<IssuePage> = Row {
    name: "title",
    cells: &[
        cell(Span(1, 30), Style::Title, &IssueHeading),
        cell(Span(31, 38), Style::TitleSide, &Label(SDGS_TITLE)),
        cell(Span(39, 44), Style::TitleSide, &Sdgs),
        cell(Span(45, 49), Style::TitleSide, &Ward),
        cell(Span(50, 54), Style::TitleSide, &Year),
        cell(Span(55, 60), Style::TitleSide, &Label(DOC_TITLE)),
    ],
    quiet: &[
        quiet(Q1, &StageCode),
        quiet(Q2, text!(IssuePage, source, Field::Quiet)),
        quiet(
            Q3,
            &Text {
                get: |p: &IssuePage| &p.issue.id,
                set: |p| &mut p.issue.id,
                field: Field::Quiet,
            },
        ),
    ],
    min_pt: 18.75,
    stretch: false,
    when: None,
};

static BODY: Section<IssuePage> = Section {
    block: None,
    parts: &[
        &row(
            "issue-summary",
            &[cell(
                FULL,
                Style::Text,
                &Text {
                    get: |p: &IssuePage| &p.issue.summary,
                    set: |p| &mut p.issue.summary,
                    field: Field::Text,
                },
            )],
            LINE_PT,
        ),
        &Each {
            items: |p: &IssuePage| &p.issue.strategies,
            items_mut: |p| &mut p.issue.strategies,
            header: &[],
            item: &STRATEGY,
            more: More::While(Key::Starts(KEY, STRATEGY_PREFIX)),
        },
    ],
    sides: &[],
};

static STRATEGY: Section<Strategy> = Section {
    block: Some(Block::Group),
    parts: &[
        &STRATEGY_HEAD,
        &Each {
            items: |s: &Strategy| &s.initiatives,
            items_mut: |s| &mut s.initiatives,
            header: &[],
            item: &INITIATIVE,
            more: More::While(Key::Starts(KEY, INITIATIVE_PREFIX)),
        },
        &EVALUATION,
    ],
    sides: &[],
};

/// 【めざす状態】 in one line, then 【中期的な取組の方向性】 | 【現状】 |
/// 【課題】 side by side, then the アウトカム指標 across the page.
const STATE_BOXES: [Span; 3] = [Span(1, 18), Span(19, 38), Span(39, 60)];

static STRATEGY_HEAD: Section<Strategy> = Section {
    block: Some(Block::Unit {
        with_next: true,
        with_previous: false,
    }),
    parts: &[
        &Row {
            name: "strategy-heading",
            cells: &[cell(FULL, Style::Heading, &StrategyHeading)],
            quiet: &[id!(Strategy)],
            min_pt: LINE_PT,
            stretch: false,
            when: None,
        },
        &row(
            "goal",
            &[cell(
                FULL,
                Style::Text,
                &Boxed {
                    label: "【めざす状態】",
                    sep: "　",
                    get: |s: &Strategy| &s.goal_state,
                    set: |s| &mut s.goal_state,
                },
            )],
            LINE_PT,
        ),
        &Row {
            name: "direction",
            cells: &[cell(
                STATE_BOXES[0],
                Style::Text,
                &Boxed {
                    label: "【中期的な取組の方向性】",
                    sep: "\n",
                    get: |s: &Strategy| &s.direction,
                    set: |s| &mut s.direction,
                },
            )],
            quiet: &[],
            min_pt: LINE_PT,
            stretch: true,
            when: None,
        },
        &Each {
            items: |s: &Strategy| &s.outcome_indicators,
            items_mut: |s| &mut s.outcome_indicators,
            header: &[&OUTCOME_HEADER],
            item: &OUTCOME_INDICATOR,
            more: More::Until(Key::Is(KEY, LEGEND)),
        },
        &row(
            "legend",
            &[cell(OUTCOME.width, Style::Legend, &Label(LEGEND))],
            LINE_PT,
        ),
    ],
    sides: &[
        Side {
            cols: STATE_BOXES[1],
            from: Anchor::Row("direction"),
            to: Anchor::Row("direction"),
            style: Style::Text,
            bind: &Boxed {
                label: "【現状】",
                sep: "\n",
                get: |s: &Strategy| &s.current_state,
                set: |s| &mut s.current_state,
            },
            repeat: false,
        },
        Side {
            cols: STATE_BOXES[2],
            from: Anchor::Row("direction"),
            to: Anchor::Row("direction"),
            style: Style::Text,
            bind: &Boxed {
                label: "【課題】",
                sep: "\n",
                get: |s: &Strategy| &s.challenges,
                set: |s| &mut s.challenges,
            },
            repeat: false,
        },
    ],
};

static OUTCOME_HEADER: Row<Strategy> = row(
    "outcome-header",
    &[
        cell(OUTCOME.text, Style::Label, &Label(OUTCOME_TITLE)),
        cell(OUTCOME.target, Style::Label, &Label(TARGET_HEADER)),
        cell(OUTCOME.both(0), Style::Label, &YearHeader(0, Digits::Full)),
        cell(OUTCOME.both(1), Style::Label, &YearHeader(1, Digits::Full)),
        cell(OUTCOME.both(2), Style::Label, &YearHeader(2, Digits::Full)),
    ],
    LINE_PT,
);

/// An indicator row and, when it has any, its sources row.
static OUTCOME_INDICATOR: Section<Indicator> = Section {
    block: None,
    parts: &[&OUTCOME_ROW, &OUTCOME_SOURCES],
    sides: &[],
};
/// As the booklet prints it, the first プロセス指標's text sits beside the
/// year headers and its values under them; any further one has a row.
static PROCESS_INDICATOR: Section<Indicator> = Section {
    block: None,
    parts: &[
        &If {
            write: |_, cx| cx.path.last() == Some(&0),
            read: Key::Computed(PROCESS.both(0).0, |cx| {
                long_label(indicator_years(cx)[0], Digits::Half)
            }),
            then: &Section {
                block: None,
                parts: &[&PROCESS_YEARS, &PROCESS_VALUES],
                sides: &[],
            },
            otherwise: &PROCESS_ROW,
        },
        &PROCESS_SOURCES,
    ],
    sides: &[],
};

/// The cells of an indicator row in table `$t`.
macro_rules! indicator_cells {
    ($t:expr, $level:expr) => {
        &[
            cell(
                $t.text,
                Style::Text,
                &Required {
                    get: |i: &Indicator| &i.text,
                    set: |i| &mut i.text,
                    what: "指標の内容",
                    field: Field::Text,
                },
            ),
            cell(
                $t.target,
                Style::Center,
                &Text {
                    get: |i: &Indicator| &i.target.text,
                    set: |i| &mut i.target.text,
                    field: Field::Text,
                },
            ),
            cell($t.value(0), Style::Number, &ResultValue(0, $level)),
            cell($t.mark(0), Style::Center, &ResultMark(0, $level)),
            cell($t.value(1), Style::Number, &ResultValue(1, $level)),
            cell($t.mark(1), Style::Center, &ResultMark(1, $level)),
            cell($t.value(2), Style::Number, &ResultValue(2, $level)),
            cell($t.mark(2), Style::Center, &ResultMark(2, $level)),
        ]
    };
}

static OUTCOME_ROW: Row<Indicator> = Row {
    name: "indicator",
    cells: indicator_cells!(OUTCOME, Level::Outcome),
    quiet: &INDICATOR_QUIET,
    min_pt: LINE_PT,
    stretch: false,
    when: None,
};
static PROCESS_ROW: Row<Indicator> = Row {
    name: "indicator",
    cells: indicator_cells!(PROCESS, Level::Process),
    quiet: &INDICATOR_QUIET,
    min_pt: LINE_PT,
    stretch: false,
    when: None,
};

/// The first プロセス指標: its text and target, merged down beside the
/// year headers, then its values.
static PROCESS_YEARS: Row<Indicator> = Row {
    name: "indicator-years",
    cells: &[
        Cell {
            span: PROCESS.text,
            down: 1,
            style: Style::Text,
            bind: &Required {
                get: |i: &Indicator| &i.text,
                set: |i| &mut i.text,
                what: "指標の内容",
                field: Field::Text,
            },
        },
        Cell {
            span: PROCESS.target,
            down: 1,
            style: Style::Center,
            bind: &Text {
                get: |i: &Indicator| &i.target.text,
                set: |i| &mut i.target.text,
                field: Field::Text,
            },
        },
        cell(PROCESS.both(0), Style::Label, &YearHeader(0, Digits::Half)),
        cell(PROCESS.both(1), Style::Label, &YearHeader(1, Digits::Half)),
        cell(PROCESS.both(2), Style::Label, &YearHeader(2, Digits::Half)),
    ],
    quiet: &[],
    min_pt: LINE_PT,
    stretch: false,
    when: None,
};
static PROCESS_VALUES: Row<Indicator> = Row {
    name: "indicator",
    cells: &[
        cell(
            PROCESS.value(0),
            Style::Number,
            &ResultValue(0, Level::Process),
        ),
        cell(
            PROCESS.mark(0),
            Style::Center,
            &ResultMark(0, Level::Process),
        ),
        cell(
            PROCESS.value(1),
            Style::Number,
            &ResultValue(1, Level::Process),
        ),
        cell(
            PROCESS.mark(1),
            Style::Center,
            &ResultMark(1, Level::Process),
        ),
        cell(
            PROCESS.value(2),
            Style::Number,
            &ResultValue(2, Level::Process),
        ),
        cell(
            PROCESS.mark(2),
            Style::Center,
            &ResultMark(2, Level::Process),
        ),
    ],
    quiet: &INDICATOR_QUIET,
    min_pt: LINE_PT,
    stretch: false,
    when: None,
};

/// Quiet columns of an indicator row: target details (value, unit, 以上/以下,
/// 期限年度, 開始年度, 累計) from `TARGET_Q`, then each year's spelling.
const TARGET_Q: u16 = 2;
const SPELLING_Q: u16 = 8;
static INDICATOR_QUIET: [Quiet<Indicator>; 10] = [
    id!(Indicator),
    // The unit first: the value cells are parsed with it.
    quiet(TARGET_Q + 1, &TargetUnit),
    quiet(TARGET_Q, &TargetValue),
    quiet(TARGET_Q + 2, &TargetComparison),
    quiet(TARGET_Q + 3, &TargetYear(TargetYearKind::By)),
    quiet(TARGET_Q + 4, &TargetYear(TargetYearKind::From)),
    quiet(TARGET_Q + 5, &TargetCumulative),
    quiet(SPELLING_Q, &Spelling(0)),
    quiet(SPELLING_Q + 1, &Spelling(1)),
    quiet(SPELLING_Q + 2, &Spelling(2)),
];

static OUTCOME_SOURCES: Row<Indicator> = Row {
    name: "sources",
    cells: &[cell(OUTCOME.width, Style::Text, &Sources(Digits::Full))],
    quiet: &[],
    min_pt: LINE_PT,
    stretch: false,
    when: Some(HAS_SOURCES),
};
static PROCESS_SOURCES: Row<Indicator> = Row {
    name: "sources",
    cells: &[cell(PROCESS.width, Style::Text, &Sources(Digits::Half))],
    quiet: &[],
    min_pt: LINE_PT,
    stretch: false,
    when: Some(HAS_SOURCES),
};
const HAS_SOURCES: When<Indicator> = When {
    write: |i, _| i.results.iter().any(|r| r.source.is_some()),
    read: Key::Starts(KEY, SOURCE_PREFIX),
};

/// The heading row: the heading, the budget row beside it, and the titles
/// of the photo slots and the opinions box.
const HEADING: Span = Span(1, 20);
const fn budget_label(k: u16) -> Span {
    Span(21 + 7 * k, 23 + 7 * k)
}
const fn budget_amount(k: u16) -> Span {
    Span(24 + 7 * k, 27 + 7 * k)
}
const SUMMARY_LABEL: Span = Span(1, 2);
const SUMMARY: Span = Span(3, 41);

static INITIATIVE: Section<Initiative> = Section {
    block: Some(Block::Unit {
        with_next: false,
        with_previous: false,
    }),
    parts: &[
        &Row {
            name: "initiative-heading",
            cells: &[
                cell(HEADING, Style::SubHeading, &InitiativeHeading),
                cell(budget_label(0), Style::Label, &BudgetLabel(0)),
                cell(budget_amount(0), Style::Number, &BudgetAmount(0)),
                cell(budget_label(1), Style::Label, &BudgetLabel(1)),
                cell(budget_amount(1), Style::Number, &BudgetAmount(1)),
                cell(budget_label(2), Style::Label, &BudgetLabel(2)),
                cell(budget_amount(2), Style::Number, &BudgetAmount(2)),
                cell(PHOTO[0], Style::Label, &Label(PHOTO_LABEL)),
                cell(PHOTO[1], Style::Label, &Label(PHOTO_LABEL)),
                cell(OPINIONS, Style::Label, &Label(OPINION_TITLE)),
            ],
            quiet: &[
                id!(Initiative),
                quiet(Q2, text!(Initiative, section, Field::Quiet)),
            ],
            min_pt: LINE_PT,
            stretch: false,
            when: None,
        },
        &Row {
            name: "summary",
            cells: &[
                cell(SUMMARY_LABEL, Style::Label, &Label("概要")),
                cell(SUMMARY, Style::Text, &Summary),
            ],
            // The opinions box starts on this row.
            quiet: &[quiet(Q1, &OpinionLines)],
            min_pt: LINE_PT,
            stretch: true,
            when: None,
        },
        &Each {
            items: |i: &Initiative| &i.activities,
            items_mut: |i| &mut i.activities,
            header: &[&ACTIVITY_HEADER],
            item: &ACTIVITY,
            more: More::Until(Key::Is(KEY, PROCESS_TITLE)),
        },
        &Each {
            items: |i: &Initiative| &i.process_indicators,
            items_mut: |i| &mut i.process_indicators,
            header: &[&PROCESS_HEADER],
            item: &PROCESS_INDICATOR,
            more: More::Until(Key::Is(KEY, LEGEND)),
        },
        &Row {
            name: "legend",
            cells: &[
                cell(LEFT, Style::Legend, &Label(LEGEND)),
                cell(PHOTO[0], Style::Center, &PhotoCaption(0)),
                cell(PHOTO[1], Style::Center, &PhotoCaption(1)),
            ],
            quiet: &[quiet(Q1, &PhotoId(0)), quiet(Q2, &PhotoId(1))],
            min_pt: LINE_PT,
            stretch: false,
            when: None,
        },
        &MorePhotos,
    ],
    sides: &[
        Side {
            cols: VERTICAL,
            from: Anchor::First,
            to: Anchor::Last,
            style: Style::Vertical,
            bind: &Decoration(INITIATIVE_PREFIX),
            repeat: true,
        },
        Side {
            cols: PHOTO[0],
            from: Anchor::Row("summary"),
            to: Anchor::Before("legend"),
            style: Style::Photo,
            bind: &PhotoImage(0),
            repeat: false,
        },
        Side {
            cols: PHOTO[1],
            from: Anchor::Row("summary"),
            to: Anchor::Before("legend"),
            style: Style::Photo,
            bind: &PhotoImage(1),
            repeat: false,
        },
        Side {
            cols: OPINIONS,
            from: Anchor::Row("summary"),
            to: Anchor::Last,
            style: Style::Text,
            bind: &Opinions,
            repeat: false,
        },
    ],
};

const ACT_TEXT: Span = Span(1, 29);
const ACT_YEARS: [Span; 2] = [Span(30, 35), Span(36, 41)];

static ACTIVITY_HEADER: Row<Initiative> = row(
    "activity-header",
    &[
        cell(ACT_TEXT, Style::Label, &Label(ACTIVITY_TITLE)),
        cell(ACT_YEARS[0], Style::Label, &ActivityYear(0)),
        cell(ACT_YEARS[1], Style::Label, &ActivityYear(1)),
    ],
    LINE_PT,
);

static ACTIVITY: Row<Activity> = Row {
    name: "activity",
    cells: &[
        cell(
            ACT_TEXT,
            Style::Text,
            &Required {
                get: |a: &Activity| &a.text,
                set: |a| &mut a.text,
                what: "主な取組",
                field: Field::ActivityText,
            },
        ),
        cell(ACT_YEARS[0], Style::Center, &ActivityResultText(0)),
        cell(ACT_YEARS[1], Style::Center, &ActivityResultText(1)),
    ],
    quiet: &[id!(Activity)],
    min_pt: LINE_PT,
    stretch: false,
    when: None,
};

static PROCESS_HEADER: Row<Initiative> = row(
    "process-header",
    &[
        cell(
            Span(PROCESS.text.0, PROCESS.target.1),
            Style::Label,
            &Label(PROCESS_TITLE),
        ),
        cell(
            Span(PROCESS.first, PROCESS.width.1),
            Style::Label,
            &Label(PROCESS_STATUS),
        ),
    ],
    LINE_PT,
);

const EVAL: [Span; 3] = [Span(1, 20), Span(21, 40), Span(41, 60)];

static EVALUATION: Section<Strategy> = Section {
    block: Some(Block::Unit {
        with_next: false,
        with_previous: true,
    }),
    parts: &[
        &row(
            "evaluation-header",
            &[
                cell(EVAL[0], Style::Label, &Computed(evaluation_title)),
                cell(EVAL[1], Style::Label, &Label("課題")),
                cell(EVAL[2], Style::Label, &Label("改善策")),
            ],
            LINE_PT,
        ),
        &row(
            "evaluation",
            &[
                cell(
                    EVAL[0],
                    Style::Text,
                    text!(Strategy, self_evaluation, Field::Evaluation),
                ),
                cell(EVAL[1], Style::Text, &Blank),
                cell(
                    EVAL[2],
                    Style::Text,
                    text!(Strategy, improvements, Field::Evaluation),
                ),
            ],
            2.0 * LINE_PT,
        ),
    ],
    sides: &[],
};

fn evaluation_title(s: &Strategy, _: &Cx) -> String {
    format!(
        "戦略{}の自己評価",
        full_width_number(s.number.as_deref().unwrap_or(""))
    )
}

// ---- Bindings ------------------------------------------------------------------

/// 「めざす成果及び戦略　５－１　【title】」 → (Some("5-1"), title).
fn split_heading(text: &str, prefix: &str) -> Option<(Option<String>, String)> {
    let rest = text.trim().strip_prefix(prefix)?;
    let open = rest.find('【')?;
    let close = rest.rfind('】')?;
    let number = nfkc(&rest[..open]).trim().replace([' ', '　'], "");
    let title = rest.get(open + '【'.len_utf8()..close)?.to_string();
    Some(((!number.is_empty()).then_some(number), title))
}

struct IssueHeading;
impl Bind<IssuePage> for IssueHeading {
    fn get(&self, p: &IssuePage, _: &Cx) -> Value {
        Value::Text(format!(
            "{ISSUE_PREFIX}{}　【{}】",
            full_width_number(&p.issue.number.to_string()),
            p.issue.title
        ))
    }
    fn set(&self, p: &mut IssuePage, cell: &In, _: &Cx) -> Result<()> {
        let (number, title) = split_heading(&cell.text(), ISSUE_PREFIX)
            .ok_or_else(|| cell.error("「経営課題５　【名称】」の形で入力してください"))?;
        p.issue.number = number.and_then(|n| n.parse().ok()).ok_or_else(|| {
            cell.error("経営課題の番号を入力してください（例: 経営課題５　【名称】）")
        })?;
        p.issue.title = title;
        Ok(())
    }
    fn field(&self) -> Field {
        Field::Text
    }
}

struct Sdgs;
impl Bind<IssuePage> for Sdgs {
    fn get(&self, p: &IssuePage, _: &Cx) -> Value {
        let goals: Vec<String> = p.issue.sdgs.iter().map(u8::to_string).collect();
        Value::Text(goals.join("、"))
    }
    fn set(&self, p: &mut IssuePage, cell: &In, _: &Cx) -> Result<()> {
        p.issue.sdgs = nfkc(&cell.text())
            .split(|c: char| !c.is_ascii_digit())
            .filter(|part| !part.is_empty())
            .map(|part| part.parse::<u8>())
            .collect::<std::result::Result<_, _>>()
            .map_err(|_| cell.error("SDGsゴールは1〜17の番号を「、」で区切って入力してください"))?;
        Ok(())
    }
    fn field(&self) -> Field {
        Field::Text
    }
}

struct Ward;
impl Bind<IssuePage> for Ward {
    fn get(&self, p: &IssuePage, _: &Cx) -> Value {
        Value::text(p.ward.as_str())
    }
    fn set(&self, p: &mut IssuePage, cell: &In, _: &Cx) -> Result<()> {
        p.ward = cell.required("区名")?;
        Ok(())
    }
}

struct Year;
impl Bind<IssuePage> for Year {
    fn get(&self, p: &IssuePage, _: &Cx) -> Value {
        Value::Text(long_label(p.year, Digits::Full))
    }
    fn set(&self, p: &mut IssuePage, cell: &In, _: &Cx) -> Result<()> {
        p.year = parse_label(&cell.text())
            .ok_or_else(|| cell.error("年度を入力してください（例: 令和6年度）"))?;
        Ok(())
    }
}

struct StageCode;
impl Bind<IssuePage> for StageCode {
    fn get(&self, p: &IssuePage, _: &Cx) -> Value {
        p.stage.map_or(Value::Empty, |s| Value::text(s.code()))
    }
    fn set(&self, p: &mut IssuePage, cell: &In, _: &Cx) -> Result<()> {
        p.stage =
            match cell.optional() {
                None => None,
                Some(code) => Some(Stage::from_code(code.trim()).ok_or_else(|| {
                    cell.error("段階は plan・midterm・final のどれかにしてください")
                })?),
            };
        Ok(())
    }
    fn field(&self) -> Field {
        Field::Quiet
    }
}

struct StrategyHeading;
impl Bind<Strategy> for StrategyHeading {
    fn get(&self, s: &Strategy, _: &Cx) -> Value {
        Value::Text(format!(
            "{STRATEGY_PREFIX}　{}　【{}】",
            full_width_number(s.number.as_deref().unwrap_or("")),
            s.title
        ))
    }
    fn set(&self, s: &mut Strategy, cell: &In, _: &Cx) -> Result<()> {
        let (number, title) = split_heading(&cell.text(), STRATEGY_PREFIX).ok_or_else(|| {
            cell.error("ここには「めざす成果及び戦略　５－１　【名称】」の見出しがあるはずです")
        })?;
        s.number = number;
        s.title = title;
        Ok(())
    }
    fn field(&self) -> Field {
        Field::Text
    }
}

struct InitiativeHeading;
impl Bind<Initiative> for InitiativeHeading {
    fn get(&self, i: &Initiative, _: &Cx) -> Value {
        Value::Text(format!(
            "{INITIATIVE_PREFIX}{} 【{}】",
            full_width_number(&i.number),
            i.title
        ))
    }
    fn set(&self, i: &mut Initiative, cell: &In, _: &Cx) -> Result<()> {
        let (number, title) = split_heading(&cell.text(), INITIATIVE_PREFIX)
            .ok_or_else(|| cell.error("「具体的取組５－１－２ 【名称】」の形で入力してください"))?;
        i.number = number.ok_or_else(|| {
            cell.error("具体的取組の番号を入力してください（例: 具体的取組５－１－２）")
        })?;
        i.title = title;
        Ok(())
    }
    fn field(&self) -> Field {
        Field::Text
    }
}

/// A printed label the reader does not check (the vertical 「具体的取組」).
struct Decoration(&'static str);
impl<T> Bind<T> for Decoration {
    fn get(&self, _: &T, _: &Cx) -> Value {
        Value::text(self.0)
    }
    fn set(&self, _: &mut T, _: &In, _: &Cx) -> Result<()> {
        Ok(())
    }
}

fn indicator_years(cx: &Cx) -> [i32; 3] {
    let first = first_indicator_year(cx.year);
    [first, first + 1, first + 2]
}

fn activity_years(cx: &Cx) -> [i32; 2] {
    [first_activity_year(cx.year), cx.year]
}

/// 「令和4年度」 over indicator year column `k`.
struct YearHeader(usize, Digits);
impl<T> Bind<T> for YearHeader {
    fn get(&self, _: &T, cx: &Cx) -> Value {
        Value::Text(long_label(indicator_years(cx)[self.0], self.1))
    }
    fn set(&self, _: &mut T, cell: &In, cx: &Cx) -> Result<()> {
        cell.expect(&long_label(indicator_years(cx)[self.0], self.1))
    }
}

/// 「5年度実績」 over activity year column `k`.
struct ActivityYear(usize);
fn activity_year_label(k: usize, cx: &Cx) -> String {
    format!("{}実績", short_label(activity_years(cx)[k], Digits::Half))
}
impl<T> Bind<T> for ActivityYear {
    fn get(&self, _: &T, cx: &Cx) -> Value {
        Value::Text(activity_year_label(self.0, cx))
    }
    fn set(&self, _: &mut T, cell: &In, cx: &Cx) -> Result<()> {
        cell.expect(&activity_year_label(self.0, cx))
    }
}

struct ActivityResultText(usize);
impl Bind<Activity> for ActivityResultText {
    fn get(&self, a: &Activity, cx: &Cx) -> Value {
        let year = activity_years(cx)[self.0];
        Value::or_empty(
            a.results
                .iter()
                .find(|r| r.fiscal_year == year)
                .map(|r| r.text.as_str()),
        )
    }
    fn set(&self, a: &mut Activity, cell: &In, cx: &Cx) -> Result<()> {
        if let Some(text) = cell.optional() {
            a.results.push(ActivityResult {
                fiscal_year: activity_years(cx)[self.0],
                text,
            });
        }
        Ok(())
    }
    fn field(&self) -> Field {
        Field::ActivityResult(self.0)
    }
    fn rule(&self, _: &Activity, cx: &Cx) -> Option<Rule> {
        let year = long_label(activity_years(cx)[self.0], Digits::Half);
        Some(Rule {
            accepts: Accepts::Text,
            title: format!("{year}の実績"),
            message: format!(
                "左の主な取組について、{year}の実績を入力してください（例: 講座を12回開催、参加者350人）。セル内の改行は Alt+Enter です。"
            ),
        })
    }
}

/// A 取組's 概要.
struct Summary;
impl Bind<Initiative> for Summary {
    fn get(&self, i: &Initiative, _: &Cx) -> Value {
        Value::or_empty(i.summary.as_deref())
    }
    fn set(&self, i: &mut Initiative, cell: &In, _: &Cx) -> Result<()> {
        i.summary = cell.optional();
        Ok(())
    }
    fn field(&self) -> Field {
        Field::InitiativeSummary
    }
    fn rule(&self, _: &Initiative, _: &Cx) -> Option<Rule> {
        Some(Rule {
            accepts: Accepts::Text,
            title: "取組の概要".into(),
            message: "この取組の概要を入力してください。セル内の改行は Alt+Enter です。".into(),
        })
    }
}

fn budget_column(k: usize, cx: &Cx) -> Budget {
    let (fiscal_year, kind) = budget_columns(cx.year)[k];
    Budget {
        fiscal_year,
        kind,
        amount_yen: None,
    }
}

/// 「4決算額」「5予算額」「6予算額」
struct BudgetLabel(usize);
impl<T> Bind<T> for BudgetLabel {
    fn get(&self, _: &T, cx: &Cx) -> Value {
        Value::Text(budget_column_label(&budget_column(self.0, cx)))
    }
    fn set(&self, _: &mut T, cell: &In, cx: &Cx) -> Result<()> {
        cell.expect(&budget_column_label(&budget_column(self.0, cx)))
    }
}

/// A budget amount in yen; 「－」 is a budget with no amount, a blank cell
/// no budget at all.
struct BudgetAmount(usize);
impl Bind<Initiative> for BudgetAmount {
    fn get(&self, i: &Initiative, cx: &Cx) -> Value {
        let column = budget_column(self.0, cx);
        match i
            .budgets
            .iter()
            .find(|b| b.fiscal_year == column.fiscal_year && b.kind == column.kind)
        {
            Some(Budget {
                amount_yen: Some(yen),
                ..
            }) => Value::Number {
                value: *yen as f64,
                format: "#,##0".into(),
            },
            Some(_) => Value::text(MARK_MISSED),
            None => Value::Empty,
        }
    }
    fn set(&self, i: &mut Initiative, cell: &In, cx: &Cx) -> Result<()> {
        let mut budget = budget_column(self.0, cx);
        budget.amount_yen = match cell.value() {
            calamine::Data::Empty => return Ok(()),
            calamine::Data::Float(f) if *f >= 0.0 && f.fract() == 0.0 => Some(*f as u64),
            calamine::Data::Int(n) if *n >= 0 => Some(*n as u64),
            _ => {
                let text = cell.text();
                if text.trim().is_empty() {
                    return Ok(());
                }
                parse_amount(&text).map_err(|p| {
                    cell.error(format!("{}の金額: {p}", budget_column_label(&budget)))
                })?
            }
        };
        i.budgets.push(budget);
        Ok(())
    }
    fn field(&self) -> Field {
        Field::Budget(self.0)
    }
    fn rule(&self, _: &Initiative, cx: &Cx) -> Option<Rule> {
        let label = budget_column_label(&budget_column(self.0, cx));
        let (year, kind) = budget_columns(cx.year)[self.0];
        Some(Rule {
            accepts: Accepts::Yen,
            title: label,
            message: format!(
                "{}の{}を円単位の数字で入力してください（例: 1234000）。金額がなければ「{MARK_MISSED}」。",
                long_label(year, Digits::Half),
                kind.label()
            ),
        })
    }
}

/// The result of `year`, created in year order when missing.
fn result_mut(indicator: &mut Indicator, year: i32) -> &mut IndicatorResult {
    let at = indicator
        .results
        .iter()
        .position(|r| r.fiscal_year >= year)
        .unwrap_or(indicator.results.len());
    if indicator.results.get(at).map(|r| r.fiscal_year) != Some(year) {
        indicator.results.insert(
            at,
            IndicatorResult {
                fiscal_year: year,
                ..Default::default()
            },
        );
    }
    &mut indicator.results[at]
}

fn result_of(indicator: &Indicator, year: i32) -> Option<&IndicatorResult> {
    indicator.results.iter().find(|r| r.fiscal_year == year)
}

/// The number format that prints `spelling` as typed, with the unit:
/// 42.5 with ％ → `0.0"%"` shows 「42.5%」.
fn value_format(spelling: &str, unit: &str) -> String {
    let digits = if spelling.contains(['e', 'E']) {
        "General".to_string()
    } else {
        match spelling.split_once('.') {
            Some((_, decimals)) => format!("0.{}", "0".repeat(decimals.len())),
            None => "0".to_string(),
        }
    };
    let unit = if is_percent(unit) {
        "%".to_string()
    } else {
        unit.replace(['"', '\\'], "")
    };
    if unit.is_empty() {
        digits
    } else {
        format!("{digits}\"{unit}\"")
    }
}

/// Which table an indicator row is in: the 戦略's アウトカム指標 or a 取組's
/// プロセス指標 (a request asks for the latter only).
#[derive(Clone, Copy)]
enum Level {
    Outcome,
    Process,
}

/// A result value: a number cell (so the charts can use it), shown with its
/// unit as the booklet prints it.
struct ResultValue(usize, Level);
impl Bind<Indicator> for ResultValue {
    fn get(&self, i: &Indicator, cx: &Cx) -> Value {
        let year = indicator_years(cx)[self.0];
        match result_of(i, year).and_then(|r| r.value.as_ref()) {
            Some(v) => Value::Number {
                value: v.as_f64().unwrap_or_default(),
                format: value_format(&v.to_string(), &i.target.unit),
            },
            None => Value::Empty,
        }
    }
    fn set(&self, i: &mut Indicator, cell: &In, cx: &Cx) -> Result<()> {
        let year = indicator_years(cx)[self.0];
        let unit = i.target.unit.clone();
        let spelled = cell.quiet(SPELLING_Q + self.0 as u16);
        let number = |f: f64| -> Result<Option<serde_json::Number>> {
            if let Some(s) = &spelled {
                if let Ok(Some(n)) = parse_quantity(s, &unit) {
                    if n.as_f64() == Some(f) {
                        return Ok(Some(n));
                    }
                }
            }
            parse_quantity(&format_float(f), &unit).map_err(|p| cell.error(p.to_string()))
        };
        let value = match cell.value() {
            calamine::Data::Empty => return Ok(()),
            calamine::Data::Float(f) => number(*f)?,
            calamine::Data::Int(n) => number(*n as f64)?,
            _ => {
                let text = cell.text();
                if text.trim().is_empty() {
                    return Ok(());
                }
                parse_quantity(&text, &unit).map_err(|p| cell.error(p.to_string()))?
            }
        };
        result_mut(i, year).value = value;
        Ok(())
    }
    fn field(&self) -> Field {
        match self.1 {
            Level::Outcome => Field::IndicatorValue(self.0),
            Level::Process => Field::ProcessValue(self.0),
        }
    }
    fn rule(&self, i: &Indicator, cx: &Cx) -> Option<Rule> {
        let year = long_label(indicator_years(cx)[self.0], Digits::Half);
        let unit = i.target.unit.trim();
        let (max, range) = if is_percent(unit) {
            (100.0, "0〜100".to_string())
        } else {
            (crate::limits::MAX_QUANTITY, "0以上".to_string())
        };
        let unit_note = if unit.is_empty() {
            String::new()
        } else {
            format!("単位は「{unit}」です（単位や「%」は付けません）。")
        };
        Some(Rule {
            accepts: Accepts::Number { min: 0.0, max },
            title: format!("{year}の実績値"),
            message: format!("{year}の実績値を数字で入力してください（{range}）。{unit_note}"),
        })
    }
}

struct ResultMark(usize, Level);
impl Bind<Indicator> for ResultMark {
    fn get(&self, i: &Indicator, cx: &Cx) -> Value {
        let year = indicator_years(cx)[self.0];
        match result_of(i, year).and_then(|r| r.achieved) {
            Some(true) => Value::text(MARK_DONE),
            Some(false) => Value::text(MARK_MISSED),
            None => Value::Empty,
        }
    }
    fn set(&self, i: &mut Indicator, cell: &In, cx: &Cx) -> Result<()> {
        let achieved = parse_mark(&cell.text()).map_err(|_| {
            cell.error("達成状況は「〇」（目標達成）か「－」（目標未達成）にしてください")
        })?;
        if let Some(Some(achieved)) = achieved {
            result_mut(i, indicator_years(cx)[self.0]).achieved = Some(achieved);
        }
        Ok(())
    }
    fn field(&self) -> Field {
        match self.1 {
            Level::Outcome => Field::IndicatorMark(self.0),
            Level::Process => Field::ProcessMark(self.0),
        }
    }
    fn rule(&self, _: &Indicator, cx: &Cx) -> Option<Rule> {
        let year = long_label(indicator_years(cx)[self.0], Digits::Half);
        Some(Rule {
            accepts: Accepts::Mark,
            title: format!("{year}の達成状況"),
            message: format!(
                "{year}の実績が目標を達成していれば「{MARK_DONE}」、達成していなければ「{MARK_MISSED}」を選んでください。"
            ),
        })
    }
}

/// 「出典（令和４年度・令和５年度）：…」, one line per source, under the
/// indicator.
struct Sources(Digits);
impl Bind<Indicator> for Sources {
    fn get(&self, i: &Indicator, cx: &Cx) -> Value {
        let mut groups: Vec<(&str, Vec<i32>)> = Vec::new();
        for year in indicator_years(cx) {
            if let Some(source) = result_of(i, year).and_then(|r| r.source.as_deref()) {
                match groups.iter_mut().find(|g| g.0 == source) {
                    Some(g) => g.1.push(year),
                    None => groups.push((source, vec![year])),
                }
            }
        }
        let lines: Vec<String> = groups
            .iter()
            .map(|(source, years)| {
                let years: Vec<String> = years.iter().map(|y| long_label(*y, self.0)).collect();
                format!("{SOURCE_PREFIX}{}）：{source}", years.join("・"))
            })
            .collect();
        Value::Text(lines.join("\n"))
    }
    fn set(&self, i: &mut Indicator, cell: &In, cx: &Cx) -> Result<()> {
        let text = cell.text().replace("\r\n", "\n");
        let columns = indicator_years(cx);
        let bad = || {
            cell.error("出典は「出典（令和５年度）：調査名」の形で、1行に1つずつ入力してください")
        };
        let mut entries: Vec<String> = Vec::new();
        for line in text.split('\n') {
            match entries.last_mut() {
                Some(last) if !nfkc(line).starts_with(&nfkc(SOURCE_PREFIX)) => {
                    last.push('\n');
                    last.push_str(line);
                }
                _ => entries.push(line.to_string()),
            }
        }
        for entry in entries.iter().filter(|e| !e.trim().is_empty()) {
            let normal = nfkc(entry.trim_start());
            let rest = normal.strip_prefix(&nfkc(SOURCE_PREFIX)).ok_or_else(bad)?;
            let (years, _) = rest.split_once("):").ok_or_else(bad)?;
            // The source as typed, after 「）：」 in the original spelling.
            let source = entry
                .split_once('：')
                .or_else(|| entry.split_once(':'))
                .map(|(_, s)| s)
                .and_then(clean_text)
                .ok_or_else(bad)?;
            for label in years.split(['・', ',', '、']) {
                let year = parse_label(label.trim()).ok_or_else(bad)?;
                if !columns.contains(&year) {
                    return Err(cell.error(format!(
                        "出典の年度「{}」はこの表の年度ではありません",
                        label.trim()
                    )));
                }
                result_mut(i, year).source = Some(source.clone());
            }
        }
        Ok(())
    }
    fn field(&self) -> Field {
        Field::IndicatorSources
    }
}

/// What the page does not print of a target, in quiet cells: its value,
/// unit, 以上/以下, 期限年度, 開始年度 and 累計.
struct TargetValue;
impl Bind<Indicator> for TargetValue {
    fn get(&self, i: &Indicator, _: &Cx) -> Value {
        Value::or_empty(i.target.value.as_ref().map(|v| v.to_string()).as_deref())
    }
    fn set(&self, i: &mut Indicator, cell: &In, _: &Cx) -> Result<()> {
        i.target.value = match cell.optional() {
            Some(v) => parse_quantity(&v, &i.target.unit).map_err(|p| cell.error(p.to_string()))?,
            None => None,
        };
        Ok(())
    }
    fn field(&self) -> Field {
        Field::Quiet
    }
}

struct TargetUnit;
impl Bind<Indicator> for TargetUnit {
    fn get(&self, i: &Indicator, _: &Cx) -> Value {
        Value::or_empty(Some(i.target.unit.as_str()).filter(|u| !u.is_empty()))
    }
    fn set(&self, i: &mut Indicator, cell: &In, _: &Cx) -> Result<()> {
        i.target.unit = cell.optional().unwrap_or_default();
        Ok(())
    }
    fn field(&self) -> Field {
        Field::Quiet
    }
}

struct TargetComparison;
impl Bind<Indicator> for TargetComparison {
    fn get(&self, i: &Indicator, _: &Cx) -> Value {
        Value::or_empty(i.target.comparison.map(Comparison::label))
    }
    fn set(&self, i: &mut Indicator, cell: &In, _: &Cx) -> Result<()> {
        i.target.comparison = match cell.optional() {
            None => None,
            Some(s) => Some(
                [Comparison::AtLeast, Comparison::AtMost]
                    .into_iter()
                    .find(|c| c.label() == s.trim())
                    .ok_or_else(|| cell.error("「以上」か「以下」にしてください"))?,
            ),
        };
        Ok(())
    }
    fn field(&self) -> Field {
        Field::Quiet
    }
}

#[derive(Clone, Copy)]
enum TargetYearKind {
    By,
    From,
}

struct TargetYear(TargetYearKind);
impl Bind<Indicator> for TargetYear {
    fn get(&self, i: &Indicator, _: &Cx) -> Value {
        let year = match self.0 {
            TargetYearKind::By => i.target.by_fiscal_year,
            TargetYearKind::From => i.target.from_fiscal_year,
        };
        year.map_or(Value::Empty, |y| Value::Text(long_label(y, Digits::Half)))
    }
    fn set(&self, i: &mut Indicator, cell: &In, _: &Cx) -> Result<()> {
        let year = match cell.optional() {
            None => None,
            Some(s) => Some(
                parse_label(&s)
                    .ok_or_else(|| cell.error("年度を入力してください（例: 令和6年度）"))?,
            ),
        };
        match self.0 {
            TargetYearKind::By => i.target.by_fiscal_year = year,
            TargetYearKind::From => i.target.from_fiscal_year = year,
        }
        Ok(())
    }
    fn field(&self) -> Field {
        Field::Quiet
    }
}

struct TargetCumulative;
impl Bind<Indicator> for TargetCumulative {
    fn get(&self, i: &Indicator, _: &Cx) -> Value {
        match i.target.cumulative {
            Some(true) => Value::text(CUMULATIVE_YES),
            Some(false) => Value::text(CUMULATIVE_NO),
            None => Value::Empty,
        }
    }
    fn set(&self, i: &mut Indicator, cell: &In, _: &Cx) -> Result<()> {
        i.target.cumulative = match cell.optional().as_deref() {
            None => None,
            Some(CUMULATIVE_YES) => Some(true),
            Some(CUMULATIVE_NO) => Some(false),
            Some(_) => {
                return Err(cell.error(format!(
                    "「{CUMULATIVE_YES}」か「{CUMULATIVE_NO}」にしてください"
                )))
            }
        };
        Ok(())
    }
    fn field(&self) -> Field {
        Field::Quiet
    }
}

/// The spelling of year `k`'s value (62.0 stays 62.0); read by the value's
/// binding, which only trusts it while the number is unchanged.
struct Spelling(usize);
impl Bind<Indicator> for Spelling {
    fn get(&self, i: &Indicator, cx: &Cx) -> Value {
        let year = indicator_years(cx)[self.0];
        Value::or_empty(
            result_of(i, year)
                .and_then(|r| r.value.as_ref())
                .map(|v| v.to_string())
                .as_deref(),
        )
    }
    fn set(&self, _: &mut Indicator, _: &In, _: &Cx) -> Result<()> {
        Ok(())
    }
    fn field(&self) -> Field {
        Field::Quiet
    }
}

struct PhotoCaption(usize);
impl Bind<Initiative> for PhotoCaption {
    fn get(&self, i: &Initiative, _: &Cx) -> Value {
        Value::or_empty(i.photos.get(self.0).map(|p| p.caption.as_str()))
    }
    /// Reads the caption and the photo's id beside it (quiet column Q1 + k).
    fn set(&self, i: &mut Initiative, cell: &In, _: &Cx) -> Result<()> {
        if let Some(caption) = cell.optional() {
            i.photos.push(Photo {
                id: cell.quiet(Q1 + self.0 as u16),
                caption,
                ..Default::default()
            });
        }
        Ok(())
    }
    fn field(&self) -> Field {
        Field::PhotoCaption(self.0)
    }
}

/// A photo's id; read back by its caption's binding.
struct PhotoId(usize);
impl Bind<Initiative> for PhotoId {
    fn get(&self, i: &Initiative, _: &Cx) -> Value {
        Value::or_empty(i.photos.get(self.0).and_then(|p| p.id.as_deref()))
    }
    fn set(&self, _: &mut Initiative, _: &In, _: &Cx) -> Result<()> {
        Ok(())
    }
    fn field(&self) -> Field {
        Field::Quiet
    }
}

fn photo_bytes(photo: &Photo) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(photo.data_base64.as_ref()?)
        .ok()
}

/// A photo's image; not read back (the layout carries captions only).
struct PhotoImage(usize);
impl Bind<Initiative> for PhotoImage {
    fn get(&self, i: &Initiative, _: &Cx) -> Value {
        match i
            .photos
            .get(self.0)
            .and_then(|p| Some((p, photo_bytes(p)?)))
        {
            Some((photo, bytes)) => Value::Image {
                bytes,
                alt: photo.caption.clone(),
            },
            None => Value::Empty,
        }
    }
    fn set(&self, _: &mut Initiative, _: &In, _: &Cx) -> Result<()> {
        Ok(())
    }
    fn field(&self) -> Field {
        Field::PhotoImage(self.0)
    }
}

/// Photos after the first two: a row of two images, a row of two captions.
struct MorePhotos;
const MORE_PHOTOS_ROW_PT: f64 = 90.0;
impl Walk<Initiative> for MorePhotos {
    fn write(&self, i: &Initiative, cx: &mut Cx, out: &mut page::Sheet) {
        for (pair, photos) in i
            .photos
            .iter()
            .skip(2)
            .collect::<Vec<_>>()
            .chunks(2)
            .enumerate()
        {
            let mut images = vec![page::CellOut {
                span: LEFT,
                down: 0,
                style: Style::Label,
                value: Value::text(PHOTO_LABEL),
                field: Field::Label,
                path: cx.path.clone(),
                rule: None,
            }];
            let mut captions = Vec::new();
            let mut ids = Vec::new();
            for (k, slot) in PHOTO.iter().enumerate() {
                let photo = photos.get(k);
                let value = photo.and_then(|p| Some((p, photo_bytes(p)?))).map_or(
                    Value::Empty,
                    |(p, bytes)| Value::Image {
                        bytes,
                        alt: p.caption.clone(),
                    },
                );
                images.push(page::CellOut {
                    span: *slot,
                    down: 0,
                    style: Style::Photo,
                    value,
                    field: Field::PhotoImage(2 + 2 * pair + k),
                    path: cx.path.clone(),
                    rule: None,
                });
                captions.push(page::CellOut {
                    span: *slot,
                    down: 0,
                    style: Style::Center,
                    value: Value::or_empty(photo.map(|p| p.caption.as_str())),
                    field: Field::PhotoCaption(2 + 2 * pair + k),
                    path: cx.path.clone(),
                    rule: None,
                });
                if let Some(id) = photo.and_then(|p| p.id.clone()) {
                    ids.push((Q1 + k as u16, Value::Text(id)));
                }
            }
            captions.insert(
                0,
                page::CellOut {
                    span: LEFT,
                    down: 0,
                    style: Style::Legend,
                    value: Value::Empty,
                    field: Field::Label,
                    path: cx.path.clone(),
                    rule: None,
                },
            );
            out.rows.push(page::RowOut {
                name: "more-photos",
                cells: images,
                quiet: Vec::new(),
                min_pt: MORE_PHOTOS_ROW_PT,
                stretch: false,
                table_header: None,
            });
            out.rows.push(page::RowOut {
                name: "more-captions",
                cells: captions,
                quiet: ids,
                min_pt: 15.0,
                stretch: false,
                table_header: None,
            });
        }
    }

    fn read(&self, i: &mut Initiative, cx: &mut Cx, inp: &mut Input) -> Result<()> {
        while !inp.done() && Key::Is(KEY, PHOTO_LABEL).matches(inp, cx) {
            inp.pos += 1;
            let Some(row) = inp.row() else { break };
            for (k, slot) in PHOTO.iter().enumerate() {
                PhotoCaption(k).set(i, &inp.cell(row, slot.0), cx)?;
            }
            inp.pos += 1;
        }
        Ok(())
    }
}

/// 〈参考〉区政会議等意見: one 「・」 line per opinion.
struct Opinions;
impl Bind<Initiative> for Opinions {
    fn get(&self, i: &Initiative, _: &Cx) -> Value {
        let lines: Vec<String> = i
            .council_opinions
            .iter()
            .map(|o| format!("{BULLET}{o}"))
            .collect();
        Value::Text(lines.join("\n"))
    }
    /// A line starting with 「・」 starts an opinion; other lines continue
    /// it. While the box is as written, the line counts beside it (see
    /// [`OpinionLines`]) tell opinions apart whatever their lines begin with.
    fn set(&self, i: &mut Initiative, cell: &In, _: &Cx) -> Result<()> {
        let text = cell.text().replace("\r\n", "\n");
        let lines: Vec<&str> = text.split('\n').collect();
        let counts: Option<Vec<usize>> = cell
            .quiet(Q1)
            .and_then(|q| q.split(',').map(|n| n.trim().parse().ok()).collect());
        let as_written = counts.filter(|counts| {
            counts.iter().sum::<usize>() == lines.len()
                && counts
                    .iter()
                    .scan(0, |at, n| {
                        let first = lines.get(*at);
                        *at += n;
                        Some(*n > 0 && first.is_some_and(|l| l.starts_with(BULLET)))
                    })
                    .all(|ok| ok)
        });
        let mut opinions: Vec<String> = Vec::new();
        match as_written {
            Some(counts) => {
                let mut at = 0;
                for n in counts {
                    let joined = lines[at..at + n].join("\n");
                    opinions.push(joined[BULLET.len()..].to_string());
                    at += n;
                }
            }
            None => {
                for line in lines {
                    match (line.strip_prefix(BULLET), opinions.last_mut()) {
                        (Some(start), _) => opinions.push(start.to_string()),
                        (None, Some(last)) => {
                            last.push('\n');
                            last.push_str(line);
                        }
                        (None, None) => opinions.push(line.to_string()),
                    }
                }
            }
        }
        i.council_opinions = opinions.iter().filter_map(|o| clean_text(o)).collect();
        Ok(())
    }
    fn field(&self) -> Field {
        Field::Opinions
    }
}

/// How many lines each opinion of the box takes (「1,3」), in a quiet cell;
/// read back by [`Opinions`].
struct OpinionLines;
impl Bind<Initiative> for OpinionLines {
    fn get(&self, i: &Initiative, _: &Cx) -> Value {
        let counts: Vec<String> = i
            .council_opinions
            .iter()
            .map(|o| o.split('\n').count().to_string())
            .collect();
        Value::Text(counts.join(","))
    }
    fn set(&self, _: &mut Initiative, _: &In, _: &Cx) -> Result<()> {
        Ok(())
    }
    fn field(&self) -> Field {
        Field::Quiet
    }
}

// ---- Writing and reading -------------------------------------------------------------

/// The page of one issue, ready for `page::write`.
fn issue_page(plan: &Plan, issue: &Issue) -> IssuePage {
    IssuePage {
        ward: plan.ward.clone(),
        year: plan.fiscal_year,
        stage: plan.stage,
        source: plan.source.clone(),
        issue: issue.clone(),
    }
}

/// A sheet written for one issue: its name and where its figures landed.
pub struct Written {
    pub sheet: String,
    pub printed: Printed,
}

/// What to write of a plan: which 取組 (`None`: the whole plan, for the
/// 事業計画書; `Some`: one section's, with only the 戦略 and 経営課題 they
/// belong to, for a request workbook), and which cells the reader of the
/// workbook fills in (`None`: nothing locked; `Some`: the sheets are
/// protected and only the cells of these fields are unlocked).
pub struct Options<'a> {
    pub keep: Option<&'a dyn Fn(&Initiative) -> bool>,
    pub inputs: Option<&'a dyn Fn(Field) -> bool>,
}

impl Options<'_> {
    /// The whole plan, nothing locked: the 事業計画書.
    pub const ALL: Options<'static> = Options {
        keep: None,
        inputs: None,
    };
}

/// Writes one sheet per issue of `plan` (the `plan_index`-th of the book).
pub fn write(
    book: &mut Workbook,
    plan: &Plan,
    plan_index: usize,
    prefix_ward: bool,
) -> Result<Vec<Written>, XlsxError> {
    write_with(book, plan, plan_index, prefix_ward, &Options::ALL)
}

/// [`write`] with a choice of 取組 and input cells. A 戦略 left without any
/// of its 取組, and an issue left without any 戦略, are not written.
pub fn write_with(
    book: &mut Workbook,
    plan: &Plan,
    plan_index: usize,
    prefix_ward: bool,
    options: &Options,
) -> Result<Vec<Written>, XlsxError> {
    let plan = match options.keep {
        Some(keep) => kept(&numbered(plan), keep),
        None => numbered(plan),
    };
    let mut written = Vec::new();
    for (ii, issue) in plan.issues.iter().enumerate() {
        let name = format!("{ISSUE_PREFIX}{}", issue.number);
        let name = if prefix_ward {
            format!("{} {} {name}", plan.ward, initial_label(plan.fiscal_year))
        } else {
            name
        };
        let ws = book.add_worksheet();
        ws.set_name(&name)?;
        let page = issue_page(&plan, issue);
        let mut cx = Cx {
            year: plan.fiscal_year,
            path: vec![plan_index, ii],
        };
        let mut sheet = page::Sheet::default();
        page::write(&TITLE, &page, &mut cx, &mut sheet);
        page::write(&BODY, &page, &mut cx, &mut sheet);
        let setup = Setup {
            font: FONT,
            size: FONT_SIZE,
            widths_px: &WIDTHS,
            quiet: QUIET_COLUMNS,
            paper: A4_LANDSCAPE,
            title_rows: 1,
            footer: footer(&plan, issue),
            inputs: options.inputs,
        };
        let printed = print::render(ws, &sheet, &setup)?;
        written.push(Written {
            sheet: name,
            printed,
        });
    }
    Ok(written)
}

/// The plan with only the 取組 `keep` takes, and the 戦略 and 経営課題
/// that hold any of them.
fn kept(plan: &Plan, keep: &dyn Fn(&Initiative) -> bool) -> Plan {
    let mut p = plan.clone();
    for issue in &mut p.issues {
        issue.strategies.retain_mut(|s| {
            s.initiatives.retain(|i| keep(i));
            !s.initiatives.is_empty()
        });
    }
    p.issues.retain(|issue| !issue.strategies.is_empty());
    p
}

/// 「阿倍野区　令和6年度　事業計画書」 left, the issue in the middle, the page
/// right; 9 pt, not scaled with the page.
fn footer(plan: &Plan, issue: &Issue) -> String {
    let esc = |s: &str| s.replace('&', "&&");
    format!(
        "&L&\"{FONT}\"&9{}　{}　{DOC_TITLE}&C&\"{FONT}\"&9{ISSUE_PREFIX}{}&R&\"{FONT}\"&9&P / &N ページ",
        esc(&plan.ward),
        long_label(plan.fiscal_year, Digits::Half),
        full_width_number(&issue.number.to_string()),
    )
}

/// Strategy numbers filled in where unset (the page always prints one).
fn numbered(plan: &Plan) -> Plan {
    let mut p = plan.clone();
    for issue in &mut p.issues {
        let n = issue.number;
        for (si, s) in issue.strategies.iter_mut().enumerate() {
            s.number.get_or_insert_with(|| format!("{n}-{}", si + 1));
        }
    }
    p
}

pub fn read(book: &Book) -> Result<Vec<Plan>> {
    Ok(read_lenient(book, &|_| false)?.0)
}

/// A cell of a lenient field that could not be read, by the ids of its
/// 取組 and of its row (a 主な取組 or プロセス指標; none for a budget or the
/// 概要).
#[derive(Debug)]
pub struct Unread {
    pub initiative: Option<String>,
    pub row: Option<String>,
    pub field: Field,
    pub error: crate::error::Error,
}

/// [`read`], setting aside the unreadable cells of the fields `lenient`
/// takes (what a section typed into a reply) instead of refusing the book.
pub fn read_lenient(
    book: &Book,
    lenient: &dyn Fn(Field) -> bool,
) -> Result<(Vec<Plan>, Vec<Unread>)> {
    let mut plans: Vec<Plan> = Vec::new();
    let mut unread = Vec::new();
    for g in book.sheets.iter().filter(|g| g.name.contains(ISSUE_PREFIX)) {
        let (page, problems) = read_sheet(g, lenient)?;
        unread.extend(problems.into_iter().map(|p| {
            // Paths within a sheet: strategy, 取組, then its row.
            let initiative = p
                .path
                .get(..2)
                .and_then(|at| page.issue.strategies.get(at[0])?.initiatives.get(at[1]));
            let row = initiative
                .zip(p.path.get(2))
                .and_then(|(i, &k)| match p.field {
                    Field::ActivityResult(_) => i.activities.get(k)?.id.clone(),
                    _ => i.process_indicators.get(k)?.id.clone(),
                });
            Unread {
                initiative: initiative.and_then(|i| i.id.clone()),
                row,
                field: p.field,
                error: p.error,
            }
        }));
        let index = match plans
            .iter()
            .position(|p| p.ward == page.ward && p.fiscal_year == page.year)
        {
            Some(i) => i,
            None => {
                let mut plan = Plan::new(&page.ward, page.year);
                plan.stage = page.stage;
                plan.source = page.source.clone();
                plans.push(plan);
                plans.len() - 1
            }
        };
        plans[index].issues.push(page.issue);
    }
    Ok((plans, unread))
}

fn read_sheet(
    g: &Grid,
    lenient: &dyn Fn(Field) -> bool,
) -> Result<(IssuePage, Vec<page::CellProblem>)> {
    let mut page = IssuePage::default();
    let mut cx = Cx {
        year: 0,
        path: Vec::new(),
    };
    let mut inp = Input::new(g, 0, QUIET_COL);
    inp.lenient = Some(lenient);
    TITLE.read(&mut page, &mut cx, &mut inp)?;
    cx.year = page.year;
    BODY.read(&mut page, &mut cx, &mut inp)?;
    inp.skip_blank(KEY);
    if !inp.done() {
        return Err(inp
            .error_here("ここには「めざす成果及び戦略　５－１　【名称】」の見出しがあるはずです"));
    }
    Ok((page, inp.problems))
}

/// The part of `plan` a request workbook prints: the 取組 `keep` takes,
/// as the page carries them (see [`carried`]).
pub fn subset(plan: &Plan, keep: &dyn Fn(&Initiative) -> bool) -> Plan {
    carried(&kept(plan, keep))
}

/// Refuses a plan whose joined boxes (all 〈参考〉意見 of a 取組, all 出典
/// of an indicator) would not fit in one Excel cell, naming the place.
pub fn check_fits(plan: &Plan) -> Result<()> {
    let cx = Cx {
        year: plan.fiscal_year,
        path: Vec::new(),
    };
    let too_long = |value: Value, place: String, what: &str| {
        match value {
        Value::Text(t) if t.encode_utf16().count() > crate::limits::MAX_TEXT => {
            Err(crate::error::Error::invalid(
                format!("{place} › {what}"),
                format!(
                    "合わせて{}文字を超えるため、事業計画書の1つの枠に入りません。分けるか短くしてください",
                    crate::limits::MAX_TEXT
                ),
                None,
            ))
        }
        _ => Ok(()),
    }
    };
    for issue in &plan.issues {
        for (si, s) in issue.strategies.iter().enumerate() {
            let place = strategy_place(issue.number, si);
            for ind in &s.outcome_indicators {
                too_long(Sources(Digits::Full).get(ind, &cx), place.clone(), "出典")?;
            }
            for (ii, i) in s.initiatives.iter().enumerate() {
                let place = initiative_place(issue.number, si, ii);
                too_long(
                    Opinions.get(i, &cx),
                    place.clone(),
                    "〈参考〉区政会議等意見",
                )?;
                for ind in &i.process_indicators {
                    too_long(Sources(Digits::Half).get(ind, &cx), place.clone(), "出典")?;
                }
            }
        }
    }
    Ok(())
}

// ---- What survives ----------------------------------------------------------

pub fn carried(plan: &Plan) -> Plan {
    let mut p = numbered(plan);
    p.goal = None;
    p.mission = None;
    p.basic_policy = None;
    p.self_evaluation = None;
    p.future_policy = None;
    let cx = Cx {
        year: plan.fiscal_year,
        path: Vec::new(),
    };
    let years = indicator_years(&cx);
    let act_years = activity_years(&cx);
    let keep_results = |ind: &mut Indicator| {
        ind.results = years
            .iter()
            .filter_map(|y| result_of(ind, *y).cloned())
            .map(|r| IndicatorResult {
                rating: None,
                note: None,
                ..r
            })
            .collect();
    };
    for issue in &mut p.issues {
        issue.recognition = None;
        issue.outcome_indicators.clear();
        issue.budgets.clear();
        issue.main_strategies.clear();
        for s in &mut issue.strategies {
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

/// Puts back into a plan read from this layout what the page does not carry
/// (see [`carried`]), from the plan the file holds: plan and 経営課題 texts,
/// outcome indicators of the 経営課題, other years' results and budgets,
/// ratings and notes, photos' images. Nodes are matched by id, or by place
/// where the workbook has none. So importing the page over a plan changes
/// only what the page shows.
pub fn keep_uncarried(p: &mut Plan, stored: &Plan) {
    p.goal.clone_from(&stored.goal);
    p.mission.clone_from(&stored.mission);
    p.basic_policy.clone_from(&stored.basic_policy);
    p.self_evaluation.clone_from(&stored.self_evaluation);
    p.future_policy.clone_from(&stored.future_policy);
    let cx = Cx {
        year: p.fiscal_year,
        path: Vec::new(),
    };
    let years = indicator_years(&cx);
    let act_years = activity_years(&cx);
    let columns = budget_columns(p.fiscal_year);
    for (k, issue) in p.issues.iter_mut().enumerate() {
        let Some(old) = counterpart(&stored.issues, issue, k) else {
            continue;
        };
        issue.recognition.clone_from(&old.recognition);
        issue.outcome_indicators.clone_from(&old.outcome_indicators);
        issue.budgets.clone_from(&old.budgets);
        issue.main_strategies.clone_from(&old.main_strategies);
        for (k, s) in issue.strategies.iter_mut().enumerate() {
            let Some(old) = counterpart(&old.strategies, s, k) else {
                continue;
            };
            keep_results(&mut s.outcome_indicators, &old.outcome_indicators, &years);
            for (k, i) in s.initiatives.iter_mut().enumerate() {
                let Some(old) = counterpart(&old.initiatives, i, k) else {
                    continue;
                };
                keep_results(&mut i.process_indicators, &old.process_indicators, &years);
                let printed = |b: &Budget| columns.contains(&(b.fiscal_year, b.kind));
                i.budgets
                    .extend(old.budgets.iter().filter(|b| !printed(b)).cloned());
                i.budgets.sort_by_key(|b| b.fiscal_year);
                for (k, a) in i.activities.iter_mut().enumerate() {
                    if let Some(old) = counterpart(&old.activities, a, k) {
                        let other_years = old
                            .results
                            .iter()
                            .filter(|r| !act_years.contains(&r.fiscal_year));
                        a.results.extend(other_years.cloned());
                        a.results.sort_by_key(|r| r.fiscal_year);
                    }
                }
                for (k, photo) in i.photos.iter_mut().enumerate() {
                    if let Some(old) = counterpart(&old.photos, photo, k) {
                        photo.media_type.clone_from(&old.media_type);
                        photo.data_base64.clone_from(&old.data_base64);
                    }
                }
            }
        }
    }
}

/// The stored node a node read from a workbook stands for: by id, or at the
/// same place when the workbook has no id for it.
fn counterpart<'a, T: HasId>(stored: &'a [T], node: &T, place: usize) -> Option<&'a T> {
    match node.id_ref() {
        Some(id) => stored.iter().find(|o| o.id_ref() == Some(id)),
        None => stored.get(place),
    }
}

/// Other years' results, and the rating and note of the printed years'.
fn keep_results(read: &mut [Indicator], stored: &[Indicator], years: &[i32]) {
    for (k, indicator) in read.iter_mut().enumerate() {
        let Some(old) = counterpart(stored, indicator, k) else {
            continue;
        };
        for r in &mut indicator.results {
            if let Some(o) = result_of(old, r.fiscal_year) {
                r.rating.clone_from(&o.rating);
                r.note.clone_from(&o.note);
            }
        }
        let other_years = old
            .results
            .iter()
            .filter(|r| !years.contains(&r.fiscal_year));
        indicator.results.extend(other_years.cloned());
        indicator.results.sort_by_key(|r| r.fiscal_year);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn part(bytes: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    }

    /// The page a section fills in (issue 11): its 取組 only, on protected
    /// sheets with the asked cells unlocked; it reads back as that part.
    #[test]
    fn a_subset_of_initiatives_with_unlocked_inputs() {
        let mut plan = crate::demo_plan();
        plan.issues[0].strategies[0].initiatives[1].section = Some("総務課".into());
        let mut book = Workbook::new();
        let inputs = |f: Field| matches!(f, Field::ActivityResult(1) | Field::IndicatorValue(2));
        let options = Options {
            keep: Some(&|i: &Initiative| i.section.as_deref() == Some("総務課")),
            inputs: Some(&inputs),
        };
        let written = write_with(&mut book, &plan, 0, false, &options).unwrap();
        assert_eq!(written.len(), 1);
        let bytes = book.save_to_buffer().unwrap();
        let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
        assert!(sheet.contains("<sheetProtection"), "protected");
        assert!(part(&bytes, "xl/styles.xml").contains(r#"<protection locked="0"/>"#));
        let back = read(&Book::open(&bytes).unwrap()).unwrap();
        let strategies = &back[0].issues[0].strategies;
        assert_eq!(strategies.len(), 1, "5-2 has none of the section's 取組");
        assert_eq!(strategies[0].initiatives.len(), 1);
        assert_eq!(strategies[0].initiatives[0].number, "5-1-2");
        assert_eq!(
            strategies[0].initiatives[0].section.as_deref(),
            Some("総務課")
        );
    }
}
