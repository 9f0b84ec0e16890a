//! Loading a scenario: from a file's bytes or text of any released schema version, or from a
//! link's JSON value, to a valid [`Scenario`] with its warnings, or a [`LoadError`] that says
//! what is wrong and where (line and column, or every problem the validator found). Reading,
//! UTF-8 decoding, unknown fields, the upgrade of older versions ([`crate::migrate`]) and
//! validation ([`crate::validate`]) meet here, so none of those modules needs another.
//!
//! Entry points: [`load_json`] (a file or the autosave, any version), [`Scenario::load_json_bytes`]
//! (raw bytes), [`load_value`] (a link's value); [`Scenario::load_json`] reads the current
//! version only (what the others end in).

use crate::issue::{Issue, Severity};
use crate::migrate;
use crate::scenario::{Scenario, CURRENT_SCHEMA_VERSION, MAX_FILE_BYTES};
use crate::validate::validate;
use serde_json::Value;
use std::fmt;

/// Why a scenario file could not be loaded.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadError {
    /// Not valid JSON for a scenario; line and column are 1-based.
    Parse {
        line: usize,
        column: usize,
        message: String,
    },
    /// Parsed, but the validator found errors (warnings are included too).
    Invalid(Vec<Issue>),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Parse {
                line,
                column,
                message,
            } => {
                write!(f, "line {line}, column {column}: {message}")
            }
            LoadError::Invalid(issues) => {
                for (i, issue) in issues.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{issue}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for LoadError {}

/// A loaded, valid scenario with the warnings found while loading.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub scenario: Scenario,
    /// Warnings only (unknown fields, ignored values...).
    pub warnings: Vec<Issue>,
}

impl Scenario {
    /// Parse and validate a scenario; errors carry line/column or every validation issue.
    pub fn from_json_str(text: &str) -> Result<Scenario, LoadError> {
        Self::load_json(text).map(|l| l.scenario)
    }

    /// Like [`Scenario::from_json_str`], also returning warnings (unknown fields are reported
    /// as `path: unknown field, ignored`).
    pub fn load_json(text: &str) -> Result<Loaded, LoadError> {
        let parse_err = |e: serde_json::Error| LoadError::Parse {
            line: e.line(),
            column: e.column(),
            message: strip_position(&e.to_string()),
        };
        if text.len() > MAX_FILE_BYTES {
            return Err(file_too_large(text.len()));
        }
        let value: serde_json::Value = serde_json::from_str(text).map_err(parse_err)?;
        if !value.is_object() {
            // serde would read a struct from an array too; a scenario is always an object.
            let (line, column) = first_char_position(text);
            return Err(LoadError::Parse {
                line,
                column,
                message: format!(
                    "a scenario must be a JSON object {{...}}, got {}",
                    json_kind(&value)
                ),
            });
        }
        // Parse from the text (not the Value) so type errors keep their line and column; they
        // are said in words, with the field's path (json_words.rs).
        let scenario = Scenario::parse_json(text).map_err(|e| {
            if e.classify() != serde_json::error::Category::Data {
                return parse_err(e);
            }
            let offset = crate::json_words::offset_of(text, e.line(), e.column());
            let path = crate::json_words::path_at(text, offset);
            LoadError::Parse {
                line: e.line(),
                column: e.column(),
                message: crate::json_words::in_words(&path, &strip_position(&e.to_string())),
            }
        })?;
        let mut issues = Vec::new();
        unknown_fields(
            &value,
            &scenario.to_json_value(),
            &mut String::new(),
            &mut issues,
        );
        issues.extend(validate(&scenario));
        if issues.iter().any(|i| i.severity == Severity::Error) {
            return Err(LoadError::Invalid(issues));
        }
        Ok(Loaded {
            scenario,
            warnings: issues,
        })
    }

    /// A scenario file's raw bytes, of any released schema version ([`load_json`]):
    /// text that is not UTF-8 is refused with the line and column of the first bad byte (a file
    /// picked by mistake, or saved in a legacy encoding).
    pub fn load_json_bytes(bytes: &[u8]) -> Result<Loaded, LoadError> {
        if bytes.len() > MAX_FILE_BYTES {
            return Err(file_too_large(bytes.len()));
        }
        let text = decode_utf8(bytes)?;
        // Files of every released schema version open (upgraded on the way).
        load_json(text)
    }
}

/// Load a scenario file of any released schema version: parse (errors with line and column),
/// upgrade, validate. The current version goes straight to [`Scenario::load_json`], so its type
/// errors keep their line and column in the file; an older file is upgraded first (then
/// positions refer to the upgraded text) and a warning says so.
pub fn load_json(text: &str) -> Result<Loaded, LoadError> {
    if text.len() > MAX_FILE_BYTES {
        return Err(file_too_large(text.len()));
    }
    let value: Value = serde_json::from_str(text).map_err(|e| LoadError::Parse {
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })?;
    let version = match &value {
        Value::Object(o) => migrate::schema_version_of(o),
        _ => Err(migrate::MigrateError::NotAnObject),
    }
    .map_err(|e| match e {
        migrate::MigrateError::NotAnObject => LoadError::Parse {
            line: 1,
            column: 1,
            message: e.to_string(),
        },
        other => LoadError::Invalid(vec![migrate::version_issue(other)]),
    })?;
    if matches!(&value, Value::Object(o) if migrate::holds_no_scenario(o)) {
        return Err(LoadError::Invalid(vec![Issue::error(
            "",
            format!("This file {}.", migrate::NO_SCENARIO),
        )]));
    }
    if version == CURRENT_SCHEMA_VERSION {
        return Scenario::load_json(text);
    }
    // A type error in an older file is reported at its line and column in that file: every
    // field of schema 1 reads unchanged in schemas 2 and 3 (each only adds fields), so reading the
    // file as it is finds the same type errors as reading it upgraded. A later step that changes
    // a field's type must restrict this to the versions it does not touch.
    if let Err(e) = Scenario::parse_json(text) {
        return Err(LoadError::Parse {
            line: e.line(),
            column: e.column(),
            message: strip_position(&e.to_string()),
        });
    }
    load_value(value)
}

/// Upgrade, then parse and validate a scenario value (the path links take).
pub fn load_value(mut value: Value) -> Result<Loaded, LoadError> {
    let from = migrate::upgrade(&mut value).map_err(|e| {
        LoadError::Invalid(vec![match e {
            migrate::MigrateError::NotAnObject => Issue::error("", e.to_string()),
            other => migrate::version_issue(other),
        }])
    })?;
    let text = crate::scenario::pretty_json(&value.to_string());
    let mut loaded = Scenario::load_json(&text)?;
    if from != CURRENT_SCHEMA_VERSION {
        loaded.warnings.insert(
            0,
            Issue::warning(
                "schema_version",
                format!("upgraded from schema {from} to {CURRENT_SCHEMA_VERSION}"),
            ),
        );
    }
    Ok(loaded)
}

fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Report keys present in `input` but absent from the re-serialised scenario.
fn unknown_fields(
    input: &serde_json::Value,
    known: &serde_json::Value,
    path: &mut String,
    out: &mut Vec<Issue>,
) {
    use serde_json::Value;
    match (input, known) {
        (Value::Object(a), Value::Object(b)) => {
            // Free-form maps: any key is allowed.
            if path.ends_with("sources") {
                return;
            }
            for (k, v) in a {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                match b.get(k) {
                    Some(kv) => unknown_fields(v, kv, path, out),
                    None => out.push(Issue::warning(path.clone(), "unknown field, ignored")),
                }
                path.truncate(len);
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                unknown_fields(x, y, path, out);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// A file's bytes as UTF-8 text; otherwise the line and column of the first bad byte.
pub fn decode_utf8(bytes: &[u8]) -> Result<&str, LoadError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = 1 + good.iter().filter(|&&b| b == b'\n').count();
        let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        let column = 1 + String::from_utf8_lossy(&good[line_start..]).chars().count();
        LoadError::Parse {
            line,
            column,
            message: "not UTF-8 text: a scenario file is JSON saved as UTF-8".into(),
        }
    })
}

pub(crate) fn file_too_large(bytes: usize) -> LoadError {
    LoadError::Parse {
        line: 1,
        column: 1,
        message: format!(
            "this file is {:.1} MB; a scenario file is at most {} MB",
            bytes as f64 / 1e6,
            MAX_FILE_BYTES / (1024 * 1024)
        ),
    }
}

/// 1-based line and column of the first non-blank character of `text`.
fn first_char_position(text: &str) -> (usize, usize) {
    let mut line = 1;
    let mut column = 1;
    for c in text.chars() {
        match c {
            '\n' => {
                line += 1;
                column = 1;
            }
            c if c.is_whitespace() => column += 1,
            _ => break,
        }
    }
    (line, column)
}
fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "true or false",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}
