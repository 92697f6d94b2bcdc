//! The reader every layout description is interpreted by: a workbook's
//! visible sheets and cell access with Japanese error places.

use std::io::Cursor;

use calamine::{Data, Reader, SheetVisible, Xlsx};

use crate::error::{Error, Result};

/// An opened workbook: its visible sheets only.
pub struct Book {
    pub sheets: Vec<Grid>,
}

/// One sheet's cells, with the sheet name for error places.
pub struct Grid {
    pub name: String,
    range: calamine::Range<Data>,
}

impl Book {
    pub fn open(bytes: &[u8]) -> Result<Book> {
        // An empty Refused message means "not a workbook"; the caller names the file.
        let not_xlsx = |_| Error::Refused(String::new());
        let mut xlsx: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(not_xlsx)?;
        let visible: Vec<String> = xlsx
            .sheets_metadata()
            .iter()
            .filter(|s| s.visible == SheetVisible::Visible)
            .map(|s| s.name.clone())
            .collect();
        let mut sheets = Vec::new();
        for name in visible {
            let range = xlsx.worksheet_range(&name).map_err(not_xlsx)?;
            sheets.push(Grid { name, range });
        }
        Ok(Book { sheets })
    }

    pub fn sheet(&self, name: &str) -> Option<&Grid> {
        self.sheets.iter().find(|s| s.name == name)
    }
}

/// 「D12」
pub fn cell_name(row: u32, col: u16) -> String {
    let mut letters = String::new();
    let mut n = col as u32 + 1;
    while n > 0 {
        letters.insert(0, char::from(b'A' + ((n - 1) % 26) as u8));
        n = (n - 1) / 26;
    }
    format!("{letters}{}", row + 1)
}

impl Grid {
    pub fn value(&self, row: u32, col: u16) -> &Data {
        self.range
            .get_value((row, col as u32))
            .unwrap_or(&Data::Empty)
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
        self.range.end().map(|(_, c)| c as u16 + 1).unwrap_or(0)
    }

    pub fn height(&self) -> u32 {
        self.range.end().map(|(r, _)| r + 1).unwrap_or(0)
    }

    /// 「シート「経営課題5」のセル D12」
    pub fn place(&self, row: u32, col: u16) -> String {
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

pub fn format_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}
