//! Supplier-wide levers (MODEL.md §2.6): one block per supplier of the sites, each with a slider
//! and a number box for other customers' share (points), capacity (%) and qualification slip
//! (months), moving every site of that supplier at once. A lever row is added to the scenario on
//! the first change; rows naming a supplier no site has any more are listed after, with a button
//! to remove them.

use leptos::prelude::*;
use rackplan_core::levers::{self, SupplierLever, FIELDS};
use rackplan_core::validate::Range;
use rackplan_core::Scenario;
use serde_json::Value;

use super::fields::{FieldParts, NumText, SliderSteps};
use crate::format::{input_number, parse_number};
use crate::state::use_app_state;

/// A supplier's name as it appears in element ids and test ids: `Foxconn` -> `Foxconn`,
/// `Hon Hai (TW)` -> `Hon-Hai--TW`.
pub fn slug(supplier: &str) -> String {
    crate::editor::fields::field_id(supplier)
        .trim_start_matches("f-")
        .to_string()
}

/// Slider ends and step per lever field (the number box takes the whole valid range).
fn slider_of(field: &str) -> (f64, f64, f64) {
    match field {
        "others_share_points" => (-100.0, 100.0, 1.0),
        "capacity_change_percent" => (-100.0, 200.0, 5.0),
        _ => (0.0, 36.0, 1.0),
    }
}

/// How a field is shown: label and unit.
fn words_of(field: &str) -> (&'static str, &'static str) {
    match field {
        "others_share_points" => ("Other customers' share", "points, −100 to +100"),
        "capacity_change_percent" => ("Capacity", "% change, −100 to +1000"),
        _ => ("Qualification slip", "months later, 0 to 240"),
    }
}

/// The row `supplier` has, or the one it gets on its first change (appended at the end): a
/// supplier's paths do not change when its row is added, so a drag that adds it goes on.
fn row_index(s: &Scenario, supplier: &str) -> usize {
    s.lever_of(supplier)
        .map_or(s.supplier_levers.len(), |(k, _)| k)
}

/// Set a lever value of `supplier`, adding its row if there is none.
fn set_lever(s: &mut Scenario, supplier: &str, field: &str, v: f64) {
    let k = match s.lever_of(supplier) {
        Some((k, _)) => k,
        None => {
            s.supplier_levers.push(SupplierLever::neutral(supplier));
            s.supplier_levers.len() - 1
        }
    };
    s.supplier_levers[k].set(field, v);
}

/// The "Suppliers" group of the editor: the supplier-wide levers.
#[component]
pub fn SupplierLevers() -> impl IntoView {
    let state = use_app_state();
    // Suppliers of the sites with their number of sites, then lever rows no site's supplier
    // matches (`None`). Drawn again only when this list changes (not while a lever moves).
    let blocks = Memo::new(move |_| {
        state.scenario.with(|s| {
            let known = s.suppliers();
            let mut out: Vec<(String, Option<usize>)> = known
                .iter()
                .map(|x| {
                    let n = s.sites.iter().filter(|y| y.supplier == *x).count();
                    (x.to_string(), Some(n))
                })
                .collect();
            for l in &s.supplier_levers {
                if !known.contains(&l.supplier.as_str()) {
                    out.push((l.supplier.clone(), None));
                }
            }
            out
        })
    });
    view! {
        <details class="group suppliers" data-testid="supplier-levers">
            <summary><h2>"Suppliers"</h2></summary>
            <p class="hint">"Move every site of a supplier at once: “Nvidia takes more of Foxconn” is one slider. Share points are added to each site's own share (kept within 0–1), capacity scales each site's capacity, a slip delays each site's first unit; in every Monte Carlo sample too (MODEL.md §2.6)."</p>
            {move || {
                blocks
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(pos, (name, sites))| supplier_block(pos, name, sites))
                    .collect_view()
            }}
        </details>
    }
}

/// One supplier's three levers, the `pos`-th block; `sites` = how many sites it has (`None`: no
/// site has it).
fn supplier_block(pos: usize, supplier: String, sites: Option<usize>) -> impl IntoView {
    let state = use_app_state();
    let testid = format!("supplier-lever-{}", slug(&supplier));
    let index = {
        let supplier = supplier.clone();
        Memo::new(move |_| state.scenario.with(|s| row_index(s, &supplier)))
    };
    let active = {
        let supplier = supplier.clone();
        Memo::new(move |_| {
            state
                .scenario
                .with(|s| s.lever_of(&supplier).is_some_and(|(_, l)| !l.is_neutral()))
        })
    };
    let reset = {
        let supplier = supplier.clone();
        move |_| {
            let who = supplier.clone();
            let label = format!("{supplier}: reset levers");
            state.edit(&label, move |s| {
                if let Some((k, _)) = s.lever_of(&who) {
                    if sites.is_some() {
                        s.supplier_levers[k] = SupplierLever::neutral(who.clone());
                    } else {
                        s.supplier_levers.remove(k);
                    }
                }
            });
            state.seal();
        }
    };
    let count = match sites {
        Some(1) => "1 site".to_string(),
        Some(n) => format!("{n} sites"),
        None => "no site has this supplier: the lever changes nothing".to_string(),
    };
    // The sites it moves, by name.
    let names = {
        let supplier = supplier.clone();
        Memo::new(move |_| {
            state.scenario.with(|s| {
                s.sites
                    .iter()
                    .filter(|x| x.supplier == supplier)
                    .map(|x| x.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
        })
    };
    let fields = {
        let supplier = supplier.clone();
        move || {
            let k = index.get();
            FIELDS
                .iter()
                .map(|(field, range, _)| lever_field(pos, supplier.clone(), k, field, *range))
                .collect_view()
        }
    };
    view! {
        // The problem list's link to `supplier_levers[k].supplier` focuses this block's first input.
        <fieldset
            class="supplier-lever"
            class:active=move || active.get()
            data-testid=testid
            data-path=move || format!("supplier_levers[{}]", index.get())
        >
            <legend>
                <span class="supplier-name">{supplier.clone()}</span>
                <span class="unit">{count}</span>
            </legend>
            {move || {
                let n = names.get();
                (!n.is_empty()).then(|| view! { <p class="unit lever-sites">{n}</p> })
            }}
            {fields}
            <button
                type="button"
                class="small"
                disabled=move || sites.is_some() && !active.get()
                on:click=reset
            >
                {if sites.is_some() { "Reset to 0" } else { "Remove lever" }}
            </button>
        </fieldset>
    }
}

/// One lever value of a supplier: a slider and a number box, live while dragging; a drag or a
/// burst of keyboard steps is one undo step (as the other levers' sliders). The field's path is
/// its lever row's (`supplier_levers[k].field`, for the validator's messages; `k` is the row it
/// will get while it has none); while it has none, its element ids go by the block's position
/// `pos` (several suppliers may then wait for the same row).
fn lever_field(
    pos: usize,
    supplier: String,
    k: usize,
    field: &'static str,
    range: Range,
) -> impl IntoView {
    let state = use_app_state();
    let path = format!("supplier_levers[{k}].{field}");
    let mut parts = FieldParts::new(path);
    // A row that exists has its path's id (the problem list focuses it by that id).
    let has_row = state
        .scenario
        .with_untracked(|s| s.lever_of(&supplier).map(|(i, _)| i) == Some(k));
    if !has_row {
        parts.id = format!("f-supplier-lever-{pos}-{field}");
        parts.msg_id = format!("{}-msg", parts.id);
    }
    let (id, msg_id) = (parts.id.clone(), parts.msg_id.clone());
    let (bad, parse_error) = (parts.bad, parts.parse_error);
    let (label, unit) = words_of(field);
    let (min, max, step) = slider_of(field);
    let undo_label = format!(
        "{supplier}: {}",
        levers::field_label(field).unwrap_or(field)
    );
    let value = {
        let supplier = supplier.clone();
        Memo::new(move |_| {
            state.scenario.with(|s| {
                s.lever_of(&supplier)
                    .and_then(|(_, l)| l.get(field))
                    .unwrap_or(0.0)
            })
        })
    };
    let write = {
        let supplier = supplier.clone();
        move |v: f64| {
            let who = supplier.clone();
            state.edit(&undo_label, move |s| set_lever(s, &who, field, v));
        }
    };
    let steps = SliderSteps::new(state);
    let slider = {
        let write = write.clone();
        let tid = format!("lever-{}-{field}-slider", slug(&supplier));
        view! {
            <input
                type="range"
                class="slider"
                min=min
                max=max
                step=step
                aria-labelledby=format!("{id}-label")
                aria-describedby=msg_id.clone()
                aria-valuetext=move || format!("{} {unit}", input_number(value.get()))
                data-testid=tid
                prop:value=move || value.get().to_string()
                on:input=move |ev| {
                    if let Some(v) = parse_number(&event_target_value(&ev)) {
                        // The slider's own range is inside the valid one; keep it there.
                        write(v.clamp(range.min, range.max));
                    }
                }
                on:keydown=move |_| steps.key()
                on:pointerdown=move |_| steps.end_keys()
                on:change=move |_| steps.change()
                on:blur=move |_| steps.end_keys()
            />
        }
    };
    let number = view! {
        <NumText
            id=id.clone()
            value=Signal::derive(move || Some(value.get()))
            on_value=Callback::new(move |v: Option<f64>| {
                if let Some(v) = v {
                    write(v);
                }
            })
            parse_error=parse_error
            invalid=bad
            described_by=msg_id.clone()
            testid=Some(format!("lever-{}-{field}", slug(&supplier)))
        />
    };
    parts.frame(
        label,
        unit,
        (),
        view! { {slider} <span class="param lever-num">{number}</span> },
    )
}

/// What the supplier's lever does to site `i`, in words ("Foxconn lever: other customers' share
/// +20 points, capacity −10 %, first unit 3 months later"), or `None` when it has no lever or a
/// neutral one: shown beside the site's own inputs, which the lever moves without changing them.
pub fn lever_words(s: &Scenario, i: usize) -> Option<String> {
    let site = s.sites.get(i)?;
    let (_, l) = s.lever_of(&site.supplier)?;
    if l.is_neutral() {
        return None;
    }
    let signed = |v: f64| {
        let t = input_number(v.abs());
        if v < 0.0 {
            format!("−{t}")
        } else {
            format!("+{t}")
        }
    };
    let mut parts = Vec::new();
    if l.others_share_points != 0.0 {
        parts.push(format!(
            "other customers' share {} points",
            signed(l.others_share_points)
        ));
    }
    if l.capacity_change_percent != 0.0 {
        parts.push(format!("capacity {} %", signed(l.capacity_change_percent)));
    }
    if l.qualification_slip_months != 0.0 {
        parts.push(format!(
            "first unit {} months later",
            input_number(l.qualification_slip_months)
        ));
    }
    Some(format!(
        "{} lever (Suppliers group): {}",
        site.supplier,
        parts.join(", ")
    ))
}

/// [`lever_words`] of site `i` as a line under its inputs (reactive; nothing without a lever).
pub fn site_lever_note(i: usize) -> impl IntoView {
    let state = use_app_state();
    move || {
        state
            .scenario
            .with(|s| lever_words(s, i))
            .map(|t| view! { <p class="hint lever-note" data-testid="site-lever-note">{t}</p> })
    }
}

/// Scenario JSON with `supplier_levers` keyed by supplier and every supplier of either side
/// present (a supplier without a row at 0): Compare then lists a lever change as
/// `supplier_levers.Foxconn.others_share_points`, 0 → 20, instead of a changed list. Values
/// without levers on either side are returned as they are (`None`).
pub fn levers_by_supplier(a: &Value, b: &Value) -> Option<(Value, Value)> {
    let rows = |v: &Value| v["supplier_levers"].as_array().cloned().unwrap_or_default();
    let (ra, rb) = (rows(a), rows(b));
    if ra.is_empty() && rb.is_empty() {
        return None;
    }
    let mut names: Vec<String> = Vec::new();
    for r in ra.iter().chain(&rb) {
        if let Some(n) = r["supplier"].as_str() {
            if !names.iter().any(|x| x == n) {
                names.push(n.to_string());
            }
        }
    }
    let keyed = |v: &Value, rows: &[Value]| {
        let mut map = serde_json::Map::new();
        for n in &names {
            let row = rows.iter().find(|r| r["supplier"].as_str() == Some(n));
            let mut fields = serde_json::Map::new();
            for (f, _, _) in FIELDS {
                let x = row.and_then(|r| r[f].as_f64()).unwrap_or(0.0);
                fields.insert(f.to_string(), Value::from(x));
            }
            map.insert(n.clone(), Value::Object(fields));
        }
        let mut out = v.clone();
        if let Some(o) = out.as_object_mut() {
            o.insert("supplier_levers".into(), Value::Object(map));
        }
        out
    };
    Some((keyed(a, &ra), keyed(b, &rb)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn a_lever_row_is_added_once_and_keeps_its_index() {
        let mut s = crate::presets::base_case();
        assert_eq!(row_index(&s, "Quanta"), 0);
        set_lever(&mut s, "Quanta", "capacity_change_percent", 25.0);
        set_lever(&mut s, "Quanta", "others_share_points", -5.0);
        assert_eq!(s.supplier_levers.len(), 1);
        assert_eq!(row_index(&s, "Quanta"), 0);
        assert_eq!(row_index(&s, "Foxconn"), 1);
        let l = &s.supplier_levers[0];
        assert_eq!(
            (l.capacity_change_percent, l.others_share_points),
            (25.0, -5.0)
        );
    }

    #[wasm_bindgen_test]
    fn a_site_says_what_its_supplier_lever_does() {
        let mut s = crate::presets::base_case();
        assert_eq!(lever_words(&s, 0), None);
        set_lever(&mut s, "Foxconn", "others_share_points", 20.0);
        set_lever(&mut s, "Foxconn", "capacity_change_percent", -10.0);
        set_lever(&mut s, "Foxconn", "qualification_slip_months", 3.0);
        assert_eq!(
            lever_words(&s, 0).as_deref(),
            Some("Foxconn lever (Suppliers group): other customers' share +20 points, capacity −10 %, first unit 3 months later")
        );
        let quanta = s.sites.iter().position(|x| x.supplier == "Quanta").unwrap();
        assert_eq!(lever_words(&s, quanta), None);
    }

    #[wasm_bindgen_test]
    fn compare_sees_levers_by_supplier() {
        let a = crate::presets::base_case();
        let mut b = a.clone();
        set_lever(&mut b, "Foxconn", "others_share_points", 20.0);
        let (a, b) = (a.to_json_value(), b.to_json_value());
        let d = crate::compare::input_differences(&a, &b, 10);
        assert_eq!(
            d,
            [(
                "supplier_levers.Foxconn.others_share_points".to_string(),
                "0".to_string(),
                "20".to_string()
            )]
        );
        assert!(levers_by_supplier(&a, &a).is_none());
    }
}
