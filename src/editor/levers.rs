//! The levers people move most, for one chosen market and one chosen site.

use super::*;

/// The levers people move most, for one chosen market and one chosen site.
#[component]
pub(super) fn Levers() -> impl IntoView {
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
                        <UncertainField input=Input::of(market_input("adoption_ceiling"), i) testid="lever-adoption-ceiling" lever=true />
                        <UncertainField input=Input::of(market_input("cloud_share"), i) testid="lever-cloud-share" lever=true />
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

/// A market input of the registry, by key.
fn market_input(key: &str) -> &'static Field<Market, MarketInputs> {
    registry::find(&registry::MARKET, key).expect("a market input")
}

/// A site input of the registry, by key.
fn site_input(key: &str) -> &'static Field<Site, SiteInputs> {
    registry::find(&registry::SITE, key).expect("a site input")
}

/// Share of site `i` taken by other customers, as one number: the first point; moving it moves
/// every point by the same amount.
pub(super) fn other_share_input(i: usize) -> Input {
    let lens: Lens<Uncertain> = (
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
    );
    Input {
        path: format!("sites[{i}].other_customers_share"),
        label: "Other customers' share",
        unit: "share of capacity, 0–1 (later points move with it)",
        lens,
        slider: Some(SHARE),
    }
}

pub(super) fn site_levers(i: usize) -> impl IntoView {
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
        <UncertainField input=other_share_input(i) testid="lever-other-share" lever=true />
        <UncertainField input=Input::of(site_input("qualification_lead_time_months"), i) testid="lever-qualification" lever=true />
        <UncertainField input=Input::of(site_input("unit_price_usd"), i).with_slider(Slider { min: 0.0, max: price_max, step: 100.0, bounds: NON_NEGATIVE }) testid="lever-price" lever=true />
    }
}
