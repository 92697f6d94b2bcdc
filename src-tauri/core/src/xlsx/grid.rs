//! The small writer every layout description is interpreted by: styles,
//! column spans that merge and wrap, row heights from the text, print setup.
//! The reader is `read.rs`.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

use crate::model::Plan;
use crate::wareki::{long_label, Digits};

/// A standard Japanese Office font, so the workbook looks native in Excel.
pub const FONT: &str = "游ゴシック";
pub const FONT_SIZE: f64 = 10.0;

/// Columns `first..=last` of one row.
#[derive(Debug, Clone, Copy)]
pub struct Span(pub u16, pub u16);

/// The cell styles of every layout.
pub struct Styles {
    pub title: Format,
    pub heading: Format,
    pub label: Format,
    pub text: Format,
    pub yen: Format,
    pub header: Format,
    pub int: Format,
}

fn base() -> Format {
    Format::new()
        .set_font_name(FONT)
        .set_font_size(FONT_SIZE)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
}

impl Styles {
    pub fn new() -> Styles {
        let boxed = base().set_border(FormatBorder::Thin);
        let shade = Color::RGB(0xE8EEF7);
        Styles {
            title: base().set_bold().set_font_size(12),
            heading: boxed
                .clone()
                .set_bold()
                .set_font_size(11)
                .set_background_color(Color::RGB(0xD9E2F3)),
            label: boxed.clone().set_bold().set_background_color(shade),
            text: boxed
                .clone()
                .set_align(FormatAlign::Top)
                .set_align(FormatAlign::Left),
            yen: boxed
                .clone()
                .set_align(FormatAlign::Right)
                .set_num_format("#,##0"),
            header: boxed
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_background_color(shade),
            int: boxed.set_num_format("0"),
        }
    }
}

/// Writes rows top to bottom; each cell may span columns (merged) and the
/// row grows to fit the wrapped text of its widest-needing cell.
pub struct Out<'a> {
    pub ws: &'a mut Worksheet,
    pub row: u32,
    widths: &'a [f64],
    height: f64,
}

/// Approximate width in pixels of `text` at 10pt: full-width characters are
/// about 13.5px, the rest about 7px.
fn text_px(line: &str) -> f64 {
    line.chars()
        .map(|c| {
            if (c as u32) < 0x2000 || ('\u{FF61}'..='\u{FF9F}').contains(&c) {
                7.0
            } else {
                13.5
            }
        })
        .sum()
}

/// Row height (points) that shows `text` wrapped in `width_px`.
pub fn height_for(text: &str, width_px: f64, line_pt: f64) -> f64 {
    let usable = (width_px - 8.0).max(10.0);
    let lines: f64 = text
        .split('\n')
        .map(|l| (text_px(l) / usable).ceil().max(1.0))
        .sum();
    lines * line_pt + 4.0
}

impl<'a> Out<'a> {
    pub fn new(ws: &'a mut Worksheet, widths: &'a [f64]) -> Result<Out<'a>, XlsxError> {
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        Ok(Out {
            ws,
            row: 0,
            widths,
            height: 0.0,
        })
    }

    fn span_px(&self, span: Span) -> f64 {
        (span.0..=span.1)
            .map(|c| self.widths.get(c as usize).copied().unwrap_or(8.43) * 7.0 + 5.0)
            .sum()
    }

    /// Text in a span of the current row; always a string, never a formula.
    pub fn put(&mut self, span: Span, text: &str, format: &Format) -> Result<(), XlsxError> {
        self.put_sized(span, text, format, 15.0)
    }

    /// [`Out::put`] with the line height (points) of a smaller font.
    pub fn put_sized(
        &mut self,
        span: Span,
        text: &str,
        format: &Format,
        line_pt: f64,
    ) -> Result<(), XlsxError> {
        self.height = self
            .height
            .max(height_for(text, self.span_px(span), line_pt));
        if span.0 == span.1 {
            self.ws
                .write_string_with_format(self.row, span.0, text, format)?;
        } else {
            self.ws
                .merge_range(self.row, span.0, self.row, span.1, text, format)?;
        }
        Ok(())
    }

    /// Ends the row, at least `min` points high.
    pub fn next(&mut self, min: f64) -> Result<(), XlsxError> {
        self.ws.set_row_height(self.row, self.height.max(min))?;
        self.row += 1;
        self.height = 0.0;
        Ok(())
    }
}

/// 「阿倍野区　令和6年度」 for footers; several plans give 「24区　令和6年度」.
pub fn plans_caption(plans: &[Plan]) -> String {
    let mut years: Vec<i32> = plans.iter().map(|p| p.fiscal_year).collect();
    years.dedup();
    let ward = match plans {
        [one] => one.ward.clone(),
        _ => format!("{}区", plans.len()),
    };
    let year = match years.as_slice() {
        [y] => long_label(*y, Digits::Half),
        _ => String::new(),
    };
    format!("{ward}　{year}").trim().to_string()
}

/// A4, fit to width, print titles, margins and the footer on every sheet.
pub fn print_setup(
    ws: &mut Worksheet,
    landscape: bool,
    title_rows: Option<(u32, u32)>,
    caption: &str,
) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    if landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.5, 0.5, 0.6, 0.7, 0.3, 0.3);
    ws.set_print_center_horizontally(true);
    if let Some((first, last)) = title_rows {
        ws.set_repeat_rows(first, last)?;
    }
    // 10 pt: the footer shrinks with a page fitted to its width (LibreOffice
    // scales it whatever the sheet says), and should stay over 7 pt.
    let caption = caption.replace('&', "&&");
    ws.set_footer(format!(
        "&L&\"{FONT}\"&10{caption}&C&\"{FONT}\"&10&P / &N ページ"
    ));
    Ok(())
}

/// Full-width section numbers as the booklet prints them: 5-1-2 → ５－１－２.
pub fn full_width_number(number: &str) -> String {
    number
        .chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c),
            '-' => '－',
            other => other,
        })
        .collect()
}
