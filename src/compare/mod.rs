//! Compare: the current scenario against up to four pinned ones (`crate::pins`). One table with
//! a column per scenario (the current one first), every figure's change against a baseline
//! column the planner chooses, the quick Monte Carlo's figures for each column that has them,
//! the deliveries and backlog of the current scenario over a pin's, and the inputs that differ.
//! On a phone the tables stack: one block per figure, each value under its column's name.

pub mod inputs;
pub mod pin_risk;
pub mod table;

use leptos::prelude::*;
use rackplan_core::Scenario;

use crate::charts::views::{compare_chart, plot_size, ChartFigure};
use crate::format::input_label_in;
use crate::pins::{time_in_words, MAX_PINS};
use crate::state::use_app_state;
pub use inputs::input_differences;
use table::{figure_rows, periods_note, risk_rows, Column, Row};

#[component]
pub fn ComparePanel(#[prop(into)] viewport: Signal<f64>) -> impl IntoView {
    let state = use_app_state();
    let quick = crate::quick::use_quick();
    pin_risk::keep_pins_risk(state, quick);
    // The current scenario's quick run, while it is for the scenario shown.
    let current_risk =
        move || quick.and_then(|q| (!q.updating.get()).then(|| q.risk.get()).flatten());
    let columns = move || -> Vec<Column> {
        let mut cols = vec![Column {
            name: crate::pins::CURRENT.into(),
            note: "being edited".into(),
            run: state.run.with(|r| r.result.clone()),
            risk: current_risk(),
        }];
        let runs = state.pin_runs.get();
        state.pins.with(|p| {
            for (pin, run) in p.iter().zip(runs) {
                cols.push(Column {
                    name: pin.name.clone(),
                    note: format!("pinned {}", time_in_words(&pin.pinned_at)),
                    run,
                    risk: pin.risk.clone(),
                });
            }
        });
        cols
    };
    let heads = Memo::new(move |_| {
        let mut h = vec![(crate::pins::CURRENT.to_string(), "being edited".to_string())];
        state.pins.with(|p| {
            h.extend(p.iter().map(|x| {
                (
                    x.name.clone(),
                    format!("pinned {}", time_in_words(&x.pinned_at)),
                )
            }))
        });
        h
    });
    let baseline = state.baseline;
    let figures = Memo::new(move |_| figure_rows(&columns(), baseline.get()));
    let risks = Memo::new(move |_| risk_rows(&columns(), baseline.get()));
    let periods = Memo::new(move |_| periods_note(&columns()));
    let updating = move || quick.is_some_and(|q| q.updating.get());

    let size = Memo::new(move |_| {
        let (w, h) = plot_size(viewport.get());
        // Side by side on wide screens.
        if viewport.get() >= 1400.0 {
            ((w / 2).max(300) - 8, (h * 4 / 5).max(230))
        } else {
            (w, h)
        }
    });
    // The charts and the inputs: the current scenario over the reference pin (the baseline pin,
    // or the first pin while the baseline is the current scenario).
    let pair = move || {
        let (_, a) = state.reference.get()?;
        let b = state.run.with(|r| r.result.clone())?;
        Some((a, b))
    };
    let deliveries =
        Memo::new(move |_| pair().and_then(|(a, b)| compare_chart(&a, &b, size.get(), false)));
    let backlog =
        Memo::new(move |_| pair().and_then(|(a, b)| compare_chart(&a, &b, size.get(), true)));
    let reference_index = Memo::new(move |_| match baseline.get() {
        0 => 0,
        b => b - 1,
    });
    let reference_name =
        Memo::new(move |_| state.reference.with(|r| r.as_ref().map(|x| x.0.clone())));
    // The reference pin's value once per pin, not on every edit.
    let reference_value = Memo::new(move |_| {
        let k = reference_index.get();
        state
            .pins
            .with(|p| p.get(k).map(|x| x.scenario.to_json_value()))
    });
    let inputs = Memo::new(move |_| {
        reference_value.with(|a| {
            a.as_ref().map(|a| {
                let b = state.scenario.with(Scenario::to_json_value);
                input_differences(a, &b, 60)
            })
        })
    });
    let rename_note = RwSignal::new(None::<String>);

    view! {
        <section class="compare" aria-labelledby="compare-h" data-testid="compare">
            <h2 id="compare-h">"Compare"</h2>
            <p class="msg" role="status" data-testid="pin-note">{move || state.pin_note.get()}</p>
            {move || if state.pins.with(Vec::is_empty) {
                view! {
                    <p class="hint">{format!("Pin the current scenario (toolbar: “Pin”), then edit: Compare shows the scenario being edited beside every pin, up to {MAX_PINS}.")}</p>
                }.into_any()
            } else {
                view! {
                    <PinList rename_note=rename_note />
                    <p class="msg" role="alert" data-testid="pin-rename-note">{move || rename_note.get()}</p>
                    <label class="compare-baseline">
                        "Changes against "
                        <select data-testid="compare-baseline" on:change=move |ev| {
                            if let Ok(i) = event_target_value(&ev).parse::<usize>() {
                                baseline.set(i);
                            }
                        }>
                            {move || heads.get().into_iter().enumerate().map(|(i, (name, _))| view! {
                                <option value=i.to_string() selected=move || baseline.get() == i>{name}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    {move || periods.get().map(|p| view! { <p class="hint" data-testid="compare-periods">{p}</p> })}
                    <FigureTable testid="compare-table" caption="Headline figures" heads=heads rows=figures baseline=baseline />
                    {move || {
                        let rows = risks.get();
                        let missing = rows.iter().any(|r| r.cells.iter().any(|c| c.value == "–"));
                        let note = if updating() {
                            Some("The current scenario's run is updating: its column fills in when it is done.")
                        } else if missing {
                            Some("“–”: a pin's run is still under way (one pin at a time, in the background), or could not be computed.")
                        } else {
                            None
                        };
                        (!rows.is_empty()).then(|| view! {
                            <FigureTable testid="compare-risk" caption="Risk: quick Monte Carlo of each scenario (1,000 samples, its own seed)" heads=heads rows=risks baseline=baseline />
                            {note.map(|n| view! { <p class="hint" data-testid="compare-risk-note">{n}</p> })}
                        })
                    }}
                    {move || reference_name.get().map(|name| view! {
                        <div class="compare-charts">
                            <ChartFigure testid="chart-compare-deliveries" caption=format!("Deliveries: A = {name} (pinned, dashed), B = Current") data=deliveries />
                            <ChartFigure testid="chart-compare-backlog" caption=format!("Backlog: A = {name} (pinned, dashed), B = Current") data=backlog />
                        </div>
                    })}
                    <div class="table-scroll" tabindex="0" role="region" aria-label="Inputs that differ">
                        <table class="diff inputs" data-testid="compare-inputs">
                            <caption>{move || format!("Inputs that differ: {} and Current", reference_name.get().unwrap_or_default())}</caption>
                            <thead><tr>
                                <th scope="col">"Input"</th>
                                <th scope="col">{move || reference_name.get().unwrap_or_default()}</th>
                                <th scope="col">"Current"</th>
                            </tr></thead>
                            <tbody>
                                {move || {
                                    let list = inputs.get().unwrap_or_default();
                                    let a_name = reference_name.get().unwrap_or_default();
                                    if list.is_empty() {
                                        view! { <tr><td colspan="3">"No input differs."</td></tr> }.into_any()
                                    } else {
                                        let k = reference_index.get_untracked();
                                        list.into_iter().map(|(p, a, b)| {
                                            // Named by the current rows (the pin's for a row the
                                            // current scenario no longer has); the path on hover.
                                            let label = state.scenario.with_untracked(|b| {
                                                state.pins.with_untracked(|pins| match pins.get(k) {
                                                    Some(a) => input_label_in(&[b, &a.scenario], &p),
                                                    None => input_label_in(&[b], &p),
                                                })
                                            });
                                            view! { <tr><th scope="row" title=p>{label}</th><td data-label=a_name.clone()>{a}</td><td data-label="Current">{b}</td></tr> }
                                        }).collect_view().into_any()
                                    }
                                }}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

/// The pins: each with its name (editable), when it was pinned, and its actions.
#[component]
fn PinList(rename_note: RwSignal<Option<String>>) -> impl IntoView {
    let state = use_app_state();
    // Keyed by slot and time, so typing in one name field is not redrawn under the cursor.
    let keys = Memo::new(move |_| {
        state.pins.with(|p| {
            p.iter()
                .map(|x| (x.slot, x.pinned_at.clone()))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <ul class="pins" data-testid="pins" aria-label="Pinned scenarios">
            <For each=move || keys.get() key=|k| k.clone() let:k>
                {
                    let slot = k.0;
                    let name = move || state.pins.with(|p| p.iter().find(|x| x.slot == slot).map(|x| x.name.clone()).unwrap_or_default());
                    view! {
                        <li class="pin" data-testid="pin-item">
                            <input type="text" class="pin-name" data-testid="pin-name" maxlength="60"
                                aria-label=move || format!("Name of the pinned scenario “{}”", name())
                                prop:value=name
                                on:change=move |ev| {
                                    let input: web_sys::HtmlInputElement = event_target(&ev);
                                    match state.rename_pin(slot, &input.value()) {
                                        Ok(()) => rename_note.set(None),
                                        Err(e) => {
                                            rename_note.set(Some(e));
                                            input.set_value(&name());
                                        }
                                    }
                                } />
                            <span class="pin-time">{format!("pinned {}", time_in_words(&k.1))}</span>
                            <span class="pin-actions">
                                <button type="button" data-testid="pin-replace" title="Pin the current scenario in this one's place"
                                    on:click=move |_| state.replace_pin(slot)>"Replace with current"</button>
                                <button type="button" data-testid="unpin" aria-label=move || format!("Unpin “{}”", name())
                                    on:click=move |_| state.unpin(slot)>"Unpin"</button>
                            </span>
                        </li>
                    }
                }
            </For>
        </ul>
    }
}

/// A table of figures, a column per scenario; on a phone each row stacks (CSS).
#[component]
fn FigureTable(
    testid: &'static str,
    #[prop(into)] caption: String,
    heads: Memo<Vec<(String, String)>>,
    rows: Memo<Vec<Row>>,
    baseline: RwSignal<usize>,
) -> impl IntoView {
    let label = caption.clone();
    view! {
        <div class="table-scroll compare-scroll" tabindex="0" role="region" aria-label=label>
            <table class="diff figures" data-testid=testid>
                <caption>{caption}</caption>
                <thead><tr>
                    <th scope="col">"Figure"</th>
                    {move || heads.get().into_iter().enumerate().map(|(i, (name, note))| view! {
                        <th scope="col" data-testid="compare-col">
                            <span class="col-name">{name}</span>
                            <span class="col-note">{move || if baseline.get() == i { format!("{note} · baseline") } else { note.clone() }}</span>
                        </th>
                    }).collect_view()}
                </tr></thead>
                <tbody>
                    {move || {
                        let names: Vec<String> = heads.with(|h| h.iter().map(|x| x.0.clone()).collect());
                        let base = baseline.get();
                        rows.get().into_iter().map(|r| view! {
                            <tr data-row=r.id>
                                <th scope="row">{r.label}</th>
                                {r.cells.into_iter().enumerate().map(|(i, c)| {
                                    let col = names.get(i).cloned().unwrap_or_default();
                                    let (cls, mark) = match c.good {
                                        Some(true) => ("chg good", "▲ "),
                                        Some(false) => ("chg bad", "▼ "),
                                        None => ("chg", ""),
                                    };
                                    view! {
                                        <td data-label=col class:baseline=i == base>
                                            <span class="val">{c.value}</span>
                                            {c.change.map(|t| view! { <span class=cls>{mark}{t}</span> })}
                                        </td>
                                    }
                                }).collect_view()}
                            </tr>
                        }).collect_view()
                    }}
                </tbody>
            </table>
        </div>
    }
}
