//! The page: toolbar, editor, KPI cards, charts, comparison, and the replace-confirmation dialog.

use leptos::ev;
use leptos::prelude::*;

use crate::stages::{stage_in, Staged, STAGES};
use rackplan_core::Severity;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;

use crate::charts::views::{
    backlog_chart, deliveries_by_region_chart, deliveries_by_site_chart, plot_size, supply_chart,
    ChartFigure,
};
use crate::compare::ComparePanel;
use crate::editor::Editor;
use crate::kpi::KpiCards;
use crate::presets::presets;
use crate::state::{provide_app_state, use_app_state};

fn viewport_width() -> f64 {
    window()
        .inner_width()
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(1280.0)
}

#[component]
pub fn App() -> impl IntoView {
    let state = provide_app_state();
    crate::quick::provide_quick_risk();
    crate::sourced::provide_sourced_marks();
    provide_context(crate::editor::Reveal(RwSignal::new((0, String::new()))));
    let viewport = RwSignal::new(viewport_width());
    let _resize = window_event_listener(ev::resize, move |_| {
        let w = viewport_width();
        if (w - viewport.get_untracked()).abs() >= 1.0 {
            viewport.set(w);
        }
    });
    // Ctrl+Z undoes, Ctrl+Shift+Z (or Ctrl+Y) redoes, anywhere on the page.
    let _keys = window_event_listener(ev::keydown, move |e| {
        if !(e.ctrl_key() || e.meta_key()) || e.alt_key() {
            return;
        }
        match e.key().to_ascii_lowercase().as_str() {
            "z" if e.shift_key() => {
                e.prevent_default();
                state.redo();
            }
            "z" => {
                e.prevent_default();
                state.undo();
            }
            "y" => {
                e.prevent_default();
                state.redo();
            }
            _ => {}
        }
    });
    let staged = stage_in();
    provide_context(Staged(staged));
    let drawn = move |part: u8| move || staged.get() >= part;
    view! {
        <a class="skip" href="#results">"Skip to results"</a>
        <header class="top">
            <div class="brand">
                <h1>"rackplan"</h1>
                <p class="tagline">"AI server capacity and sourcing planner"</p>
            </div>
            <Toolbar />
        </header>
        <crate::kept::KeptNotice />
        <div class="layout">
            <div class="results-head" id="results" tabindex="-1">
                <Status />
                <crate::quick::RiskSummary />
                <crate::breakdown::WhyShort />
                <KpiCards />
            </div>
            // The main chart right after the answer, before the editor: on a phone the page reads
            // summary, cards, main chart, then the levers (on wider screens the editor sits beside).
            <Show when=drawn(1)><MainChart viewport=viewport /></Show>
            <aside class="editor-pane" aria-label="Scenario editor">
                <Show when=drawn(2)><Editor /></Show>
            </aside>
            <main class="results">
                <Show when=drawn(8)><crate::grid::AllSites /></Show>
                <Show when=drawn(9)><Charts viewport=viewport /></Show>
                <Show when=drawn(10)><crate::breakdown::Breakdown /></Show>
                <Show when=drawn(11)><ComparePanel viewport=viewport /></Show>
                <section id="uncertainty" class="uncertainty" aria-label="Uncertainty">
                    <Show when=drawn(12)><crate::uncertainty::UncertaintyPanel viewport=viewport /></Show>
                </section>
                <section id="advisor" class="uncertainty advisor" aria-label="Commitment advisor">
                    <Show when=drawn(STAGES)><crate::advisor::AdvisorPanel viewport=viewport /></Show>
                </section>
            </main>
        </div>
        <ConfirmReplace />
    }
}

#[component]
fn Toolbar() -> impl IntoView {
    let state = use_app_state();
    let undo_title = move || {
        state.history.with(|h| {
            h.undo_label().map_or("Nothing to undo".to_string(), |l| {
                format!("Undo: {l} (Ctrl+Z)")
            })
        })
    };
    let redo_title = move || {
        state.history.with(|h| {
            h.redo_label().map_or("Nothing to redo".to_string(), |l| {
                format!("Redo: {l} (Ctrl+Shift+Z)")
            })
        })
    };
    let list = presets();
    let names: Vec<(usize, &'static str)> =
        list.iter().enumerate().map(|(i, p)| (i, p.name)).collect();
    let preset_select = NodeRef::<leptos::html::Select>::new();
    view! {
        <nav class="toolbar" aria-label="Scenario actions">
            <button type="button" data-testid="undo" aria-keyshortcuts="Control+Z" title=undo_title aria-label=undo_title
                disabled=move || !state.can_undo() on:click=move |_| state.undo()>"↶ Undo"</button>
            <button type="button" data-testid="redo" aria-keyshortcuts="Control+Shift+Z" title=redo_title aria-label=redo_title
                disabled=move || !state.can_redo() on:click=move |_| state.redo()>"↷ Redo"</button>
            <label class="sr-only" for="presets">"Load a preset"</label>
            <select id="presets" data-testid="presets" node_ref=preset_select on:change=move |ev| {
                let v = event_target_value(&ev);
                if let Some(p) = v.parse::<usize>().ok().and_then(|i| presets().get(i).cloned()) {
                    state.request_replace(p.scenario, &format!("preset “{}”", p.name));
                }
                if let Some(el) = preset_select.get() {
                    el.set_value("");
                }
            }>
                <option value="" selected>{move || state.loaded_preset.get().map_or("Presets…".to_string(), |n| format!("Preset: {n}"))}</option>
                {names.into_iter().map(|(i, n)| view! { <option value=i.to_string()>{n}</option> }).collect_view()}
            </select>
            <button type="button" data-testid="pin" title=move || format!("Pin the current scenario for Compare ({} of {} pinned)", state.pins.with(Vec::len), crate::pins::MAX_PINS)
                on:click=move |_| {
                    let _ = state.pin();
                }>{move || format!("Pin ({}/{})", state.pins.with(Vec::len), crate::pins::MAX_PINS)}</button>
            // The share bar (link, file, CSV, chart export) goes here.
            <div class="share-slot" id="share-slot"><crate::share::ShareBar /></div>
            <span class="saved" class:save-failed=move || state.save_failed.get() aria-live="polite" data-testid="saved">
                {move || if state.save_failed.get() && state.stored.blocks(crate::storage::Slot::Autosave) {
                    Some("Not saved: this browser keeps an autosave that could not be opened and has no room to set it aside (see the notice above). Download your scenario to keep it.")
                } else if state.save_failed.get() {
                    Some("Not saved: this browser's storage is full or turned off. Download the scenario to keep it.")
                } else if state.saved_at.get().is_none() {
                    None
                } else if state.is_invalid() {
                    Some("Last valid version saved in this browser")
                } else {
                    Some("Saved in this browser")
                }}
            </span>
        </nav>
    }
}

/// Errors and warnings of the scenario, and whether the results shown are stale.
#[component]
fn Status() -> impl IntoView {
    let state = use_app_state();
    let of = move |severity: Severity| {
        Memo::new(move |_| {
            state.issues.with(|i| {
                i.iter()
                    .filter(|x| x.severity == severity)
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    };
    let (errors, warnings) = (of(Severity::Error), of(Severity::Warning));
    // "Quanta Taiwan: qualification lead time months: must be >= 0", not the input's path.
    let in_words = move |i: &rackplan_core::Issue| {
        if i.path.is_empty() {
            i.message.clone()
        } else {
            let label = state
                .scenario
                .with_untracked(|s| crate::format::input_label(s, &i.path));
            format!("{label}: {}", i.message)
        }
    };
    let reveal = expect_context::<crate::editor::Reveal>();
    let jump = move |path: String| reveal.request(path);
    view! {
        <div class="status" data-testid="status">
            {move || {
                let e = errors.get();
                (!e.is_empty()).then(|| view! {
                    <div class="banner bad" role="alert" data-testid="errors">
                        <p>
                            <strong>{format!("{} problem{} to fix. ", e.len(), if e.len() == 1 { "" } else { "s" })}</strong>
                            {move || if state.run.with(|r| r.result.is_some()) { "The figures below are the last valid results." } else { "" }}
                        </p>
                        <ul>
                            {e.into_iter().take(8).map(|i| {
                                let text = in_words(&i);
                                let path = i.path;
                                view! { <li><button type="button" class="link" on:click=move |_| jump(path.clone())>{text}</button></li> }
                            }).collect_view()}
                        </ul>
                    </div>
                })
            }}
            {move || state.run.with(|r| r.error.clone()).map(|e| {
                let path = e.path.clone();
                let text = e.to_string();
                view! {
                    <div class="banner bad" role="alert" data-testid="run-error">
                        <p>"The engine could not run this scenario: "
                            {if path.is_empty() {
                                text.into_any()
                            } else {
                                view! { <button type="button" class="link" on:click=move |_| jump(path.clone())>{text}</button> }.into_any()
                            }}
                        </p>
                        {move || state.run.with(|r| r.result.is_some()).then_some(view! { <p>"The figures below are the last results it could compute."</p> })}
                    </div>
                }
            })}
            {move || {
                let w = warnings.get();
                (!w.is_empty()).then(|| view! {
                    <details class="banner warn">
                        <summary>{format!("{} warning{}", w.len(), if w.len() == 1 { "" } else { "s" })}</summary>
                        <ul>{w.into_iter().map(|i| view! { <li>{in_words(&i)}</li> }).collect_view()}</ul>
                    </details>
                })
            }}
        </div>
    }
}

/// The main chart: capacity against the deliveries needed.
#[component]
fn MainChart(#[prop(into)] viewport: Signal<f64>) -> impl IntoView {
    let state = use_app_state();
    let size = Memo::new(move |_| plot_size(viewport.get()));
    let supply = Memo::new(move |_| {
        state
            .run
            .with(|r| r.result.clone())
            .and_then(|r| supply_chart(&r, size.get()))
    });
    view! {
        <section class="charts main-chart" aria-label="Main chart" class:stale=move || state.run.with(|r| r.stale)>
            <ChartFigure testid="chart-supply" caption="Capacity available to us by site (stacked) vs deliveries needed, with the required fleet (right axis)" data=supply />
        </section>
    }
}

#[component]
fn Charts(#[prop(into)] viewport: Signal<f64>) -> impl IntoView {
    let state = use_app_state();
    let size = Memo::new(move |_| plot_size(viewport.get()));
    let result = move || state.run.with(|r| r.result.clone());
    let by_site =
        Memo::new(move |_| result().and_then(|r| deliveries_by_site_chart(&r, size.get())));
    let by_region =
        Memo::new(move |_| result().and_then(|r| deliveries_by_region_chart(&r, size.get())));
    let backlog = Memo::new(move |_| result().and_then(|r| backlog_chart(&r, size.get())));
    view! {
        <section class="charts" aria-label="Charts" class:stale=move || state.run.with(|r| r.stale)>
            <ChartFigure testid="chart-deliveries-site" caption="Deliveries by site (stacked) vs deliveries needed" data=by_site />
            <ChartFigure testid="chart-deliveries-region" caption="Deliveries by supply region (stacked)" data=by_region />
            <ChartFigure testid="chart-backlog" caption="Backlog at month end and the share of each month's need delivered on time (right axis)" data=backlog />
        </section>
    }
}

/// Asks before a preset (or file, or link) replaces the scenario. A modal dialog: focus moves
/// to it, Tab stays inside it, Escape cancels, and focus returns to where it was.
#[component]
fn ConfirmReplace() -> impl IntoView {
    let state = use_app_state();
    let confirm_ref = NodeRef::<leptos::html::Button>::new();
    let cancel_ref = NodeRef::<leptos::html::Button>::new();
    let opener: Rc<RefCell<Option<web_sys::HtmlElement>>> = Rc::default();
    Effect::new(move |was_open: Option<bool>| {
        let open = state.pending_replace.with(Option::is_some);
        if open && was_open != Some(true) {
            *opener.borrow_mut() = document()
                .active_element()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(b) = confirm_ref.get() {
                let _ = b.focus();
            }
        } else if !open && was_open == Some(true) {
            if let Some(e) = opener.borrow_mut().take() {
                let _ = e.focus();
            }
        }
        open
    });
    let on_keydown = move |e: web_sys::KeyboardEvent| match e.key().as_str() {
        "Escape" => state.cancel_replace(),
        "Tab" => {
            let (Some(first), Some(last)) = (confirm_ref.get(), cancel_ref.get()) else {
                return;
            };
            let active = document().active_element();
            let at = |b: &web_sys::HtmlButtonElement| {
                active
                    .as_ref()
                    .is_some_and(|a| a == b.unchecked_ref::<web_sys::Element>())
            };
            if e.shift_key() && at(&first) {
                e.prevent_default();
                let _ = last.focus();
            } else if !e.shift_key() && at(&last) {
                e.prevent_default();
                let _ = first.focus();
            }
        }
        _ => {}
    };
    view! {
        <Show when=move || state.pending_replace.with(Option::is_some)>
            <div class="overlay">
                <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="confirm-h" aria-describedby="confirm-p" data-testid="confirm"
                    on:keydown=on_keydown>
                    <h2 id="confirm-h">"Replace the current scenario?"</h2>
                    <p id="confirm-p">
                        {move || state.pending_replace.with(|p| p.as_ref().map(|p| format!("Load {}. The current scenario is replaced; Undo (Ctrl+Z) brings it back.", p.label)))}
                    </p>
                    <div class="dialog-actions">
                        <button type="button" class="primary" data-testid="confirm-replace" node_ref=confirm_ref on:click=move |_| state.confirm_replace()>"Replace"</button>
                        <button type="button" data-testid="confirm-cancel" node_ref=cancel_ref on:click=move |_| state.cancel_replace()>"Cancel"</button>
                    </div>
                </div>
            </div>
        </Show>
    }
}
