//! Charts for the 区政会議 (issue 5), drawn with plotters in Japanese from the
//! bundled IPAexGothic, so they look the same on a machine without Japanese fonts.
//!
//! Four kinds ([`ChartKind`]): an indicator's yearly results against its target,
//! an item's budget, the plan's achievement overview and its budget share.
//! Each is laid out once as a [`Scene`] in logical pixels and painted to
//! SVG ([`render_svg`]), PNG ([`render_png`]) or, in the council pack, PDF
//! ([`council_pack_pdf`]).
//!
//! Sizes: a chart is [`WIDTH`] × [`HEIGHT`] logical pixels (1 px = 1/96 inch),
//! 800 × 560, about A5 landscape (212 × 148 mm). A PNG at `dpi` is that size
//! scaled by `dpi / 96`: 800 × 560 at 96 dpi, 2500 × 1750 at 300 dpi.

mod data;
mod layout;
mod pdf;
mod scene;

use plotters::prelude::*;

use crate::error::{Error, Result};
use crate::model::Plan;

pub use layout::{MARK_LEGEND, NO_RESULTS};
pub use pdf::council_pack_pdf;
pub use scene::{
    palette, register_fonts, text_width, wrap, Anchor, Rgb, Scene, Shape, FONT_FAMILY,
};

/// Width of a chart in logical pixels (1/96 inch).
pub const WIDTH: f64 = 800.0;
/// Height of a chart in logical pixels (1/96 inch).
pub const HEIGHT: f64 = 560.0;

/// The four chart kinds of issue 5.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, ts_rs::TS,
)]
#[ts(export)]
#[serde(rename_all = "lowercase")]
pub enum ChartKind {
    /// An indicator's yearly results, the target as a dashed line, 〇/－ per year.
    Indicator,
    /// A 具体的取組's 決算額/予算額 columns, or a 戦略's / 経営課題's totals per year.
    Budget,
    /// Per 経営課題: indicators achieved, not achieved, not yet measured.
    Overview,
    /// The plan year's budget by 経営課題 with percentages.
    Share,
}

impl ChartKind {
    pub const ALL: [ChartKind; 4] = [
        ChartKind::Indicator,
        ChartKind::Budget,
        ChartKind::Overview,
        ChartKind::Share,
    ];

    /// "indicator", "budget", "overview", "share" (the CLI's `--kind`).
    pub fn code(self) -> &'static str {
        match self {
            ChartKind::Indicator => "indicator",
            ChartKind::Budget => "budget",
            ChartKind::Overview => "overview",
            ChartKind::Share => "share",
        }
    }

    pub fn from_code(code: &str) -> Option<ChartKind> {
        ChartKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// 指標の推移 / 予算 / 達成状況 / 予算構成
    pub fn label(self) -> &'static str {
        match self {
            ChartKind::Indicator => "指標の推移",
            ChartKind::Budget => "予算",
            ChartKind::Overview => "達成状況",
            ChartKind::Share => "予算構成",
        }
    }
}

/// Which chart to draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartRequest {
    pub kind: ChartKind,
    /// A 経営課題, 戦略 or 具体的取組 number: "2", "2-1", "2-1-1" (full-width
    /// digits are accepted). Used by `Indicator` and `Budget`; ignored by the
    /// plan-wide `Overview` and `Share`.
    pub item: String,
    /// Which indicator of the item, 0-based (the first is 0). `Indicator` only:
    /// a 経営課題's or 戦略's アウトカム指標, a 具体的取組's プロセス指標.
    pub index: usize,
}

impl ChartRequest {
    pub fn indicator(item: &str, index: usize) -> ChartRequest {
        ChartRequest {
            kind: ChartKind::Indicator,
            item: item.to_string(),
            index,
        }
    }
    pub fn budget(item: &str) -> ChartRequest {
        ChartRequest {
            kind: ChartKind::Budget,
            item: item.to_string(),
            index: 0,
        }
    }
    pub fn overview() -> ChartRequest {
        ChartRequest {
            kind: ChartKind::Overview,
            item: String::new(),
            index: 0,
        }
    }
    pub fn share() -> ChartRequest {
        ChartRequest {
            kind: ChartKind::Share,
            item: String::new(),
            index: 0,
        }
    }
}

fn scene_sized(plan: &Plan, req: &ChartRequest, frame: &layout::Frame) -> Result<Scene> {
    match req.kind {
        ChartKind::Indicator => {
            layout::indicator(plan, &data::find_item(plan, &req.item)?, req.index, frame)
        }
        ChartKind::Budget => layout::budget(&data::find_item(plan, &req.item)?, frame),
        ChartKind::Overview => layout::overview(plan, frame),
        ChartKind::Share => layout::share(plan, frame),
    }
}

/// Lays a chart out without drawing it: its shapes and texts in logical pixels.
/// Errors: 「番号 9-9 の項目が見つかりません」, 「戦略5-1には指標がありません」, ….
pub fn scene(plan: &Plan, req: &ChartRequest) -> Result<Scene> {
    let frame = layout::Frame {
        width: WIDTH,
        height: HEIGHT,
        header: true,
    };
    scene_sized(plan, req, &frame)
}

fn draw_error(e: impl std::fmt::Display) -> Error {
    Error::Refused(format!("グラフを描けませんでした: {e}"))
}

/// The chart as an SVG document, 800 × 560 user units; text is real text in
/// font-family 「IPAexGothic, sans-serif」.
pub fn render_svg(plan: &Plan, req: &ChartRequest) -> Result<String> {
    svg_of(&scene(plan, req)?)
}

/// Paints a scene as SVG.
pub fn svg_of(scene: &Scene) -> Result<String> {
    let mut out = String::new();
    {
        let size = (scene.width.round() as u32, scene.height.round() as u32);
        let area = SVGBackend::with_string(&mut out, size).into_drawing_area();
        scene::paint(&area, scene, 1.0, scene::Flavour::Svg).map_err(draw_error)?;
        area.present().map_err(draw_error)?;
    }
    Ok(tidy_font_sizes(&out))
}

/// plotters writes sizes such as font-size="13.000000000000002"; round them to 0.01.
fn tidy_font_sizes(svg: &str) -> String {
    const KEY: &str = "font-size=\"";
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(i) = rest.find(KEY) {
        let (head, tail) = rest.split_at(i + KEY.len());
        out.push_str(head);
        let end = tail.find('"').unwrap_or(0);
        match tail[..end].parse::<f64>() {
            Ok(v) => out.push_str(&data::fmt_num(v, 2)),
            Err(_) => out.push_str(&tail[..end]),
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// The chart as a PNG at `dpi` (72–1200): 800 × 560 px at 96 dpi, 2500 × 1750
/// at 300 dpi. The resolution is recorded in the PNG (pHYs).
pub fn render_png(plan: &Plan, req: &ChartRequest, dpi: u32) -> Result<Vec<u8>> {
    png_of(&scene(plan, req)?, dpi)
}

/// Paints a scene as PNG at `dpi`.
pub fn png_of(scene: &Scene, dpi: u32) -> Result<Vec<u8>> {
    if !(72..=1200).contains(&dpi) {
        return Err(Error::Refused(format!(
            "解像度 {dpi} dpi は使えません（72〜1200 dpi で指定してください）"
        )));
    }
    let k = f64::from(dpi) / 96.0;
    let (w, h) = (
        (scene.width * k).round() as u32,
        (scene.height * k).round() as u32,
    );
    let mut rgb = vec![255u8; (w * h * 3) as usize];
    {
        let area = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        scene::paint(&area, scene, k, scene::Flavour::Bitmap).map_err(draw_error)?;
        area.present().map_err(draw_error)?;
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        // fdeflate's fastest mode with the Sub filter, instead of trying every
        // filter on every row (Compression::Fast): a 300 dpi chart encodes in a
        // third of the instructions, same pixels, the file ≈ 25 % larger.
        enc.set_compression(png::Compression::Fastest);
        enc.set_filter(png::Filter::Sub);
        let ppm = (f64::from(dpi) / 0.0254).round() as u32;
        enc.set_pixel_dims(Some(png::PixelDimensions {
            xppu: ppm,
            yppu: ppm,
            unit: png::Unit::Meter,
        }));
        let mut writer = enc.write_header().map_err(draw_error)?;
        writer.write_image_data(&rgb).map_err(draw_error)?;
        writer.finish().map_err(draw_error)?;
    }
    Ok(out)
}
