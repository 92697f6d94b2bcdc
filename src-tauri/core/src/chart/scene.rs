//! A chart as a backend-free list of shapes in logical pixels (1 px = 1/96 in),
//! painted by plotters (PNG, SVG) or krilla (PDF). Text is placed by its
//! baseline and measured with the bundled font, so every output lays out alike.

use std::sync::{Once, OnceLock};

use ab_glyph::{point, Font as _, FontRef, PxScale, ScaleFont as _};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{register_font, FontStyle, RGBColor};

/// IPAexGothic (IPA Font License), bundled so charts look the same on a
/// machine without Japanese fonts.
pub(crate) static FONT_BYTES: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../assets/fonts/ipaexg.ttf"
));

/// The font family written into SVG (a CSS list, so a viewer without
/// IPAexGothic falls back to its own sans-serif). Registered in plotters
/// under this name, as "IPAexGothic" and as "sans-serif".
pub const FONT_FAMILY: &str = "IPAexGothic, sans-serif";

/// Registers the bundled font with plotters, once per process.
pub fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        for name in [FONT_FAMILY, "IPAexGothic", "sans-serif"] {
            // The bytes are compiled in and tested; a failure would surface as
            // a FontUnavailable drawing error, which is reported.
            let _ = register_font(name, FontStyle::Normal, FONT_BYTES);
        }
    });
}

fn font() -> &'static FontRef<'static> {
    static FONT: OnceLock<FontRef<'static>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(FONT_BYTES).expect("the bundled font parses"))
}

/// ab_glyph's pixel scale is the font's height (ascent − descent); this turns an em size into it.
fn height_per_em() -> f64 {
    let f = font();
    f64::from(f.height_unscaled()) / f64::from(f.units_per_em().unwrap_or(1000.0))
}

/// Advance width of `text` at `size` px per em.
pub fn text_width(text: &str, size: f64) -> f64 {
    let f = font();
    let upem = f64::from(f.units_per_em().unwrap_or(1000.0));
    text.chars()
        .map(|c| f64::from(f.h_advance_unscaled(f.glyph_id(c))))
        .sum::<f64>()
        * size
        / upem
}

/// Characters that must not begin a line (禁則).
fn no_line_start(c: char) -> bool {
    "、。，．・：；？！）」』】〕］｝〉》ー々ぁぃぅぇぉっゃゅょァィゥェォッャュョ%％,.)".contains(c)
}

/// Whether a line may break between `prev` and `next` without splitting a
/// word: after punctuation or a space, before an opening bracket, and after a
/// particle that follows a noun (区民の|割合, 対策を|行う) — not inside a
/// hiragana word (わが家 stays whole).
fn phrase_break(before_prev: Option<char>, prev: char, next: char) -> bool {
    let hiragana = |c: char| ('\u{3041}'..='\u{309F}').contains(&c);
    if no_line_start(next) {
        return false;
    }
    "、。，．・：；）」』】〕］｝〉》 　".contains(prev)
        || "（「『【〔［｛〈《".contains(next)
        || ("のをにはがでとへやも".contains(prev) && before_prev.is_some_and(|c| !hiragana(c)))
}

/// Wraps `text` into lines no wider than `max_width` at `size`. Japanese has
/// no spaces: a line breaks between phrases where the second half of the
/// line has such a place, else between any two characters, but never
/// before closing punctuation. Explicit newlines are kept.
pub fn wrap(text: &str, size: f64, max_width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line: Vec<char> = Vec::new();
        for c in para.chars() {
            let mut candidate: String = line.iter().collect();
            candidate.push(c);
            if !line.is_empty() && text_width(&candidate, size) > max_width && !no_line_start(c) {
                let n = line.len();
                let at = |i: usize| if i < n { line[i] } else { c };
                let cut = (n.div_ceil(2).max(1)..=n)
                    .rev()
                    .find(|&i| phrase_break(i.checked_sub(2).map(|j| line[j]), line[i - 1], at(i)))
                    .unwrap_or(n);
                lines.push(line[..cut].iter().collect());
                line.drain(..cut);
            }
            line.push(c);
        }
        lines.push(line.into_iter().collect());
    }
    lines
}

/// Like [`wrap`], but with lines of even length (no lone last character):
/// the narrowest width that still needs no more lines.
pub fn wrap_balanced(text: &str, size: f64, max_width: f64) -> Vec<String> {
    let lines = wrap(text, size, max_width);
    if lines.len() < 2 || text.contains('\n') {
        return lines;
    }
    let (mut lo, mut hi) = (max_width / lines.len() as f64, max_width);
    for _ in 0..12 {
        let mid = (lo + hi) / 2.0;
        if wrap(text, size, mid).len() > lines.len() {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    wrap(text, size, hi)
}

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// The palette, after the Digital Agency design system: one blue, greys.
pub mod palette {
    use super::Rgb;
    pub const BLUE: Rgb = Rgb(0x00, 0x17, 0xC1);
    pub const BLUE_PALE: Rgb = Rgb(0xE8, 0xF1, 0xFE);
    pub const INK: Rgb = Rgb(0x1A, 0x1A, 0x1A);
    pub const SUB: Rgb = Rgb(0x59, 0x59, 0x59);
    pub const AXIS: Rgb = Rgb(0x76, 0x76, 0x76);
    pub const MID: Rgb = Rgb(0x99, 0x99, 0x99);
    pub const GRID: Rgb = Rgb(0xD9, 0xD9, 0xD9);
    pub const WHITE: Rgb = Rgb(0xFF, 0xFF, 0xFF);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Rect {
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        fill: Option<Rgb>,
        stroke: Option<(Rgb, f64)>,
    },
    Line {
        points: Vec<(f64, f64)>,
        color: Rgb,
        width: f64,
    },
    Circle {
        x: f64,
        y: f64,
        r: f64,
        fill: Rgb,
        stroke: Option<(Rgb, f64)>,
    },
    /// `y` is the baseline.
    Text {
        x: f64,
        y: f64,
        text: String,
        size: f64,
        color: Rgb,
        anchor: Anchor,
    },
}

/// A chart: its size in logical pixels and its shapes, painted in order.
#[derive(Debug, Clone, Default)]
pub struct Scene {
    pub width: f64,
    pub height: f64,
    pub shapes: Vec<Shape>,
}

impl Scene {
    pub fn new(width: f64, height: f64) -> Scene {
        Scene {
            width,
            height,
            shapes: Vec::new(),
        }
    }

    pub fn rect(
        &mut self,
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        fill: Option<Rgb>,
        stroke: Option<(Rgb, f64)>,
    ) {
        let (x0, x1) = (x0.min(x1), x0.max(x1));
        let (y0, y1) = (y0.min(y1), y0.max(y1));
        self.shapes.push(Shape::Rect {
            x0,
            y0,
            x1,
            y1,
            fill,
            stroke,
        });
    }

    pub fn line(&mut self, points: Vec<(f64, f64)>, color: Rgb, width: f64) {
        self.shapes.push(Shape::Line {
            points,
            color,
            width,
        });
    }

    /// A dashed straight line, expanded into segments so every backend draws it alike.
    pub fn dashed(
        &mut self,
        from: (f64, f64),
        to: (f64, f64),
        color: Rgb,
        width: f64,
        dash: f64,
        gap: f64,
    ) {
        let (dx, dy) = (to.0 - from.0, to.1 - from.1);
        let len = dx.hypot(dy);
        if len <= 0.0 {
            return;
        }
        let mut t = 0.0;
        while t < len {
            let e = (t + dash).min(len);
            let p = |s: f64| (from.0 + dx * s / len, from.1 + dy * s / len);
            self.line(vec![p(t), p(e)], color, width);
            t += dash + gap;
        }
    }

    /// Diagonal hatching (／) inside a rectangle `[x0, y0, x1, y1]`.
    pub fn hatch(&mut self, [x0, y0, x1, y1]: [f64; 4], color: Rgb, width: f64, spacing: f64) {
        let (x0, x1) = (x0.min(x1), x0.max(x1));
        let (y0, y1) = (y0.min(y1), y0.max(y1));
        let mut c = x0 + y0 + spacing / 2.0;
        while c < x1 + y1 {
            let (xa, xb) = ((c - y1).max(x0), (c - y0).min(x1));
            if xb > xa {
                self.line(vec![(xa, c - xa), (xb, c - xb)], color, width);
            }
            c += spacing;
        }
    }

    pub fn circle(&mut self, x: f64, y: f64, r: f64, fill: Rgb, stroke: Option<(Rgb, f64)>) {
        self.shapes.push(Shape::Circle {
            x,
            y,
            r,
            fill,
            stroke,
        });
    }

    pub fn text(
        &mut self,
        x: f64,
        y: f64,
        text: impl Into<String>,
        size: f64,
        color: Rgb,
        anchor: Anchor,
    ) {
        self.shapes.push(Shape::Text {
            x,
            y,
            text: text.into(),
            size,
            color,
            anchor,
        });
    }

    /// Text on a white box, readable over lines.
    pub fn halo_text(&mut self, x: f64, y: f64, text: &str, size: f64, color: Rgb, anchor: Anchor) {
        let w = text_width(text, size);
        let left = match anchor {
            Anchor::Start => x,
            Anchor::Middle => x - w / 2.0,
            Anchor::End => x - w,
        };
        self.rect(
            left - 2.0,
            y - size * 0.9,
            left + w + 2.0,
            y + size * 0.2,
            Some(palette::WHITE),
            None,
        );
        self.text(x, y, text, size, color, anchor);
    }

    /// Every text of the scene, in drawing order (for tests and search).
    pub fn texts(&self) -> Vec<&str> {
        self.shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }
}

fn color(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

/// Which plotters backend is painted: their text placement differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavour {
    Bitmap,
    Svg,
}

/// Paints a scene onto a plotters area, scaled by `k` (device px per logical px).
pub(crate) fn paint<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    scene: &Scene,
    k: f64,
    flavour: Flavour,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    register_fonts();
    let p = |x: f64, y: f64| ((x * k).round() as i32, (y * k).round() as i32);
    let w = |width: f64| ((width * k).round() as u32).max(1);
    if flavour == Flavour::Svg {
        // A bitmap starts white (see `png_of`); an SVG needs its background.
        area.fill(&WHITE)?;
    }
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
                if let Some(f) = fill {
                    area.draw(&Rectangle::new(
                        [p(*x0, *y0), p(*x1, *y1)],
                        color(*f).filled(),
                    ))?;
                }
                if let Some((c, sw)) = stroke {
                    area.draw(&Rectangle::new(
                        [p(*x0, *y0), p(*x1, *y1)],
                        color(*c).stroke_width(w(*sw)),
                    ))?;
                }
            }
            Shape::Line {
                points,
                color: c,
                width,
            } => {
                let pts: Vec<_> = points.iter().map(|(x, y)| p(*x, *y)).collect();
                area.draw(&PathElement::new(pts, color(*c).stroke_width(w(*width))))?;
            }
            Shape::Circle {
                x,
                y,
                r,
                fill,
                stroke,
            } => {
                let radius = (r * k).round() as i32;
                area.draw(&Circle::new(p(*x, *y), radius, color(*fill).filled()))?;
                if let Some((c, sw)) = stroke {
                    area.draw(&Circle::new(
                        p(*x, *y),
                        radius,
                        color(*c).stroke_width(w(*sw)),
                    ))?;
                }
            }
            Shape::Text {
                x,
                y,
                text,
                size,
                color: c,
                anchor,
            } => {
                let left = match anchor {
                    Anchor::Start => *x,
                    Anchor::Middle => x - text_width(text, *size) / 2.0,
                    Anchor::End => x - text_width(text, *size),
                };
                match flavour {
                    Flavour::Bitmap => {
                        raster_text(area, left * k, y * k, text, size * k, color(*c))?
                    }
                    Flavour::Svg => {
                        // plotters writes font-size = size / 1.24 and dy = 0.76em for a
                        // top anchor; the viewer aligns by text-anchor in its own font.
                        let h = match anchor {
                            Anchor::Start => HPos::Left,
                            Anchor::Middle => HPos::Center,
                            Anchor::End => HPos::Right,
                        };
                        let rgb = color(*c);
                        let style = TextStyle::from((FONT_FAMILY, size * 1.24).into_font())
                            .color(&rgb)
                            .pos(Pos::new(h, VPos::Top));
                        let top = (y - size * 0.76) * k;
                        area.draw(&Text::new(
                            text.clone(),
                            ((x * k).round() as i32, top.round() as i32),
                            style,
                        ))?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// Rasterises text with ab_glyph, glyph by glyph at its exact position.
/// (plotters' own ab_glyph text drops each glyph's left side bearing, which
/// spaces Japanese text unevenly.) `x` is the left end, `y` the baseline, in device px.
fn raster_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    x: f64,
    y: f64,
    text: &str,
    em: f64,
    rgb: RGBColor,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let f = font().as_scaled(PxScale::from((em * height_per_em()) as f32));
    let mut caret = x as f32;
    for ch in text.chars() {
        let id = f.glyph_id(ch);
        let glyph = id.with_scale_and_position(f.scale(), point(caret, y as f32));
        caret += f.h_advance(id);
        let Some(outline) = f.outline_glyph(glyph) else {
            continue;
        };
        let b = outline.px_bounds();
        let mut pixels = Vec::new();
        outline.draw(|gx, gy, cov| {
            if cov > 0.02 {
                pixels.push((b.min.x as i32 + gx as i32, b.min.y as i32 + gy as i32, cov));
            }
        });
        for (px, py, cov) in pixels {
            area.draw_pixel((px, py), &rgb.mix(f64::from(cov.min(1.0))))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_by_width_and_keeps_punctuation() {
        let lines = wrap(
            "区民モニターアンケートで、区政情報の効果的な発信ができていると思う",
            10.0,
            100.0,
        );
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| text_width(l, 10.0) <= 110.0));
        assert!(lines.iter().all(|l| !l.starts_with('、')));
        assert_eq!(
            lines.concat(),
            "区民モニターアンケートで、区政情報の効果的な発信ができていると思う"
        );
        assert_eq!(wrap("短い", 10.0, 100.0), vec!["短い"]);
    }

    #[test]
    fn breaks_between_phrases_not_inside_words() {
        let title = "わが家の防災対策を行っている区民の割合";
        for width in [60.0, 80.0, 100.0, 120.0, 140.0] {
            let lines = wrap(title, 10.0, width);
            assert_eq!(lines.concat(), title);
            for pair in lines.windows(2) {
                assert!(
                    !(pair[0].ends_with("わが") && pair[1].starts_with('家')),
                    "わが家 split at width {width}: {lines:?}"
                );
            }
        }
        assert_eq!(
            wrap(title, 10.0, 100.0),
            ["わが家の防災対策を", "行っている区民の割合"]
        );
    }

    #[test]
    fn measures_full_width_as_one_em() {
        assert!((text_width("区", 20.0) - 20.0).abs() < 0.5);
    }
}
