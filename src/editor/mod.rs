//! The scenario editor: scenario settings, sourcing policy, the levers people move most, the
//! markets / supply regions / supplier sites / extra demand tables, Monte Carlo settings, notes.

pub mod fields;
pub mod suppliers;

use std::sync::Arc;

use leptos::prelude::*;
use rackplan_core::scenario::{
    format_month, parse_month, CapacityPoint, PolicyChoice, RentPoint, SharePoint,
};
use rackplan_core::{Scenario, Uncertain};

use crate::ops::{self, Table};
use crate::state::use_app_state;
use crate::{lens, row_lens};
use fields::{
    CheckField, Getter, Lens, NumberField, SelectField, Setter, Slider, TextField, UncertainField,
};

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

fn opt<T: Clone + Send + Sync + 'static>(l: Lens<T>) -> Lens<Option<T>> {
    let (g, s) = l;
    (
        Arc::new(move |sc: &Scenario| g(sc).map(Some)),
        Arc::new(move |sc: &mut Scenario, v: Option<T>| {
            if let Some(v) = v {
                s(sc, v)
            }
        }),
    )
}

fn u32_lens(get: fn(&Scenario) -> u32, set: fn(&mut Scenario, u32)) -> Lens<Option<f64>> {
    (
        Arc::new(move |s: &Scenario| Some(Some(get(s) as f64))),
        Arc::new(move |s: &mut Scenario, v: Option<f64>| {
            if let Some(v) = v {
                set(s, v.round().clamp(0.0, u32::MAX as f64) as u32)
            }
        }),
    )
}

/// The stages (crate::app::Staged) that draw the editor's groups after its levers: policy,
/// markets, sites, then the rest.
pub const EDITOR_STAGES: [u8; 4] = [3, 4, 5, 6];

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
    // The groups are drawn one per task (crate::app::Staged), the levers and policy first.
    let drawn = crate::app::drawn_from_context();
    view! {
        <div class="editor">
            <Levers />
            <suppliers::SupplierLevers />
            <Show when=drawn(EDITOR_STAGES[0])><details class="group" open>
                <summary><h2>"Horizon and sourcing policy"</h2></summary>
                <Horizon />
                <Policy />
            </details></Show>
            <Show when=drawn(EDITOR_STAGES[1])><details class="group">
                <summary><h2>"Demand regions (markets)"</h2></summary>
                <TableSection table=Table::Markets add_label="Add market" body=market_body />
            </details></Show>
            <Show when=drawn(EDITOR_STAGES[2])><details class="group">
                <summary><h2>"Supplier sites"</h2></summary>
                <p class="hint"><a href="#all-sites" data-testid="to-grid">"All sites in one grid"</a>" (beside the results): edit every site's capacity, share, qualification, ramp, yield and price at once, or paste them from a spreadsheet."</p>
                <TableSection table=Table::Sites add_label="Add site" body=site_body />
            </details></Show>
            <Show when=drawn(EDITOR_STAGES[3])><details class="group">
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
                <UncertainField path="fleet.server_lifetime_months" label="Server lifetime" unit="months" lens=lens!(fleet.server_lifetime_months) />
                <UncertainField path="fleet.initial_fleet_age_months" label="Age of the initial fleet" unit="months" lens=lens!(fleet.initial_fleet_age_months) />
                <NumberField path="monte_carlo.seed" label="Random seed" unit="integer" whole=true lens=(
                    Arc::new(|s: &Scenario| Some(Some(s.monte_carlo.seed as f64))) as Getter<_>,
                    Arc::new(|s: &mut Scenario, v: Option<f64>| if let Some(v) = v { s.monte_carlo.seed = v.max(0.0).round() as u64 }) as Setter<_>,
                ) />
                <NumberField path="monte_carlo.samples" label="Monte Carlo samples" unit="samples" whole=true lens=u32_lens(|s| s.monte_carlo.samples, |s, v| s.monte_carlo.samples = v) />
            </details>
            <Notes />
            </Show>
        </div>
    }
}

/// Horizon: name, start month, months.
#[component]
fn Horizon() -> impl IntoView {
    view! {
        <TextField path="name" label="Scenario name" lens=opt(lens!(name)) check=not_empty />
        <div class="pair">
            <TextField path="start_month" label="Start month" unit="YYYY-MM" placeholder="2025-01" lens=opt(lens!(start_month)) check=not_empty />
            <NumberField path="horizon_months" label="Horizon" unit="months" testid="horizon" whole=true lens=u32_lens(|s| s.horizon_months, |s, v| s.horizon_months = v) />
        </div>
    }
}

fn policy_kind(p: &PolicyChoice) -> &'static str {
    match p {
        PolicyChoice::LeastCost => "least_cost",
        PolicyChoice::Priority { .. } => "priority",
        PolicyChoice::FixedSplit { .. } => "fixed_split",
    }
}

/// Sourcing policy with its caps and penalties.
#[component]
fn Policy() -> impl IntoView {
    let state = use_app_state();
    // The last priority order and fixed split, with the site names they were for.
    type Kept = Option<(Vec<String>, PolicyChoice)>;
    let remembered = StoredValue::new((Kept::None, Kept::None));
    let kind = Memo::new(move |_| state.scenario.with(|s| policy_kind(&s.sourcing.policy)));
    let cap = |get: fn(&Scenario) -> Option<f64>,
               set: fn(&mut Scenario, Option<f64>)|
     -> Lens<Option<f64>> {
        (
            Arc::new(move |s: &Scenario| Some(get(s))),
            Arc::new(move |s: &mut Scenario, v| set(s, v)),
        )
    };
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
        <div class="pair">
            <NumberField path="sourcing.max_supplier_share" label="Cap per supplier" unit="share of a month's deliveries, 0–1; empty = no cap" optional=true
                lens=cap(|s| s.sourcing.max_supplier_share, |s, v| s.sourcing.max_supplier_share = v) />
            <NumberField path="sourcing.max_region_share" label="Cap per region" unit="share of a month's deliveries, 0–1; empty = no cap" optional=true
                lens=cap(|s| s.sourcing.max_region_share, |s, v| s.sourcing.max_region_share = v) />
        </div>
        <UncertainField path="sourcing.backlog_penalty_usd_per_unit_month" label="Backlog penalty" unit="USD per server-month short" lens=lens!(sourcing.backlog_penalty_usd_per_unit_month) />
        <UncertainField path="sourcing.holding_cost_usd_per_unit_month" label="Holding cost" unit="USD per server-month held" lens=lens!(sourcing.holding_cost_usd_per_unit_month) />
        <UncertainField path="sourcing.risk_premium_usd_per_unit" label="Risk premium" unit="USD per unit at risk weight 1" lens=lens!(sourcing.risk_premium_usd_per_unit) />
        <CheckField path="sourcing.allow_build_ahead" label="Allow deliveries ahead of need (build-ahead)" lens=lens!(sourcing.allow_build_ahead) />
        <NumberField path="commitment.block_months" label="Commitment block" unit="months per reservation block (3 = calendar quarters)" whole=true lens=u32_lens(|s| s.commitment.block_months, |s, v| s.commitment.block_months = v) />
    }
}

#[component]
fn PriorityOrder() -> impl IntoView {
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
fn SplitShares() -> impl IntoView {
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

/// The levers people move most, for one chosen market and one chosen site.
#[component]
fn Levers() -> impl IntoView {
    let state = use_app_state();
    let market = RwSignal::new(0usize);
    let site = RwSignal::new(0usize);
    // The chosen market and site follow their rows (moved, renamed, undone); when a chosen row
    // is removed, the first row is chosen.
    state.on_change(move |before, after| {
        for (sel, table) in [(market, Table::Markets), (site, Table::Sites)] {
            let old = ops::names(before, table);
            let mut flags = vec![false; old.len()];
            if let Some(f) = flags.get_mut(sel.get_untracked()) {
                *f = true;
            }
            let now = ops::follow_rows(&old, &flags, &ops::names(after, table));
            let i = now.iter().position(|&f| f).unwrap_or(0);
            if i != sel.get_untracked() {
                sel.set(i);
            }
        }
    });
    let market_names = Memo::new(move |_| {
        state
            .scenario
            .with(|s| s.markets.iter().map(|m| m.name.clone()).collect::<Vec<_>>())
    });
    let site_names = Memo::new(move |_| {
        state
            .scenario
            .with(|s| s.sites.iter().map(|m| m.name.clone()).collect::<Vec<_>>())
    });
    let picker = move |id: &'static str,
                       label: &'static str,
                       names: Memo<Vec<String>>,
                       sel: RwSignal<usize>| {
        view! {
            <div class="field">
                <div class="field-head"><label for=id>{label}</label></div>
                <select id=id on:change=move |ev| sel.set(event_target_value(&ev).parse().unwrap_or(0))>
                    {move || names.get().into_iter().enumerate().map(|(i, n)| view! {
                        <option value=i.to_string() selected=move || sel.get() == i>{n}</option>
                    }).collect_view()}
                </select>
            </div>
        }
    };
    view! {
        <details class="group levers" open>
            <summary><h2>"Levers"</h2></summary>
            <div class="lever-block">
                {picker("lever-market", "Market", market_names, market)}
                {move || {
                    let i = market.get();
                    (i < market_names.with(|m| m.len())).then(|| view! {
                        <UncertainField path=format!("markets[{i}].adoption_ceiling") label="Adoption ceiling" unit="share of capable devices, 0–1" lens=row_lens!(markets, i, adoption_ceiling) slider=SHARE testid="lever-adoption-ceiling" lever=true />
                        <UncertainField path=format!("markets[{i}].cloud_share") label="Cloud share" unit="share of requests, 0–1" lens=row_lens!(markets, i, cloud_share) slider=SHARE testid="lever-cloud-share" lever=true />
                    })
                }}
            </div>
            <div class="lever-block">
                {picker("lever-site", "Site", site_names, site)}
                {move || {
                    let i = site.get();
                    (i < site_names.with(|m| m.len())).then(|| site_levers(i))
                }}
            </div>
        </details>
    }
}

/// Share of site `i` taken by other customers, as one number: the first point; moving it moves
/// every point by the same amount.
fn other_share_lens(i: usize) -> Lens<Uncertain> {
    (
        Arc::new(move |s: &Scenario| {
            s.sites.get(i).map(|x| {
                x.other_customers_share
                    .first()
                    .map(|p| p.share)
                    .unwrap_or(Uncertain::Fixed(0.0))
            })
        }),
        Arc::new(move |s: &mut Scenario, v: Uncertain| {
            let start = s.start_month.clone();
            if let Some(site) = s.sites.get_mut(i) {
                if site.other_customers_share.is_empty() {
                    site.other_customers_share.push(SharePoint {
                        month: start,
                        share: v,
                    });
                    return;
                }
                let d = v.point() - site.other_customers_share[0].share.point();
                site.other_customers_share[0].share = v;
                for p in site.other_customers_share.iter_mut().skip(1) {
                    let x = (p.share.point() + d).clamp(0.0, 1.0);
                    p.share = ops::uncertain::set_point(&p.share, x, (0.0, 1.0));
                }
            }
        }),
    )
}

fn site_levers(i: usize) -> impl IntoView {
    let state = use_app_state();
    let price_max = state.scenario.with_untracked(|s| {
        s.sites
            .iter()
            .map(|x| x.unit_price_usd.point())
            .fold(1000.0, f64::max)
            * 2.0
    });
    let price_max = (price_max / 1000.0).ceil() * 1000.0;
    view! {
        {suppliers::site_lever_note(i)}
        <UncertainField path=format!("sites[{i}].other_customers_share") label="Other customers' share" unit="share of capacity, 0–1 (later points move with it)" lens=other_share_lens(i) slider=SHARE testid="lever-other-share" lever=true />
        <UncertainField path=format!("sites[{i}].qualification_lead_time_months") label="Qualification" unit="months to first unit" lens=row_lens!(sites, i, qualification_lead_time_months) slider=Slider { min: 0.0, max: 36.0, step: 1.0, bounds: NON_NEGATIVE } testid="lever-qualification" lever=true />
        <UncertainField path=format!("sites[{i}].unit_price_usd") label="Unit price" unit="USD per server" lens=row_lens!(sites, i, unit_price_usd) slider=Slider { min: 0.0, max: price_max, step: 100.0, bounds: NON_NEGATIVE } testid="lever-price" lever=true />
    }
}

/// One editable table: its rows (keyed by position) and an add button.
#[component]
fn TableSection(
    table: Table,
    add_label: &'static str,
    body: fn(usize) -> AnyView,
) -> impl IntoView {
    let state = use_app_state();
    let rows = expect_context::<OpenRows>();
    let count = Memo::new(move |_| state.scenario.with(|s| table.len(s)));
    view! {
        <p class="count">{move || match count.get() { 1 => "1 row".to_string(), n => format!("{n} rows") }}</p>
        <ol class="rows" data-testid=format!("table-{}", table.key())>
            <For each=move || 0..count.get() key=|i| *i let:i>
                <RowCard table=table i=i count=count body=body />
            </For>
        </ol>
        <button type="button" data-testid=format!("add-{}", table.key()) on:click=move |_| {
            let mut added = 0;
            state.edit(add_label, |s| added = ops::add_row(s, table));
            state.seal();
            rows.open(table, added);
        }>{add_label}</button>
    }
}

fn focus(selector: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = document().query_selector(selector).ok().flatten() {
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}

#[component]
fn RowCard(
    table: Table,
    i: usize,
    count: Memo<usize>,
    body: fn(usize) -> AnyView,
) -> impl IntoView {
    let state = use_app_state();
    let rows = expect_context::<OpenRows>();
    let name = Memo::new(move |_| state.scenario.with(|s| table.name(s, i)));
    let open = Memo::new(move |_| rows.is_open(table, i));
    // Outside the view: in an attribute, `>=` would end the tag.
    let is_last = move || i + 1 >= count.get();
    let row_path = format!("{}[{i}]", table.key());
    let bad = Memo::new(move |_| {
        state
            .issues_at(&row_path)
            .iter()
            .any(|x| x.severity == rackplan_core::Severity::Error)
    });
    let key = table.key();
    let body_id = format!("row-{key}-{i}-body");
    let mv = move |to: usize, cls: &'static str| {
        state.edit("Move row", |s| ops::move_row(s, table, i, to));
        state.seal();
        focus(&format!("[data-testid=row-{key}-{to}] .{cls}"));
    };
    view! {
        <li class="row-card" class:invalid=move || bad.get() data-testid=format!("row-{key}-{i}")>
            <div class="row-head">
                <button type="button" class="row-toggle" aria-expanded=move || open.get().to_string() aria-controls=body_id.clone()
                    on:click=move |_| rows.toggle(table, i)>
                    <span class="chev" aria-hidden="true">{move || if open.get() { "▾" } else { "▸" }}</span>
                    {format!("{}. ", i + 1)}{move || name.get()}
                    {move || bad.get().then(|| view! { <span class="badge">"needs a fix"</span> })}
                </button>
                <span class="row-actions">
                    <button type="button" class="icon up" aria-label=move || format!("Move {} up", name.get()) disabled=i == 0 on:click=move |_| mv(i.saturating_sub(1), "up")>"↑"</button>
                    <button type="button" class="icon down" aria-label=move || format!("Move {} down", name.get()) disabled=is_last on:click=move |_| mv(i + 1, "down")>"↓"</button>
                    <button type="button" class="icon" aria-label=move || format!("Duplicate {}", name.get()) title="Duplicate" on:click=move |_| {
                        state.edit("Duplicate row", |s| { ops::duplicate_row(s, table, i); });
                        state.seal();
                    }><span class="dup" aria-hidden="true"></span></button>
                    <button type="button" class="icon remove" aria-label=move || format!("Remove {}", name.get()) title="Remove" on:click=move |_| {
                        state.edit("Remove row", |s| ops::remove_row(s, table, i));
                        state.seal();
                        // Focus the row now in this place (its name, not its remove button: a
                        // second Enter must not remove it too), or the add button after the last.
                        match count.get_untracked() {
                            0 => focus(&format!("[data-testid=add-{key}]")),
                            left => focus(&format!("[data-testid=row-{key}-{}] .row-toggle", i.min(left - 1))),
                        }
                    }>"✕"</button>
                </span>
            </div>
            <Show when=move || open.get()>
                <div class="row-body" id=format!("row-{key}-{i}-body")>{body(i)}</div>
            </Show>
        </li>
    }
}

fn market_body(i: usize) -> AnyView {
    let p = |f: &str| format!("markets[{i}].{f}");
    view! {
        <TextField path=p("name") label="Name" lens=opt(row_lens!(markets, i, name)) check=not_empty />
        <TextField path=p("launch_month") label="Launch month" unit="YYYY-MM; empty = not within the horizon" lens=row_lens!(markets, i, launch_month) />
        <UncertainField path=p("installed_base_units") label="Installed base" unit="active devices" lens=row_lens!(markets, i, installed_base_units) />
        <UncertainField path=p("installed_base_growth_per_year") label="Installed base growth" unit="fraction per year" lens=row_lens!(markets, i, installed_base_growth_per_year) />
        <UncertainField path=p("capable_share_at_start") label="Capable share at start" unit="share of the base, 0–1" lens=row_lens!(markets, i, capable_share_at_start) />
        <UncertainField path=p("capable_share_ceiling") label="Capable share ceiling" unit="share of the base, 0–1" lens=row_lens!(markets, i, capable_share_ceiling) />
        <UncertainField path=p("upgrade_rate_per_year") label="Upgrade rate" unit="share of non-capable devices per year" lens=row_lens!(markets, i, upgrade_rate_per_year) />
        <UncertainField path=p("adoption_ceiling") label="Adoption ceiling" unit="share of capable devices, 0–1" lens=row_lens!(markets, i, adoption_ceiling) slider=SHARE />
        <UncertainField path=p("adoption_midpoint_months") label="Adoption midpoint" unit="months after launch" lens=row_lens!(markets, i, adoption_midpoint_months) />
        <UncertainField path=p("adoption_steepness_per_month") label="Adoption steepness" unit="per month" lens=row_lens!(markets, i, adoption_steepness_per_month) />
        <UncertainField path=p("requests_per_user_per_day") label="Requests per user" unit="requests per active user per day" lens=row_lens!(markets, i, requests_per_user_per_day) />
        <UncertainField path=p("requests_growth_per_year") label="Requests growth" unit="fraction per year" lens=row_lens!(markets, i, requests_growth_per_year) />
        <UncertainField path=p("cloud_share") label="Cloud share" unit="share of requests, 0–1" lens=row_lens!(markets, i, cloud_share) slider=SHARE />
        <UncertainField path=p("server_seconds_per_request") label="Server time per request" unit="server-seconds" lens=row_lens!(markets, i, server_seconds_per_request) />
        <UncertainField path=p("efficiency_gain_per_year") label="Efficiency gain" unit="fall of server time per year, 0–1" lens=row_lens!(markets, i, efficiency_gain_per_year) />
        <UncertainField path=p("peak_to_average") label="Peak-to-average" unit="ratio, >= 1" lens=row_lens!(markets, i, peak_to_average) />
        <UncertainField path=p("target_utilisation") label="Target utilisation" unit="share, 0–1" lens=row_lens!(markets, i, target_utilisation) />
        <UncertainField path=p("redundancy_headroom") label="Redundancy headroom" unit="fraction of servers needed" lens=row_lens!(markets, i, redundancy_headroom) />
    }
    .into_any()
}

fn region_body(i: usize) -> AnyView {
    let memo = std::sync::Mutex::new(None);
    let lens: Lens<Option<String>> = (
        Arc::new(move |s: &Scenario| s.supply_regions.get(i).map(|r| Some(r.name.clone()))),
        Arc::new(move |s: &mut Scenario, v: Option<String>| {
            let mut memo = memo.lock().unwrap_or_else(|e| e.into_inner());
            ops::rename_region(s, i, v.unwrap_or_default(), &mut memo)
        }),
    );
    view! {
        <TextField path=format!("supply_regions[{i}].name") label="Name" unit="renaming moves its sites" lens=lens check=not_empty />
        <UncertainField path=format!("supply_regions[{i}].risk_weight") label="Risk weight" unit="1 = reference risk" lens=row_lens!(supply_regions, i, risk_weight) />
    }
    .into_any()
}

fn site_body(i: usize) -> AnyView {
    let state = use_app_state();
    let p = |f: &str| format!("sites[{i}].{f}");
    let regions = Signal::derive(move || {
        state.scenario.with(|s| {
            s.supply_regions
                .iter()
                .map(|r| (r.name.clone(), r.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <TextField path=p("name") label="Site name" lens=opt(row_lens!(sites, i, name)) testid=format!("site-{i}-name") check=not_empty />
        <TextField path=p("supplier") label="Supplier" unit="sites of one supplier share its cap" lens=opt(row_lens!(sites, i, supplier)) check=not_empty />
        <SelectField path=p("region") label="Supply region" options=regions lens=row_lens!(sites, i, region) />
        {suppliers::site_lever_note(i)}
        <Points i=i series=Series::Capacity />
        <Points i=i series=Series::OtherShare />
        <TextField path=p("qualification_start_month") label="Qualification starts" unit="YYYY-MM; empty = the start month" lens=row_lens!(sites, i, qualification_start_month) />
        <UncertainField path=p("qualification_lead_time_months") label="Qualification" unit="months to first unit" lens=row_lens!(sites, i, qualification_lead_time_months) slider=Slider { min: 0.0, max: 36.0, step: 1.0, bounds: NON_NEGATIVE } />
        <UncertainField path=p("ramp_months") label="Ramp" unit="months to full rate" lens=row_lens!(sites, i, ramp_months) />
        <UncertainField path=p("yield_share") label="Yield" unit="share delivered, 0–1" lens=row_lens!(sites, i, yield_share) />
        <UncertainField path=p("unit_price_usd") label="Unit price" unit="USD per server at the start month" lens=row_lens!(sites, i, unit_price_usd) />
        <UncertainField path=p("price_change_per_year") label="Price change" unit="fraction per year" lens=row_lens!(sites, i, price_change_per_year) />
        <fieldset class="terms">
            <legend>"Commitment terms (MODEL.md §9)"</legend>
            <NumberField path=p("reservable_share") label="Reservable" unit="share of nominal capacity the supplier will contract, 0–1" lens=opt(row_lens!(sites, i, reservable_share)) />
            <NumberField path=p("reservation_fee_usd_per_unit_month") label="Reservation fee" unit="USD per reserved server-month, paid whether used or not" lens=opt(row_lens!(sites, i, reservation_fee_usd_per_unit_month)) />
            <CheckField path=p("spot_allowed") label="Capacity not reserved can be bought at spot" lens=row_lens!(sites, i, spot_allowed) />
            <UncertainField path=p("spot_premium_share") label="Spot premium" unit="fraction over the unit price" lens=row_lens!(sites, i, spot_premium_share) />
            <TextField path=p("reserved_units_per_month") label="Reserved" unit="servers per month, one value per block from the start month; the Commitment advisor writes these" lens=reserved_lens(i) check=series_problem />
        </fieldset>
    }
    .into_any()
}

/// A site's reservations as one line of values, one per commitment block.
fn reserved_lens(i: usize) -> Lens<Option<String>> {
    (
        Arc::new(move |s: &Scenario| {
            s.sites.get(i).map(|r| {
                Some(
                    r.reserved_units_per_month
                        .iter()
                        .map(|v| crate::format::input_number(*v))
                        .collect::<Vec<_>>()
                        .join(" "),
                )
            })
        }),
        Arc::new(move |s: &mut Scenario, v: Option<String>| {
            if let Some(r) = s.sites.get_mut(i) {
                r.reserved_units_per_month = series_values(&v.unwrap_or_default())
                    .filter_map(crate::format::parse_number)
                    .collect();
            }
        }),
    )
}

fn extra_body(i: usize) -> AnyView {
    let values: Lens<Option<String>> = (
        Arc::new(move |s: &Scenario| {
            s.extra_demand.get(i).map(|r| {
                Some(
                    r.units_per_month
                        .iter()
                        .map(|v| crate::format::input_number(*v))
                        .collect::<Vec<_>>()
                        .join(" "),
                )
            })
        }),
        Arc::new(move |s: &mut Scenario, v: Option<String>| {
            if let Some(r) = s.extra_demand.get_mut(i) {
                r.units_per_month = series_values(&v.unwrap_or_default())
                    .filter_map(crate::format::parse_number)
                    .collect();
            }
        }),
    );
    let p = |f: &str| format!("extra_demand[{i}].{f}");
    view! {
        <TextField path=p("name") label="Name" lens=opt(row_lens!(extra_demand, i, name)) check=not_empty />
        <TextField path=p("start_month") label="First month" unit="YYYY-MM; empty = the start month" lens=row_lens!(extra_demand, i, start_month) />
        <TextField path=p("units_per_month") label="Extra deliveries" unit="servers per month, one value per month, separated by spaces" lens=values check=series_problem />
        <UncertainField path=p("scale") label="Scale" unit="multiplier" lens=row_lens!(extra_demand, i, scale) />
    }
    .into_any()
}

/// A box that cannot be left empty (names, the start month): what it says instead of applying
/// an empty text, which would otherwise be ignored without a word.
fn not_empty(text: &str) -> Option<String> {
    text.trim()
        .is_empty()
        .then(|| "cannot be empty: the last value stays in use until you type another".into())
}

/// The values of a series typed in one box: separated by spaces, tabs, new lines or semicolons
/// (a row pasted from a spreadsheet). Commas are refused ([`series_problem`]): they could group
/// thousands or separate values.
fn series_values(text: &str) -> impl Iterator<Item = &str> {
    text.split([' ', ';', '\t', '\n']).filter(|t| !t.is_empty())
}

/// The first value of a typed series that is not a number, as a message.
fn series_problem(text: &str) -> Option<String> {
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

#[derive(Clone, Copy, PartialEq)]
enum Series {
    Capacity,
    OtherShare,
}

/// A piecewise-linear series of a site: (month, value) points with add / remove.
#[component]
fn Points(i: usize, series: Series) -> impl IntoView {
    let state = use_app_state();
    let (key, title, unit) = match series {
        Series::Capacity => ("capacity", "Nominal capacity", "servers per month"),
        Series::OtherShare => (
            "other_customers_share",
            "Taken by other customers",
            "share of capacity, 0–1",
        ),
    };
    let len = Memo::new(move |_| {
        state.scenario.with(|s| {
            s.sites.get(i).map_or(0, |x| match series {
                Series::Capacity => x.capacity.len(),
                Series::OtherShare => x.other_customers_share.len(),
            })
        })
    });
    let add = move |_| {
        state.edit("Add point", |s| {
            let start = s.start_month.clone();
            let Some(x) = s.sites.get_mut(i) else { return };
            let next = |m: Option<&String>| {
                m.and_then(|m| parse_month(m))
                    .map_or(start.clone(), |m| format_month(m + 12))
            };
            match series {
                Series::Capacity => {
                    let v = x
                        .capacity
                        .last()
                        .map_or(Uncertain::Fixed(100.0), |p| p.units_per_month);
                    let month = next(x.capacity.last().map(|p| &p.month));
                    x.capacity.push(CapacityPoint {
                        month,
                        units_per_month: v,
                    });
                }
                Series::OtherShare => {
                    let v = x
                        .other_customers_share
                        .last()
                        .map_or(Uncertain::Fixed(0.5), |p| p.share);
                    let month = next(x.other_customers_share.last().map(|p| &p.month));
                    x.other_customers_share.push(SharePoint { month, share: v });
                }
            }
        });
        state.seal();
    };
    view! {
        <fieldset class="points">
            <legend>{title} " — " <span class="unit">{unit}</span></legend>
            <For each=move || 0..len.get() key=|j| *j let:j>
                {
                    let month: Lens<Option<String>> = (
                        Arc::new(move |s: &Scenario| s.sites.get(i).and_then(|x| match series {
                            Series::Capacity => x.capacity.get(j).map(|p| Some(p.month.clone())),
                            Series::OtherShare => x.other_customers_share.get(j).map(|p| Some(p.month.clone())),
                        })),
                        Arc::new(move |s: &mut Scenario, v: Option<String>| if let Some(x) = s.sites.get_mut(i) {
                            let v = v.unwrap_or_default();
                            match series {
                                Series::Capacity => if let Some(p) = x.capacity.get_mut(j) { p.month = v },
                                Series::OtherShare => if let Some(p) = x.other_customers_share.get_mut(j) { p.month = v },
                            }
                        }),
                    );
                    let value: Lens<Uncertain> = (
                        Arc::new(move |s: &Scenario| s.sites.get(i).and_then(|x| match series {
                            Series::Capacity => x.capacity.get(j).map(|p| p.units_per_month),
                            Series::OtherShare => x.other_customers_share.get(j).map(|p| p.share),
                        })),
                        Arc::new(move |s: &mut Scenario, v: Uncertain| if let Some(x) = s.sites.get_mut(i) {
                            match series {
                                Series::Capacity => if let Some(p) = x.capacity.get_mut(j) { p.units_per_month = v },
                                Series::OtherShare => if let Some(p) = x.other_customers_share.get_mut(j) { p.share = v },
                            }
                        }),
                    );
                    let (vfield, vlabel): (&str, &'static str) = match series {
                        Series::Capacity => ("units_per_month", "Capacity"),
                        Series::OtherShare => ("share", "Share"),
                    };
                    view! {
                        <div class="point">
                            <TextField path=format!("sites[{i}].{key}[{j}].month") label="From month" unit="YYYY-MM" lens=month />
                            <UncertainField path=format!("sites[{i}].{key}[{j}].{vfield}") label=vlabel unit=unit lens=value />
                            <button type="button" class="icon remove" aria-label=format!("Remove point {} of {title}", j + 1) on:click=move |_| {
                                state.edit("Remove point", |s| if let Some(x) = s.sites.get_mut(i) {
                                    match series {
                                        Series::Capacity => { if j < x.capacity.len() { x.capacity.remove(j); } }
                                        Series::OtherShare => { if j < x.other_customers_share.len() { x.other_customers_share.remove(j); } }
                                    }
                                });
                                state.seal();
                            }>"✕"</button>
                        </div>
                    }
                }
            </For>
            <button type="button" on:click=add>"Add point"</button>
        </fieldset>
    }
}

/// Rented third-party capacity (MODEL.md §3.4): the rent and the server-equivalents available
/// per month, as (month, value) points. No points = no renting.
#[component]
fn Renting() -> impl IntoView {
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
        <UncertainField path="renting.rent_usd_per_server_month" label="Rent" unit="USD per server-equivalent month" lens=lens!(renting.rent_usd_per_server_month) />
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
                            <UncertainField path=format!("renting.available_server_equivalents[{j}].server_equivalents") label="Available" unit="server-equivalents per month" lens=value />
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
