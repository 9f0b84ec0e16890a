//! Opening a file: a scenario (`.json`, any released schema version) or a table (`.csv`: demand
//! regions, supply regions or sites, recognised by its columns). Plain functions, no browser.

use rackplan_core::csv_io::{import_table, Table};
use rackplan_core::{load, LoadError, Scenario};

/// What is wrong with a file: a headline and the details (one problem a line, each with its
/// line and column, or row and column).
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub title: String,
    pub lines: Vec<String>,
}

/// Most details shown under one headline.
pub const MAX_LINES: usize = 12;

fn problem(title: String, mut lines: Vec<String>) -> Problem {
    if lines.len() > MAX_LINES {
        let more = lines.len() - MAX_LINES;
        lines.truncate(MAX_LINES);
        lines.push(format!("… and {more} more"));
    }
    Problem { title, lines }
}

/// The scenario a file opens to, with the label of the undo step; `current` is the scenario a
/// table is imported into.
pub fn open_file(
    current: &Scenario,
    name: &str,
    text: &str,
) -> Result<(Scenario, String, Vec<String>), Problem> {
    let lower = name.to_ascii_lowercase();
    let looks_json = text.trim_start().starts_with('{') || text.trim_start().starts_with('[');
    if lower.ends_with(".csv") || (!lower.ends_with(".json") && !looks_json) {
        let Some(table) = Table::detect(text) else {
            let first = text.lines().next().unwrap_or("");
            let mut why = vec!["A CSV file needs a header row with the columns of the demand regions, supply regions or sites table (download one with Tables to see them).".to_string()];
            if first.contains(';') && !first.contains(',') {
                why.push("Its columns look separated by semicolons, as some spreadsheets save CSV: save it with commas instead.".into());
            }
            return Err(problem(
                format!("“{name}” could not be opened. Your work is unchanged."),
                why,
            ));
        };
        return match import_table(current, table, text) {
            Ok(s) => Ok((
                s,
                format!("the {} table from “{name}”", table.label()),
                Vec::new(),
            )),
            Err(issues) => Err(problem(
                format!(
                    "The {} table in “{name}” could not be imported. Your work is unchanged.",
                    table.label()
                ),
                issues.iter().map(|i| i.to_string()).collect(),
            )),
        };
    }
    match load::load_json(text) {
        Ok(loaded) => {
            // What was read but not used (unknown fields, an older schema upgraded): said, not
            // dropped without a word.
            let notes: Vec<String> = loaded
                .warnings
                .iter()
                .map(|w| format!("{}: {}", w.path, w.message))
                .collect();
            Ok((loaded.scenario, format!("the file “{name}”"), notes))
        }
        Err(LoadError::Parse {
            line,
            column,
            message,
        }) => Err(problem(
            format!("“{name}” is not a scenario file. Your work is unchanged."),
            vec![format!("line {line}, column {column}: {message}")],
        )),
        Err(LoadError::Invalid(issues)) => Err(problem(
            format!("The scenario in “{name}” is not valid. Your work is unchanged."),
            issues
                .iter()
                .filter(|i| i.severity == rackplan_core::Severity::Error)
                .map(|i| i.to_string())
                .collect(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn files_open_or_say_where_they_are_wrong() {
        let base = rackplan_core::presets::base_case();
        let (s, _, notes) =
            open_file(&Scenario::default(), "a.json", &base.to_json_pretty()).unwrap();
        assert_eq!(s, base);
        assert!(notes.is_empty());
        // Fields it does not know are said, not dropped without a word.
        let mut v = base.to_json_value();
        v["colour"] = serde_json::json!("red");
        let (_, _, notes) = open_file(&base, "d.json", &v.to_string()).unwrap();
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].starts_with("colour: "), "{notes:?}");
        let e = open_file(&base, "b.json", "{\n  \"name\": 3\n}").unwrap_err();
        assert!(e.lines[0].starts_with("line 2, column"), "{e:?}");
        let e = open_file(&base, "c.csv", "name,risk_weight\nX,abc\n").unwrap_err();
        assert!(
            e.lines[0].starts_with("row 2, column 2 (risk_weight)"),
            "{e:?}"
        );
    }
}
