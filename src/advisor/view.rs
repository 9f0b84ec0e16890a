//! What the Advisor section draws: the run's status and the answer.

use std::sync::Arc;

use leptos::prelude::*;
use rackplan_core::advisor::advice::Advice;
use rackplan_core::advisor::PlanReport;
use rackplan_core::Scenario;

use super::{adopt_reservations, BestPlan, Phase, Progress};
use crate::charts::views::{advisor_chart, plot_size, ChartFigure};
use crate::format::{pct, thousands, usd};
use crate::state::{now_ms, use_app_state};
use crate::table::rows_body;
use rackplan_core::advisor::advice::adoptable;

/// The certified gap in words (MODEL.md §9.4).
fn gap_words(lower: f64, upper: f64) -> String {
    format!(
        "certified within {} of the best plan for these samples (lower bound {}, this plan {})",
        pct_fine(rackplan_core::advisor::relative_gap(lower, upper)),
        usd(lower),
        usd(upper)
    )
}

/// A share with two decimals below 1 % (gaps are small).
fn pct_fine(share: f64) -> String {
    if share < 0.01 {
        format!("{:.2} %", 100.0 * share)
    } else {
        pct(share)
    }
}

fn progress_line(p: &Progress) -> String {
    format!(
        "Best plan so far (iteration {}): expected cost {}, {}.",
        p.iteration,
        usd(p.upper_usd),
        gap_words(p.lower_usd, p.upper_usd)
    )
}

/// The status line of a run.
pub fn status(phase: &Phase) -> AnyView {
    match phase {
        Phase::Idle => ().into_any(),
        Phase::Running {
            started_ms,
            progress,
            stage,
            ..
        } => {
            let secs = (now_ms() - started_ms) / 1000.0;
            let what = match (progress, stage) {
                (_, Some(s)) => format!("Optimised; now {s}…"),
                (Some(p), None) => progress_line(p),
                (None, None) => "Loading the advisor and drawing the samples…".into(),
            };
            view! { <p>{format!("{what} ({secs:.0} s)")}</p> }.into_any()
        }
        Phase::Failed(m) => view! { <p class="field-error" role="alert">{format!("The advisor could not answer: {m}")}</p> }.into_any(),
        Phase::Cancelled(p, _) => {
            let last = p.as_ref().map_or(String::new(), |p| format!(" {}", progress_line(p)));
            view! { <p>{format!("Cancelled.{last}")}</p> }.into_any()
        }
        Phase::Done(..) => ().into_any(),
    }
}

/// Sites with a reservation in some block.
fn reserved_sites(a: &Advice) -> Vec<usize> {
    (0..a.site_names.len())
        .filter(|&s| a.reserved[s].iter().any(|&r| r > 0.0))
        .collect()
}

/// Mean reserved units/month over the horizon, all sites.
fn mean_reserved(a: &Advice) -> f64 {
    let months = a.months.len().max(1) as f64;
    a.reserved
        .iter()
        .map(|row| a.block_of.iter().map(|&b| row[b]).sum::<f64>())
        .sum::<f64>()
        / months
}

fn plan_label(name: &str) -> &'static str {
    match name {
        "recommendation" => "Recommendation",
        "spot_only" => "Spot only (no reservations)",
        "average_scenario" => "Planned for the average scenario",
        "hindsight" => "Hindsight (perfect information)",
        _ => "Plan",
    }
}

fn plan_row(p: &PlanReport) -> impl IntoView {
    view! {
        <tr data-plan=p.name.clone()>
            <th scope="row">{plan_label(&p.name)}</th>
            <td data-label="Fees">{usd(p.fees_usd.mean)}</td>
            <td data-label="Purchases">{usd(p.purchases_usd.mean)}</td>
            <td data-label="Penalties">{usd(p.penalties_usd.mean)}</td>
            <td data-label="Expected cost">{format!("{} ± {}", usd(p.total_usd.mean), usd(p.total_usd.half_width_95))}</td>
            <td data-label="Service P5 / P50 / P95">{format!("{} / {} / {}", pct(p.service_level[0]), pct(p.service_level[1]), pct(p.service_level[2]))}</td>
            <td data-label="Short in some month">{pct(p.shortfall_chance_any)}</td>
        </tr>
    }
}

/// Whether the scenario still has the plan's sites (by name, in order), and whether it already
/// holds the plan's reservations `values` (`[site][block]`, as Adopt writes them).
fn adoption(names: Vec<String>, values: Vec<Vec<f64>>) -> (Memo<bool>, Memo<bool>) {
    let state = use_app_state();
    let same_sites = Memo::new(move |_| {
        state.scenario.with(|s| {
            s.sites.len() == names.len() && s.sites.iter().zip(&names).all(|(x, n)| &x.name == n)
        })
    });
    let adopted = Memo::new(move |_| {
        state.scenario.with(|s| {
            s.sites
                .iter()
                .zip(&values)
                .all(|(x, r)| &x.reserved_units_per_month == r)
        })
    });
    (same_sites, adopted)
}

/// The answer: headline with the certificate, Adopt, chart, tables.
pub fn results(a: Arc<Advice>, snapshot: Arc<Scenario>, viewport: RwSignal<f64>) -> impl IntoView {
    let state = use_app_state();
    let sites = reserved_sites(&a);
    let adopt_values = a.adoptable();
    let (same_sites, adopted) = adoption(a.site_names.clone(), adopt_values.clone());
    let changed = Memo::new(move |_| state.scenario.with(|s| s != &*snapshot));
    let adopt = {
        let v = adopt_values.clone();
        move |_| adopt_reservations(v.clone())
    };
    let headline = if sites.is_empty() {
        format!(
            "Reserve nothing: at these terms spot is expected to cost less. Expected cost {}, {}.",
            usd(a.upper_usd),
            gap_words(a.lower_usd, a.upper_usd)
        )
    } else {
        format!(
            "Reserve {} servers a month on average at {} site{}; fees {}. Expected cost {}, {} ({} samples, seed {}, {} iterations).",
            thousands(mean_reserved(&a)),
            sites.len(),
            if sites.len() == 1 { "" } else { "s" },
            usd(a.fees_usd),
            usd(a.upper_usd),
            gap_words(a.lower_usd, a.upper_usd),
            a.request.samples,
            a.request.seed,
            a.iterations
        )
    };
    let chart_advice = a.clone();
    let chart = Memo::new(move |_| advisor_chart(&chart_advice, plot_size(viewport.get())));
    let vss_evpi = (|| {
        let rec = a.plan("recommendation")?.total_usd.mean;
        let avg = a.plan("average_scenario")?.total_usd.mean;
        let hind = a.plan("hindsight")?.total_usd.mean;
        let spot = a.plan("spot_only")?.total_usd.mean;
        Some(format!(
            "Against spot only the recommendation saves {} in expected cost; planning for the uncertainty instead of the average scenario saves {} (the value of the stochastic solution); knowing the future would save {} more (the value of perfect information).",
            usd(spot - rec),
            usd(avg - rec),
            usd(rec - hind)
        ))
    })();
    let cvar_line = a.cvar.as_ref().map(|c| {
        format!(
            "Risk weight {} per server-month short in the worst {} % of samples: their mean shortfall is {} server-months (all samples: {}), in these samples with sourcing as the model chose it (MODEL.md §9.8).",
            usd(c.weight_usd_per_server_month),
            crate::format::input_number((1.0 - c.alpha) * 100.0),
            thousands(c.unmet_cvar_in_sample),
            thousands(c.unmet_mean_in_sample)
        )
    });
    let eval_line = format!(
        "Each plan evaluated out of sample on {} fresh samples (seed {}); ± is the 95 % interval of the mean. Within each sample, sourcing is chosen with hindsight of that sample; only the reservations are fixed in advance.",
        a.request.eval_samples, a.request.eval_seed
    );
    view! {
        <div class="advisor-results" data-testid="advisor-results">
            <p class="advisor-headline" data-testid="advisor-headline">{headline}</p>
            {cvar_line.map(|l| view! { <p class="note" data-testid="advisor-cvar">{l}</p> })}
            <div class="advisor-adopt">
                <button data-testid="advisor-adopt" disabled=move || !same_sites.get() || adopted.get() on:click=adopt>
                    "Adopt this plan"
                </button>
                <span class="note" data-testid="advisor-adopt-note">
                    {move || if !same_sites.get() {
                        "The sites changed since this advice: run it again to adopt.".to_string()
                    } else if adopted.get() {
                        "Adopted: the scenario holds these reservations (in links and files; Undo takes them back).".to_string()
                    } else if changed.get() {
                        "The scenario changed since this advice was computed.".to_string()
                    } else {
                        "Writes the reservations (rounded to whole servers a month) into the scenario; Undo takes them back.".to_string()
                    }}
                </span>
            </div>
            <ChartFigure testid="chart-advisor" caption="Recommended reservations by site (stacked) against the need's P50 and P90 over the samples and the capacity other customers are expected to leave" data=chart />
            <h3>"Reservations, servers a month"</h3>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Recommended reservations by block and site">
                <table class="advisor-table" data-testid="advisor-reservations">
                    <thead><tr>
                        <th scope="col">"Block from"</th>
                        {sites.iter().map(|&s| view! { <th scope="col">{a.site_names[s].clone()}</th> }).collect_view()}
                    </tr></thead>
                    {rows_body(&a.block_labels, sites.len(), &|b, c| {
                        let s = sites[c];
                        (thousands(a.reserved[s][b]), Some(format!("of {} reservable", thousands(a.reservable[s][b]))))
                    })}
                </table>
            </div>
            {(!a.plans.is_empty()).then(|| view! {
                <h3>"Four plans, out of sample"</h3>
                <p class="note">{eval_line.clone()}</p>
                <div class="table-scroll" tabindex="0" role="region" aria-label="Plans compared out of sample">
                    <table class="advisor-table stack-on-phone" data-testid="advisor-plans">
                        <thead><tr>
                            <th scope="col">"Plan"</th><th scope="col">"Fees"</th><th scope="col">"Purchases"</th>
                            <th scope="col">"Penalties"</th><th scope="col">"Expected cost"</th>
                            <th scope="col">"Service P5 / P50 / P95"</th><th scope="col">"Short in some month"</th>
                        </tr></thead>
                        <tbody>{a.plans.iter().map(plan_row).collect_view()}</tbody>
                    </table>
                </div>
                {vss_evpi.clone().map(|t| view! { <p data-testid="advisor-values">{t}</p> })}
                <details class="advisor-months">
                    <summary>"Chance of a shortfall by month, each plan"</summary>
                    <div class="table-scroll" tabindex="0" role="region" aria-label="Chance of a shortfall by month">
                        <table class="advisor-table">
                            <thead><tr>
                                <th scope="col">"Month"</th>
                                {a.plans.iter().map(|p| view! { <th scope="col">{plan_label(&p.name)}</th> }).collect_view()}
                            </tr></thead>
                            {rows_body(&a.months, a.plans.len(), &|t, p| (pct(a.plans[p].shortfall_chance_by_month[t]), None))}
                        </table>
                    </div>
                </details>
            })}
        </div>
    }
}

/// Whole units/month a site holds in each block, as runs of equal values: "1,200 from 2027-01,
/// 1,500 from 2027-07".
fn runs_line(values: &[f64], labels: &[String]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut last: Option<f64> = None;
    for (b, label) in labels.iter().enumerate() {
        let v = values.get(b).copied().unwrap_or(0.0);
        if last != Some(v) {
            parts.push(format!("{} from {label}", thousands(v)));
            last = Some(v);
        }
    }
    parts.join(", ")
}

/// The best plan found so far, while the run goes on or after Cancel: its reservations by site
/// (rounded as Adopt writes them), its cost and certified gap, and Adopt, marked as not yet
/// optimal.
pub fn best_so_far(b: Arc<BestPlan>, phase: RwSignal<Phase>) -> impl IntoView {
    let values = adoptable(&b.reserved, &b.layout.reservable);
    let (same_sites, adopted) = adoption(b.layout.site_names.clone(), values.clone());
    let running = move || phase.with(|p| matches!(p, Phase::Running { .. }));
    let upper = b.upper_usd;
    let lower = move || {
        phase.with(|p| match p {
            Phase::Running { progress, .. } | Phase::Cancelled(progress, _) => {
                progress.as_ref().map(|p| p.lower_usd)
            }
            _ => None,
        })
    };
    let lines: Vec<String> = values
        .iter()
        .enumerate()
        .filter(|(_, v)| v.iter().any(|&x| x > 0.0))
        .map(|(s, v)| {
            format!(
                "{}: {}",
                b.layout.site_names[s],
                runs_line(v, &b.layout.block_labels)
            )
        })
        .collect();
    let held = lines.len();
    let others = b.layout.site_names.len() - held;
    let summary = if held == 0 {
        format!(
            "After iteration {}: reserve nothing (spot only); expected cost {}.",
            b.iteration,
            usd(b.upper_usd)
        )
    } else {
        format!(
            "After iteration {}: reserve at {held} site{}{}; fees {}; expected cost {}. Servers a month by block:",
            b.iteration,
            if held == 1 { "" } else { "s" },
            if others > 0 { format!(" (nothing at the other {others})") } else { String::new() },
            usd(b.fees_usd),
            usd(b.upper_usd)
        )
    };
    let adopt = {
        let v = values.clone();
        move |_| adopt_reservations(v.clone())
    };
    view! {
        <div class="advisor-best" data-testid="advisor-best">
            <h3>{move || if running() { "Best plan so far (not yet optimal)" } else { "Best plan found before Cancel (not optimal)" }}</h3>
            <p data-testid="advisor-best-summary">{summary}</p>
            {(held > 0).then(|| view! {
                <ul class="advisor-best-sites" data-testid="advisor-best-sites">
                    {lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
                </ul>
            })}
            <p class="note" data-testid="advisor-best-gap">
                {move || match lower() {
                    Some(l) => format!(
                        "Not yet certified optimal: within {} of the best plan for these samples (lower bound {}, this plan {}).",
                        pct_fine(rackplan_core::advisor::relative_gap(l, upper)),
                        usd(l),
                        usd(upper)
                    ),
                    None => "Not yet certified optimal.".to_string(),
                }}
            </p>
            <div class="advisor-adopt">
                <button data-testid="advisor-adopt-best" disabled=move || !same_sites.get() || adopted.get() on:click=adopt>
                    "Adopt the best plan so far"
                </button>
                <span class="note" data-testid="advisor-adopt-best-note">
                    {move || if !same_sites.get() {
                        "The sites changed since this run started: run it again to adopt.".to_string()
                    } else if adopted.get() && held == 0 {
                        "The scenario holds no reservations, as this plan.".to_string()
                    } else if adopted.get() {
                        "Adopted, not yet optimal: the scenario holds this plan (in links and files; Undo takes it back).".to_string()
                    } else {
                        "Writes this plan's reservations (whole servers a month) into the scenario although it is not yet optimal; Undo takes them back.".to_string()
                    }}
                </span>
            </div>
        </div>
    }
}
