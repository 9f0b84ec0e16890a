//! Inputs that move together (MODEL.md §5.5): correlation groups of the scenario, edited in the
//! uncertainty panel. Pick two uncertain inputs to correlate them (the second joins the group of
//! the first, if it has one), a slider per pair (-1..1), remove a group. The validator's problems
//! show at their group, with "use the nearest valid matrix" when its correlations contradict
//! each other (what was typed is never changed without that click).

use leptos::prelude::*;
use rackplan_core::montecarlo::{self, correlate};
use rackplan_core::scenario::CorrelationGroup;
use rackplan_core::Severity;

use crate::state::use_app_state;

/// Samples drawn for the scatter plot of a pair (ranks of the first ones of a run this long).
const SCATTER_SAMPLES: usize = 400;

/// Correlation a new pair starts with.
const NEW_PAIR: f64 = 0.5;

/// Add `input` to `g` with correlation `rho` to every input already in it.
fn add_input(g: &mut CorrelationGroup, input: String, rho: f64) {
    for row in &mut g.matrix {
        row.push(rho);
    }
    g.inputs.push(input);
    let k = g.inputs.len();
    let mut last = vec![rho; k];
    last[k - 1] = 1.0;
    g.matrix.push(last);
}

/// The inputs a correlation can join: each uncertain input's path, and its label as the tornado
/// and the problems show it ("Foxconn Taiwan: ramp").
fn choices(s: &rackplan_core::Scenario) -> Vec<(String, String)> {
    montecarlo::uncertain_inputs(s)
        .into_iter()
        .map(|i| {
            let path = i.path.to_string();
            let label = crate::format::input_label(s, &path);
            (path, label)
        })
        .collect()
}

/// A menu of the inputs a correlation can join, after `text`, with `none` as its empty choice.
fn input_picker(
    text: &'static str,
    none: &'static str,
    testid: &'static str,
    inputs: Memo<Vec<(String, String)>>,
    pick: RwSignal<String>,
) -> impl IntoView {
    view! {
        <label>
            {text}
            <select data-testid=testid on:change=move |ev| pick.set(event_target_value(&ev))>
                <option value="">{none}</option>
                {move || {
                    inputs
                        .get()
                        .into_iter()
                        .map(|(path, label)| view! { <option value=path>{label}</option> })
                        .collect_view()
                }}
            </select>
        </label>
    }
}

#[component]
pub fn CorrelationsEditor() -> impl IntoView {
    let state = use_app_state();
    let inputs = Memo::new(move |_| state.scenario.with(choices));
    let groups = Memo::new(move |_| state.scenario.with(|s| s.correlations.clone()));
    let pick_a = RwSignal::new(String::new());
    let pick_b = RwSignal::new(String::new());
    let add = move |_| {
        let (a, b) = (pick_a.get_untracked(), pick_b.get_untracked());
        if a.is_empty() || b.is_empty() || a == b {
            return;
        }
        state.edit("Correlate inputs", |s| {
            match s.correlations.iter_mut().find(|g| g.inputs.contains(&a)) {
                Some(g) => {
                    if !g.inputs.contains(&b) {
                        add_input(g, b, NEW_PAIR);
                    }
                }
                None => s.correlations.push(CorrelationGroup {
                    inputs: vec![a, b],
                    matrix: vec![vec![1.0, NEW_PAIR], vec![NEW_PAIR, 1.0]],
                    note: String::new(),
                }),
            }
        });
    };
    view! {
        <section class="mc-correlations" data-testid="mc-correlations">
            <h3>"Inputs that move together"</h3>
            <p class="mc-note">
                "Rank correlation between uncertain inputs (MODEL.md §5.5): each input keeps its own distribution; only which samples get its high and low values changes."
            </p>
            {move || {
                groups
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(g, group)| view! { <GroupView g=g group=group /> })
                    .collect_view()
            }}
            <div class="mc-correlate">
                {input_picker("Correlate ", "an input…", "mc-corr-a", inputs, pick_a)}
                {input_picker(" with ", "another input…", "mc-corr-b", inputs, pick_b)}
                <button data-testid="mc-corr-add" on:click=add>"Add"</button>
            </div>
        </section>
    }
}

#[component]
fn GroupView(g: usize, group: CorrelationGroup) -> impl IntoView {
    let state = use_app_state();
    let prefix = format!("correlations[{g}]");
    let problems = Memo::new(move |_| {
        let prefix = prefix.clone();
        state.issues.with(|issues| {
            issues
                .iter()
                .filter(|i| i.severity == Severity::Error && i.path.starts_with(&prefix))
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
        })
    });
    let nearest = Memo::new(move |_| {
        state
            .scenario
            .with(|s| correlate::nearest_valid_matrix(s, g))
    });
    let k = group.inputs.len();
    let pairs: Vec<(usize, usize)> = (0..k)
        .flat_map(|i| (i + 1..k).map(move |j| (i, j)))
        .filter(|&(i, j)| group.matrix.get(i).is_some_and(|r| r.len() > j))
        .collect();
    // The scatter plot of one pair's sampled ranks (computed only while it is open).
    let pair_inputs: Vec<(String, String)> = pairs
        .iter()
        .map(|&(i, j)| (group.inputs[i].clone(), group.inputs[j].clone()))
        .collect();
    let scatter_open = RwSignal::new(false);
    let scatter_pair = RwSignal::new(0usize);
    let scatter_pairs: Vec<(usize, usize)> = pairs.clone();
    let scatter = Memo::new(move |_| {
        if !scatter_open.get() {
            return None;
        }
        let (i, j) = *scatter_pairs.get(scatter_pair.get())?;
        state
            .scenario
            .with(|s| correlate::pair_sample(s, g, i, j, SCATTER_SAMPLES))
    });
    let pair_options = pair_inputs
        .iter()
        .enumerate()
        .map(|(k, (x, y))| view! { <option value=k.to_string()>{format!("{x} ~ {y}")}</option> })
        .collect_view();
    let sliders = pairs
        .into_iter()
        .map(|(i, j)| {
            let rho = group.matrix[i][j];
            let label = format!("{} ~ {}", group.inputs[i], group.inputs[j]);
            let set = move |ev: leptos::ev::Event| {
                if let Ok(v) = event_target_value(&ev).parse::<f64>() {
                    let v = v.clamp(-1.0, 1.0);
                    state.edit("Correlation", |s| {
                        if let Some(m) = s.correlations.get_mut(g).map(|x| &mut x.matrix) {
                            if m.get(i).is_some_and(|r| r.len() > j)
                                && m.get(j).is_some_and(|r| r.len() > i)
                            {
                                m[i][j] = v;
                                m[j][i] = v;
                            }
                        }
                    });
                }
            };
            view! {
                <label class="mc-corr-pair">
                    <span>{label}</span>
                    <input
                        type="range"
                        min="-1"
                        max="1"
                        step="0.05"
                        data-testid=format!("mc-corr-{g}-{i}-{j}")
                        prop:value=rho.to_string()
                        on:change=set
                    />
                    <output>{format!("{rho:+.2}")}</output>
                </label>
            }
        })
        .collect_view();
    let remove = move |_| {
        state.edit("Remove correlation group", |s| {
            if g < s.correlations.len() {
                s.correlations.remove(g);
            }
        })
    };
    let apply_nearest = move |_| {
        if let Some(m) = nearest.get_untracked() {
            state.edit("Use the nearest valid correlation matrix", |s| {
                if let Some(x) = s.correlations.get_mut(g) {
                    x.matrix = m;
                }
            });
        }
    };
    view! {
        <div class="mc-corr-group" data-testid=format!("mc-corr-group-{g}")>
            <p>
                <strong>{format!("Group {}", g + 1)}</strong>
                {(!group.note.is_empty()).then(|| format!(" — {}", group.note))}
                " "
                <button data-testid=format!("mc-corr-remove-{g}") on:click=remove>"Remove group"</button>
            </p>
            {sliders}
            {(!pair_inputs.is_empty()).then(|| view! {
                <details class="mc-corr-scatter" data-testid=format!("mc-corr-scatter-{g}")
                    on:toggle=move |_| scatter_open.update(|o| *o = !*o)>
                    <summary>"Sampled pairs: what was asked and what was got"</summary>
                    <label>
                        "Pair "
                        <select on:change=move |ev| {
                            if let Ok(k) = event_target_value(&ev).parse::<usize>() {
                                scatter_pair.set(k);
                            }
                        }>{pair_options}</select>
                    </label>
                    {move || scatter.get().map(|p| {
                        let (x, y) = pair_inputs
                            .get(scatter_pair.get_untracked())
                            .cloned()
                            .unwrap_or_default();
                        let caption = format!(
                            "Asked {:+.2}, got {:+.2}: rank correlation of the first {} samples (seed {}). Across: rank of {x}; up: rank of {y}.",
                            p.asked,
                            p.got,
                            p.points.len(),
                            state.scenario.with_untracked(|s| s.monte_carlo.seed)
                        );
                        let dots = p
                            .points
                            .iter()
                            .map(|&(x, y)| view! {
                                <circle cx=format!("{:.2}", 2.0 + 96.0 * x) cy=format!("{:.2}", 98.0 - 96.0 * y) r="0.9" />
                            })
                            .collect_view();
                        view! {
                            <figure data-testid="mc-corr-scatter-plot">
                                <svg viewBox="0 0 100 100" width="220" height="220" role="img"
                                    aria-label=caption.clone()>
                                    <rect x="0.5" y="0.5" width="99" height="99" class="frame" />
                                    {dots}
                                </svg>
                                <figcaption data-testid="mc-corr-scatter-caption">{caption}</figcaption>
                            </figure>
                        }
                    })}
                </details>
            })}
            {move || {
                problems
                    .get()
                    .into_iter()
                    .map(|m| view! { <p class="msg" role="alert">{m}</p> })
                    .collect_view()
            }}
            {move || nearest.get().map(|_| view! {
                <button data-testid=format!("mc-corr-nearest-{g}") on:click=apply_nearest>
                    "Use the nearest valid matrix"
                </button>
            })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_picker_names_inputs_by_label_and_keeps_their_paths() {
        let mut s = rackplan_core::presets::base_case();
        s.sites[0].ramp_months = rackplan_core::Uncertain::tri(2.0, 4.0, 8.0);
        let site = s.sites[0].name.clone();
        let all = choices(&s);
        assert_eq!(all.len(), montecarlo::uncertain_inputs(&s).len());
        let ramp = all.iter().find(|(p, _)| p == "sites[0].ramp_months");
        assert_eq!(ramp.map(|x| x.1.clone()), Some(format!("{site}: ramp")));
        assert!(
            all.iter().all(|(p, l)| p != l),
            "every input has a label of its own"
        );
    }
}
