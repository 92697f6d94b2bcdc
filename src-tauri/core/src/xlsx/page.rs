//! A printed page described once and walked both ways.
//!
//! A page layout is data: [`Section`]s of [`Row`]s whose [`Cell`]s sit at
//! fixed column spans and are bound to the model by a [`Bind`] (one value
//! out, the same value back in), [`Each`] for the lists (strategies, 取組,
//! 主な取組, indicators), and [`Side`] boxes that span several rows beside
//! them (photos, 〈参考〉意見). [`write`] walks a description with a plan
//! into a [`Sheet`] of rows that `print` lays out on paper; [`read`] walks
//! the same description over a workbook's cells back into the plan.
//!
//! Cells in the *quiet* columns (hidden, right of the print area) carry what
//! the page does not print but a round trip needs (ids, target details, the
//! spelling of numbers). A new 様式 of the same kind is a new description.

use super::grid::Span;
use super::read::Grid;
use crate::error::{Error, Result};
use crate::normalize::{clean_text, nfkc};

/// Where the walk is: the plan year (for year labels) and the position of
/// the current node (plan, issue, strategy, … indices), which names figures.
#[derive(Debug, Clone)]
pub struct Cx {
    pub year: i32,
    pub path: Vec<usize>,
}

/// A cell's content as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    /// A bold label, then the text, in one cell (「【現状】」, a line break
    /// and its bullets).
    Boxed {
        label: String,
        sep: &'static str,
        text: String,
    },
    /// A number with its Excel number format (`#,##0`, `0.0"%"`).
    Number {
        value: f64,
        format: String,
    },
    /// An image (PNG/JPEG bytes) fitted into the cell, with its alt text.
    Image {
        bytes: Vec<u8>,
        alt: String,
    },
}

impl Value {
    pub fn text(text: impl Into<String>) -> Value {
        Value::Text(text.into())
    }
    pub fn or_empty(text: Option<&str>) -> Value {
        text.map_or(Value::Empty, Value::text)
    }
}

/// What a bound cell holds. Charts reference the cells of indicator values
/// and budgets; a request workbook (issue 11) unlocks the fields it asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// A fixed or computed label.
    Label,
    /// A plan's, issue's, strategy's or 取組's heading, texts or bullets.
    Text,
    /// An アウトカム指標's result value / 〇－ mark in year column 0..3.
    IndicatorValue(usize),
    IndicatorMark(usize),
    /// A プロセス指標's result value / 〇－ mark in year column 0..3.
    ProcessValue(usize),
    ProcessMark(usize),
    /// An indicator's sources note.
    IndicatorSources,
    /// A 取組's budget in column 0..3 (決算, 予算, 予算).
    Budget(usize),
    /// A 取組's 概要.
    InitiativeSummary,
    /// A 主な取組 and its result in year column 0..2.
    ActivityText,
    ActivityResult(usize),
    /// A photo slot's caption / image.
    PhotoCaption(usize),
    PhotoImage(usize),
    /// 〈参考〉区政会議等意見
    Opinions,
    /// 戦略の自己評価 / 改善策
    Evaluation,
    /// A quiet (hidden) cell.
    Quiet,
}

/// How one cell binds to a node of type `T`: `get` writes it, `set` takes
/// it back from the workbook. The two halves sit side by side, so they
/// cannot drift apart.
pub trait Bind<T>: Sync {
    fn get(&self, node: &T, cx: &Cx) -> Value;
    fn set(&self, node: &mut T, cell: &In, cx: &Cx) -> Result<()>;
    fn field(&self) -> Field {
        Field::Label
    }
    /// What may be typed into the cell when it is left open for input (a
    /// request workbook): Excel's data validation and input message.
    fn rule(&self, _node: &T, _cx: &Cx) -> Option<Rule> {
        None
    }
}

/// What a cell open for input accepts, checked by Excel and LibreOffice as
/// it is typed (a script writing the file is not checked: the reader is
/// the last word), and the message shown beside the selected cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub accepts: Accepts,
    /// At most 32 characters (Excel's limit).
    pub title: String,
    /// At most 255 characters.
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Accepts {
    /// A number within the range.
    Number { min: f64, max: f64 },
    /// Whole yen, or 「－」 for a budget with no amount.
    Yen,
    /// 〇 or －, from a list; other spellings are asked about, not refused.
    Mark,
    /// Any text.
    Text,
}

/// Cell styles; `print` turns them into Excel formats in the page's font.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    /// The repeated title row's heading.
    Title,
    /// The title row's other cells (ward, year, document).
    TitleSide,
    /// 「めざす成果及び戦略」 headings.
    Heading,
    /// 「具体的取組」 headings.
    SubHeading,
    /// Shaded labels and table headers.
    Label,
    /// Wrapped text, top left.
    Text,
    /// Centred text (results, marks, captions).
    Center,
    /// Numbers, right aligned.
    Number,
    /// The legend under indicator tables: no border.
    Legend,
    /// The vertical 「具体的取組」 label.
    Vertical,
    /// A photo slot.
    Photo,
}

/// A cell of a row: its columns, how many rows below it merges with, style,
/// binding.
pub struct Cell<T: 'static> {
    pub span: Span,
    pub down: u16,
    pub style: Style,
    pub bind: &'static dyn Bind<T>,
}

/// A quiet cell: `col` counts from the first quiet column.
pub struct Quiet<T: 'static> {
    pub col: u16,
    pub bind: &'static dyn Bind<T>,
}

/// A test on a row's text, used by the reader to tell rows apart.
#[derive(Debug, Clone, Copy)]
pub enum Key {
    /// The cell in this column reads exactly this (after NFKC and trimming).
    Is(u16, &'static str),
    /// The cell in this column starts with this.
    Starts(u16, &'static str),
    /// The cell in this column reads a label of the plan year (「令和4年度」).
    Computed(u16, fn(&Cx) -> String),
}

impl Key {
    pub fn matches(self, inp: &Input, cx: &Cx) -> bool {
        let (col, want) = self.parts(cx);
        let have = nfkc(inp.text(col).trim());
        match self {
            Key::Starts(..) => have.starts_with(&nfkc(&want)),
            _ => have == nfkc(&want),
        }
    }

    fn parts(self, cx: &Cx) -> (u16, String) {
        match self {
            Key::Is(c, w) | Key::Starts(c, w) => (c, w.to_string()),
            Key::Computed(c, f) => (c, f(cx)),
        }
    }
}

/// A row written only when `write` holds for the node; read only when its
/// `read` key matches.
pub struct When<T: 'static> {
    pub write: fn(&T, &Cx) -> bool,
    pub read: Key,
}

/// One of two walks: `then` where `write` holds (reading: where the key
/// matches), `otherwise` elsewhere.
pub struct If<T: 'static> {
    pub write: fn(&T, &Cx) -> bool,
    pub read: Key,
    pub then: &'static dyn Walk<T>,
    pub otherwise: &'static dyn Walk<T>,
}

impl<T> Walk<T> for If<T> {
    fn write(&self, node: &T, cx: &mut Cx, out: &mut Sheet) {
        if (self.write)(node, cx) {
            self.then.write(node, cx, out)
        } else {
            self.otherwise.write(node, cx, out)
        }
    }
    fn read(&self, node: &mut T, cx: &mut Cx, inp: &mut Input) -> Result<()> {
        if !inp.done() && self.read.matches(inp, cx) {
            self.then.read(node, cx, inp)
        } else {
            self.otherwise.read(node, cx, inp)
        }
    }
}

pub struct Row<T: 'static> {
    /// Side boxes and continuation headers find rows by name.
    pub name: &'static str,
    pub cells: &'static [Cell<T>],
    pub quiet: &'static [Quiet<T>],
    /// Minimum height in points.
    pub min_pt: f64,
    /// Takes the extra height when a side box beside it needs more.
    pub stretch: bool,
    pub when: Option<When<T>>,
}

/// How a section behaves at page breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    /// A group (a 戦略): starts a new page when it does not fit after the
    /// previous one.
    Group,
    /// A unit kept on one page when it fits (a 取組); `with_next` /
    /// `with_previous` keep it on the page of its neighbour too.
    Unit {
        with_next: bool,
        with_previous: bool,
    },
}

/// Where a side box starts or ends, among the rows of its section.
#[derive(Debug, Clone, Copy)]
pub enum Anchor {
    First,
    Last,
    /// The first row of this name.
    Row(&'static str),
    /// The row before the first row of this name.
    Before(&'static str),
}

/// A box spanning several rows of its section beside the rows' own cells.
pub struct Side<T: 'static> {
    pub cols: Span,
    pub from: Anchor,
    pub to: Anchor,
    pub style: Style,
    pub bind: &'static dyn Bind<T>,
    /// When the section is split across pages: repeat on each page (the
    /// vertical label) instead of ending before the break.
    pub repeat: bool,
}

/// Anything that writes rows for a node and reads them back.
pub trait Walk<T>: Sync {
    fn write(&self, node: &T, cx: &mut Cx, out: &mut Sheet);
    fn read(&self, node: &mut T, cx: &mut Cx, inp: &mut Input) -> Result<()>;
}

pub struct Section<T: 'static> {
    pub block: Option<Block>,
    pub parts: &'static [&'static dyn Walk<T>],
    pub sides: &'static [Side<T>],
}

/// A list: optional header rows, then one item section per element. The
/// reader takes items while `more` says another one follows.
pub struct Each<T: 'static, C: 'static> {
    pub items: fn(&T) -> &Vec<C>,
    pub items_mut: fn(&mut T) -> &mut Vec<C>,
    pub header: &'static [&'static Row<T>],
    pub item: &'static dyn Walk<C>,
    pub more: More,
}

#[derive(Debug, Clone, Copy)]
pub enum More {
    /// Another item starts at a row matching the key.
    While(Key),
    /// Items follow until a row matching the key.
    Until(Key),
}

// ---- What the writer produces ------------------------------------------------

#[derive(Debug, Clone)]
pub struct CellOut {
    pub span: Span,
    pub down: u16,
    pub style: Style,
    pub value: Value,
    pub field: Field,
    /// `cx.path` when written: which node the cell belongs to.
    pub path: Vec<usize>,
    pub rule: Option<Rule>,
}

#[derive(Debug, Clone)]
pub struct RowOut {
    pub name: &'static str,
    pub cells: Vec<CellOut>,
    pub quiet: Vec<(u16, Value)>,
    pub min_pt: f64,
    pub stretch: bool,
    /// The header rows (first, last) of the table this row is an item of,
    /// repeated on the next page when the table continues there.
    pub table_header: Option<(usize, usize)>,
}

#[derive(Debug, Clone)]
pub struct SideOut {
    pub cols: Span,
    pub first: usize,
    pub last: usize,
    pub style: Style,
    pub value: Value,
    pub field: Field,
    pub repeat: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct BlockOut {
    pub block: Block,
    pub first: usize,
    /// One past the last row.
    pub end: usize,
}

/// The rows of one sheet, before they are laid out on paper.
#[derive(Debug, Default)]
pub struct Sheet {
    pub rows: Vec<RowOut>,
    pub sides: Vec<SideOut>,
    pub blocks: Vec<BlockOut>,
}

/// Writes `walk` for `node` into a new sheet.
pub fn write<T>(walk: &dyn Walk<T>, node: &T, cx: &mut Cx, out: &mut Sheet) {
    walk.write(node, cx, out);
}

impl<T> Walk<T> for Row<T> {
    fn write(&self, node: &T, cx: &mut Cx, out: &mut Sheet) {
        if let Some(when) = &self.when {
            if !(when.write)(node, cx) {
                return;
            }
        }
        let cells = self
            .cells
            .iter()
            .map(|c| CellOut {
                span: c.span,
                down: c.down,
                style: c.style,
                value: c.bind.get(node, cx),
                field: c.bind.field(),
                path: cx.path.clone(),
                rule: c.bind.rule(node, cx),
            })
            .collect();
        let quiet = self
            .quiet
            .iter()
            .map(|q| (q.col, q.bind.get(node, cx)))
            .filter(|(_, v)| !matches!(v, Value::Empty) && *v != Value::text(""))
            .collect();
        out.rows.push(RowOut {
            name: self.name,
            cells,
            quiet,
            min_pt: self.min_pt,
            stretch: self.stretch,
            table_header: None,
        });
    }

    fn read(&self, node: &mut T, cx: &mut Cx, inp: &mut Input) -> Result<()> {
        if let Some(when) = &self.when {
            if inp.done() || !when.read.matches(inp, cx) {
                return Ok(());
            }
        }
        let row = inp.require_row(self)?;
        // Quiet cells first: they carry what visible cells are parsed with
        // (an indicator's unit, a number's spelling).
        for q in self.quiet {
            q.bind
                .set(node, &inp.cell(row, inp.quiet_col + q.col), cx)?;
        }
        for c in self.cells {
            let cell = inp.cell(row, c.span.0);
            let result = if inp.is_lenient(c.bind.field()) && inp.g.is_formula(row, c.span.0) {
                // Not read at all: a formula's value is not what was typed.
                Err(Error::invalid(
                    inp.g.place(row, c.span.0),
                    "数式のセルは取り込めません。値を入力してください",
                    None,
                ))
            } else {
                c.bind.set(node, &cell, cx)
            };
            inp.settle(result, c.bind.field(), cx)?;
        }
        inp.names.push((self.name, row));
        inp.pos += 1;
        Ok(())
    }
}

fn anchor_row(rows: &[RowOut], first: usize, end: usize, anchor: Anchor) -> Option<usize> {
    let named = |name: &str| (first..end).find(|&r| rows[r].name == name);
    match anchor {
        Anchor::First => (first < end).then_some(first),
        Anchor::Last => (first < end).then(|| end - 1),
        Anchor::Row(name) => named(name),
        Anchor::Before(name) => named(name).and_then(|r| r.checked_sub(1)),
    }
}

impl<T> Walk<T> for Section<T> {
    fn write(&self, node: &T, cx: &mut Cx, out: &mut Sheet) {
        let first = out.rows.len();
        for part in self.parts {
            part.write(node, cx, out);
        }
        let end = out.rows.len();
        for side in self.sides {
            let from = anchor_row(&out.rows, first, end, side.from);
            let to = anchor_row(&out.rows, first, end, side.to);
            if let (Some(from), Some(to)) = (from, to) {
                out.sides.push(SideOut {
                    cols: side.cols,
                    first: from,
                    last: to.max(from),
                    style: side.style,
                    value: side.bind.get(node, cx),
                    field: side.bind.field(),
                    repeat: side.repeat,
                });
            }
        }
        if let Some(block) = self.block {
            out.blocks.push(BlockOut { block, first, end });
        }
    }

    fn read(&self, node: &mut T, cx: &mut Cx, inp: &mut Input) -> Result<()> {
        let first = inp.names.len();
        for part in self.parts {
            part.read(node, cx, inp)?;
        }
        for side in self.sides {
            let names = &inp.names[first..];
            let row = match side.from {
                Anchor::First => names.first().map(|n| n.1),
                Anchor::Last => names.last().map(|n| n.1),
                Anchor::Row(name) => names.iter().find(|n| n.0 == name).map(|n| n.1),
                Anchor::Before(name) => names
                    .iter()
                    .position(|n| n.0 == name)
                    .and_then(|i| i.checked_sub(1))
                    .map(|i| names[i].1),
            };
            if let Some(row) = row {
                side.bind.set(node, &inp.cell(row, side.cols.0), cx)?;
            }
        }
        Ok(())
    }
}

impl<T, C: Default> Walk<T> for Each<T, C> {
    fn write(&self, node: &T, cx: &mut Cx, out: &mut Sheet) {
        let header_first = out.rows.len();
        for h in self.header {
            h.write(node, cx, out);
        }
        let header = (out.rows.len() > header_first).then(|| (header_first, out.rows.len() - 1));
        for (i, item) in (self.items)(node).iter().enumerate() {
            cx.path.push(i);
            let first = out.rows.len();
            self.item.write(item, cx, out);
            cx.path.pop();
            for row in &mut out.rows[first..] {
                row.table_header = row.table_header.or(header);
            }
        }
    }

    fn read(&self, node: &mut T, cx: &mut Cx, inp: &mut Input) -> Result<()> {
        for h in self.header {
            h.read(node, cx, inp)?;
        }
        loop {
            let another = match self.more {
                More::While(key) => {
                    inp.skip_blank(key.parts(cx).0);
                    !inp.done() && key.matches(inp, cx)
                }
                More::Until(key) => {
                    if inp.done() {
                        let (col, want) = key.parts(cx);
                        return Err(inp.error_at_end(col, format!("「{want}」の行があるはずです。事業計画書の様式どおりになっているか確かめてください")));
                    }
                    !key.matches(inp, cx)
                }
            };
            if !another {
                return Ok(());
            }
            let index = (self.items_mut)(node).len();
            cx.path.push(index);
            let mut item = C::default();
            let before = inp.pos;
            let result = self.item.read(&mut item, cx, inp);
            cx.path.pop();
            result?;
            if inp.pos == before {
                // An item that reads no row would loop forever.
                return Err(inp.error_here(
                    "この行を読み取れません。事業計画書の様式どおりになっているか確かめてください",
                ));
            }
            (self.items_mut)(node).push(item);
        }
    }
}

// ---- Reading ------------------------------------------------------------------

/// One cell of the workbook, as a binding reads it.
pub struct In<'a> {
    pub g: &'a Grid,
    pub row: u32,
    pub col: u16,
    pub quiet_col: u16,
}

impl In<'_> {
    pub fn value(&self) -> &calamine::Data {
        self.g.value(self.row, self.col)
    }
    pub fn text(&self) -> String {
        self.g.text(self.row, self.col)
    }
    /// Trimmed text, or None when blank.
    pub fn optional(&self) -> Option<String> {
        clean_text(&self.text())
    }
    pub fn required(&self, what: &str) -> Result<String> {
        self.optional()
            .ok_or_else(|| self.error(format!("{what}を入力してください（空欄にはできません）")))
    }
    /// The text of quiet cell `col` of this row.
    pub fn quiet(&self, col: u16) -> Option<String> {
        clean_text(&self.g.text(self.row, self.quiet_col + col))
    }
    pub fn error(&self, message: impl Into<String>) -> Error {
        self.g.error(self.row, self.col, message)
    }
    /// Checks a label the page prints.
    pub fn expect(&self, label: &str) -> Result<()> {
        if nfkc(self.text().trim()) == nfkc(label.trim()) {
            Ok(())
        } else {
            Err(self.error(format!(
                "ここには「{label}」があるはずです。事業計画書の様式どおりになっているか確かめてください"
            )))
        }
    }
}

/// A cursor over the rows of one sheet. The continuation rows the printer
/// adds where a table goes on after a page break (marked in quiet column 0)
/// are skipped, and so are blank rows between the items of a list.
pub struct Input<'a> {
    pub g: &'a Grid,
    rows: Vec<u32>,
    pub pos: usize,
    pub quiet_col: u16,
    names: Vec<(&'static str, u32)>,
    /// Fields whose unreadable cells are set aside in `problems` instead of
    /// failing the whole sheet (the cells a section filled in a reply).
    pub lenient: Option<&'a dyn Fn(Field) -> bool>,
    pub problems: Vec<CellProblem>,
}

/// A cell of a lenient field that could not be read: which node (`cx.path`
/// within the sheet), which field, and why.
#[derive(Debug)]
pub struct CellProblem {
    pub path: Vec<usize>,
    pub field: Field,
    pub error: Error,
}

/// What quiet column 0 holds on rows the printer repeats after a break.
pub const CONTINUATION: &str = "（つづき）";

impl<'a> Input<'a> {
    /// The rows of `g` from `first` on, up to the quiet columns.
    pub fn new(g: &'a Grid, first: u32, quiet_col: u16) -> Input<'a> {
        let rows = (first..g.height())
            .filter(|&r| g.text(r, quiet_col).trim() != CONTINUATION)
            .collect();
        Input {
            g,
            rows,
            pos: 0,
            quiet_col,
            names: Vec::new(),
            lenient: None,
            problems: Vec::new(),
        }
    }

    fn is_lenient(&self, field: Field) -> bool {
        self.lenient.is_some_and(|lenient| lenient(field))
    }

    /// A cell's outcome: an error in a lenient field is set aside.
    fn settle(&mut self, result: Result<()>, field: Field, cx: &Cx) -> Result<()> {
        match result {
            Err(error) if self.is_lenient(field) => {
                self.problems.push(CellProblem {
                    path: cx.path.clone(),
                    field,
                    error,
                });
                Ok(())
            }
            other => other,
        }
    }

    pub fn done(&self) -> bool {
        self.pos >= self.rows.len()
    }

    /// Moves past rows whose column `col` is empty: between the headed
    /// items of a list (strategies, 取組) and after the last one, only the
    /// heading column tells where the next item starts. Other cells of such
    /// rows are not read (a planner's own note or sum there is left alone).
    pub fn skip_blank(&mut self, col: u16) {
        while let Some(r) = self.row() {
            if !self.g.text(r, col).trim().is_empty() {
                return;
            }
            self.pos += 1;
        }
    }

    /// The sheet row under the cursor.
    pub fn row(&self) -> Option<u32> {
        self.rows.get(self.pos).copied()
    }

    /// Text of column `col` in the current row ("" past the end).
    pub fn text(&self, col: u16) -> String {
        self.row().map(|r| self.g.text(r, col)).unwrap_or_default()
    }

    pub fn cell(&self, row: u32, col: u16) -> In<'a> {
        In {
            g: self.g,
            row,
            col,
            quiet_col: self.quiet_col,
        }
    }

    /// The row a template reads: past the last cell with a value, rows are
    /// empty (a sheet ends with the empty self-evaluation boxes).
    fn require_row<T>(&self, _template: &Row<T>) -> Result<u32> {
        Ok(self.row().unwrap_or_else(|| {
            let end = self.rows.last().map_or(self.g.height(), |r| r + 1);
            end + (self.pos - self.rows.len()) as u32
        }))
    }

    pub fn error_here(&self, message: impl Into<String>) -> Error {
        let row = self.row().unwrap_or_else(|| self.g.height());
        self.g.error(row, 1, message)
    }

    fn error_at_end(&self, col: u16, message: impl Into<String>) -> Error {
        let row = self.row().unwrap_or_else(|| self.g.height());
        self.g.error(row, col, message)
    }
}

// ---- Bindings every page uses -------------------------------------------------

/// A fixed label; read back as a check.
pub struct Label(pub &'static str);

impl<T> Bind<T> for Label {
    fn get(&self, _: &T, _: &Cx) -> Value {
        Value::text(self.0)
    }
    fn set(&self, _: &mut T, cell: &In, _: &Cx) -> Result<()> {
        cell.expect(self.0)
    }
}

/// A label computed from the node and the plan year (「令和4年度」,
/// 「戦略５－１の自己評価」); read back as a check.
pub struct Computed<T>(pub fn(&T, &Cx) -> String);

impl<T> Bind<T> for Computed<T> {
    fn get(&self, node: &T, cx: &Cx) -> Value {
        Value::Text((self.0)(node, cx))
    }
    fn set(&self, node: &mut T, cell: &In, cx: &Cx) -> Result<()> {
        cell.expect(&(self.0)(node, cx))
    }
}

/// A cell printed empty and not read (the middle 「課題」 box of the
/// self-evaluation row, which has no field).
pub struct Blank;

impl<T> Bind<T> for Blank {
    fn get(&self, _: &T, _: &Cx) -> Value {
        Value::Empty
    }
    fn set(&self, _: &mut T, _: &In, _: &Cx) -> Result<()> {
        Ok(())
    }
}

/// An optional text field.
pub struct Text<T> {
    pub get: fn(&T) -> &Option<String>,
    pub set: fn(&mut T) -> &mut Option<String>,
    pub field: Field,
}

impl<T> Bind<T> for Text<T> {
    fn get(&self, node: &T, _: &Cx) -> Value {
        Value::or_empty((self.get)(node).as_deref())
    }
    fn set(&self, node: &mut T, cell: &In, _: &Cx) -> Result<()> {
        *(self.set)(node) = cell.optional();
        Ok(())
    }
    fn field(&self) -> Field {
        self.field
    }
}

/// A required text field; a blank cell is refused with `what` in the message.
pub struct Required<T> {
    pub get: fn(&T) -> &String,
    pub set: fn(&mut T) -> &mut String,
    pub what: &'static str,
    pub field: Field,
}

impl<T> Bind<T> for Required<T> {
    fn get(&self, node: &T, _: &Cx) -> Value {
        Value::text((self.get)(node).as_str())
    }
    fn set(&self, node: &mut T, cell: &In, _: &Cx) -> Result<()> {
        *(self.set)(node) = cell.required(self.what)?;
        Ok(())
    }
    fn field(&self) -> Field {
        self.field
    }
}

/// An optional text after a bold label in the same cell (「【現状】」, a line
/// break, the bullets). A planner who deletes the label loses nothing.
pub struct Boxed<T> {
    pub label: &'static str,
    /// Between label and text: a line break, or a space to keep one line.
    pub sep: &'static str,
    pub get: fn(&T) -> &Option<String>,
    pub set: fn(&mut T) -> &mut Option<String>,
}

impl<T> Bind<T> for Boxed<T> {
    fn get(&self, node: &T, _: &Cx) -> Value {
        let text = (self.get)(node).clone().unwrap_or_default();
        let length = |s: &str| s.encode_utf16().count();
        if length(self.label) + length(self.sep) + length(&text) > crate::limits::MAX_TEXT {
            // The longest text a cell holds goes in without its label.
            return Value::Text(text);
        }
        Value::Boxed {
            label: self.label.to_string(),
            sep: self.sep,
            text,
        }
    }
    fn set(&self, node: &mut T, cell: &In, _: &Cx) -> Result<()> {
        let text = cell.text().replace("\r\n", "\n");
        let body = match text.trim_start().strip_prefix(self.label) {
            // The separator the writer put (a space or a line break) goes.
            Some(rest) => rest
                .strip_prefix(self.sep)
                .or_else(|| rest.strip_prefix('\n'))
                .unwrap_or(rest),
            None => &text,
        };
        *(self.set)(node) = clean_text(body);
        Ok(())
    }
    fn field(&self) -> Field {
        Field::Text
    }
}
