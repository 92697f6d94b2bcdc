//! Lays a [`Sheet`] out on paper: row heights from the text, chosen page
//! breaks, then cells, merges, images and print setup in the worksheet.
//!
//! The page is printed at a fixed scale with manual breaks (Excel ignores
//! manual breaks under "fit to page"), so every row height is decided here
//! and the breaks fall where [`paginate`] put them, in Excel and in
//! LibreOffice alike. Heights are measured for the taller of the two
//! renderers: Excel's ＭＳ Ｐゴシック lines are about 1.25 em, LibreOffice's
//! substitute (Noto Sans CJK) about 1.45 em; widths for the narrower:
//! Excel's columns (7 px per character unit) are about 6 % narrower than
//! LibreOffice's (Carlito's 7.44 px).

use std::collections::HashMap;

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatAlign,
    FormatBorder, Formula, Image, ProtectionOptions, Worksheet, XlsxError,
};

use super::grid::Span;
use super::page::{Accepts, Field, RowOut, Rule, Sheet, SideOut, Style, Value, CONTINUATION};

/// Paper, scale and margins (inches) of a printed page.
#[derive(Debug, Clone, Copy)]
pub struct Paper {
    /// Excel's paper code: 9 = A4, 8 = A3.
    pub code: u8,
    /// Landscape width and height in points.
    pub width_pt: f64,
    pub height_pt: f64,
    /// Print scale in percent.
    pub scale: u16,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    pub header: f64,
    pub footer: f64,
}

pub const A4_LANDSCAPE: Paper = Paper {
    code: 9,
    width_pt: 841.89,
    height_pt: 595.28,
    scale: 80,
    left: 0.3,
    right: 0.3,
    top: 0.25,
    bottom: 0.5,
    header: 0.1,
    footer: 0.2,
};

impl Paper {
    fn scale(&self) -> f64 {
        f64::from(self.scale) / 100.0
    }
    /// Sheet points that fit on one page, top to bottom (1 % kept spare).
    /// The footer sits in the bottom margin; LibreOffice takes a little
    /// of the margin above it too, which 0.5 in leaves room for.
    pub fn rows_pt(&self) -> f64 {
        (self.height_pt - 72.0 * (self.top + self.bottom)) / self.scale() * 0.99
    }
    /// Sheet pixels (Excel's) that fit across, if LibreOffice's wider
    /// columns are to fit too.
    pub fn columns_px(&self) -> f64 {
        (self.width_pt - 72.0 * (self.left + self.right)) * 96.0
            / 72.0
            / self.scale()
            / LIBREOFFICE_WIDTH
    }
}

/// LibreOffice's column width over Excel's for the same workbook.
const LIBREOFFICE_WIDTH: f64 = 7.436 / 7.0;

/// Everything `render` needs besides the rows.
pub struct Setup<'a> {
    pub font: &'static str,
    /// Body text size in points; no text is smaller.
    pub size: f64,
    /// Widths of the printed columns, in Excel pixels.
    pub widths_px: &'a [u32],
    /// Quiet columns after the printed ones (hidden, not printed).
    pub quiet: u16,
    pub paper: Paper,
    /// Rows repeated at the top of every page.
    pub title_rows: usize,
    pub footer: String,
    /// For a workbook to be filled in: the sheet is protected and only the
    /// cells of these fields are left unlocked.
    pub inputs: Option<&'a dyn Fn(Field) -> bool>,
}

impl Setup<'_> {
    /// The first quiet column.
    pub fn quiet_col(&self) -> u16 {
        self.widths_px.len() as u16 + 1
    }

    fn span_px(&self, span: Span) -> f64 {
        (span.0..=span.1)
            .map(|c| f64::from(self.widths_px.get(c as usize).copied().unwrap_or(0)))
            .sum()
    }

    fn font_pt(&self, style: Style) -> f64 {
        match style {
            Style::Title => self.size + 2.0,
            Style::Heading => self.size + 1.0,
            _ => self.size,
        }
    }
}

// ---- Measuring ------------------------------------------------------------------

/// Width of one character in em: CJK and full-width forms are 1; Latin as
/// LibreOffice draws it (DejaVu Sans; ＭＳ Ｐゴシック is narrower).
fn char_em(c: char) -> f64 {
    match c {
        ' ' => 0.32,
        '!'..='/' | ':'..='@' | '['..='`' | '{'..='~' => 0.45,
        '\u{21}'..='\u{7e}' | '\u{a0}'..='\u{24f}' => 0.64,
        '\u{ff61}'..='\u{ff9f}' => 0.55,
        _ => 1.0,
    }
}

/// Characters that may not begin a line (行頭禁則); the renderer moves the
/// character before them down with them.
fn no_line_start(c: char) -> bool {
    "、。，．,.）)」』】〕］]｝}〉》ー－・：；:;？！?!％%".contains(c)
}

/// The lines `text` takes wrapped in a cell `width_px` (Excel pixels) wide
/// at `size_pt`, as LibreOffice wraps it. Excel's columns are narrower but
/// its ＭＳ Ｐゴシック kana are too, and its lines lower (see `pitch`): the
/// height kept per line covers a line more in seven.
pub fn lines(text: &str, width_px: f64, size_pt: f64) -> usize {
    let em = size_pt * 96.0 / 72.0;
    let usable = ((width_px * LIBREOFFICE_WIDTH - 6.0) * 0.99).max(em);
    text.split('\n')
        .map(|p| paragraph_lines(p, usable, em))
        .sum()
}

fn paragraph_lines(text: &str, usable: f64, em: f64) -> usize {
    // Latin words do not break; every other character may end a line.
    let mut tokens: Vec<(f64, char)> = Vec::new();
    let mut word = 0.0;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            word += char_em(c) * em;
            continue;
        }
        if word > 0.0 {
            tokens.push((word, 'a'));
            word = 0.0;
        }
        tokens.push((char_em(c) * em, c));
    }
    if word > 0.0 {
        tokens.push((word, 'a'));
    }
    let mut count = 1;
    let mut x = 0.0;
    let mut previous = 0.0;
    for (w, c) in tokens {
        if x + w > usable && x > 0.0 {
            count += 1;
            x = if no_line_start(c) { previous } else { 0.0 };
        }
        x += w;
        // A word wider than the cell: the renderer breaks it anyway.
        while x > usable {
            count += 1;
            x -= usable;
        }
        previous = w;
    }
    count
}

/// Line pitch in points (LibreOffice's Noto Sans CJK, the taller renderer).
fn pitch(size_pt: f64) -> f64 {
    size_pt * 1.45
}

/// Points a wrapped text needs: LibreOffice starts the first line 2.8 pt
/// below the cell's top and a line's glyphs take 1.3 em of its 1.45.
fn text_pt(text: &str, width_px: f64, size_pt: f64) -> f64 {
    lines(text, width_px, size_pt) as f64 * pitch(size_pt) + 1.9
}

fn value_pt(value: &Value, width_px: f64, size_pt: f64) -> f64 {
    match value {
        Value::Empty | Value::Image { .. } => 0.0,
        Value::Text(t) => text_pt(t, width_px, size_pt),
        Value::Boxed { label, text, .. } if text.is_empty() => text_pt(label, width_px, size_pt),
        Value::Boxed { label, sep, text } => {
            text_pt(&format!("{label}{sep}{text}"), width_px, size_pt)
        }
        Value::Number { .. } => text_pt("0", width_px, size_pt),
    }
}

/// Excel stores row heights in whole pixels (0.75 pt): round up, so Excel
/// and LibreOffice agree on where a page ends. No row is taller than Excel
/// allows (a longer text is cut off in print; the cell keeps all of it).
fn whole_pixels(pt: f64) -> f64 {
    ((pt / 0.75).ceil() * 0.75).min(MAX_ROW_PT)
}

/// Excel's tallest row.
const MAX_ROW_PT: f64 = 409.5;

/// Row heights: each row as tall as its tallest single-row cell, then
/// stretched where a side box beside it needs more.
pub fn heights(sheet: &Sheet, setup: &Setup) -> Vec<f64> {
    let mut heights: Vec<f64> = sheet
        .rows
        .iter()
        .map(|row| {
            // Labels are laid out to fit one line.
            row.cells
                .iter()
                .filter(|c| c.down == 0 && c.style != Style::Label)
                .map(|c| value_pt(&c.value, setup.span_px(c.span), setup.font_pt(c.style)))
                .fold(row.min_pt, f64::max)
        })
        .collect();
    // Boxes over several rows: cells merged downwards, then side boxes.
    let mut tall: Vec<(usize, usize, f64)> = Vec::new();
    for (r, row) in sheet.rows.iter().enumerate() {
        for c in row.cells.iter().filter(|c| c.down > 0) {
            let need = value_pt(&c.value, setup.span_px(c.span), setup.font_pt(c.style));
            tall.push((r, r + usize::from(c.down), need));
        }
    }
    for side in &sheet.sides {
        let need = value_pt(
            &side.value,
            setup.span_px(side.cols),
            setup.font_pt(side.style),
        );
        tall.push((side.first, side.last, need));
    }
    for (first, last, need) in tall {
        let have: f64 = heights[first..=last].iter().sum();
        if need > have {
            let grow = (first..=last)
                .find(|&r| sheet.rows[r].stretch)
                .unwrap_or(last);
            heights[grow] += need - have;
        }
    }
    heights.into_iter().map(whole_pixels).collect()
}

// ---- Page breaks --------------------------------------------------------------------

/// A page that starts before `row`; when the row continues a block from the
/// previous page, its heading and table header are printed again first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Break {
    pub before: usize,
    pub heading: Option<usize>,
    pub header: Option<(usize, usize)>,
}

struct Unit {
    first: usize,
    end: usize,
    with_next: bool,
    with_previous: bool,
}

/// Chooses the page breaks: a unit (a 取組) is never split when it fits on
/// a page; a group (a 戦略) starts a new page when it does not fit after
/// the previous one; a unit that must be split carries its heading and its
/// table's header onto the next page. `start` is the first row after the
/// repeated title rows; `page_pt` what one page holds below them.
pub fn paginate(sheet: &Sheet, heights: &[f64], start: usize, page_pt: f64) -> Vec<Break> {
    use super::page::Block;
    let sum = |a: usize, b: usize| -> f64 { heights[a..b].iter().sum() };
    let mut units: Vec<Unit> = sheet
        .blocks
        .iter()
        .filter_map(|b| match b.block {
            Block::Unit {
                with_next,
                with_previous,
            } => Some(Unit {
                first: b.first,
                end: b.end,
                with_next,
                with_previous,
            }),
            Block::Group => None,
        })
        .collect();
    units.sort_by_key(|u| u.first);
    let mut groups: Vec<(usize, usize)> = sheet
        .blocks
        .iter()
        .filter(|b| b.block == Block::Group)
        .map(|b| (b.first, b.end))
        .collect();
    groups.sort();
    // What precedes the first group (the 概要) goes with it.
    if let Some(first) = groups.first_mut() {
        first.0 = start.min(first.0);
    }
    let continuation_pt = |heading: usize, header: Option<(usize, usize)>| {
        heights[heading] + header.map_or(0.0, |(a, b)| sum(a, b + 1))
    };

    let mut breaks = Vec::new();
    let mut y = 0.0;
    let mut r = start;
    while r < heights.len() {
        if let Some(&(first, end)) = groups.iter().find(|g| g.0 == r) {
            if y > 0.0 && y + sum(first, end) > page_pt {
                breaks.push(Break {
                    before: r,
                    heading: None,
                    header: None,
                });
                y = 0.0;
            }
        }
        let Some(i) = units.iter().position(|u| u.first == r) else {
            if y > 0.0 && y + heights[r] > page_pt {
                breaks.push(Break {
                    before: r,
                    heading: None,
                    header: None,
                });
                y = 0.0;
            }
            y += heights[r];
            r += 1;
            continue;
        };
        let unit = &units[i];
        let own = sum(unit.first, unit.end);
        let next = units.get(i + 1).filter(|n| n.first == unit.end);
        let need = own
            + next
                .filter(|n| unit.with_next || n.with_previous)
                .map_or(0.0, |n| sum(n.first, n.end));
        // A new page when the unit (with the neighbour it keeps with, if
        // both fit on one page) does not fit here but would on a page of
        // its own. A unit taller than a page is split where it stands.
        let keep = need <= page_pt && y + need > page_pt;
        let own_page = own <= page_pt && y + own > page_pt;
        if y > 0.0 && (keep || own_page) {
            breaks.push(Break {
                before: r,
                heading: None,
                header: None,
            });
            y = 0.0;
        }
        if y + own <= page_pt {
            y += own;
            r = unit.end;
            continue;
        }
        // Taller than a page: split between rows, carrying the heading and
        // the table header over.
        for (row, &height) in heights.iter().enumerate().take(unit.end).skip(unit.first) {
            if y > 0.0 && y + height > page_pt {
                let header = sheet.rows[row].table_header.filter(|&(_, last)| row > last);
                let heading = (row > unit.first).then_some(unit.first);
                breaks.push(Break {
                    before: row,
                    heading,
                    header,
                });
                y = heading.map_or(0.0, |h| continuation_pt(h, header));
            }
            y += height;
        }
        r = unit.end;
    }
    breaks
}

// ---- Writing the worksheet ----------------------------------------------------------

/// Where a bound figure (an indicator value, a budget) landed.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub field: Field,
    pub path: Vec<usize>,
    pub row: u32,
    pub col: u16,
}

/// What `render` reports.
#[derive(Debug, Default)]
pub struct Printed {
    pub figures: Vec<Figure>,
}

/// One row of the final sheet: a row of the layout, or a copy printed again
/// after a break.
#[derive(Debug, Clone, Copy)]
enum Line {
    Row(usize),
    /// The heading of a block that goes on from the previous page.
    Heading(usize),
    /// A table header printed again.
    Header(usize),
}

struct Formats<'a> {
    font: &'static str,
    size: f64,
    inputs: Option<&'a dyn Fn(Field) -> bool>,
    cache: HashMap<(Style, String, bool, bool), Format>,
}

impl Formats<'_> {
    fn is_input(&self, field: Field) -> bool {
        self.inputs.is_some_and(|input| input(field))
    }

    /// The format of a cell of `field`: unlocked and shaded when it is an
    /// input, so the person filling it in sees where to type.
    fn get(&mut self, style: Style, num_format: &str, bold: bool, field: Field) -> &Format {
        let (font, size) = (self.font, self.size);
        let unlocked = self.is_input(field);
        self.cache
            .entry((style, num_format.to_string(), bold, unlocked))
            .or_insert_with(|| {
                let mut f = format_for(style, font, size);
                if !num_format.is_empty() {
                    f = f.set_num_format(num_format);
                }
                if bold {
                    f = f.set_bold();
                }
                if unlocked {
                    f = f.set_unlocked().set_background_color(INPUT_FILL);
                }
                f
            })
    }
}

/// The shade of cells to fill in (a pale yellow, as Japanese 様式 use).
pub const INPUT_FILL: Color = Color::RGB(0xFFF5CC);

fn format_for(style: Style, font: &'static str, size: f64) -> Format {
    let base = Format::new()
        .set_font_name(font)
        .set_font_charset(128)
        .set_font_size(size)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let boxed = base.clone().set_border(FormatBorder::Thin);
    let shade = Color::RGB(0xE8EEF7);
    let head = Color::RGB(0xD9E2F3);
    match style {
        Style::Title => base
            .set_bold()
            .set_font_size(size + 2.0)
            .set_align(FormatAlign::VerticalCenter)
            .set_border_bottom(FormatBorder::Medium),
        Style::TitleSide => base
            .set_align(FormatAlign::VerticalCenter)
            .set_align(FormatAlign::Right)
            .set_border_bottom(FormatBorder::Medium),
        Style::Heading => boxed
            .set_bold()
            .set_font_size(size + 1.0)
            .set_align(FormatAlign::VerticalCenter)
            .set_background_color(head),
        Style::SubHeading => boxed
            .set_bold()
            .set_align(FormatAlign::VerticalCenter)
            .set_background_color(shade),
        Style::Label => boxed
            .set_bold()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_background_color(shade),
        Style::Text => boxed.set_align(FormatAlign::Left),
        Style::Center => boxed
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter),
        Style::Number => boxed
            .set_align(FormatAlign::Right)
            .set_align(FormatAlign::VerticalCenter),
        Style::Legend => base.set_align(FormatAlign::VerticalCenter),
        Style::Vertical => boxed
            .set_bold()
            .set_rotation(270)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_background_color(shade),
        Style::Photo => boxed,
    }
}

/// Writes `sheet` into `ws` with the chosen breaks and print setup.
pub fn render(ws: &mut Worksheet, sheet: &Sheet, setup: &Setup) -> Result<Printed, XlsxError> {
    let heights = heights(sheet, setup);
    let title_pt: f64 = heights[..setup.title_rows.min(heights.len())].iter().sum();
    let breaks = paginate(
        sheet,
        &heights,
        setup.title_rows,
        setup.paper.rows_pt() - title_pt,
    );

    // The final rows, with the continuation rows in place.
    let mut lines = Vec::with_capacity(sheet.rows.len());
    let mut page_starts = Vec::new();
    let mut final_of = Vec::with_capacity(sheet.rows.len());
    let mut next_break = breaks.iter().peekable();
    for r in 0..sheet.rows.len() {
        if let Some(b) = next_break.next_if(|b| b.before == r) {
            page_starts.push(lines.len() as u32);
            if let Some(h) = b.heading {
                lines.push(Line::Heading(h));
            }
            if let Some((a, z)) = b.header {
                lines.extend((a..=z).map(Line::Header));
            }
        }
        final_of.push(lines.len() as u32);
        lines.push(Line::Row(r));
    }

    debug_assert!(
        setup.widths_px.iter().sum::<u32>() as f64 <= setup.paper.columns_px(),
        "the printed columns are wider than the paper"
    );
    for (c, px) in setup.widths_px.iter().enumerate() {
        ws.set_column_width_pixels(c as u16, *px)?;
    }
    // Every row gets its height written: a row left at the sheet's default
    // would be sized to its text by LibreOffice, not as paginated here.
    ws.set_default_row_height(12.75);
    let quiet_col = setup.quiet_col();
    for c in quiet_col - 1..quiet_col + setup.quiet {
        ws.set_column_hidden(c)?;
    }
    let mut formats = Formats {
        font: setup.font,
        size: setup.size,
        inputs: setup.inputs,
        cache: HashMap::new(),
    };
    if setup.inputs.is_some() {
        // No password: protection guides, it does not guard (the merge
        // refuses edits to locked content whoever made them). Rows may be
        // made taller for a long 実績; columns stay, the hidden ones too.
        ws.protect_with_options(&ProtectionOptions {
            format_rows: true,
            ..ProtectionOptions::default()
        });
    }
    let mut printed = Printed::default();
    let last_col = setup.widths_px.len() as u16 - 1;
    for (n, line) in lines.iter().enumerate() {
        let n = n as u32;
        match *line {
            Line::Row(r) => {
                ws.set_row_height(n, heights[r])?;
                write_row(ws, &mut formats, n, &sheet.rows[r], &mut printed)?;
                for (col, value) in &sheet.rows[r].quiet {
                    if let Value::Text(t) = value {
                        ws.write_string(n, quiet_col + col, t)?;
                    }
                }
            }
            Line::Heading(r) => {
                let row = &sheet.rows[r];
                let first = &row.cells[0];
                ws.set_row_height(n, heights[r])?;
                let text = match &first.value {
                    Value::Text(t) => format!("{t}{CONTINUATION}"),
                    _ => CONTINUATION.to_string(),
                };
                let span = Span(first.span.0, last_col);
                put_text(
                    ws,
                    formats.get(first.style, "", false, Field::Label),
                    n,
                    span,
                    &text,
                )?;
                ws.write_string(n, quiet_col, CONTINUATION)?;
            }
            Line::Header(r) => {
                ws.set_row_height(n, heights[r])?;
                let mut ignore = Printed::default();
                write_row(ws, &mut formats, n, &sheet.rows[r], &mut ignore)?;
                ws.write_string(n, quiet_col, CONTINUATION)?;
            }
        }
    }
    let final_heights = heights_of(&lines, &heights);
    for side in &sheet.sides {
        for (first, last) in side_pieces(side, &final_of, &page_starts) {
            write_side(ws, &mut formats, setup, side, first, last, &final_heights)?;
        }
    }

    let p = &setup.paper;
    ws.set_paper_size(p.code);
    ws.set_landscape();
    ws.set_print_scale(p.scale);
    ws.set_margins(p.left, p.right, p.top, p.bottom, p.header, p.footer);
    ws.set_print_center_horizontally(true);
    ws.set_print_gridlines(false);
    if setup.title_rows > 0 {
        ws.set_repeat_rows(0, setup.title_rows as u32 - 1)?;
        // On screen too, the title rows stay in view while scrolling.
        ws.set_freeze_panes(setup.title_rows as u32, 0)?;
    }
    if !lines.is_empty() {
        ws.set_print_area(0, 0, lines.len() as u32 - 1, last_col)?;
    }
    ws.set_page_breaks(&page_starts)?;
    ws.set_header_footer_scale_with_doc(false);
    ws.set_footer(&setup.footer);
    Ok(printed)
}

fn heights_of(lines: &[Line], heights: &[f64]) -> Vec<f64> {
    lines
        .iter()
        .map(|l| match *l {
            Line::Row(r) | Line::Heading(r) | Line::Header(r) => heights[r],
        })
        .collect()
}

/// The final rows a side box covers: one piece, or one per page for a box
/// that repeats (the vertical label); a box that does not repeat ends
/// before the first break inside it.
fn side_pieces(side: &SideOut, final_of: &[u32], page_starts: &[u32]) -> Vec<(u32, u32)> {
    let first = final_of[side.first];
    let last = final_of[side.last];
    let inside: Vec<u32> = page_starts
        .iter()
        .copied()
        .filter(|&s| s > first && s <= last)
        .collect();
    if inside.is_empty() {
        return vec![(first, last)];
    }
    if !side.repeat {
        return vec![(first, inside[0] - 1)];
    }
    let mut pieces = Vec::new();
    let mut from = first;
    for s in inside {
        pieces.push((from, s - 1));
        from = s;
    }
    pieces.push((from, last));
    pieces
}

fn put_text(
    ws: &mut Worksheet,
    format: &Format,
    row: u32,
    span: Span,
    text: &str,
) -> Result<(), XlsxError> {
    if span.0 == span.1 {
        ws.write_string_with_format(row, span.0, text, format)?;
    } else {
        ws.merge_range(row, span.0, row, span.1, text, format)?;
    }
    Ok(())
}

fn write_row(
    ws: &mut Worksheet,
    formats: &mut Formats,
    n: u32,
    row: &RowOut,
    printed: &mut Printed,
) -> Result<(), XlsxError> {
    for cell in &row.cells {
        let (last_row, span) = (n + u32::from(cell.down), cell.span);
        put_value(
            ws,
            formats,
            (n, last_row),
            span,
            (cell.style, cell.field),
            &cell.value,
            None,
        )?;
        if let Some(rule) = cell.rule.as_ref().filter(|_| formats.is_input(cell.field)) {
            ws.add_data_validation(n, span.0, last_row, span.1, &validation(rule, n, span.0)?)?;
        }
        if matches!(
            cell.field,
            Field::IndicatorValue(_) | Field::ProcessValue(_) | Field::Budget(_)
        ) {
            printed.figures.push(Figure {
                field: cell.field,
                path: cell.path.clone(),
                row: n,
                col: span.0,
            });
        }
    }
    Ok(())
}

/// Excel's data validation for an input cell at (`row`, `col`).
fn validation(rule: &Rule, row: u32, col: u16) -> Result<DataValidation, XlsxError> {
    let check = DataValidation::new();
    let (check, error) = match rule.accepts {
        Accepts::Number { min, max } => (
            check.allow_decimal_number(DataValidationRule::Between(min, max)),
            format!("数字で入力してください（{}〜{}）。", min, group_f64(max)),
        ),
        Accepts::Yen => {
            // Whole yen within the limit, or 「－」/「-」: no amount.
            let cell = rust_xlsxwriter::utility::row_col_to_cell(row, col);
            let formula = format!(
                "OR({cell}=\"－\",{cell}=\"-\",AND(ISNUMBER({cell}),{cell}>=0,{cell}<={},{cell}=INT({cell})))",
                crate::limits::MAX_YEN
            );
            (
                check.allow_custom(Formula::new(formula)),
                "円単位の整数で入力してください（金額がなければ「－」）。".to_string(),
            )
        }
        Accepts::Mark => (
            check
                .allow_list_strings(&["〇", "－"])?
                // Other spellings (○, ー, ×) are read too: ask, do not refuse.
                .set_error_style(DataValidationErrorStyle::Warning),
            "「〇」（目標達成）か「－」（目標未達成）を選んでください。".to_string(),
        ),
        Accepts::Text => (check.allow_any_value(), String::new()),
    };
    let mut check = check
        .set_input_title(&rule.title)?
        .set_input_message(&rule.message)?;
    if !error.is_empty() {
        check = check
            .set_error_title("入力できない値です")?
            .set_error_message(error)?;
    }
    Ok(check)
}

/// 999999999999999 → 「999,999,999,999,999」
fn group_f64(value: f64) -> String {
    crate::limits::group(value as u64)
}

/// Writes a value into rows `rows` × columns `span`, merged when larger
/// than one cell. An image is fitted into `image_px` (width, height).
fn put_value(
    ws: &mut Worksheet,
    formats: &mut Formats,
    rows: (u32, u32),
    span: Span,
    (style, field): (Style, Field),
    value: &Value,
    image_px: Option<(f64, f64)>,
) -> Result<(), XlsxError> {
    let (top, bottom) = rows;
    let num_format = match value {
        Value::Number { format, .. } => format.as_str(),
        _ => "",
    };
    let format = formats.get(style, num_format, false, field).clone();
    if top != bottom || span.0 != span.1 {
        ws.merge_range(top, span.0, bottom, span.1, "", &format)?;
    } else {
        ws.write_blank(top, span.0, &format)?;
    }
    match value {
        Value::Empty => {}
        Value::Text(t) => {
            ws.write_string_with_format(top, span.0, t, &format)?;
        }
        Value::Boxed { label, sep, text } => {
            let bold = formats.get(style, "", true, field).clone();
            if text.is_empty() {
                ws.write_string_with_format(top, span.0, label, &bold)?;
            } else {
                let body = format!("{sep}{text}");
                ws.write_rich_string_with_format(
                    top,
                    span.0,
                    &[(&bold, label.as_str()), (&format, body.as_str())],
                    &format,
                )?;
            }
        }
        Value::Number { value, .. } => {
            ws.write_number_with_format(top, span.0, *value, &format)?;
        }
        Value::Image { bytes, alt } => {
            if let (Some((w, h)), Ok(image)) = (image_px, Image::new_from_buffer(bytes)) {
                insert_fitted(ws, top, span.0, image.set_alt_text(alt), w, h)?;
            }
        }
    }
    Ok(())
}

/// The image scaled to fit a box `w` × `h` pixels (a little inside its
/// border), centred, aspect kept.
fn insert_fitted(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    image: Image,
    w: f64,
    h: f64,
) -> Result<(), XlsxError> {
    let natural_w = image.width() * 96.0 / image.width_dpi().max(1.0);
    let natural_h = image.height() * 96.0 / image.height_dpi().max(1.0);
    if natural_w <= 0.0 || natural_h <= 0.0 {
        return Ok(());
    }
    let (room_w, room_h) = ((w - 8.0).max(1.0), (h - 8.0).max(1.0));
    let scale = (room_w / natural_w).min(room_h / natural_h);
    let x = ((w - natural_w * scale) / 2.0).max(0.0) as u32;
    let y = ((h - natural_h * scale) / 2.0).max(0.0) as u32;
    let image = image.set_scale_width(scale).set_scale_height(scale);
    ws.insert_image_with_offset(row, col, &image, x, y)?;
    Ok(())
}

fn write_side(
    ws: &mut Worksheet,
    formats: &mut Formats,
    setup: &Setup,
    side: &SideOut,
    first: u32,
    last: u32,
    heights: &[f64],
) -> Result<(), XlsxError> {
    let h_pt: f64 = heights[first as usize..=last as usize].iter().sum();
    let image_px = Some((setup.span_px(side.cols), h_pt * 96.0 / 72.0));
    put_value(
        ws,
        formats,
        (first, last),
        side.cols,
        (side.style, side.field),
        &side.value,
        image_px,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_counts_lines_conservatively() {
        // 10 full-width characters at 9 pt are 120 px.
        assert_eq!(lines("あいうえおかきくけこ", 200.0, 9.0), 1);
        assert_eq!(lines("あいうえおかきくけこ", 110.0, 9.0), 2);
        assert_eq!(lines("一行目\n二行目", 200.0, 9.0), 2);
        // A comma cannot start a line: the character before it moves down.
        let width = (60.5 / 0.99 + 6.0) / LIBREOFFICE_WIDTH;
        assert_eq!(lines("あいうえお", width, 9.0), 1);
        assert_eq!(lines("あいうえお、かきくけ", width, 9.0), 3);
        // Latin words stay whole.
        assert_eq!(lines("ABCDEFGHIJKLMNOP", 60.0, 9.0), 3);
        assert_eq!(lines("", 100.0, 9.0), 1);
    }

    #[test]
    fn a4_landscape_at_80_percent() {
        let p = A4_LANDSCAPE;
        // (595.28 pt - 0.75 in) / 0.8, less 1 %.
        assert!((p.rows_pt() - 669.8).abs() < 0.1, "{}", p.rows_pt());
        assert!(p.columns_px() > 1240.0, "{}", p.columns_px());
    }
}
