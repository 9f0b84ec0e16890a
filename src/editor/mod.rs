//! The scenario editor: scenario settings, sourcing policy, the levers people move most, the
//! markets / supply regions / supplier sites / extra demand tables, Monte Carlo settings, notes.

pub mod fields;
mod levers;
mod plain_inputs;
mod policy;
mod rows;
pub mod suppliers;

use std::sync::Arc;

use leptos::prelude::*;
use rackplan_core::scenario::{
    format_month, parse_month, CapacityPoint, PolicyChoice, RentPoint, SharePoint,
};
use rackplan_core::{Scenario, Uncertain};

use crate::ops::{self, Table};
use crate::state::use_app_state;
use fields::{
    CheckField, Input, Lens, NumberField, SelectField, Slider, TextField, UncertainField,
};
use levers::*;
use plain_inputs::*;
use policy::*;
use rackplan_core::fields::{
    self as registry, plain, Field, EXTRA_DEMAND, MARKET, SITE, SITE_TERMS, SUPPLY_REGION,
};
use rackplan_core::resolve::{MarketInputs, SiteInputs};
use rackplan_core::scenario::{Market, Site};
use rows::*;

/// Which rows of each table are open, by position. On every change of the scenario (row
/// buttons, edits, undo, redo, a replacement) the flags follow their rows by name
/// ([`ops::follow_rows`]), so an open row stays open and the others stay closed whichever row
/// goes where; a new row opens on arrival.
#[derive(Clone, Copy)]
struct OpenRows(RwSignal<Vec<(Table, Vec<bool>)>>);

impl OpenRows {
    fn is_open(self, t: Table, i: usize) -> bool {
        self.0.with(|v| {
            v.iter()
                .find(|(x, _)| *x == t)
                .and_then(|(_, flags)| flags.get(i).copied())
                .unwrap_or(false)
        })
    }

    /// Change table `t`'s flags, padded with closed rows up to `len` first.
    fn edit(self, t: Table, len: usize, f: impl FnOnce(&mut Vec<bool>)) {
        self.0.update(|v| {
            let k = v.iter().position(|(x, _)| *x == t).unwrap_or_else(|| {
                v.push((t, Vec::new()));
                v.len() - 1
            });
            let flags = &mut v[k].1;
            if flags.len() < len {
                flags.resize(len, false);
            }
            f(flags)
        })
    }

    /// The scenario changed from `before` to `after`: every table whose rows changed carries
    /// its flags over to the new rows.
    fn follow(self, before: &Scenario, after: &Scenario) {
        // try_: a no-op if the editor that owns the flags is gone; maybe_: no notification when
        // no table's rows changed (most edits).
        self.0.try_maybe_update(|v| {
            let mut changed = false;
            for (t, flags) in v.iter_mut() {
                let (old, new) = (ops::names(before, *t), ops::names(after, *t));
                if old != new {
                    *flags = ops::follow_rows(&old, flags, &new);
                    changed = true;
                }
            }
            (changed, ())
        });
    }

    fn toggle(self, t: Table, i: usize) {
        self.edit(t, i + 1, |f| f[i] = !f[i]);
    }

    fn open(self, t: Table, i: usize) {
        self.edit(t, i + 1, |f| f[i] = true);
    }
}

/// A request to bring an input into view, by its path (`sites[4].ramp_months`): the list of
/// problems asks, the editor opens the input's row and the groups around it, then focuses it.
/// The app provides it; each request is a new number with the path.
#[derive(Clone, Copy)]
pub struct Reveal(pub RwSignal<(u32, String)>);

impl Reveal {
    pub fn request(self, path: String) {
        self.0.update(|(n, p)| {
            *n += 1;
            *p = path;
        });
    }
}

/// The table row a path belongs to: `sites[4].ramp_months` -> (sites, 4).
fn row_of(path: &str) -> Option<(Table, usize)> {
    let (key, rest) = path.split_once('[')?;
    let table = [
        Table::Markets,
        Table::SupplyRegions,
        Table::Sites,
        Table::ExtraDemand,
    ]
    .into_iter()
    .find(|t| t.key() == key)?;
    let i = rest.split_once(']')?.0.parse().ok()?;
    Some((table, i))
}

/// Focus the input at `path` (or, if it is not drawn, the nearest drawn input above it in the
/// path), opening the `<details>` groups around it first: a closed group hides its inputs.
fn focus_input(path: &str) {
    use wasm_bindgen::JsCast;
    let doc = document();
    let el = doc.get_element_by_id(&fields::field_id(path)).or_else(|| {
        let mut p = path.to_string();
        loop {
            if let Some(e) = doc
                .query_selector(&format!(
                    "[data-path=\"{p}\"] input, [data-path=\"{p}\"] select"
                ))
                .ok()
                .flatten()
            {
                return Some(e);
            }
            let cut = p.rfind(['.', '['])?;
            p.truncate(cut);
        }
    });
    let Some(el) = el.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) else {
        return;
    };
    let mut up = el.parent_element();
    while let Some(e) = up {
        if let Some(d) = e.dyn_ref::<web_sys::HtmlDetailsElement>() {
            d.set_open(true);
        }
        up = e.parent_element();
    }
    let _ = el.focus();
}

const SHARE: Slider = Slider {
    min: 0.0,
    max: 1.0,
    step: 0.01,
    bounds: (0.0, 1.0),
};
/// The valid range of a quantity that is zero or more (MODEL.md §6).
const NON_NEGATIVE: (f64, f64) = (0.0, f64::INFINITY);

/// The stages (crate::stages::Staged) that draw the editor's parts after its levers: the
/// supplier levers, policy, markets, sites, then the rest.
pub const EDITOR_STAGES: [u8; 5] = [3, 4, 5, 6, 7];

#[component]
pub fn Editor() -> impl IntoView {
    let rows = OpenRows(RwSignal::new(Vec::new()));
    use_app_state().on_change(move |before, after| rows.follow(before, after));
    provide_context(rows);
    if let Some(Reveal(asked)) = use_context::<Reveal>() {
        Effect::new(move |_| {
            let (n, path) = asked.get();
            if n == 0 {
                return;
            }
            if let Some((t, i)) = row_of(&path) {
                rows.open(t, i);
            }
            // Once the opened row is drawn.
            set_timeout(move || focus_input(&path), std::time::Duration::ZERO);
        });
    }
    // The groups are drawn one per task (crate::stages::Staged), the levers and policy first.
    let drawn = crate::stages::drawn_from_context();
    view! {
        <div class="editor">
            <Levers />
            <Show when=drawn(EDITOR_STAGES[0])><suppliers::SupplierLevers /></Show>
            <Show when=drawn(EDITOR_STAGES[1])><details class="group" open>
                <summary><h2>"Horizon and sourcing policy"</h2></summary>
                <Horizon />
                <Policy />
            </details></Show>
            <Show when=drawn(EDITOR_STAGES[2])><details class="group">
                <summary><h2>"Demand regions (markets)"</h2></summary>
                <TableSection table=Table::Markets add_label="Add market" body=market_body />
            </details></Show>
            <Show when=drawn(EDITOR_STAGES[3])><details class="group">
                <summary><h2>"Supplier sites"</h2></summary>
                <p class="hint"><a href="#all-sites" data-testid="to-grid">"All sites in one grid"</a>" (beside the results): edit every site's capacity, share, qualification, ramp, yield and price at once, or paste them from a spreadsheet."</p>
                <TableSection table=Table::Sites add_label="Add site" body=site_body />
            </details></Show>
            <Show when=drawn(EDITOR_STAGES[4])><details class="group">
                <summary><h2>"Supply regions"</h2></summary>
                <TableSection table=Table::SupplyRegions add_label="Add supply region" body=region_body />
            </details>
            <details class="group">
                <summary><h2>"Extra demand"</h2></summary>
                <TableSection table=Table::ExtraDemand add_label="Add extra demand series" body=extra_body />
            </details>
            <details class="group">
                <summary><h2>"Rented capacity"</h2></summary>
                <Renting />
            </details>
            <details class="group">
                <summary><h2>"Fleet and Monte Carlo"</h2></summary>
                {registry::FLEET.iter().map(|f| view! { <UncertainField input=Input::of(f, 0) /> }).collect_view()}
                {plain_fields(&plain::MONTE_CARLO, 0)}
            </details>
            <Notes />
            </Show>
        </div>
    }
}

#[component]
fn Notes() -> impl IntoView {
    let state = use_app_state();
    let notes = Memo::new(move |_| state.scenario.with(|s| s.notes.clone()));
    view! {
        <details class="group" open>
            <summary><h2>"Notes"</h2></summary>
            <label for="f-notes" class="sr-only">"Notes"</label>
            <textarea id="f-notes" rows="5" data-testid="notes" prop:value=move || notes.get()
                on:input=move |ev| {
                    let t = event_target_value(&ev);
                    state.edit("Notes", move |s| s.notes = t);
                }
                on:change=move |_| state.seal()></textarea>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn paths_name_their_rows() {
        assert!(matches!(
            row_of("sites[4].ramp_months"),
            Some((Table::Sites, 4))
        ));
        assert!(matches!(
            row_of("supply_regions[0].name"),
            Some((Table::SupplyRegions, 0))
        ));
        assert!(row_of("sourcing.policy.shares[2]").is_none());
        assert!(row_of("name").is_none());
    }

    #[wasm_bindgen_test]
    fn a_typed_series_names_its_first_bad_value() {
        let values = |t| series_values(t).collect::<Vec<_>>();
        assert_eq!(
            values("100 200\t300;400\n 500"),
            ["100", "200", "300", "400", "500"]
        );
        assert_eq!(series_problem("100  1000\t2.5e3"), None);
        // Commas could group thousands or separate values: refused, with what to type.
        assert!(series_problem("100,200,300")
            .unwrap()
            .contains("without commas"));
        assert!(series_problem("1,500 2,000").is_some());
        assert_eq!(series_problem(""), None);
        assert_eq!(
            series_problem("100 abc 200").as_deref(),
            Some("value 2 (\"abc\") is not a number: separate the values by spaces. ")
        );
        assert!(series_problem("100 NaN").is_some());
    }
}
