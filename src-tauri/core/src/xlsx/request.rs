//! The request workbook (照会) a section fills in, and reading its reply
//! (回答). What is compared and merged is `crate::reply`; this is the file.
//!
//! ```text
//! 回答票        cover: what to fill in and how, the section's 取組 with a
//!               comment cell each (ids in hidden column E)
//! 経営課題5 …   the 事業計画書 page with only the section's 取組
//!               (`jigyo::write_with`): protected, no password; the asked
//!               cells unlocked, shaded, with data validation and an input
//!               message
//! 照会情報      very hidden, protected: the marker — format, plan (ward,
//!               year), section, asks, when it was made, a checksum, and
//!               the part of the plan it printed as JSON (the value of
//!               every cell when the request was made)
//! ```
//!
//! A reply is read from its visible cells only, through the 事業計画書's own
//! reader (`jigyo::read_lenient`: an asked cell that cannot be read is set
//! aside, not fatal), plus the marker and the cover's comments.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use sha2::{Digest, Sha256};

use super::grid::{full_width_number, Out, Span, Styles};
use super::jigyo::{self, Options};
use super::page::Field;
use super::read::{Book, Grid};
use super::xlsx_error;
use crate::error::{Error, Result};
use crate::model::{Initiative, Plan};
use crate::normalize::{clean_name, clean_text};
use crate::reply::{self, Ask, Reply, Request, Slot, Unread};
use crate::rollover::{budget_columns, first_activity_year, first_indicator_year};
use crate::wareki::{long_label, Digits};

/// The cover sheet's name.
pub const COVER: &str = "回答票";
/// The marker sheet's name.
pub const MARKER: &str = "照会情報";
const FORMAT_NAME: &str = "hoshin-request";
const FORMAT_VERSION: &str = "1";
/// Characters of JSON per marker cell (a cell holds 32,767 UTF-16 units).
const CHUNK: usize = 16_000;

/// The page cells an ask opens for input.
fn fields(ask: Ask) -> &'static [Field] {
    match ask {
        Ask::ActivityResults => &[Field::ActivityResult(1)],
        Ask::ProcessValues => &[Field::ProcessValue(2)],
        Ask::ProcessMarks => &[Field::ProcessMark(2)],
        Ask::SettledBudget => &[Field::Budget(0)],
        Ask::Budgets => &[Field::Budget(1), Field::Budget(2)],
        Ask::Summary => &[Field::InitiativeSummary],
        Ask::Comment => &[],
    }
}

fn asked(asks: &[Ask], field: Field) -> bool {
    asks.iter().any(|a| fields(*a).contains(&field))
}

/// The slot a page cell of `field` fills for a plan of `year` (`row`: the
/// id of its 主な取組 or プロセス指標).
fn slot(field: Field, year: i32, row: Option<String>) -> Option<Slot> {
    Some(match field {
        Field::ActivityResult(k) => Slot::ActivityResult {
            activity: row?,
            fiscal_year: first_activity_year(year) + k as i32,
        },
        Field::ProcessValue(k) | Field::ProcessMark(k) => Slot::Process {
            indicator: row?,
            fiscal_year: first_indicator_year(year) + k as i32,
            value: matches!(field, Field::ProcessValue(_)),
        },
        Field::Budget(k) => {
            let (fiscal_year, kind) = *budget_columns(year).get(k)?;
            Slot::Budget {
                fiscal_year,
                settled: kind == crate::model::BudgetKind::Settled,
            }
        }
        Field::InitiativeSummary => Slot::Summary,
        _ => return None,
    })
}

/// The request workbook for `section`'s 取組 of `plan`, asking for `asks`;
/// `made_at` is the time shown and remembered (「2025年6月2日 10:15」).
pub fn write_request(plan: &Plan, section: &str, asks: &[Ask], made_at: &str) -> Result<Vec<u8>> {
    let section =
        clean_name(section).ok_or_else(|| Error::Refused("担当課を指定してください。".into()))?;
    let keep = |it: &Initiative| reply::belongs(it, &section);
    let original = jigyo::subset(plan, &keep);
    if original.issues.is_empty() {
        let known: Vec<String> = reply::sections(plan).into_iter().map(|(s, _)| s).collect();
        return Err(Error::Refused(format!(
            "{} {} の計画に、担当課「{section}」の具体的取組はありません（{}）。",
            plan.ward,
            long_label(plan.fiscal_year, Digits::Half),
            if known.is_empty() {
                "担当課が設定された取組がありません。取組の詳細で担当課を入力してください"
                    .to_string()
            } else {
                format!("この計画の担当課: {}", known.join("、"))
            }
        )));
    }
    if !asks.iter().any(|a| *a != Ask::Comment) {
        return Err(Error::Refused(
            "記入してもらう項目を1つ以上選んでください。".into(),
        ));
    }
    jigyo::check_fits(plan)?;
    let request = Request {
        ward: plan.ward.clone(),
        fiscal_year: plan.fiscal_year,
        section: section.clone(),
        asks: asks.to_vec(),
        made_at: made_at.to_string(),
        original,
    };
    let mut book = Workbook::new();
    cover(book.add_worksheet(), &request).map_err(xlsx_error)?;
    let inputs = |field: Field| asked(asks, field);
    let options = Options {
        keep: Some(&keep),
        inputs: Some(&inputs),
    };
    jigyo::write_with(&mut book, plan, 0, false, &options).map_err(xlsx_error)?;
    marker(book.add_worksheet(), &request)?;
    book.save_to_buffer().map_err(xlsx_error)
}

/// The cover's columns: 番号, 具体的取組, シート, コメント, then the hidden id.
const COVER_WIDTHS: [f64; 5] = [12.0, 46.0, 12.0, 56.0, 10.0];
const ID_COL: u16 = 4;
const COMMENT_COL: u16 = 3;

fn cover(ws: &mut Worksheet, req: &Request) -> std::result::Result<(), XlsxError> {
    ws.set_name(COVER)?;
    let styles = Styles::new();
    let input = styles
        .text
        .clone()
        .set_unlocked()
        .set_background_color(super::print::INPUT_FILL);
    let plain = Format::new()
        .set_font_name(super::grid::FONT)
        .set_font_size(super::grid::FONT_SIZE)
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    // Half-width digits, as in the asked items below.
    let year = long_label(req.fiscal_year, Digits::Half);
    let asks: Vec<String> = req
        .asks
        .iter()
        .filter(|a| **a != Ask::Comment)
        .map(|a| format!("・{}", a.label(req.fiscal_year)))
        .collect();
    let comment = if req.asks.contains(&Ask::Comment) {
        "\n・企画調整担当へ伝えたいことがあれば、下の表の「コメント」に記入してください。"
    } else {
        ""
    };
    let mut out = Out::new(ws, &COVER_WIDTHS)?;
    out.put(
        Span(0, 3),
        &format!("照会（回答票）　{year}　{}　区運営方針", req.ward),
        &styles.title,
    )?;
    out.next(24.0)?;
    for (label, value) in [
        ("担当課", req.section.clone()),
        ("作成日時", req.made_at.clone()),
        ("記入するもの", asks.join("\n")),
        (
            "記入のしかた",
            format!(
                "・「経営課題」の各シートで、黄色のセルに記入してください。セルを選ぶと記入のしかたが表示されます。\n\
                 ・黄色以外のセルは保護されています（パスワードはありません）。変更しても取り込まれません。{comment}\n\
                 ・記入が済んだらこのファイルを保存して、企画調整担当へ返してください（ファイル名は変えてかまいません）。"
            ),
        ),
    ] {
        out.put(Span(0, 0), label, &styles.label)?;
        out.put(Span(1, 3), &value, &plain)?;
        out.next(18.0)?;
    }
    out.next(9.0)?;
    for (c, header) in [
        "番号",
        "具体的取組",
        "シート",
        "コメント（企画調整担当への連絡事項）",
    ]
    .iter()
    .enumerate()
    {
        out.put(Span(c as u16, c as u16), header, &styles.header)?;
    }
    out.next(18.0)?;
    let header_row = out.row - 1;
    for issue in &req.original.issues {
        for s in &issue.strategies {
            for it in &s.initiatives {
                out.put(Span(0, 0), &full_width_number(&it.number), &plain)?;
                out.put(Span(1, 1), &it.title, &plain)?;
                out.put(Span(2, 2), &format!("経営課題{}", issue.number), &plain)?;
                let format = if req.asks.contains(&Ask::Comment) {
                    &input
                } else {
                    &plain
                };
                out.put(Span(COMMENT_COL, COMMENT_COL), "", format)?;
                out.ws
                    .write_string(out.row, ID_COL, it.id.as_deref().unwrap_or(""))?;
                out.next(30.0)?;
            }
        }
    }
    let ws = out.ws;
    ws.set_column_hidden(ID_COL)?;
    ws.set_repeat_rows(header_row, header_row)?;
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.5, 0.5, 0.6, 0.7, 0.3, 0.3);
    ws.protect_with_options(&rust_xlsxwriter::ProtectionOptions {
        format_rows: true,
        ..Default::default()
    });
    ws.set_active(true);
    Ok(())
}

/// The hidden marker: key/value rows, then the original as JSON in chunks.
fn marker(ws: &mut Worksheet, req: &Request) -> Result<()> {
    let json = serde_json::to_string(&req.original)
        .map_err(|e| Error::Refused(format!("照会情報を作れません: {e}")))?;
    let codes: Vec<&str> = req.asks.iter().map(|a| a.code()).collect();
    let rows = [
        (FORMAT_NAME, FORMAT_VERSION.to_string()),
        ("区名", req.ward.clone()),
        ("年度", req.fiscal_year.to_string()),
        ("担当課", req.section.clone()),
        ("作成日時", req.made_at.clone()),
        ("項目", codes.join(",")),
        ("検査", checksum(&json)),
    ];
    let write = |ws: &mut Worksheet| -> std::result::Result<(), XlsxError> {
        ws.set_name(MARKER)?;
        let mut row = 0;
        for (key, value) in rows {
            ws.write_string(row, 0, key)?;
            ws.write_string(row, 1, value)?;
            row += 1;
        }
        let chars: Vec<char> = json.chars().collect();
        for chunk in chars.chunks(CHUNK) {
            ws.write_string(row, 0, "元の値")?;
            ws.write_string(row, 1, chunk.iter().collect::<String>())?;
            row += 1;
        }
        ws.set_very_hidden(true);
        ws.protect();
        Ok(())
    };
    write(ws).map_err(xlsx_error)
}

/// 16 hex digits of SHA-256: tells a damaged or retyped marker.
fn checksum(json: &str) -> String {
    Sha256::digest(json.as_bytes())
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The request workbook of every section of `plan`: (section, file name,
/// bytes), in plan order.
pub fn write_requests(
    plan: &Plan,
    asks: &[Ask],
    made_at: &str,
) -> Result<Vec<(String, String, Vec<u8>)>> {
    let sections = reply::sections(plan);
    if sections.is_empty() {
        return Err(Error::Refused(
            "担当課が設定された具体的取組がありません。取組の詳細で担当課を入力してから照会を作ってください。".into(),
        ));
    }
    sections
        .into_iter()
        .map(|(section, _)| {
            let bytes = write_request(plan, &section, asks, made_at)?;
            Ok((section.clone(), reply::request_file_name(&section), bytes))
        })
        .collect()
}

/// Reads a reply workbook file (within the input limits).
pub fn read_reply_file(path: &std::path::Path) -> Result<Reply> {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    read_reply(&crate::limits::read_input_file(path)?, &name)
}

/// Reads a reply workbook (`file` names it in messages).
pub fn read_reply(bytes: &[u8], file: &str) -> Result<Reply> {
    let book = Book::open_with_hidden(bytes, &[MARKER]).map_err(|e| match e {
        Error::Refused(m) if m.is_empty() => Error::Refused(format!(
            "「{file}」は Excel ブック（.xlsx）として読めません。Hoshin で作った照会ブックに記入して保存したものを指定してください。"
        )),
        other => other,
    })?;
    let marker = book.hidden(MARKER).or_else(|| book.sheet(MARKER)).ok_or_else(|| {
        Error::Refused(format!(
            "「{file}」は Hoshin の照会ブック（回答）ではありません（「{MARKER}」がありません）。Hoshin の「照会を作る」で作ったブックに記入したものを指定してください。"
        ))
    })?;
    let request = read_marker(marker, file)?;
    let asks = request.asks.clone();
    let (filled, unread) = jigyo::read_lenient(&book, &|field| asked(&asks, field))?;
    if let Some(formula) = book.formula_read() {
        return Err(formula);
    }
    let unread = unread
        .into_iter()
        .filter_map(|u| {
            Some(Unread {
                initiative: u.initiative?,
                slot: slot(u.field, request.fiscal_year, u.row)?,
                message: u.error.to_string(),
            })
        })
        .collect();
    let comments = book.sheet(COVER).map(comments).unwrap_or_default();
    Ok(Reply {
        file: file.to_string(),
        request,
        filled,
        comments,
        unread,
    })
}

fn read_marker(g: &Grid, file: &str) -> Result<Request> {
    let broken = |what: &str| {
        Error::Refused(format!(
            "「{file}」の照会情報が読めません（{what}）。照会ブックが壊れているか、照会情報が書き換えられています。企画調整担当で照会を作り直してください。"
        ))
    };
    let value = |key: &str| -> Option<String> {
        (0..g.height())
            .find(|&r| g.text(r, 0) == key)
            .map(|r| g.text(r, 1))
    };
    if value(FORMAT_NAME).as_deref() != Some(FORMAT_VERSION) {
        return Err(broken("形式が違います"));
    }
    let json: String = (0..g.height())
        .filter(|&r| g.text(r, 0) == "元の値")
        .map(|r| g.text(r, 1))
        .collect();
    if value("検査").as_deref() != Some(checksum(&json).as_str()) {
        return Err(broken("検査値が合いません"));
    }
    let original: Plan = serde_json::from_str(&json).map_err(|_| broken("元の値"))?;
    let asks = value("項目")
        .unwrap_or_default()
        .split(',')
        .filter(|c| !c.trim().is_empty())
        .map(|c| Ask::from_code(c).ok_or_else(|| broken("項目")))
        .collect::<Result<Vec<Ask>>>()?;
    let request = Request {
        ward: value("区名").ok_or_else(|| broken("区名"))?,
        fiscal_year: value("年度")
            .and_then(|y| y.parse().ok())
            .ok_or_else(|| broken("年度"))?,
        section: value("担当課").ok_or_else(|| broken("担当課"))?,
        asks,
        made_at: value("作成日時").unwrap_or_default(),
        original,
    };
    if (request.ward.as_str(), request.fiscal_year)
        != (request.original.ward.as_str(), request.original.fiscal_year)
    {
        return Err(broken("区名・年度"));
    }
    Ok(request)
}

/// (取組 id, comment) from the cover's table.
fn comments(g: &Grid) -> Vec<(String, String)> {
    (0..g.height())
        .filter_map(|r| {
            let id = g.text(r, ID_COL);
            let comment = clean_text(&g.text(r, COMMENT_COL))?;
            crate::identity::is_valid(id.trim()).then(|| (id.trim().to_string(), comment))
        })
        .collect()
}
