//! The editor's plain inputs (names, months, plain numbers, check boxes, series typed in one
//! box): one field per entry of the registry's plain inputs (`rackplan_core::fields::plain`),
//! whose kind picks the box and the check of what is typed.

use std::sync::Mutex;

use super::*;
use rackplan_core::fields::plain::{Carry, Kind, Plain, Value};

/// The fields of plain inputs `fields` of row `i` (0 for scenario-wide settings), in order.
pub(super) fn plain_fields(fields: &'static [Plain], i: usize) -> impl IntoView {
    fields
        .iter()
        .map(|f| view! { <PlainField f=f i=i /> })
        .collect_view()
}

/// Plain input `f` of row `i` (0 for a scenario-wide setting), in the box its kind asks for.
#[component]
pub(super) fn PlainField(f: &'static Plain, #[prop(optional)] i: usize) -> impl IntoView {
    let path = f.path(i);
    let (label, unit) = (f.label, f.unit);
    let testid = testid(f, i);
    match f.kind {
        Kind::Text { required } | Kind::Month { required } => {
            let month = matches!(f.kind, Kind::Month { .. });
            let lens = lens(
                f,
                i,
                |v| Some(v.text()),
                |t| Value::Text(t.unwrap_or_default()),
            );
            let check = required.then_some(not_empty as fn(&str) -> Option<String>);
            // A month that must be given shows an example; an empty one means what the unit says.
            let placeholder = if month && required { "2025-01" } else { "" };
            view! { <TextField path=path label=label unit=unit lens=lens placeholder=placeholder testid=testid check=check /> }
                .into_any()
        }
        Kind::Region => {
            let state = use_app_state();
            let regions = Signal::derive(move || {
                state.scenario.with(|s| {
                    s.supply_regions
                        .iter()
                        .map(|r| (r.name.clone(), r.name.clone()))
                        .collect::<Vec<_>>()
                })
            });
            let lens = lens(f, i, Value::text, Value::Text);
            view! { <SelectField path=path label=label options=regions lens=lens /> }.into_any()
        }
        Kind::Number { optional, .. } => {
            let lens = lens(f, i, Value::number, Value::Number);
            view! { <NumberField path=path label=label unit=unit optional=optional lens=lens testid=testid /> }
                .into_any()
        }
        Kind::Whole { .. } => {
            let lens = lens(f, i, Value::number, Value::Number);
            view! { <NumberField path=path label=label unit=unit whole=true lens=lens testid=testid /> }
                .into_any()
        }
        Kind::Check => {
            let lens = lens(f, i, Value::check, Value::Check);
            view! { <CheckField path=path label=label lens=lens /> }.into_any()
        }
        Kind::Series { .. } => {
            let lens = lens(
                f,
                i,
                |v| {
                    let values: Vec<String> = v
                        .series()
                        .into_iter()
                        .map(crate::format::input_number)
                        .collect();
                    Some(values.join(" "))
                },
                |t| {
                    Value::Series(
                        series_values(&t.unwrap_or_default())
                            .filter_map(crate::format::parse_number)
                            .collect(),
                    )
                },
            );
            let check = Some(series_problem as fn(&str) -> Option<String>);
            view! { <TextField path=path label=label unit=unit lens=lens testid=testid check=check /> }
                .into_any()
        }
    }
}

/// Input `f` of row `i` as a lens on what its box shows (`read`) and takes (`write`). The setter
/// keeps what the input's edits carry from one to the next (a region's rename, its sites).
fn lens<T: 'static>(
    f: &'static Plain,
    i: usize,
    read: fn(Value) -> T,
    write: fn(T) -> Value,
) -> Lens<T> {
    let carry = Mutex::new(Carry::default());
    (
        Arc::new(move |s: &Scenario| (f.get)(s, i).map(read)),
        Arc::new(move |s: &mut Scenario, v: T| {
            let mut carry = carry.lock().unwrap_or_else(|e| e.into_inner());
            (f.set)(s, i, write(v), &mut carry)
        }),
    )
}

/// The test id of an input's box, for the inputs the browser tests reach by one.
fn testid(f: &Plain, i: usize) -> Option<String> {
    match (f.table, f.key) {
        (Table::Scenario, "horizon_months") => Some("horizon".into()),
        (Table::Sites, "name") => Some(format!("site-{i}-name")),
        _ => None,
    }
}

/// A box that cannot be left empty (names, the start month): what it says instead of applying
/// an empty text, which would otherwise be ignored without a word.
pub(super) fn not_empty(text: &str) -> Option<String> {
    text.trim()
        .is_empty()
        .then(|| "cannot be empty: the last value stays in use until you type another".into())
}

/// The values of a series typed in one box: separated by spaces, tabs, new lines or semicolons
/// (a row pasted from a spreadsheet). Commas are refused ([`series_problem`]): they could group
/// thousands or separate values.
pub(super) fn series_values(text: &str) -> impl Iterator<Item = &str> {
    text.split([' ', ';', '\t', '\n']).filter(|t| !t.is_empty())
}

/// The first value of a typed series that is not a number, as a message.
pub(super) fn series_problem(text: &str) -> Option<String> {
    if text.contains(',') {
        return Some(
            "separate the values by spaces, without commas (\"1500 2000\", not \"1,500,2,000\")"
                .into(),
        );
    }
    series_values(text)
        .enumerate()
        .find(|(_, t)| crate::format::parse_number(t).is_none())
        .map(|(k, t)| {
            format!(
                "value {} (\"{t}\") is not a number: separate the values by spaces. ",
                k + 1
            )
        })
}
