//! Pinned comparison scenarios: up to [`MAX_PINS`], each a copy of the scenario as it was when
//! pinned, with a name the planner can change and the time it was pinned. Compare shows the
//! current scenario against every pin (`src/compare/`).
//!
//! Each pin's scenario is kept in a storage slot of its own ([`Slot::PINS`], the same checks as
//! the autosave: a value that cannot be opened is kept aside, never written over); the names and
//! times beside them under [`crate::storage::PINS_META_KEY`]. Pins are never part of a share
//! link.

use std::sync::Arc;

use rackplan_core::risk::QuickRisk;
use rackplan_core::Scenario;
use serde::{Deserialize, Serialize};

pub use crate::storage::MAX_PINS;
/// The longest pin name, in characters.
pub const MAX_NAME_CHARS: usize = 60;

/// One pinned scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Pin {
    /// Its storage slot (0..MAX_PINS): also its identity while pinned.
    pub slot: usize,
    pub name: String,
    /// When it was pinned, ISO 8601 UTC ("" when not known: its time was not kept).
    pub pinned_at: String,
    pub scenario: Scenario,
    /// The quick Monte Carlo run of its scenario (MODEL.md §5.6), once there is one in this visit.
    pub risk: Option<Arc<QuickRisk>>,
}

/// A pin's name and time as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PinMeta {
    pub slot: usize,
    pub name: String,
    pub pinned_at: String,
}

/// The stored form of the pins' names and times.
pub fn meta_json(pins: &[Pin]) -> String {
    let meta: Vec<PinMeta> = pins
        .iter()
        .map(|p| PinMeta {
            slot: p.slot,
            name: p.name.clone(),
            pinned_at: p.pinned_at.clone(),
        })
        .collect();
    serde_json::to_string(&meta).unwrap_or_else(|_| "[]".into())
}

/// The pins from the scenarios found in their slots and the stored names and times (text that
/// does not read gives none: each pin is then named after its scenario). Oldest first.
pub fn restore(found: Vec<(usize, Scenario)>, meta: Option<&str>) -> Vec<Pin> {
    let meta: Vec<PinMeta> = meta
        .and_then(|m| serde_json::from_str(m).ok())
        .unwrap_or_default();
    let mut pins: Vec<Pin> = Vec::new();
    for (slot, scenario) in found {
        let m = meta.iter().find(|m| m.slot == slot);
        let name = m
            .map(|m| m.name.trim().to_string())
            .filter(|n| !n.is_empty() && n.chars().count() <= MAX_NAME_CHARS)
            .unwrap_or_else(|| default_name(&scenario.name, &pins));
        let pinned_at = m.map(|m| m.pinned_at.clone()).unwrap_or_default();
        pins.push(Pin {
            slot,
            name,
            pinned_at,
            scenario,
            risk: None,
        });
    }
    // Oldest first; unknown times first, by slot. (An insertion: at most four pins.)
    let mut sorted: Vec<Pin> = Vec::with_capacity(pins.len());
    for p in pins {
        let at = sorted.partition_point(|q| (&q.pinned_at, q.slot) <= (&p.pinned_at, p.slot));
        sorted.insert(at, p);
    }
    sorted
}

/// The first storage slot no pin uses.
pub fn free_slot(pins: &[Pin]) -> Option<usize> {
    (0..MAX_PINS).find(|s| pins.iter().all(|p| p.slot != *s))
}

/// A name for a new pin of a scenario named `scenario_name`: that name, or with " (2)", " (3)"…
/// when a pin already has it.
pub fn default_name(scenario_name: &str, pins: &[Pin]) -> String {
    let base = match scenario_name.trim() {
        "" => "Pinned scenario",
        n => n,
    };
    let base: String = base.chars().take(MAX_NAME_CHARS - 4).collect();
    let taken = |n: &str| pins.iter().any(|p| p.name == n) || n == CURRENT;
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|i| format!("{base} ({i})"))
        .find(|n| !taken(n))
        .unwrap_or(base)
}

/// The current scenario's column name.
pub const CURRENT: &str = "Current";

/// A new name for the pin in `slot`: trimmed, not empty, at most [`MAX_NAME_CHARS`], and not
/// another pin's (or the current column's) name; or what is wrong with it.
pub fn check_name(name: &str, slot: usize, pins: &[Pin]) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("A pin needs a name: type one.".into());
    }
    let n = name.chars().count();
    if n > MAX_NAME_CHARS {
        return Err(format!(
            "A pin's name is at most {MAX_NAME_CHARS} characters; this one has {n}."
        ));
    }
    if name == CURRENT {
        return Err(format!(
            "“{CURRENT}” names the scenario being edited: choose another name."
        ));
    }
    if pins.iter().any(|p| p.slot != slot && p.name == name) {
        return Err(format!(
            "Another pin is named “{name}”: choose a name of its own."
        ));
    }
    Ok(name.to_string())
}

/// What pinning a fifth scenario says.
pub fn limit_message() -> String {
    format!(
        "{MAX_PINS} scenarios are pinned, the most Compare shows side by side: nothing was pinned. \
         Unpin one, or replace one with the current scenario (Compare, “Replace with current”)."
    )
}

/// "2026-12-04 09:41 UTC", or "time not kept".
pub fn time_in_words(iso: &str) -> String {
    if iso.is_empty() {
        "time not kept".into()
    } else {
        crate::storage::time_in_words(iso)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn pin(slot: usize, name: &str, at: &str) -> Pin {
        Pin {
            slot,
            name: name.into(),
            pinned_at: at.into(),
            scenario: crate::presets::base_case(),
            risk: None,
        }
    }

    #[wasm_bindgen_test]
    fn names_are_unique_and_checked() {
        let pins = vec![pin(0, "Base case", "t1"), pin(1, "Base case (2)", "t2")];
        assert_eq!(default_name("Base case", &pins), "Base case (3)");
        assert_eq!(default_name("Other", &pins), "Other");
        assert_eq!(default_name("  ", &[]), "Pinned scenario");
        assert_eq!(default_name("Current", &[]), "Current (2)");
        assert_eq!(check_name("  Plan B ", 0, &pins), Ok("Plan B".into()));
        // Its own name is fine; another pin's is not.
        assert_eq!(check_name("Base case", 0, &pins), Ok("Base case".into()));
        assert!(check_name("Base case (2)", 0, &pins)
            .unwrap_err()
            .contains("Another pin"));
        assert!(check_name("", 0, &pins)
            .unwrap_err()
            .contains("needs a name"));
        assert!(check_name("Current", 0, &pins).is_err());
        let long = "x".repeat(MAX_NAME_CHARS + 1);
        assert!(check_name(&long, 0, &pins).unwrap_err().contains("61"));
        assert!(limit_message().contains("4 scenarios are pinned"));
    }

    #[wasm_bindgen_test]
    fn slots_fill_the_first_gap_and_restore_oldest_first() {
        let pins = vec![pin(0, "A", "t1"), pin(2, "C", "t3")];
        assert_eq!(free_slot(&pins), Some(1));
        let full: Vec<Pin> = (0..MAX_PINS).map(|s| pin(s, "x", "t")).collect();
        assert_eq!(free_slot(&full), None);
        let meta = meta_json(&[
            pin(0, "Later", "2026-12-04T10:00:00.000Z"),
            pin(1, "Earlier", "2026-12-04T09:00:00.000Z"),
        ]);
        let s = crate::presets::base_case();
        let back = restore(
            vec![(0, s.clone()), (1, s.clone()), (3, s.clone())],
            Some(&meta),
        );
        let names: Vec<&str> = back.iter().map(|p| p.name.as_str()).collect();
        // Slot 3 has no stored name or time: named after its scenario, listed first.
        assert_eq!(names, [s.name.as_str(), "Earlier", "Later"]);
        assert_eq!(back[0].pinned_at, "");
        assert_eq!(time_in_words(""), "time not kept");
        // Names that do not read: each pin named after its scenario, uniquely.
        let back = restore(vec![(0, s.clone()), (1, s.clone())], Some("not json"));
        assert_eq!(back[1].name, format!("{} (2)", s.name));
    }
}
