//! Rendering workbooks the way a planner prints them: LibreOffice converts
//! to PDF (each run with its own profile), poppler reads the pages back.
//! Used by the tests of the printed 事業計画書.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether LibreOffice and poppler are installed; when not, say so once and
/// let the caller skip (scripts/test.sh installs both).
pub fn available() -> bool {
    let have = |cmd: &str, arg: &str| Command::new(cmd).arg(arg).output().is_ok();
    let ok = have("soffice", "--version") && have("pdftotext", "-v") && have("pdftoppm", "-v");
    if !ok {
        println!(
            "note: LibreOffice (soffice) or poppler-utils is not installed; the printed result is not checked. scripts/test.sh installs them."
        );
        return false;
    }
    // Column widths are in units of the workbook font's digit (Calibri in
    // Excel). Without a Calibri-metric font LibreOffice draws every column
    // a third wider than Excel, and the pages would not be the planner's.
    let calibri = Command::new("fc-match")
        .args(["-f", "%{family}", "Calibri"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    assert!(
        calibri.contains("Carlito") || calibri.contains("Calibri"),
        "LibreOffice would draw Calibri as 「{calibri}」: install fonts-crosextra-carlito (scripts/test.sh does)"
    );
    true
}

/// How LibreOffice treats formulas when it opens the file.
#[derive(Clone, Copy, PartialEq)]
pub enum Recalc {
    /// LibreOffice's default for xlsx: show the cached results.
    Cached,
    /// Recalculate everything on load, as Excel does with `fullCalcOnLoad`.
    OnLoad,
}

/// Converts `xlsx` to PDF beside it, with a fresh LibreOffice profile in
/// `work` so concurrent runs never share one.
pub fn to_pdf(xlsx: &Path, work: &Path, recalc: Recalc) -> PathBuf {
    let profile = work.join(format!(
        "lo-profile-{}",
        xlsx.file_stem().unwrap().to_string_lossy()
    ));
    if recalc == Recalc::OnLoad {
        let user = profile.join("user");
        std::fs::create_dir_all(&user).unwrap();
        std::fs::write(
            user.join("registrymodifications.xcu"),
            r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#,
        )
        .unwrap();
    }
    let out = xlsx.parent().unwrap();
    let output = Command::new("soffice")
        .arg("--headless")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--convert-to", "pdf", "--outdir"])
        .arg(out)
        .arg(xlsx)
        .output()
        .expect("soffice runs");
    let pdf = xlsx.with_extension("pdf");
    assert!(
        pdf.exists(),
        "LibreOffice made no PDF of {}: {}",
        xlsx.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    pdf
}

/// A word on a page, in points from the top left.
#[derive(Debug, Clone)]
pub struct Word {
    pub text: String,
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Word {
    /// The font size on paper: poppler's word box is 1.302 em tall for the
    /// fonts LibreOffice embeds here (Noto Sans CJK, DejaVu Sans).
    pub fn size_pt(&self) -> f64 {
        (self.y1 - self.y0) / 1.302
    }
}

#[derive(Debug, Clone)]
pub struct Page {
    pub width: f64,
    pub height: f64,
    pub words: Vec<Word>,
}

impl Page {
    /// All text of the page, in no particular order (for character counts).
    pub fn joined(&self) -> String {
        self.words.iter().map(|w| w.text.as_str()).collect()
    }

    /// The page's lines: words on the same baseline, left to right, joined
    /// without spaces. (Extraction order interleaves side-by-side boxes.)
    pub fn lines(&self) -> Vec<String> {
        let mut words: Vec<&Word> = self.words.iter().collect();
        words.sort_by(|a, b| a.y1.total_cmp(&b.y1));
        let mut lines: Vec<Vec<&Word>> = Vec::new();
        for w in words {
            match lines.last_mut() {
                Some(line) if (line[0].y1 - w.y1).abs() < 1.5 => line.push(w),
                _ => lines.push(vec![w]),
            }
        }
        lines
            .into_iter()
            .map(|mut line| {
                line.sort_by(|a, b| a.x0.total_cmp(&b.x0));
                line.iter().map(|w| w.text.as_str()).collect()
            })
            .collect()
    }

    /// Whether one line of the page reads `marker` (white space ignored).
    pub fn has(&self, marker: &str) -> bool {
        let marker = squeeze(marker);
        self.lines().iter().any(|l| l.contains(&marker))
    }
}

/// `text` without white space, as `Page::joined` compares.
pub fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn attr(tag: &str, name: &str) -> f64 {
    let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
    tag[at..].split('"').next().unwrap().parse().unwrap()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Every page's words (`pdftotext -bbox`).
pub fn pages(pdf: &Path) -> Vec<Page> {
    let output = Command::new("pdftotext")
        .arg("-bbox")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    let xml = String::from_utf8(output.stdout).unwrap();
    let mut pages = Vec::new();
    for line in xml.lines().map(str::trim) {
        if line.starts_with("<page ") {
            pages.push(Page {
                width: attr(line, "width"),
                height: attr(line, "height"),
                words: Vec::new(),
            });
        } else if line.starts_with("<word ") {
            let text = line.split_once('>').unwrap().1.trim_end_matches("</word>");
            pages.last_mut().unwrap().words.push(Word {
                text: unescape(text),
                x0: attr(line, "xMin"),
                y0: attr(line, "yMin"),
                x1: attr(line, "xMax"),
                y1: attr(line, "yMax"),
            });
        }
    }
    pages
}

/// Page `n` (1-based) as an 8-bit grey image at `dpi`: (width, height, pixels).
pub fn grey_page(pdf: &Path, n: usize, dpi: u32) -> (usize, usize, Vec<u8>) {
    let stem = pdf.with_extension(format!("p{n}"));
    let status = Command::new("pdftoppm")
        .args(["-png", "-singlefile", "-r", &dpi.to_string()])
        .args(["-f", &n.to_string(), "-l", &n.to_string()])
        .arg(pdf)
        .arg(&stem)
        .status()
        .expect("pdftoppm runs");
    assert!(status.success());
    let file = std::fs::File::open(format!("{}.png", stem.display())).unwrap();
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    let channels = info.color_type.samples();
    let (w, h) = (info.width as usize, info.height as usize);
    let grey = (0..w * h)
        .map(|i| {
            let (y, x) = (i / w, i % w);
            let at = y * info.line_size + x * channels;
            let rgb = &pixels[at..at + channels.min(3)];
            (rgb.iter().map(|&v| u32::from(v)).sum::<u32>() / rgb.len() as u32) as u8
        })
        .collect();
    (w, h, grey)
}

/// Words that a ruled line crosses: a cell border drawn through the text
/// means the text runs past its cell (clipped at the bottom, or spilling
/// into the next box). Checked on the page image at `dpi`.
pub fn crossed_words(pdf: &Path, n: usize, page: &Page, dpi: u32) -> Vec<String> {
    let (w, h, px) = grey_page(pdf, n, dpi);
    let scale = f64::from(dpi) / 72.0;
    let dark = |x: usize, y: usize| x < w && y < h && px[y * w + x] < 150;
    let mut crossed = Vec::new();
    for word in &page.words {
        let (x0, x1) = ((word.x0 * scale) as usize, (word.x1 * scale) as usize);
        let (y0, y1) = ((word.y0 * scale) as usize, (word.y1 * scale) as usize);
        // A horizontal rule through the word reaches past both its ends.
        let margin = 6;
        let horizontal = (y0 + 2..y1.saturating_sub(1))
            .any(|y| (x0.saturating_sub(margin)..x1 + margin).all(|x| dark(x, y)));
        let vertical = (x0 + 2..x1.saturating_sub(1))
            .any(|x| (y0.saturating_sub(margin)..y1 + margin).all(|y| dark(x, y)));
        if horizontal || vertical {
            crossed.push(word.text.clone());
        }
    }
    crossed
}

/// How often each character occurs.
pub fn char_counts(text: &str) -> std::collections::HashMap<char, usize> {
    let mut counts = std::collections::HashMap::new();
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        *counts.entry(c).or_insert(0) += 1;
    }
    counts
}

/// The characters of `expected` the page lacks (a line hidden by a cell
/// that is too low is missing from the PDF altogether).
pub fn missing_chars(page_text: &str, expected: &str) -> Vec<(char, usize)> {
    let have = char_counts(page_text);
    let mut missing: Vec<(char, usize)> = char_counts(expected)
        .into_iter()
        .filter_map(|(c, n)| {
            let got = have.get(&c).copied().unwrap_or(0);
            (got < n).then(|| (c, n - got))
        })
        .collect();
    missing.sort();
    missing
}
