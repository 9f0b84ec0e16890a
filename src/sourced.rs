//! Sources that stay honest: which inputs differ from the value their source note gave (the field
//! says "changed (source said …)"), and how many of the notes behind the result are estimates.
//! The sourced value of a field is the value, at the same path, of the preset that carries the
//! same note there.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use rackplan_core::Scenario;
use serde_json::Value;

/// Every source note of `s`, by the field path the editor uses.
pub fn notes(s: &Scenario) -> Vec<(String, &str)> {
    let mut out: Vec<(String, &str)> = s
        .sources
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str()))
        .collect();
    fn rows<'a>(
        out: &mut Vec<(String, &'a str)>,
        table: &str,
        list: impl Iterator<Item = &'a rackplan_core::scenario::Sources>,
    ) {
        for (i, src) in list.enumerate() {
            for (k, v) in src {
                out.push((format!("{table}[{i}].{k}"), v.as_str()));
            }
        }
    }
    rows(&mut out, "markets", s.markets.iter().map(|x| &x.sources));
    rows(
        &mut out,
        "supply_regions",
        s.supply_regions.iter().map(|x| &x.sources),
    );
    rows(&mut out, "sites", s.sites.iter().map(|x| &x.sources));
    rows(
        &mut out,
        "extra_demand",
        s.extra_demand.iter().map(|x| &x.sources),
    );
    out
}

/// Whether a note marks its figure as an estimate (`[E]`, or looked for and not found).
pub fn is_estimate(note: &str) -> bool {
    note.contains("[E]") || note.contains("NOT FOUND") || note.to_lowercase().contains("estimate")
}

/// How many source notes of `s` are estimates, and how many notes there are.
pub fn estimate_count(s: &Scenario) -> (usize, usize) {
    let all = notes(s);
    (
        all.iter().filter(|(_, n)| is_estimate(n)).count(),
        all.len(),
    )
}

/// The value at a field path (`"sites[2].unit_price_usd"`, `"sourcing.max_supplier_share"`) of
/// a scenario's JSON.
pub fn at_path<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = v;
    for seg in path.split('.') {
        let (key, idx) = match seg.split_once('[') {
            Some((k, rest)) => (k, rest.strip_suffix(']')?.parse::<usize>().ok()),
            None => (seg, None),
        };
        cur = cur.get(key)?;
        if let Some(i) = idx {
            cur = cur.get(i)?;
        }
    }
    Some(cur)
}

/// What the note says the value was: the text before " — " ("0.5", "+3 %/yr"), when short.
pub fn said(note: &str) -> Option<&str> {
    let head = note.split(" — ").next()?.trim();
    (note.contains(" — ") && !head.is_empty() && head.chars().count() <= 40).then_some(head)
}

/// A scenario whose source notes give the sourced values (a preset), with its JSON, made on
/// first use (most scenarios take all their notes from the base case).
pub struct Sourced {
    pub scenario: Scenario,
    json: std::cell::OnceCell<Value>,
}

impl Sourced {
    pub fn new(scenario: Scenario) -> Self {
        Sourced {
            scenario,
            json: std::cell::OnceCell::new(),
        }
    }

    fn json(&self) -> &Value {
        self.json.get_or_init(|| self.scenario.to_json_value())
    }
}

/// The fields of `s` whose value differs from their source's (see the module docs): path ->
/// the marking, "changed (source said 0.5)".
pub fn changed_fields(s: &Scenario, presets: &[Sourced]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let list = notes(s);
    if list.is_empty() {
        return out;
    }
    let json = s.to_json_value();
    for (path, note) in list {
        let Some(preset) = presets
            .iter()
            .find(|p| p.scenario.source_for(&path) == Some(note))
        else {
            continue;
        };
        let pj = preset.json();
        let (Some(now), Some(then)) = (at_path(&json, &path), at_path(pj, &path)) else {
            continue;
        };
        if now != then {
            let text = match said(note) {
                Some(h) => format!("changed (source said {h})"),
                None => "changed from the sourced value".into(),
            };
            out.insert(path, text);
        }
    }
    out
}

/// The marks of the current scenario, kept in context for the editor's fields.
#[derive(Clone, Copy)]
pub struct SourcedMarks(pub Memo<Arc<HashMap<String, String>>>);

/// Provide [`SourcedMarks`] for the editor.
pub fn provide_sourced_marks() {
    let state = crate::state::use_app_state();
    let presets: StoredValue<Vec<Sourced>, LocalStorage> = StoredValue::new_local(
        crate::presets::presets()
            .iter()
            .map(|p| Sourced::new(p.scenario.clone()))
            .collect(),
    );
    let marks = Memo::new(move |_| {
        state
            .scenario
            .with(|s| Arc::new(presets.with_value(|p| changed_fields(s, p))))
    });
    provide_context(SourcedMarks(marks));
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn a_changed_sourced_value_is_marked_with_what_the_source_said() {
        let base = rackplan_core::presets::base_case();
        let presets = vec![Sourced::new(base.clone())];
        assert!(changed_fields(&base, &presets).is_empty());
        let (path, _) = notes(&base)
            .into_iter()
            .find(|(p, _)| p.starts_with("sites[0].") && p.ends_with("unit_price_usd"))
            .expect("the base case sources site 0's price");
        let mut s = base.clone();
        s.sites[0].unit_price_usd = rackplan_core::Uncertain::Fixed(1.0);
        let marks = changed_fields(&s, &presets);
        assert_eq!(marks.len(), 1, "{marks:?}");
        assert!(marks[&path].starts_with("changed ("), "{}", marks[&path]);
        let (est, all) = estimate_count(&base);
        assert!(est > 0 && est <= all);
    }
}
