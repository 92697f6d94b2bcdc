//! The reader every layout description is interpreted by: a workbook's
//! visible sheets and cell access with Japanese error places.
//!
//! A workbook is untrusted input, so reading is bounded before and while
//! calamine parses it (limits in [`crate::limits`]): the zip is inflated
//! once into a counting sink to check its real size, and cells are streamed
//! into a sparse map instead of a dense `rows × columns` range, so a single
//! cell at XFD1048576 costs one entry, not 512 GB. Formula cells are
//! remembered; a layout that reads one makes the import fail (see
//! [`Book::formula_read`]), because a formula's value is not the planner's
//! number and one without a cached value would otherwise read as empty.

use std::cell::Cell;
use std::collections::HashMap;
use std::io::{Cursor, Read};

use calamine::{Data, Reader, SheetVisible, Xlsx, XlsxError, XlsxFormulaMetadata};

use crate::error::{Error, Result};
use crate::limits::{
    XLSX_MAX_CELLS, XLSX_MAX_COLUMNS, XLSX_MAX_INFLATED_BYTES, XLSX_MAX_ROWS, XLSX_MAX_TEXT_BYTES,
    XLSX_MAX_ZIP_ENTRIES,
};

/// An opened workbook: its visible sheets, and the hidden sheets asked for
/// by name (a request workbook's marker), kept apart so no layout reads them
/// by accident.
pub struct Book {
    pub sheets: Vec<Grid>,
    hidden: Vec<Grid>,
}

/// One sheet's cells, with the sheet name for error places.
pub struct Grid {
    pub name: String,
    /// Cells with a value, by (row, column).
    cells: HashMap<(u32, u16), Data>,
    /// Formula cells and their text (None for a cell of a shared formula).
    formulas: HashMap<(u32, u16), Option<String>>,
    /// One past the last row and column that hold a value.
    rows: u32,
    columns: u16,
    /// The first formula cell a layout read (see [`Book::formula_read`]).
    formula_read: Cell<Option<(u32, u16)>>,
}

/// What the whole workbook may hold, counted while its sheets are read.
#[derive(Default)]
struct Budget {
    cells: usize,
    text_bytes: usize,
}

/// An empty Refused message means "not a workbook"; the caller names the file.
fn not_xlsx() -> Error {
    Error::Refused(String::new())
}

impl Book {
    /// Reads a workbook's visible sheets. A panic inside the parsers (found
    /// by fuzzing: calamine's cell references overflow with overflow checks
    /// on) means a workbook we cannot read, not a crash of Hoshin.
    pub fn open(bytes: &[u8]) -> Result<Book> {
        Book::open_with_hidden(bytes, &[])
    }

    /// [`Book::open`], and the hidden (or very hidden) sheets named `hidden`
    /// where the workbook has them; within the same limits.
    pub fn open_with_hidden(bytes: &[u8], hidden: &[&str]) -> Result<Book> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| Book::parse(bytes, hidden)))
            .unwrap_or_else(|_| Err(not_xlsx()))
    }

    fn parse(bytes: &[u8], hidden: &[&str]) -> Result<Book> {
        check_package(bytes)?;
        let mut xlsx: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| not_xlsx())?;
        let (visible, wanted): (Vec<_>, Vec<_>) = xlsx
            .sheets_metadata()
            .iter()
            .filter(|s| s.visible == SheetVisible::Visible || hidden.contains(&s.name.as_str()))
            .map(|s| (s.name.clone(), s.visible == SheetVisible::Visible))
            .partition(|(_, visible)| *visible);
        let mut budget = Budget::default();
        let mut read = |list: Vec<(String, bool)>| -> Result<Vec<Grid>> {
            list.into_iter()
                .map(|(name, _)| Grid::read(&mut xlsx, name, &mut budget))
                .collect()
        };
        let sheets = read(visible)?;
        let hidden = read(wanted)?;
        Ok(Book { sheets, hidden })
    }

    pub fn sheet(&self, name: &str) -> Option<&Grid> {
        self.sheets.iter().find(|s| s.name == name)
    }

    /// A hidden sheet asked for when the book was opened.
    pub fn hidden(&self, name: &str) -> Option<&Grid> {
        self.hidden.iter().find(|s| s.name == name)
    }

    /// The first formula cell a layout read, as an error naming it. Layouts
    /// read cells as plain values, so the import asks here afterwards and
    /// refuses the workbook instead of taking a formula as the planner's
    /// value (or, with no cached value, as an empty cell).
    pub fn formula_read(&self) -> Option<Error> {
        self.sheets.iter().find_map(|g| {
            let (row, col) = g.formula_read.get()?;
            let formula = g.formulas.get(&(row, col)).cloned().flatten();
            Some(Error::invalid(
                g.place(row, col),
                "数式のセルは取り込めません。数式の結果を値として入力してください（セルをコピーして「値の貼り付け」）",
                Some(&formula.map_or_else(|| "数式".to_string(), |f| format!("={f}"))),
            ))
        })
    }
}

/// Refuses what is not a zip, or what inflates beyond the limits, before
/// calamine reads anything. The real inflated size is counted (the sizes a
/// zip declares may lie).
fn check_package(bytes: &[u8]) -> Result<()> {
    const CFB_MAGIC: [u8; 4] = [0xD0, 0xCF, 0x11, 0xE0];
    if bytes.starts_with(&CFB_MAGIC) {
        return Err(Error::Refused(
            "パスワードで保護されたブックか、古い形式（.xls）のファイルは取り込めません。Excel でパスワードを外し、「Excel ブック（.xlsx）」形式で保存してから取り込んでください。".into(),
        ));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| not_xlsx())?;
    if zip.len() > XLSX_MAX_ZIP_ENTRIES {
        return Err(too_big(format!(
            "部品（zip の項目）が {} 個あります（{XLSX_MAX_ZIP_ENTRIES} 個まで）",
            zip.len()
        )));
    }
    let mut left = XLSX_MAX_INFLATED_BYTES;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(|_| not_xlsx())?;
        let read = std::io::copy(&mut entry.take(left + 1), &mut std::io::sink())
            .map_err(|_| not_xlsx())?;
        if read > left {
            return Err(too_big(format!(
                "展開すると {} MB を超えます",
                XLSX_MAX_INFLATED_BYTES >> 20
            )));
        }
        left -= read;
    }
    Ok(())
}

fn too_big(what: String) -> Error {
    Error::Refused(format!(
        "このブックは大きすぎて取り込めません（{what}）。Hoshin で書き出したブックか確かめてください。"
    ))
}

impl Grid {
    /// Streams one sheet's cells, keeping those with a value or a formula.
    fn read(xlsx: &mut Xlsx<Cursor<&[u8]>>, name: String, budget: &mut Budget) -> Result<Grid> {
        let mut grid = Grid {
            name,
            cells: HashMap::new(),
            formulas: HashMap::new(),
            rows: 0,
            columns: 0,
            formula_read: Cell::new(None),
        };
        let mut reader = match xlsx.worksheet_cells_reader(&grid.name) {
            Ok(reader) => reader,
            // A chart sheet or dialog sheet has no cells.
            Err(XlsxError::NotAWorksheet(_)) => return Ok(grid),
            Err(_) => return Err(not_xlsx()),
        };
        while let Some(cell) = reader
            .next_cell_with_formula_metadata()
            .map_err(|_| not_xlsx())?
        {
            let value: Data = cell.value.into();
            if value == Data::Empty && cell.formula.is_none() {
                continue;
            }
            let (row, col) = cell.pos;
            if row >= XLSX_MAX_ROWS || col >= XLSX_MAX_COLUMNS {
                return Err(Error::invalid(
                    grid.place_of(row, col),
                    format!(
                        "Hoshin が読めるのは {XLSX_MAX_ROWS} 行目・{} 列までです。範囲の外にある値や数式を消してから取り込んでください",
                        column_letters(XLSX_MAX_COLUMNS - 1)
                    ),
                    None,
                ));
            }
            let col = col as u16;
            budget.cells += 1;
            if let Data::String(s) = &value {
                budget.text_bytes += s.len();
            }
            if budget.cells > XLSX_MAX_CELLS || budget.text_bytes > XLSX_MAX_TEXT_BYTES {
                return Err(too_big(format!(
                    "値のあるセルが {XLSX_MAX_CELLS} 個または文字が {} MB を超えます（シート「{}」）",
                    XLSX_MAX_TEXT_BYTES >> 20,
                    grid.name
                )));
            }
            if let Some(formula) = cell.formula {
                grid.formulas.insert(
                    (row, col),
                    match formula {
                        XlsxFormulaMetadata::Normal { formula }
                        | XlsxFormulaMetadata::Shared { formula, .. } => Some(formula),
                        _ => None,
                    },
                );
            }
            grid.rows = grid.rows.max(row + 1);
            grid.columns = grid.columns.max(col + 1);
            if value != Data::Empty {
                grid.cells.insert((row, col), value);
            }
        }
        Ok(grid)
    }

    pub fn value(&self, row: u32, col: u16) -> &Data {
        if self.formula_read.get().is_none() && self.formulas.contains_key(&(row, col)) {
            self.formula_read.set(Some((row, col)));
        }
        self.cells.get(&(row, col)).unwrap_or(&Data::Empty)
    }

    /// Whether the cell holds a formula (without reading it).
    pub fn is_formula(&self, row: u32, col: u16) -> bool {
        self.formulas.contains_key(&(row, col))
    }

    /// The cell as text, as Excel would show a general number.
    pub fn text(&self, row: u32, col: u16) -> String {
        match self.value(row, col) {
            Data::String(s) => s.clone(),
            Data::Float(f) => format_float(*f),
            Data::Int(i) => i.to_string(),
            Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Data::Empty => String::new(),
            other => other.to_string(),
        }
    }

    pub fn width(&self) -> u16 {
        self.columns
    }

    pub fn height(&self) -> u32 {
        self.rows
    }

    /// 「シート「経営課題5」のセル D12」
    pub fn place(&self, row: u32, col: u16) -> String {
        self.place_of(row, col as u32)
    }

    fn place_of(&self, row: u32, col: u32) -> String {
        format!("シート「{}」のセル {}", self.name, cell_name(row, col))
    }

    pub fn error(&self, row: u32, col: u16, message: impl Into<String>) -> Error {
        let input = self.text(row, col);
        Error::invalid(
            self.place(row, col),
            message,
            (!input.is_empty()).then_some(input.as_str()),
        )
    }
}

/// 「D12」
fn cell_name(row: u32, col: u32) -> String {
    format!("{}{}", column_letters(col), row as u64 + 1)
}

/// 0 → A, 25 → Z, 26 → AA.
fn column_letters(col: u32) -> String {
    let mut letters = String::new();
    let mut n = col as u64 + 1;
    while n > 0 {
        letters.insert(0, char::from(b'A' + ((n - 1) % 26) as u8));
        n = (n - 1) / 26;
    }
    letters
}

pub fn format_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}
