//! serde's type errors in the planner's words (MODEL.md §6): which field, what it takes, what it
//! got. `invalid type: floating point `1e+308`, expected u32` at `horizon_months` becomes
//! `horizon_months: must be a whole number of months from 1 to 240, got 1e308`.
//!
//! serde_json's errors carry a line and column but no field path, so the path is found by
//! scanning the text up to the error's position (strings, brackets, keys and commas only; the
//! text is already known to be valid JSON).

use crate::validate::{MAX_HORIZON_MONTHS, MAX_SAMPLES};

/// The field path (`sites[2].ramp_months`) at byte `offset` of the JSON `text`: the keys and
/// array indices of the containers open there.
pub fn path_at(text: &str, offset: usize) -> String {
    enum Frame {
        Object(Option<String>),
        Array(usize),
    }
    let bytes = text.as_bytes();
    let end = offset.min(bytes.len());
    let mut stack: Vec<Frame> = Vec::new();
    // In an object: whether the next string is a key (after `{` or `,`).
    let mut expect_key = false;
    let mut i = 0;
    while i < end {
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if expect_key {
                    if let Some(Frame::Object(key)) = stack.last_mut() {
                        let raw = &text[start..i.min(text.len())];
                        *key = Some(
                            serde_json::from_str(&format!("\"{raw}\""))
                                .unwrap_or_else(|_| raw.to_string()),
                        );
                    }
                    expect_key = false;
                }
            }
            b'{' => {
                stack.push(Frame::Object(None));
                expect_key = true;
            }
            b'[' => {
                stack.push(Frame::Array(0));
                expect_key = false;
            }
            b'}' | b']' => {
                stack.pop();
                expect_key = false;
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object(key)) => {
                    *key = None;
                    expect_key = true;
                }
                Some(Frame::Array(n)) => *n += 1,
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object(None) => {}
            Frame::Array(n) => path.push_str(&format!("[{n}]")),
        }
    }
    path
}

/// Byte offset of 1-based `line` and `column` (serde_json's position) in `text`.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    (start + column).min(text.len())
}

/// The field's name without its row numbers: `sites[2].ramp_months` -> `sites.ramp_months`.
fn field_of(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// What a field takes, in words, from serde's `expected ...` and the field's path.
fn takes(path: &str, expected: &str) -> String {
    match field_of(path).as_str() {
        "horizon_months" => {
            return format!("a whole number of months from 1 to {MAX_HORIZON_MONTHS}")
        }
        "schema_version" => return "a whole number, 1 or more".into(),
        "monte_carlo.samples" => return format!("a whole number from 1 to {MAX_SAMPLES}"),
        "monte_carlo.seed" => return format!("a whole number from 0 to {}", u64::MAX),
        "sourcing.policy.order" if path.ends_with(']') => {
            return "a site number (a whole number from 0)".into()
        }
        "sourcing.policy.order" => return "a list of site numbers (whole numbers from 0)".into(),
        _ => {}
    }
    match expected {
        "u8" | "u16" | "u32" | "u64" => {
            let max = match expected {
                "u8" => u8::MAX as u64,
                "u16" => u16::MAX as u64,
                "u32" => u32::MAX as u64,
                _ => u64::MAX,
            };
            format!("a whole number from 0 to {max}")
        }
        "usize" => "a whole number from 0".into(),
        "i8" | "i16" | "i32" | "i64" => "a whole number".into(),
        "f32" | "f64" => "a number".into(),
        "a string" | "a borrowed string" => "text in quotes".into(),
        "a boolean" => "true or false".into(),
        "a sequence" => "a list [ ... ]".into(),
        "a map" => "an object { ... }".into(),
        e if e.starts_with("struct ") => "an object { ... }".into(),
        e if e.starts_with("a ") || e.starts_with("an ") || e.starts_with("one of") => e.into(),
        e => e.to_string(),
    }
}

/// What was found, from serde's `invalid type: <found>`: `floating point `1e+308`` -> `1e308`.
fn found(what: &str) -> String {
    fn inner(w: &str) -> Option<String> {
        w.split_once('`')
            .and_then(|(_, rest)| rest.rsplit_once('`'))
            .map(|(v, _)| v.to_string())
    }
    if let Some(v) = what.strip_prefix("floating point ").and_then(inner) {
        return v.replace("e+", "e");
    }
    if let Some(v) = what.strip_prefix("integer ").and_then(inner) {
        return v;
    }
    if let Some(v) = what.strip_prefix("boolean ").and_then(inner) {
        return v;
    }
    if let Some(v) = what.strip_prefix("string ") {
        return format!("the text {v}");
    }
    match what {
        "sequence" => "a list".into(),
        "map" => "an object".into(),
        "unit value" | "null" => "null".into(),
        other => other.into(),
    }
}

/// serde_json's message (position already stripped) for a value at `path`, in words:
/// `invalid type|value: <found>, expected <what>` -> `<path>: must be <words>, got <found>`;
/// any other message gets the path in front.
pub fn in_words(path: &str, message: &str) -> String {
    let rest = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "));
    let words = match rest.and_then(|r| r.split_once(", expected ")) {
        Some((got, expected)) => format!("must be {}, got {}", takes(path, expected), found(got)),
        None => message.to_string(),
    };
    if path.is_empty() {
        words
    } else {
        format!("{path}: {words}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_found_at_positions() {
        let text = r#"{"a": 1, "sites": [{"x": [1, 2]}, {"name": "b\"]", "ramp_months": "x"}]}"#;
        let at = |needle: &str| path_at(text, text.find(needle).unwrap() + needle.len());
        assert_eq!(at(r#""a": 1"#), "a");
        assert_eq!(at("[1, 2"), "sites[0].x[1]");
        assert_eq!(at(r#""ramp_months": "x""#), "sites[1].ramp_months");
        assert_eq!(path_at(text, 0), "");
    }

    #[test]
    fn messages_in_words() {
        assert_eq!(
            in_words(
                "horizon_months",
                "invalid type: floating point `1e+308`, expected u32"
            ),
            "horizon_months: must be a whole number of months from 1 to 240, got 1e308"
        );
        assert_eq!(
            in_words(
                "schema_version",
                "invalid value: integer `-1`, expected u32"
            ),
            "schema_version: must be a whole number, 1 or more, got -1"
        );
        assert_eq!(
            in_words(
                "sites[0].name",
                "invalid type: integer `5`, expected a string"
            ),
            "sites[0].name: must be text in quotes, got 5"
        );
        assert_eq!(
            in_words("markets", "invalid type: map, expected a sequence"),
            "markets: must be a list [ ... ], got an object"
        );
        assert_eq!(
            in_words("sourcing.policy", "missing field `kind`"),
            "sourcing.policy: missing field `kind`"
        );
    }
}
