//! The editor's scenario settings and sourcing policy: horizon, policy with its caps and
//! penalties, the priority order, the fixed split and renting.

use super::*;

/// Horizon: name, start month, months.
#[component]
pub(super) fn Horizon() -> impl IntoView {
    let [name, when @ ..] = &plain::HORIZON;
    view! {
        <PlainField f=name />
        <div class="pair">{plain_fields(when, 0)}</div>
    }
}

pub(super) fn policy_kind(p: &PolicyChoice) -> &'static str {
    match p {
        PolicyChoice::LeastCost => "least_cost",
        PolicyChoice::Priority { .. } => "priority",
        PolicyChoice::FixedSplit { .. } => "fixed_split",
    }
}

/// Sourcing policy with its caps and penalties.
#[component]
pub(super) fn Policy() -> impl IntoView {
    let state = use_app_state();
    // The last priority order and fixed split, with the site names they were for.
    type Kept = Option<(Vec<String>, PolicyChoice)>;
    let remembered = StoredValue::new((Kept::None, Kept::None));
    let kind = Memo::new(move |_| state.scenario.with(|s| policy_kind(&s.sourcing.policy)));
    view! {
        <div class="field">
            <div class="field-head"><label for="f-policy">"Sourcing policy"</label></div>
            <select id="f-policy" data-testid="policy"
                on:change=move |ev| {
                    let k = event_target_value(&ev);
                    state.edit("Sourcing policy", |s| {
                        // The order or weights typed before come back with a switch back, if
                        // the sites are still the same, in the same order.
                        let names = ops::names(s, Table::Sites);
                        let before = s.sourcing.policy.clone();
                        remembered.update_value(|r| match before {
                            PolicyChoice::Priority { .. } => r.0 = Some((names.clone(), before)),
                            PolicyChoice::FixedSplit { .. } => r.1 = Some((names.clone(), before)),
                            PolicyChoice::LeastCost => {}
                        });
                        ops::set_policy_kind(s, &k);
                        let back = remembered.with_value(|r| match k.as_str() {
                            "priority" => r.0.clone(),
                            "fixed_split" => r.1.clone(),
                            _ => None,
                        });
                        if let Some((was, policy)) = back {
                            if was == names {
                                s.sourcing.policy = policy;
                            }
                        }
                    });
                    state.seal();
                }>
                <option value="least_cost" selected=move || kind.get() == "least_cost">"Least cost (optimised)"</option>
                <option value="priority" selected=move || kind.get() == "priority">"Priority (fill sites in order)"</option>
                <option value="fixed_split" selected=move || kind.get() == "fixed_split">"Fixed split (target shares)"</option>
            </select>
        </div>
        {move || match kind.get() {
            "priority" => view! { <PriorityOrder /> }.into_any(),
            "fixed_split" => view! { <SplitShares /> }.into_any(),
            _ => ().into_any(),
        }}
        <div class="pair">{plain_fields(&plain::CAPS, 0)}</div>
        {registry::SOURCING.iter().map(|f| view! { <UncertainField input=Input::of(f, 0) /> }).collect_view()}
        {plain_fields(&plain::BUYING, 0)}
    }
}

#[component]
pub(super) fn PriorityOrder() -> impl IntoView {
    let state = use_app_state();
    let order = Memo::new(move |_| {
        state.scenario.with(|s| match &s.sourcing.policy {
            PolicyChoice::Priority { order } => {
                let mut o: Vec<usize> = order
                    .iter()
                    .copied()
                    .filter(|&i| i < s.sites.len())
                    .collect();
                o.extend((0..s.sites.len()).filter(|i| !order.contains(i)));
                o.into_iter()
                    .map(|i| (i, s.sites[i].name.clone()))
                    .collect::<Vec<_>>()
            }
            _ => Vec::new(),
        })
    });
    let swap = move |a: usize, b: usize| {
        let n = order.with_untracked(Vec::len);
        state.edit("Priority order", move |s| {
            let full: Vec<usize> = order.get_untracked().iter().map(|x| x.0).collect();
            let mut full = full;
            if a < full.len() && b < full.len() {
                full.swap(a, b);
            }
            s.sourcing.policy = PolicyChoice::Priority { order: full };
        });
        state.seal();
        // Focus follows the site that moved: the same arrow, or the other one at an end.
        let arrow = match (b < a, b == 0, b + 1 == n) {
            (true, true, _) => "down",
            (true, false, _) => "up",
            (false, _, true) => "up",
            (false, _, false) => "down",
        };
        focus(&format!("[data-testid=priority-{b}] .{arrow}"));
    };
    view! {
        <div class="field">
            <p class="field-head"><span>"Priority order (first filled first)"</span></p>
            <ol class="priority">
                {move || {
                    let o = order.get();
                    let n = o.len();
                    o.into_iter().enumerate().map(|(k, (_, name))| {
                        let up = format!("Move {name} up the priority order");
                        let down = format!("Move {name} down the priority order");
                        view! {
                            <li data-testid=format!("priority-{k}")>
                                <span>{name}</span>
                                <button type="button" class="icon up" aria-label=up disabled=k == 0 on:click=move |_| swap(k, k - 1)>"↑"</button>
                                <button type="button" class="icon down" aria-label=down disabled=k + 1 == n on:click=move |_| swap(k, k + 1)>"↓"</button>
                            </li>
                        }
                    }).collect_view()
                }}
            </ol>
            <p class="msg">{move || state.issues_at("sourcing.policy").into_iter().map(|i| i.to_string()).collect::<Vec<_>>().join("; ")}</p>
        </div>
    }
}

#[component]
pub(super) fn SplitShares() -> impl IntoView {
    let state = use_app_state();
    // The fields follow the sites (a renamed site renames its field).
    let names = Memo::new(move |_| {
        state
            .scenario
            .with(|s| s.sites.iter().map(|x| x.name.clone()).collect::<Vec<_>>())
    });
    // Each weight as a share of the split: weight / sum of weights.
    let split = Memo::new(move |_| {
        state.scenario.with(|s| match &s.sourcing.policy {
            PolicyChoice::FixedSplit { shares } => {
                let sum: f64 = shares
                    .iter()
                    .take(s.sites.len())
                    .filter(|w| w.is_finite() && **w > 0.0)
                    .sum();
                (0..s.sites.len())
                    .map(|k| {
                        let w = shares.get(k).copied().unwrap_or(0.0);
                        if sum > 0.0 && w.is_finite() && w >= 0.0 {
                            format!("{} of the split", crate::format::pct(w / sum))
                        } else {
                            String::new()
                        }
                    })
                    .collect::<Vec<_>>()
            }
            _ => Vec::new(),
        })
    });
    view! {
        <p class="hint">"Target share per site (normalised by their sum); what a site cannot deliver overflows to the rest."</p>
        {move || names.get().into_iter().enumerate().map(|(k, name)| {
            let lens: Lens<Option<f64>> = (
                Arc::new(move |s: &Scenario| match &s.sourcing.policy {
                    PolicyChoice::FixedSplit { shares } => Some(shares.get(k).copied()),
                    _ => None,
                }),
                Arc::new(move |s: &mut Scenario, v: Option<f64>| {
                    let len = s.sites.len();
                    if let PolicyChoice::FixedSplit { shares } = &mut s.sourcing.policy {
                        shares.resize(len, 0.0);
                        if k < len { shares[k] = v.unwrap_or(0.0); }
                    }
                }),
            );
            view! {
                <NumberField path=format!("sourcing.policy.shares[{k}]") label=format!("Share: {name}") unit="weight >= 0" lens=lens />
                <p class="unit split-share" data-testid=format!("split-share-{k}")>{move || split.with(|v| v.get(k).cloned().unwrap_or_default())}</p>
            }
        }).collect_view()}
        // A problem of the weights together (all zero, one per site), under them.
        <p class="msg" data-testid="split-msg">{move || {
            state.issues.with(|all| {
                all.iter()
                    .filter(|i| i.path == "sourcing.policy.shares")
                    .map(|i| format!("The weights: {}", i.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            })
        }}</p>
    }
}

/// Rented third-party capacity (MODEL.md §3.4): the rent and the server-equivalents available
/// per month, as (month, value) points. No points = no renting.
#[component]
pub(super) fn Renting() -> impl IntoView {
    let state = use_app_state();
    let len = Memo::new(move |_| {
        state
            .scenario
            .with(|s| s.renting.available_server_equivalents.len())
    });
    let add = move |_| {
        state.edit("Add point", |s| {
            let start = s.start_month.clone();
            let r = &mut s.renting;
            let v = r
                .available_server_equivalents
                .last()
                .map_or(Uncertain::Fixed(1000.0), |p| p.server_equivalents);
            let month = r
                .available_server_equivalents
                .last()
                .and_then(|p| parse_month(&p.month))
                .map_or(start, |m| format_month(m + 12));
            r.available_server_equivalents.push(RentPoint {
                month,
                server_equivalents: v,
            });
        });
        state.seal();
    };
    view! {
        <p class="hint">"Rented capacity covers servers missing in service in the month it is rented, up to the limit, when the rent is below the backlog penalty; nothing is bought and nothing joins the owned fleet. No points: no renting."</p>
        <UncertainField input=Input::of(&registry::RENT, 0) />
        <fieldset class="points" data-testid="rent-points">
            <legend>"Available to rent — " <span class="unit">"server-equivalents per month"</span></legend>
            <For each=move || 0..len.get() key=|j| *j let:j>
                {
                    let month: Lens<Option<String>> = (
                        Arc::new(move |s: &Scenario| s.renting.available_server_equivalents.get(j).map(|p| Some(p.month.clone()))),
                        Arc::new(move |s: &mut Scenario, v: Option<String>| {
                            if let Some(p) = s.renting.available_server_equivalents.get_mut(j) {
                                p.month = v.unwrap_or_default();
                            }
                        }),
                    );
                    let value: Lens<Uncertain> = (
                        Arc::new(move |s: &Scenario| s.renting.available_server_equivalents.get(j).map(|p| p.server_equivalents)),
                        Arc::new(move |s: &mut Scenario, v: Uncertain| {
                            if let Some(p) = s.renting.available_server_equivalents.get_mut(j) {
                                p.server_equivalents = v;
                            }
                        }),
                    );
                    view! {
                        <div class="point">
                            <TextField path=format!("renting.available_server_equivalents[{j}].month") label="From month" unit="YYYY-MM" lens=month />
                            <UncertainField input=Input { path: registry::RENT_AVAILABLE.path(0, j).to_string(), label: "Available", unit: registry::RENT_AVAILABLE.unit, lens: value, slider: None } />
                            <button type="button" class="icon remove" aria-label=format!("Remove point {} of the rented capacity", j + 1) on:click=move |_| {
                                state.edit("Remove point", |s| {
                                    let pts = &mut s.renting.available_server_equivalents;
                                    if j < pts.len() {
                                        pts.remove(j);
                                    }
                                });
                                state.seal();
                            }>"✕"</button>
                        </div>
                    }
                }
            </For>
            <button type="button" data-testid="rent-add-point" on:click=add>"Add point"</button>
        </fieldset>
    }
}
