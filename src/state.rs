//! The app state: the scenario being edited, the pinned comparison scenarios, validation, the last
//! valid run, undo/redo and autosave. Components read and write it through [`use_app_state`].
//!
//! Data flows one way: `scenario` -> `issues` / `run` (memos calling the core) -> views. Only
//! [`AppState::edit`] and [`AppState::replace`] (and undo/redo) change the scenario, so every
//! change is an undo step.

use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use rackplan_core::montecarlo::Summary;
use rackplan_core::validate::has_errors;
use rackplan_core::{Issue, RunError, RunResult, Scenario};

use crate::history::History;

use crate::pins::{check_name, default_name, free_slot, limit_message, meta_json, Pin};
use crate::storage::{Slot, Stored};
pub use crate::storage::{AUTOSAVE_KEY, PINNED_KEY};

/// Autosave waits this long (ms) after the last valid edit.
pub const AUTOSAVE_DEBOUNCE_MS: u32 = 400;

/// The outcome of the latest run, keeping the last valid result while the scenario is invalid.
#[derive(Clone, Debug, Default)]
pub struct RunState {
    /// The last valid result (`None` only until the first valid scenario).
    pub result: Option<Arc<RunResult>>,
    /// True when `result` is older than the scenario shown (the scenario is invalid or failed).
    pub stale: bool,
    /// Why the current scenario could not run, when it is valid but the engine failed; with the
    /// path of the input to change when the engine can tell (MODEL.md §6, derived numbers).
    pub error: Option<Issue>,
}

impl RunState {
    fn same(&self, other: &RunState) -> bool {
        self.stale == other.stale
            && self.error == other.error
            && match (&self.result, &other.result) {
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            }
    }
}

/// A whole-scenario replacement waiting for the planner's confirmation.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingReplace {
    pub scenario: Scenario,
    /// What replaces the scenario, e.g. "preset Base case", "file plan.json".
    pub label: String,
}

#[derive(Clone, Copy)]
pub struct AppState {
    /// What the editor shows; may be invalid.
    pub scenario: RwSignal<Scenario>,
    /// The pinned comparison scenarios, oldest first (at most [`crate::pins::MAX_PINS`]).
    pub pins: RwSignal<Vec<crate::pins::Pin>>,
    /// Compare's baseline column, the one deltas are against: 0 = the current scenario, `k` =
    /// the `k`-th pin.
    pub baseline: RwSignal<usize>,
    /// Why the last pin was refused (the limit), for Compare.
    pub pin_note: RwSignal<Option<String>>,
    /// Every validation issue of `scenario` (errors and warnings).
    pub issues: Memo<Vec<Issue>>,
    /// The latest run; its `result` stays on the last valid scenario while the current one is
    /// invalid.
    pub run: Memo<RunState>,
    /// The run of each pin's scenario, in the pins' order (`None`: it cannot run).
    pub pin_runs: Memo<Vec<Option<Arc<RunResult>>>>,
    /// What the key figure cards compare against: the baseline pin, or the first pin when the
    /// baseline is the current scenario; its name and run.
    pub reference: Memo<Option<(String, Arc<RunResult>)>>,
    /// Undo/redo stacks.
    pub history: RwSignal<History<Scenario>>,
    /// A replacement waiting for confirmation (the page shows a dialog while this is `Some`).
    pub pending_replace: RwSignal<Option<PendingReplace>>,
    /// The name of the preset the scenario is, while nobody has changed it.
    pub loaded_preset: Memo<Option<&'static str>>,
    /// Time (ms since the epoch) of the last autosave, for the status line.
    pub saved_at: RwSignal<Option<f64>>,
    /// The last autosave could not be written (storage full, or turned off in this browser, or
    /// blocked by an autosave that could not be opened: [`Stored::blocked`]).
    pub save_failed: RwSignal<bool>,
    /// What this browser keeps, and the values it keeps aside because they could not be opened.
    pub stored: Stored,
    /// The last finished Monte Carlo run's summary and the scenario it is for (the results CSV
    /// carries its percentile bands while the scenario is unchanged).
    pub monte_carlo: RwSignal<Option<(Arc<Summary>, Arc<Scenario>)>>,
    /// Hooks called with the scenario before and after each change (edit, undo, redo, a
    /// replacement), so view state kept per row (the editor's open rows) can follow the rows
    /// ([`AppState::on_change`]).
    change_hooks: StoredValue<Vec<ChangeHook>, LocalStorage>,
}

type ChangeHook = Rc<dyn Fn(&Scenario, &Scenario)>;

impl AppState {
    /// A fresh state: the autosaved scenario if there is a valid one, else the base case. A
    /// stored value that cannot be opened is kept aside ([`Stored::open`]).
    pub fn new() -> Self {
        let (stored, autosave, pinned) = Stored::open();
        let state = Self::with_stored(autosave.unwrap_or_else(crate::presets::base_case), stored);
        let found = pinned
            .into_iter()
            .filter_map(|(slot, s)| Some((Slot::PINS.iter().position(|x| *x == slot)?, s)))
            .collect();
        let meta = crate::storage::read_pins_meta();
        state.pins.set(crate::pins::restore(found, meta.as_deref()));
        state
    }

    /// A state starting from `initial`, with autosave running.
    pub fn with_scenario(initial: Scenario) -> Self {
        Self::with_stored(initial, Stored::empty())
    }

    fn with_stored(initial: Scenario, stored: Stored) -> Self {
        let scenario = RwSignal::new(initial);
        let pins = RwSignal::new(Vec::<crate::pins::Pin>::new());
        let baseline = RwSignal::new(0usize);
        let issues = Memo::new(move |_| scenario.with(rackplan_core::validate));
        let run = Memo::new_with_compare(
            move |prev: Option<&RunState>| {
                let last = || prev.and_then(|p| p.result.clone());
                scenario.with(|s| match rackplan_core::run(s) {
                    Ok(r) => RunState {
                        result: Some(Arc::new(r)),
                        stale: false,
                        error: None,
                    },
                    Err(RunError::Invalid(_)) => RunState {
                        result: last(),
                        stale: true,
                        error: None,
                    },
                    Err(RunError::OutOfRange(issue)) => RunState {
                        result: last(),
                        stale: true,
                        error: Some(issue),
                    },
                    Err(e) => RunState {
                        result: last(),
                        stale: true,
                        error: Some(Issue::error("", e.to_string())),
                    },
                })
            },
            |a, b| !matches!((a, b), (Some(a), Some(b)) if a.same(b)),
        );
        // The pins' scenarios alone: a rename or a risk figure arriving does not rerun them.
        let pin_scenarios = Memo::new(move |_| {
            pins.with(|p| p.iter().map(|x| x.scenario.clone()).collect::<Vec<_>>())
        });
        // Each scenario runs once while pinned: the runs are kept by scenario.
        let run_cache = StoredValue::new(Vec::<(Scenario, Option<Arc<RunResult>>)>::new());
        let pin_runs = Memo::new_with_compare(
            move |_| {
                pin_scenarios.with(|list| {
                    let runs: Vec<Option<Arc<RunResult>>> = list
                        .iter()
                        .map(|s| {
                            run_cache
                                .with_value(|c| {
                                    c.iter().find(|(x, _)| x == s).map(|(_, r)| r.clone())
                                })
                                .unwrap_or_else(|| rackplan_core::run(s).ok().map(Arc::new))
                        })
                        .collect();
                    run_cache.set_value(list.iter().cloned().zip(runs.iter().cloned()).collect());
                    runs
                })
            },
            |a, b| {
                let same = |x: &Vec<Option<Arc<RunResult>>>, y: &Vec<Option<Arc<RunResult>>>| {
                    x.len() == y.len()
                        && x.iter().zip(y).all(|p| match p {
                            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                            (None, None) => true,
                            _ => false,
                        })
                };
                !matches!((a, b), (Some(a), Some(b)) if same(a, b))
            },
        );
        let reference = Memo::new(move |_| {
            let k = match baseline.get() {
                0 => 0,
                b => b - 1,
            };
            let name = pins.with(|p| p.get(k).map(|x| x.name.clone()))?;
            let run = pin_runs.with(|r| r.get(k).cloned().flatten())?;
            Some((name, run))
        });
        let presets = StoredValue::new_local(crate::presets::presets());
        let loaded_preset = Memo::new(move |_| {
            scenario.with(|s| {
                presets.with_value(|l| l.iter().find(|p| p.scenario == *s).map(|p| p.name))
            })
        });
        let state = AppState {
            scenario,
            pins,
            baseline,
            pin_note: RwSignal::new(None),
            loaded_preset,
            issues,
            run,
            pin_runs,
            reference,
            history: RwSignal::new(History::default()),
            pending_replace: RwSignal::new(None),
            saved_at: RwSignal::new(None),
            save_failed: RwSignal::new(false),
            monte_carlo: RwSignal::new(None),
            stored,
            change_hooks: StoredValue::new_local(Vec::new()),
        };
        state.start_autosave();
        state
    }

    /// Change the scenario as one undo step. Successive edits with the same label (a slider drag,
    /// typing in one field) coalesce into one step.
    pub fn edit(&self, label: &str, f: impl FnOnce(&mut Scenario)) {
        let before = self.scenario.get_untracked();
        let mut changed = false;
        self.scenario.maybe_update(|s| {
            f(s);
            changed = *s != before;
            changed
        });
        if changed {
            self.scenario
                .with_untracked(|after| self.tell_change(&before, after));
            let now = now_ms();
            self.history.update(|h| {
                h.record(before, label, now);
            });
        }
    }

    /// End the current coalescing run (a slider was released, a field lost focus).
    pub fn seal(&self) {
        self.history.update_untracked(|h| h.seal());
    }

    /// Replace the whole scenario (preset, file, link) as one undo step.
    pub fn replace(&self, s: Scenario, label: &str) {
        let before = self.scenario.get_untracked();
        if before == s {
            return;
        }
        self.history.update(|h| h.record_step(before, label));
        self.swap_to(s);
    }

    /// Call `hook(before, after)` on every change of the scenario: edits, undo, redo and
    /// replacements.
    pub fn on_change(&self, hook: impl Fn(&Scenario, &Scenario) + 'static) {
        self.change_hooks.update_value(|h| h.push(Rc::new(hook)));
    }

    fn tell_change(&self, before: &Scenario, after: &Scenario) {
        let hooks = self.change_hooks.with_value(|h| h.clone());
        hooks.iter().for_each(|hook| hook(before, after));
    }

    /// Show `s` in place of the current scenario (a replacement, undo or redo).
    fn swap_to(&self, s: Scenario) {
        self.scenario
            .with_untracked(|before| self.tell_change(before, &s));
        self.scenario.set(s);
    }

    /// Ask the planner before replacing the scenario: the page shows a confirmation dialog, and
    /// [`AppState::confirm_replace`] performs the (undoable) replacement. A preset nobody has
    /// changed is replaced without asking: there is no work of the planner's to lose.
    pub fn request_replace(&self, s: Scenario, label: &str) {
        if self.loaded_preset.get_untracked().is_some() {
            self.replace(s, label);
            return;
        }
        self.pending_replace.set(Some(PendingReplace {
            scenario: s,
            label: label.to_string(),
        }));
    }

    pub fn confirm_replace(&self) {
        if let Some(p) = self.pending_replace.get_untracked() {
            self.pending_replace.set(None);
            self.replace(p.scenario, &p.label);
        }
    }

    pub fn cancel_replace(&self) {
        self.pending_replace.set(None);
    }

    pub fn undo(&self) {
        self.travel(History::undo);
    }

    pub fn redo(&self) {
        self.travel(History::redo);
    }

    /// Show the scenario that `step` (undo or redo) gives back from the history, if any.
    fn travel(&self, step: fn(&mut History<Scenario>, Scenario) -> Option<Scenario>) {
        let current = self.scenario.get_untracked();
        let mut restored = None;
        self.history.update(|h| restored = step(h, current));
        if let Some(s) = restored {
            self.swap_to(s);
        }
    }

    /// Reactive.
    pub fn can_undo(&self) -> bool {
        self.history.with(|h| h.can_undo())
    }

    /// Reactive.
    pub fn can_redo(&self) -> bool {
        self.history.with(|h| h.can_redo())
    }

    /// Validation issues at `path` or below it (`sites[0]` matches `sites[0].name`), reactive.
    pub fn issues_at(&self, path: &str) -> Vec<Issue> {
        self.issues.with(|all| {
            all.iter()
                .filter(|i| path_matches(&i.path, path))
                .cloned()
                .collect()
        })
    }

    /// Whether the current scenario has errors (reactive).
    pub fn is_invalid(&self) -> bool {
        self.issues.with(|i| has_errors(i))
    }

    /// Write the scenario to localStorage (only when valid, and never over an autosave that
    /// could not be opened: [`Stored::write`]); called debounced after edits and when the page is
    /// hidden.
    pub fn save_now(&self) {
        let valid = self.issues.with_untracked(|i| !has_errors(i));
        if !valid {
            return;
        }
        let json = self.scenario.with_untracked(|s| s.to_json());
        if self.stored.write(Slot::Autosave, Some(&json)) {
            self.saved_at.set(Some(now_ms()));
            self.save_failed.set(false);
        } else {
            self.save_failed.set(true);
        }
    }

    fn start_autosave(&self) {
        let state = *self;
        let settle = Debounce::default();
        Effect::new(move |first: Option<()>| {
            // Track the scenario; the first run is the restored state itself.
            state.scenario.track();
            if first.is_some() {
                settle.run(AUTOSAVE_DEBOUNCE_MS, move || state.save_now());
            }
        });
        #[cfg(target_arch = "wasm32")]
        if let Some(w) = web_sys::window() {
            // Flush a pending save when the page goes away, or is hidden (a phone may then end
            // it without a pagehide).
            gloo::events::EventListener::new(&w, "pagehide", move |_| state.save_now()).forget();
            if let Some(d) = w.document() {
                let doc = d.clone();
                gloo::events::EventListener::new(&d, "visibilitychange", move |_| {
                    if doc.hidden() {
                        state.save_now();
                    }
                })
                .forget();
            }
        }
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

/// Whether an issue at `issue_path` belongs to the field (or row) at `field`.
pub fn path_matches(issue_path: &str, field: &str) -> bool {
    issue_path == field
        || issue_path
            .strip_prefix(field)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

/// Create the state and provide it to every component below.
pub fn provide_app_state() -> AppState {
    let state = AppState::new();
    provide_context(state);
    state
}

pub fn use_app_state() -> AppState {
    expect_context::<AppState>()
}

/// Milliseconds since the epoch (0 off the browser).
pub fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
    }
}

/// Runs only the last of a burst of calls, `ms` after it: the autosave, the link in the address
/// bar and the tables that follow a slider wait until a drag or typing settles.
#[derive(Clone, Default)]
pub(crate) struct Debounce(Rc<std::cell::Cell<u64>>);

impl Debounce {
    /// Run `f` in `ms` milliseconds unless `run` is called again before.
    pub(crate) fn run(&self, ms: u32, f: impl FnOnce() + 'static) {
        let call = self.0.get() + 1;
        self.0.set(call);
        let latest = self.0.clone();
        schedule(ms, move || {
            if latest.get() == call {
                f();
            }
        });
    }
}

/// Run `f` after `ms` milliseconds in the browser (natively, never: no timers there).
pub(crate) fn schedule(ms: u32, f: impl FnOnce() + 'static) {
    #[cfg(target_arch = "wasm32")]
    gloo::timers::callback::Timeout::new(ms, f).forget();
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = (ms, f);
    }
}

/// Pinning (src/pins.rs holds the pins' own rules).
impl AppState {
    /// Pin the current scenario (MODEL-free: a copy as it is now). Refused with a message
    /// ([`AppState::pin_note`]) when [`MAX_PINS`] are pinned.
    pub fn pin(&self) -> Result<(), String> {
        let s = self.scenario.get_untracked();
        let name = self.pins.with_untracked(|p| default_name(&s.name, p));
        self.pin_scenario(s, name)
    }

    /// Pin `s` under `name` (e.g. today's base case beside an old link's scenario).
    pub fn pin_scenario(&self, s: Scenario, name: String) -> Result<(), String> {
        let Some(slot) = self.pins.with_untracked(|p| free_slot(p)) else {
            let msg = limit_message();
            self.pin_note.set(Some(msg.clone()));
            return Err(msg);
        };
        let kept = self.stored.write(Slot::PINS[slot], Some(&s.to_json()));
        let pin = Pin {
            slot,
            name,
            pinned_at: crate::storage::now_iso(),
            scenario: s,
            risk: None,
        };
        self.pins.update(|p| p.push(pin));
        self.pin_note.set((!kept).then(|| {
            "Pinned for this visit only: this browser did not keep it (its storage is full or \
             turned off, or holds a value it could not open: see the notice at the top), so a \
             reload will not show it."
                .to_string()
        }));
        self.save_pins_meta();
        Ok(())
    }

    /// Unpin the pin in `slot`. The baseline column stays on the same scenario (or goes back to
    /// the current one when it was this pin).
    pub fn unpin(&self, slot: usize) {
        let Some(k) = self
            .pins
            .with_untracked(|p| p.iter().position(|x| x.slot == slot))
        else {
            return;
        };
        self.stored.write(Slot::PINS[slot], None);
        self.pins.update(|p| {
            p.remove(k);
        });
        // Columns: 0 = current, 1.. = pins in order.
        self.baseline.update(|b| {
            if *b == k + 1 {
                *b = 0;
            } else if *b > k + 1 {
                *b -= 1;
            }
        });
        self.pin_note.set(None);
        self.save_pins_meta();
    }

    /// Replace the pin in `slot` by the current scenario, named after it and timed now.
    pub fn replace_pin(&self, slot: usize) {
        self.unpin(slot);
        let _ = self.pin();
    }

    /// Rename the pin in `slot`; or what is wrong with the name.
    pub fn rename_pin(&self, slot: usize, name: &str) -> Result<(), String> {
        let name = self.pins.with_untracked(|p| check_name(name, slot, p))?;
        self.pins.update(|p| {
            if let Some(x) = p.iter_mut().find(|x| x.slot == slot) {
                x.name = name;
            }
        });
        self.save_pins_meta();
        Ok(())
    }

    fn save_pins_meta(&self) {
        let json = self.pins.with_untracked(|p| meta_json(p));
        crate::storage::write_pins_meta(&json);
    }
}

#[cfg(test)]
mod tests {
    use super::path_matches;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn issue_paths_match_their_field_and_row() {
        assert!(path_matches("sites[0].name", "sites[0].name"));
        assert!(path_matches("sites[0].name", "sites[0]"));
        assert!(path_matches(
            "sites[0].capacity[1].month",
            "sites[0].capacity"
        ));
        assert!(!path_matches("sites[10].name", "sites[1]"));
        assert!(!path_matches("sites[0].name_x", "sites[0].name"));
    }
}
