//! The 区政会議資料: an A4 landscape PDF, a cover then one chart per page.
//! Scenes are painted with krilla, so every Japanese text is real, searchable
//! text in the embedded (subset) IPAexGothic.

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Transform};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::Document;

use super::data;
use super::layout::{self, Frame};
use super::scene::{palette, text_width, wrap, Anchor, Rgb, Scene, Shape, FONT_BYTES};
use crate::error::{Error, Result};
use crate::model::Plan;

/// A4 landscape in points.
const PAGE_W: f32 = 841.89;
const PAGE_H: f32 = 595.28;
const MARGIN: f32 = 40.0;
/// Logical chart pixels per point on the page.
const CHART_SCALE: f32 = 0.75;

fn paint_of(c: Rgb) -> krilla::paint::Paint {
    rgb::Color::new(c.0, c.1, c.2).into()
}

fn fill(c: Rgb) -> Fill {
    Fill {
        paint: paint_of(c),
        ..Fill::default()
    }
}

fn stroke(c: Rgb, width: f64) -> Stroke {
    Stroke {
        paint: paint_of(c),
        width: width as f32,
        ..Stroke::default()
    }
}

struct Pen<'a, 'b> {
    surface: &'a mut Surface<'b>,
    font: Font,
}

impl Pen<'_, '_> {
    fn text(&mut self, x: f64, y: f64, text: &str, size: f64, color: Rgb, anchor: Anchor) {
        let w = text_width(text, size);
        let x = match anchor {
            Anchor::Start => x,
            Anchor::Middle => x - w / 2.0,
            Anchor::End => x - w,
        };
        self.surface.set_stroke(None);
        self.surface.set_fill(Some(fill(color)));
        self.surface.draw_text(
            Point::from_xy(x as f32, y as f32),
            self.font.clone(),
            size as f32,
            text,
            false,
            TextDirection::Auto,
        );
    }

    fn path(&mut self, pb: PathBuilder, f: Option<Rgb>, s: Option<(Rgb, f64)>) {
        if let Some(path) = pb.finish() {
            self.surface.set_fill(f.map(fill));
            self.surface.set_stroke(s.map(|(c, w)| stroke(c, w)));
            self.surface.draw_path(&path);
        }
    }

    fn scene(&mut self, scene: &Scene, x: f32, y: f32, k: f32) {
        self.surface
            .push_transform(&Transform::from_row(k, 0.0, 0.0, k, x, y));
        for shape in &scene.shapes {
            match shape {
                Shape::Rect {
                    x0,
                    y0,
                    x1,
                    y1,
                    fill,
                    stroke,
                } => {
                    if let Some(r) = Rect::from_ltrb(*x0 as f32, *y0 as f32, *x1 as f32, *y1 as f32)
                    {
                        let mut pb = PathBuilder::new();
                        pb.push_rect(r);
                        self.path(pb, *fill, *stroke);
                    }
                }
                Shape::Line {
                    points,
                    color,
                    width,
                } => {
                    let mut pb = PathBuilder::new();
                    for (i, (x, y)) in points.iter().enumerate() {
                        if i == 0 {
                            pb.move_to(*x as f32, *y as f32);
                        } else {
                            pb.line_to(*x as f32, *y as f32);
                        }
                    }
                    self.path(pb, None, Some((*color, *width)));
                }
                Shape::Circle {
                    x,
                    y,
                    r,
                    fill,
                    stroke,
                } => {
                    let (x, y, r) = (*x as f32, *y as f32, *r as f32);
                    let c = r * 0.552_284_8;
                    let mut pb = PathBuilder::new();
                    pb.move_to(x + r, y);
                    pb.cubic_to(x + r, y + c, x + c, y + r, x, y + r);
                    pb.cubic_to(x - c, y + r, x - r, y + c, x - r, y);
                    pb.cubic_to(x - r, y - c, x - c, y - r, x, y - r);
                    pb.cubic_to(x + c, y - r, x + r, y - c, x + r, y);
                    pb.close();
                    self.path(pb, Some(*fill), *stroke);
                }
                Shape::Text {
                    x,
                    y,
                    text,
                    size,
                    color,
                    anchor,
                } => self.text(*x, *y, text, *size, *color, *anchor),
            }
        }
        self.surface.pop();
    }

    /// Wrapped lines from `y` (the first baseline); returns the next baseline.
    fn para(&mut self, y: f64, text: &str, size: f64, color: Rgb) -> f64 {
        let mut y = y;
        for line in wrap(text, size, f64::from(PAGE_W - 2.0 * MARGIN)) {
            self.text(f64::from(MARGIN), y, &line, size, color, Anchor::Start);
            y += size * 1.5;
        }
        y
    }
}

/// What a page after the cover charts.
enum Chart {
    Overview,
    Share,
    Indicator { number: String, index: usize },
}

/// One page after the cover: a heading block (text, size, colour) and a chart.
struct ChartPage {
    lines: Vec<(String, f64, Rgb)>,
    chart: Chart,
}

/// The 区政会議資料 of a plan: an A4 landscape PDF with a cover (ward, 和暦
/// plan year, `date_label` as given, e.g. 「令和6年10月1日」), the overview and
/// budget share, then one page per indicator (its text, target, 出典 and the
/// legend 「〇：目標達成　－：目標未達成」).
pub fn council_pack_pdf(plan: &Plan, date_label: &str) -> Result<Vec<u8>> {
    let font = Font::new(krilla::Data::from(FONT_BYTES), 0)
        .ok_or_else(|| Error::Refused("フォントを読み込めませんでした".to_string()))?;
    let year = data::year_label(plan.fiscal_year);
    let pack_title = format!("{} {} 区政会議資料", plan.ward, year);
    let pages = chart_pages(plan);
    let total = pages.len() + 1;

    let mut doc = Document::new();
    doc.set_metadata(
        Metadata::new()
            .title(pack_title.clone())
            .language("ja".to_string())
            .creator("Hoshin".to_string()),
    );
    let settings = || PageSettings::from_wh(PAGE_W, PAGE_H).expect("A4 is a valid size");

    // Cover.
    {
        let mut page = doc.start_page_with(settings());
        let mut surface = page.surface();
        let mut pen = Pen {
            surface: &mut surface,
            font: font.clone(),
        };
        let cx = f64::from(PAGE_W) / 2.0;
        pen.text(
            cx,
            215.0,
            "区政会議資料",
            40.0,
            palette::INK,
            Anchor::Middle,
        );
        let mut pb = PathBuilder::new();
        pb.push_rect(Rect::from_xywh(PAGE_W / 2.0 - 160.0, 240.0, 320.0, 3.0).expect("a rect"));
        pen.path(pb, Some(palette::BLUE), None);
        pen.text(
            cx,
            295.0,
            &format!("{}　{}", plan.ward, year),
            22.0,
            palette::INK,
            Anchor::Middle,
        );
        pen.text(
            cx,
            330.0,
            "区運営方針　指標・予算の状況",
            16.0,
            palette::SUB,
            Anchor::Middle,
        );
        pen.text(cx, 390.0, date_label, 16.0, palette::INK, Anchor::Middle);
        surface.finish();
        page.finish();
    }

    for (n, p) in pages.iter().enumerate() {
        let mut page = doc.start_page_with(settings());
        let mut surface = page.surface();
        let mut pen = Pen {
            surface: &mut surface,
            font: font.clone(),
        };
        let mut y = f64::from(MARGIN) + 12.0;
        for (text, size, color) in &p.lines {
            y = pen.para(y, text, *size, *color);
            y += 2.0;
        }
        let top = y as f32;
        let bottom = PAGE_H - MARGIN - 14.0;
        // The scene's own margin overlaps the page margin, so edges align.
        let inner = layout::MARGIN as f32 * CHART_SCALE;
        let frame = Frame {
            width: f64::from((PAGE_W - 2.0 * MARGIN + 2.0 * inner) / CHART_SCALE),
            height: f64::from((bottom - top + inner) / CHART_SCALE),
            header: false,
        };
        let scene = match &p.chart {
            Chart::Overview => layout::overview(plan, &frame)?,
            Chart::Share => layout::share(plan, &frame)?,
            Chart::Indicator { number, index } => {
                layout::indicator(plan, &data::find_item(plan, number)?, *index, &frame)?
            }
        };
        pen.scene(&scene, MARGIN - inner, top - inner, CHART_SCALE);
        let foot = f64::from(PAGE_H - MARGIN + 8.0);
        pen.text(
            f64::from(MARGIN),
            foot,
            &pack_title,
            9.0,
            palette::SUB,
            Anchor::Start,
        );
        pen.text(
            f64::from(PAGE_W - MARGIN),
            foot,
            &format!("{} / {}", n + 2, total),
            9.0,
            palette::SUB,
            Anchor::End,
        );
        surface.finish();
        page.finish();
    }
    doc.finish()
        .map_err(|e| Error::Refused(format!("PDF を作成できませんでした: {e}")))
}

fn chart_pages(plan: &Plan) -> Vec<ChartPage> {
    let year = data::year_label(plan.fiscal_year);
    let mut pages = Vec::new();
    pages.push(ChartPage {
        lines: vec![
            (
                format!("{} {}　指標の達成状況（経営課題別）", plan.ward, year),
                16.0,
                palette::INK,
            ),
            (
                "各指標の最新年度の実績による（アウトカム指標・プロセス指標）".to_string(),
                11.0,
                palette::SUB,
            ),
        ],
        chart: Chart::Overview,
    });
    pages.push(ChartPage {
        lines: vec![
            (
                format!("{} {}　予算額の構成（経営課題別）", plan.ward, year),
                16.0,
                palette::INK,
            ),
            (
                format!("{year}の予算額（具体的取組の合計）"),
                11.0,
                palette::SUB,
            ),
        ],
        chart: Chart::Share,
    });
    let mut numbers: Vec<String> = Vec::new();
    for issue in &plan.issues {
        numbers.push(issue.number.to_string());
        for (pos, s) in issue.strategies.iter().enumerate() {
            numbers.push(data::strategy_number(issue, pos, s));
            numbers.extend(s.initiatives.iter().map(|i| i.number.clone()));
        }
    }
    for number in numbers {
        let Ok(item) = data::find_item(plan, &number) else {
            continue;
        };
        let (list, kind) = item.indicators();
        for (index, ind) in list.iter().enumerate() {
            let heading = item.heading();
            pages.push(ChartPage {
                lines: vec![
                    (format!("{heading}（{kind}）"), 11.0, palette::SUB),
                    (ind.text.clone(), 16.0, palette::INK),
                    (
                        format!("目標：{}", data::target_text(ind)),
                        12.0,
                        palette::INK,
                    ),
                    (format!("出典：{}", data::sources(ind)), 11.0, palette::SUB),
                ],
                chart: Chart::Indicator {
                    number: number.clone(),
                    index,
                },
            });
        }
    }
    pages
}
