//! The four chart kinds laid out as scenes: a header (title wrapped, subtitles),
//! the plot, and a legend row of its own at the bottom, so no legend covers data.

use super::data::{self, fmt_num, Column, Item};
use super::scene::{palette::*, text_width, wrap, wrap_balanced, Anchor, Rgb, Scene};
use crate::error::Result;
use crate::model::{BudgetKind, Plan};

pub(crate) const MARGIN: f64 = 24.0;
const TITLE: f64 = 19.0;
const SUB_SIZE: f64 = 13.0;
const LABEL: f64 = 13.0;
const MAX_TITLE_LINES: usize = 4;
/// 「〇：目標達成　－：目標未達成」
pub const MARK_LEGEND: &str = "〇：目標達成　－：目標未達成";
pub const NO_RESULTS: &str = "実績なし";

/// Size and parts of a scene.
#[derive(Debug, Clone, Copy)]
pub struct Frame {
    pub width: f64,
    pub height: f64,
    /// Draw the title and subtitles (the PDF prints them itself).
    pub header: bool,
}

fn header(s: &mut Scene, f: &Frame, title: &str, subs: &[String]) -> f64 {
    let mut y = MARGIN;
    if !f.header {
        return y;
    }
    let width = f.width - 2.0 * MARGIN;
    let mut lines = wrap_balanced(title, TITLE, width);
    if lines.len() > MAX_TITLE_LINES {
        lines.truncate(MAX_TITLE_LINES);
        let last = lines.last_mut().expect("four lines");
        while !last.is_empty() && text_width(&format!("{last}…"), TITLE) > width {
            last.pop();
        }
        last.push('…');
    }
    for line in lines {
        y += TITLE * 1.05;
        s.text(MARGIN, y, line, TITLE, INK, Anchor::Start);
        y += TITLE * 0.35;
    }
    y += 4.0;
    for sub in subs {
        for line in wrap(sub, SUB_SIZE, width) {
            y += SUB_SIZE * 1.45;
            s.text(MARGIN, y, line, SUB_SIZE, SUB, Anchor::Start);
        }
    }
    y + 6.0
}

/// A legend entry.
enum Key {
    Line {
        color: Rgb,
        dashed: bool,
        marker: bool,
    },
    Swatch {
        fill: Rgb,
        hatch: Option<Rgb>,
        stroke: Rgb,
    },
    Note,
}

fn legend(s: &mut Scene, f: &Frame, keys: &[(Key, &str)]) -> f64 {
    if keys.is_empty() {
        return f.height - MARGIN;
    }
    let key_w = |k: &Key| match k {
        Key::Line { .. } => 34.0,
        Key::Swatch { .. } => 22.0,
        Key::Note => 0.0,
    };
    // Lay out left to right, wrapping onto new rows.
    let row_h = LABEL * 1.8;
    let mut rows: Vec<Vec<(f64, usize)>> = vec![Vec::new()];
    let mut x = MARGIN;
    for (i, (k, label)) in keys.iter().enumerate() {
        let w = key_w(k) + text_width(label, LABEL);
        if x + w > f.width - MARGIN && x > MARGIN {
            rows.push(Vec::new());
            x = MARGIN;
        }
        rows.last_mut().expect("a row").push((x, i));
        x += w + 24.0;
    }
    let top = f.height - MARGIN - rows.len() as f64 * row_h;
    for (r, row) in rows.iter().enumerate() {
        let mid = top + r as f64 * row_h + row_h / 2.0;
        for &(x, i) in row {
            let (k, label) = &keys[i];
            match k {
                Key::Line {
                    color,
                    dashed,
                    marker,
                } => {
                    if *dashed {
                        s.dashed((x, mid), (x + 28.0, mid), *color, 1.5, 6.0, 4.0);
                    } else {
                        s.line(vec![(x, mid), (x + 28.0, mid)], *color, 2.5);
                    }
                    if *marker {
                        s.circle(x + 14.0, mid, 4.5, *color, Some((WHITE, 1.5)));
                    }
                }
                Key::Swatch {
                    fill,
                    hatch,
                    stroke,
                } => {
                    s.rect(x, mid - 7.0, x + 16.0, mid + 7.0, Some(*fill), None);
                    if let Some(h) = hatch {
                        s.hatch([x, mid - 7.0, x + 16.0, mid + 7.0], *h, 1.0, 5.0);
                    }
                    s.rect(
                        x,
                        mid - 7.0,
                        x + 16.0,
                        mid + 7.0,
                        None,
                        Some((*stroke, 1.0)),
                    );
                }
                Key::Note => {}
            }
            s.text(
                x + key_w(k),
                mid + LABEL * 0.35,
                *label,
                LABEL,
                INK,
                Anchor::Start,
            );
        }
    }
    top - 6.0
}

/// A value axis: 0 (or below) to a round maximum, about five ticks.
struct Axis {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
    decimals: usize,
}

fn axis(lo: f64, hi: f64) -> Axis {
    let lo = lo.min(0.0);
    let hi = if hi > lo { hi } else { lo + 1.0 };
    let raw = (hi - lo) / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let (lo, hi) = ((lo / step).floor() * step, (hi / step).ceil() * step);
    let ticks = (0..)
        .map(|i| lo + i as f64 * step)
        .take_while(|t| *t <= hi + step * 1e-9)
        .collect();
    let decimals = if step.fract().abs() < 1e-9 { 0 } else { 2 };
    Axis {
        lo,
        hi,
        ticks,
        decimals,
    }
}

/// The plot rectangle of a category chart and its mapping.
struct Plot {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    axis: Axis,
}

impl Plot {
    fn y(&self, v: f64) -> f64 {
        self.y1 - (v - self.axis.lo) / (self.axis.hi - self.axis.lo) * (self.y1 - self.y0)
    }
    fn slot(&self, n: usize) -> f64 {
        (self.x1 - self.x0) / n.max(1) as f64
    }
    fn cx(&self, i: usize, n: usize) -> f64 {
        self.x0 + self.slot(n) * (i as f64 + 0.5)
    }
}

/// 「令和4年度」, split as 「令和」「4年度」 when the slot is narrow.
fn year_lines(fiscal_year: i32, slot: f64) -> Vec<String> {
    let label = data::year_label(fiscal_year);
    if text_width(&label, LABEL) <= slot - 6.0 {
        return vec![label];
    }
    let split = label
        .find(|c: char| c.is_ascii_digit() || c == '元')
        .unwrap_or(0);
    vec![label[..split].to_string(), label[split..].to_string()]
}

/// Draws grid, value ticks, the unit above the axis and category labels below.
#[allow(clippy::too_many_arguments)]
fn frame_plot(
    s: &mut Scene,
    left: f64,
    top: f64,
    right: f64,
    bottom: f64,
    axis: Axis,
    unit: &str,
    categories: &[Vec<String>],
) -> Plot {
    let tick_w = axis
        .ticks
        .iter()
        .map(|t| text_width(&fmt_num(*t, axis.decimals), LABEL))
        .fold(0.0, f64::max);
    let cat_lines = categories.iter().map(Vec::len).max().unwrap_or(1) as f64;
    let plot = Plot {
        x0: left + tick_w.max(text_width(unit, LABEL) - 8.0) + 10.0,
        y0: top + LABEL * 2.2,
        x1: right,
        y1: bottom - cat_lines * LABEL * 1.4 - 8.0,
        axis,
    };
    for t in &plot.axis.ticks {
        let y = plot.y(*t);
        let (c, w) = if *t == 0.0 { (AXIS, 1.0) } else { (GRID, 1.0) };
        s.line(vec![(plot.x0, y), (plot.x1, y)], c, w);
        s.text(
            plot.x0 - 6.0,
            y + LABEL * 0.35,
            fmt_num(*t, plot.axis.decimals),
            LABEL,
            SUB,
            Anchor::End,
        );
    }
    s.text(left, plot.y0 - LABEL * 1.0, unit, LABEL, SUB, Anchor::Start);
    s.line(vec![(plot.x0, plot.y0), (plot.x0, plot.y1)], AXIS, 1.0);
    let n = categories.len();
    for (i, lines) in categories.iter().enumerate() {
        for (j, line) in lines.iter().enumerate() {
            let y = plot.y1 + 6.0 + LABEL * (1.0 + 1.4 * j as f64);
            s.text(plot.cx(i, n), y, line.clone(), LABEL, INK, Anchor::Middle);
        }
    }
    plot
}

fn empty_note(s: &mut Scene, x0: f64, y0: f64, x1: f64, y1: f64, note: &str) {
    empty_note_clear_of(s, x0, y0, x1, y1, note, None);
}

/// The note in the middle of the plot, or in the larger half beside a
/// horizontal line (the target) that would cross it.
fn empty_note_clear_of(
    s: &mut Scene,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    note: &str,
    line_y: Option<f64>,
) {
    let size = 22.0;
    let middle = (y0 + y1) / 2.0;
    let y = match line_y {
        Some(line) if (line - middle).abs() < size => {
            if line - y0 > y1 - line {
                (y0 + line) / 2.0
            } else {
                (line + y1) / 2.0
            }
        }
        _ => middle,
    };
    s.halo_text(
        (x0 + x1) / 2.0,
        y + size * 0.35,
        note,
        size,
        SUB,
        Anchor::Middle,
    );
}

/// (a) An indicator's yearly results against its target.
pub fn indicator(plan: &Plan, item: &Item, index: usize, f: &Frame) -> Result<Scene> {
    let (ind, kind) = data::indicator(item, index)?;
    let tr = data::trend(plan, ind);
    let mut s = Scene::new(f.width, f.height);
    let mut subs = vec![
        format!("{}（{}）", item.heading(), kind),
        format!("目標：{}", data::target_text(ind)),
    ];
    if tr.cumulative {
        subs[1].push_str("　※実績は累計で表示");
    }
    let top = header(&mut s, f, &ind.text, &subs);
    let mut keys = vec![(
        Key::Line {
            color: BLUE,
            dashed: false,
            marker: true,
        },
        if tr.cumulative {
            "実績（累計）"
        } else {
            "実績"
        },
    )];
    if tr.target.is_some() {
        keys.push((
            Key::Line {
                color: INK,
                dashed: true,
                marker: false,
            },
            "目標",
        ));
    }
    keys.push((Key::Note, MARK_LEGEND));
    let bottom = legend(&mut s, f, &keys);

    let values: Vec<f64> = tr
        .points
        .iter()
        .filter_map(|p| p.value)
        .chain(tr.target)
        .collect();
    let hi = values.iter().copied().fold(0.0, f64::max);
    let lo = values.iter().copied().fold(0.0, f64::min);
    let percent = matches!(tr.unit.as_str(), "%" | "％");
    let ax = if percent && hi <= 100.0 && lo >= 0.0 {
        axis(0.0, 100.0)
    } else {
        axis(lo, hi * 1.15)
    };
    let target_label = tr.target_label.clone().unwrap_or_default();
    let right = f.width - MARGIN - text_width(&target_label, LABEL) - 10.0;
    let n = tr.years.len();
    let slot = (right - MARGIN - 60.0) / n.max(1) as f64;
    let cats: Vec<_> = tr.years.iter().map(|y| year_lines(*y, slot)).collect();
    let unit = if tr.cumulative {
        format!("累計（{}）", tr.unit)
    } else {
        format!("（{}）", tr.unit)
    };
    let plot = frame_plot(&mut s, MARGIN, top, right, bottom, ax, &unit, &cats);

    if let (Some(t), Some(label)) = (tr.target, &tr.target_label) {
        let y = plot.y(t);
        s.dashed((plot.x0, y), (plot.x1, y), INK, 1.5, 8.0, 5.0);
        s.text(
            plot.x1 + 8.0,
            y + LABEL * 0.35,
            label.clone(),
            LABEL,
            INK,
            Anchor::Start,
        );
    }
    let xy = |p: &data::Point| {
        let i = tr.years.iter().position(|y| *y == p.fiscal_year)?;
        Some((plot.cx(i, n), plot.y(p.value?)))
    };
    // The line, broken where a year has no value.
    let mut run: Vec<(f64, f64)> = Vec::new();
    for p in &tr.points {
        match xy(p) {
            Some(pt) => run.push(pt),
            None if !run.is_empty() => s.line(std::mem::take(&mut run), BLUE, 2.5),
            None => {}
        }
    }
    if run.len() > 1 {
        s.line(run, BLUE, 2.5);
    }
    let mut drawn = 0;
    for p in &tr.points {
        let Some((x, y)) = xy(p) else {
            if let Some(i) = tr.years.iter().position(|y| *y == p.fiscal_year) {
                s.text(
                    plot.cx(i, n),
                    plot.y1 - 6.0,
                    "未測定",
                    LABEL,
                    SUB,
                    Anchor::Middle,
                );
            }
            continue;
        };
        drawn += 1;
        s.circle(x, y, 5.0, BLUE, Some((WHITE, 1.5)));
        let value = data::with_unit(p.label.as_deref().unwrap_or(""), &tr.unit);
        let mark = match p.achieved {
            Some(true) => "〇",
            Some(false) => "－",
            None => "",
        };
        // Above the point, else below it, else beside it: never across the
        // target line or out of the plot.
        let block = LABEL * 2.6 + 4.0;
        let target_y = tr.target.map(|t| plot.y(t));
        let clear = |top: f64, bottom: f64| {
            top > plot.y0
                && bottom < plot.y1
                && target_y.is_none_or(|t| t < top - 3.0 || t > bottom + 3.0)
        };
        let stacked = |s: &mut Scene, value_y: f64, mark_y: f64| {
            s.halo_text(x, value_y, &value, LABEL, INK, Anchor::Middle);
            if !mark.is_empty() {
                s.halo_text(x, mark_y, mark, LABEL + 2.0, INK, Anchor::Middle);
            }
        };
        if clear(y - 9.0 - block, y - 7.0) {
            stacked(&mut s, y - 11.0, y - 11.0 - LABEL * 1.4);
        } else if clear(y + 7.0, y + 9.0 + block) {
            stacked(&mut s, y + 9.0 + LABEL, y + 11.0 + LABEL * 2.5);
        } else {
            let label = if mark.is_empty() {
                value
            } else {
                format!("{value}　{mark}")
            };
            s.halo_text(
                x + 10.0,
                y + LABEL * 0.35,
                &label,
                LABEL,
                INK,
                Anchor::Start,
            );
        }
    }
    if drawn == 0 {
        let target_y = tr.target.map(|t| plot.y(t));
        empty_note_clear_of(
            &mut s, plot.x0, plot.y0, plot.x1, plot.y1, NO_RESULTS, target_y,
        );
    }
    Ok(s)
}

fn thousand_yen(yen: u64) -> String {
    format!("{}千円", fmt_num((yen as f64 / 1000.0).round(), 0))
}

/// (b) Budget columns of an initiative, or its strategy's / issue's totals per year.
pub fn budget(item: &Item, f: &Frame) -> Result<Scene> {
    let cols: Vec<Column> = data::budget_columns(item);
    let mut s = Scene::new(f.width, f.height);
    let sub = match item {
        Item::Initiative(_) => "予算額・決算額（千円）".to_string(),
        _ => "具体的取組の予算額・決算額の合計（千円）".to_string(),
    };
    let top = header(&mut s, f, &item.heading(), &[sub]);
    let keys = [
        (
            Key::Swatch {
                fill: BLUE,
                hatch: None,
                stroke: BLUE,
            },
            "決算額",
        ),
        (
            Key::Swatch {
                fill: WHITE,
                hatch: Some(BLUE),
                stroke: BLUE,
            },
            "予算額",
        ),
    ];
    let bottom = legend(&mut s, f, &keys);
    let hi = cols.iter().filter_map(|c| c.amount_yen).max().unwrap_or(0) as f64 / 1000.0;
    let n = cols.len();
    let slot = (f.width - 2.0 * MARGIN - 60.0) / n.max(1) as f64;
    let cats: Vec<Vec<String>> = cols
        .iter()
        .map(|c| {
            let mut lines = year_lines(c.fiscal_year, slot);
            lines.push(c.kind.label().to_string());
            lines
        })
        .collect();
    let plot = frame_plot(
        &mut s,
        MARGIN,
        top,
        f.width - MARGIN,
        bottom,
        axis(0.0, hi * 1.12),
        "（千円）",
        &cats,
    );
    let bar_w = (plot.slot(n) * 0.5).min(90.0);
    for (i, c) in cols.iter().enumerate() {
        let x = plot.cx(i, n);
        let (x0, x1) = (x - bar_w / 2.0, x + bar_w / 2.0);
        let Some(yen) = c.amount_yen else {
            s.text(x, plot.y1 - 8.0, "－", LABEL, INK, Anchor::Middle);
            continue;
        };
        let y = plot.y(yen as f64 / 1000.0);
        match c.kind {
            BudgetKind::Settled => s.rect(x0, y, x1, plot.y1, Some(BLUE), None),
            BudgetKind::Budget => {
                s.rect(x0, y, x1, plot.y1, Some(WHITE), None);
                s.hatch([x0, y, x1, plot.y1], BLUE, 1.2, 7.0);
                s.rect(x0, y, x1, plot.y1, None, Some((BLUE, 1.5)));
            }
        }
        s.halo_text(x, y - 7.0, &thousand_yen(yen), LABEL, INK, Anchor::Middle);
    }
    // No amount at all (none entered, or all 「－」): say so over the empty axis.
    if cols.iter().all(|c| c.amount_yen.is_none()) {
        empty_note(
            &mut s,
            plot.x0,
            plot.y0,
            plot.x1,
            plot.y1,
            "予算額・決算額の登録なし",
        );
    }
    Ok(s)
}

/// One horizontal bar row: the issue's heading above, segments, a label at the right.
struct Row {
    heading: String,
    segments: Vec<(f64, Key, String)>,
    right: String,
}

fn rows_chart(s: &mut Scene, f: &Frame, top: f64, bottom: f64, rows: &[Row], max: f64) {
    let right_w = rows
        .iter()
        .map(|r| text_width(&r.right, LABEL))
        .fold(0.0, f64::max);
    let (x0, x1) = (MARGIN, f.width - MARGIN - right_w - 12.0);
    let headings: Vec<Vec<String>> = rows
        .iter()
        .map(|r| wrap(&r.heading, LABEL, f.width - 2.0 * MARGIN))
        .collect();
    let lines: usize = headings.iter().map(Vec::len).sum();
    let avail = bottom - top - 8.0;
    let mut bar_h = 34.0;
    let mut gap = 22.0;
    let need =
        |bar_h: f64, gap: f64| lines as f64 * LABEL * 1.4 + rows.len() as f64 * (bar_h + 6.0 + gap);
    while need(bar_h, gap) > avail && bar_h > 10.0 {
        bar_h -= 2.0;
        gap = (gap - 2.0).max(6.0);
    }
    let mut y = top + 8.0;
    for (row, heading) in rows.iter().zip(&headings) {
        for line in heading {
            y += LABEL * 1.4;
            s.text(x0, y - LABEL * 0.3, line.clone(), LABEL, INK, Anchor::Start);
        }
        y += 6.0;
        let mut x = x0;
        for (v, key, label) in &row.segments {
            let w = if max > 0.0 { v / max * (x1 - x0) } else { 0.0 };
            if w <= 0.0 {
                continue;
            }
            let (fill, hatch, stroke, ink) = match key {
                Key::Swatch {
                    fill,
                    hatch,
                    stroke,
                } => (
                    *fill,
                    *hatch,
                    *stroke,
                    if *fill == BLUE { WHITE } else { INK },
                ),
                _ => (BLUE, None, BLUE, WHITE),
            };
            s.rect(x, y, x + w, y + bar_h, Some(fill), None);
            if let Some(h) = hatch {
                s.hatch([x, y, x + w, y + bar_h], h, 1.0, 6.0);
            }
            s.rect(x, y, x + w, y + bar_h, None, Some((stroke, 1.0)));
            if !label.is_empty() && text_width(label, LABEL) + 8.0 < w {
                if hatch.is_some() {
                    s.halo_text(
                        x + w / 2.0,
                        y + bar_h / 2.0 + LABEL * 0.35,
                        label,
                        LABEL,
                        ink,
                        Anchor::Middle,
                    );
                } else {
                    s.text(
                        x + w / 2.0,
                        y + bar_h / 2.0 + LABEL * 0.35,
                        label.clone(),
                        LABEL,
                        ink,
                        Anchor::Middle,
                    );
                }
            }
            x += w;
        }
        s.text(
            x + 8.0,
            y + bar_h / 2.0 + LABEL * 0.35,
            row.right.clone(),
            LABEL,
            INK,
            Anchor::Start,
        );
        y += bar_h + gap;
    }
}

fn achieved_key() -> Key {
    Key::Swatch {
        fill: BLUE,
        hatch: None,
        stroke: BLUE,
    }
}
fn not_achieved_key() -> Key {
    Key::Swatch {
        fill: MID,
        hatch: None,
        stroke: SUB,
    }
}
fn unmeasured_key() -> Key {
    Key::Swatch {
        fill: WHITE,
        hatch: Some(MID),
        stroke: SUB,
    }
}

/// (c) Per 経営課題: indicators achieved, not achieved, not yet measured.
pub fn overview(plan: &Plan, f: &Frame) -> Result<Scene> {
    let mut s = Scene::new(f.width, f.height);
    let year = data::year_label(plan.fiscal_year);
    let title = format!("{} {}　指標の達成状況（経営課題別）", plan.ward, year);
    let top = header(
        &mut s,
        f,
        &title,
        &["各指標の最新年度の実績による（アウトカム指標・プロセス指標）".to_string()],
    );
    let keys = [
        (achieved_key(), "達成（〇）"),
        (not_achieved_key(), "未達成（－）"),
        (unmeasured_key(), "未測定・判定なし"),
    ];
    let bottom = legend(&mut s, f, &keys);
    let counts: Vec<_> = plan.issues.iter().map(data::counts).collect();
    let max = counts.iter().map(|c| c.total()).max().unwrap_or(0) as f64;
    let rows: Vec<Row> = plan
        .issues
        .iter()
        .zip(&counts)
        .map(|(issue, c)| Row {
            heading: format!("経営課題{}　{}", issue.number, issue.title),
            segments: vec![
                (c.achieved as f64, achieved_key(), c.achieved.to_string()),
                (
                    c.not_achieved as f64,
                    not_achieved_key(),
                    c.not_achieved.to_string(),
                ),
                (
                    c.unmeasured as f64,
                    unmeasured_key(),
                    c.unmeasured.to_string(),
                ),
            ],
            right: format!(
                "達成{}・未達成{}・未測定{}（計{}）",
                c.achieved,
                c.not_achieved,
                c.unmeasured,
                c.total()
            ),
        })
        .collect();
    if max == 0.0 {
        empty_note(&mut s, MARGIN, top, f.width - MARGIN, bottom, "指標なし");
    } else {
        rows_chart(&mut s, f, top, bottom, &rows, max);
    }
    Ok(s)
}

/// (d) The plan year's budget by 経営課題, with percentages.
pub fn share(plan: &Plan, f: &Frame) -> Result<Scene> {
    let mut s = Scene::new(f.width, f.height);
    let year = data::year_label(plan.fiscal_year);
    let amounts: Vec<u64> = plan
        .issues
        .iter()
        .map(|i| data::plan_year_budget(plan, i))
        .collect();
    let total: u64 = amounts.iter().sum();
    let title = format!("{} {}　予算額の構成（経営課題別）", plan.ward, year);
    let sub = format!(
        "{year}の予算額（具体的取組の合計）　総額 {}",
        thousand_yen(total)
    );
    let top = header(&mut s, f, &title, &[sub]);
    let bottom = f.height - MARGIN;
    let max = amounts.iter().copied().max().unwrap_or(0) as f64;
    let rows: Vec<Row> = plan
        .issues
        .iter()
        .zip(&amounts)
        .map(|(issue, &yen)| Row {
            heading: format!("経営課題{}　{}", issue.number, issue.title),
            segments: vec![(yen as f64, achieved_key(), String::new())],
            right: format!(
                "{}（{:.1}%）",
                thousand_yen(yen),
                yen as f64 * 100.0 / total.max(1) as f64
            ),
        })
        .collect();
    if total == 0 {
        empty_note(
            &mut s,
            MARGIN,
            top,
            f.width - MARGIN,
            bottom,
            "予算額の登録なし",
        );
    } else {
        rows_chart(&mut s, f, top, bottom, &rows, max);
    }
    Ok(s)
}
