//! A block of cells as a spreadsheet puts it on the clipboard (`text/plain`): tab-separated
//! cells, one row per line (ARCHITECTURE.md "All sites grid").
//!
//! - Lines end in LF, CRLF or a lone CR; one line end after the last row (what Excel, Numbers,
//!   LibreOffice and Google Sheets add) does not make an empty last row.
//! - A cell that starts with `"` is quoted: up to the next `"` not doubled; `""` inside is one
//!   `"`, and tabs and line ends inside belong to the cell (a spreadsheet quotes cells holding
//!   them). Text after the closing quote, up to the next tab or line end, is kept as it is. A `"`
//!   anywhere else is an ordinary character (`12" rack` stays as typed).
//! - A UTF-8 byte-order mark at the start is skipped. Rows may have different lengths (a row
//!   with fewer cells pastes fewer cells).

/// The cells of `text`, row by row. Empty text is no rows.
pub fn parse_tsv(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut chars = text.chars().peekable();
    // At the first character of a cell (where a quote opens a quoted cell).
    let mut at_start = true;
    let mut quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cell.push('"');
                } else {
                    quoted = false;
                }
            } else {
                cell.push(c);
            }
            continue;
        }
        match c {
            '"' if at_start => {
                quoted = true;
                at_start = false;
            }
            '\t' => {
                row.push(std::mem::take(&mut cell));
                at_start = true;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
                at_start = true;
            }
            _ => {
                cell.push(c);
                at_start = false;
            }
        }
    }
    // The last line, unless the text ended with its line end (or was empty).
    if !at_start || !row.is_empty() || quoted {
        row.push(cell);
        rows.push(row);
    }
    rows
}

/// Rows of cells as tab-separated text, the way a spreadsheet copies them: a cell holding a
/// tab, a line end or a leading `"` is quoted (inner quotes doubled); CRLF after every row.
/// [`parse_tsv`] reads it back.
pub fn write_tsv<S: AsRef<str>>(rows: &[Vec<S>]) -> String {
    let mut out = String::new();
    for row in rows {
        for (j, c) in row.iter().enumerate() {
            let c = c.as_ref();
            if j > 0 {
                out.push('\t');
            }
            if c.contains(['\t', '\n', '\r']) || c.starts_with('"') {
                out.push('"');
                out.push_str(&c.replace('"', "\"\""));
                out.push('"');
            } else {
                out.push_str(c);
            }
        }
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::parse_tsv;

    fn rows(v: &[&[&str]]) -> Vec<Vec<String>> {
        v.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn tabs_and_line_ends() {
        assert_eq!(parse_tsv(""), Vec::<Vec<String>>::new());
        assert_eq!(parse_tsv("5"), rows(&[&["5"]]));
        assert_eq!(parse_tsv("5\r\n"), rows(&[&["5"]]));
        assert_eq!(
            parse_tsv("1\t2\t3\r\n4\t5\t6\r\n"),
            rows(&[&["1", "2", "3"], &["4", "5", "6"]])
        );
        assert_eq!(parse_tsv("1\t2\n4\t5"), rows(&[&["1", "2"], &["4", "5"]]));
        assert_eq!(parse_tsv("1\r2\r"), rows(&[&["1"], &["2"]]));
        // Empty cells and empty rows inside the block are kept (they paste nothing).
        assert_eq!(
            parse_tsv("1\t\t3\n\n4"),
            rows(&[&["1", "", "3"], &[""], &["4"]])
        );
        assert_eq!(parse_tsv("\t\n"), rows(&[&["", ""]]));
        assert_eq!(parse_tsv("\n"), rows(&[&[""]]));
        assert_eq!(parse_tsv("\u{feff}a\tb"), rows(&[&["a", "b"]]));
    }

    #[test]
    fn quoted_cells() {
        assert_eq!(
            parse_tsv("\"a\tb\"\t\"line 1\nline 2\"\r\nx"),
            rows(&[&["a\tb", "line 1\nline 2"], &["x"]])
        );
        assert_eq!(
            parse_tsv("\"say \"\"hi\"\"\"\t2"),
            rows(&[&["say \"hi\"", "2"]])
        );
        // A quote inside a cell is text; text after a closing quote is kept.
        assert_eq!(
            parse_tsv("12\" rack\t\"a\"b"),
            rows(&[&["12\" rack", "ab"]])
        );
        // An unclosed quote runs to the end, line ends included.
        assert_eq!(parse_tsv("\"open\nend"), rows(&[&["open\nend"]]));
        assert_eq!(parse_tsv("\"\""), rows(&[&[""]]));
    }
}
