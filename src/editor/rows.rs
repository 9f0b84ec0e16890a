//! The editor's tables: a card per row (markets, supply regions, sites, extra demand) with its
//! fields, and a site's piecewise-linear series.

use super::*;

/// One editable table: its rows (keyed by position) and an add button.
#[component]
pub(super) fn TableSection(
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

pub(super) fn focus(selector: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = document().query_selector(selector).ok().flatten() {
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}

#[component]
pub(super) fn RowCard(
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

/// A row's plain inputs, then its uncertain ones, as the registry lists them.
fn row_fields<R: registry::Row, O: 'static>(
    plain: &'static [plain::Plain],
    inputs: &'static [Field<R, O>],
    i: usize,
) -> AnyView {
    view! {
        {plain_fields(plain, i)}
        {inputs.iter().map(|f| view! { <UncertainField input=Input::of(f, i) /> }).collect_view()}
    }
    .into_any()
}

pub(super) fn market_body(i: usize) -> AnyView {
    row_fields(&plain::MARKET, &MARKET, i)
}

pub(super) fn region_body(i: usize) -> AnyView {
    row_fields(&plain::SUPPLY_REGION, &SUPPLY_REGION, i)
}

pub(super) fn site_body(i: usize) -> AnyView {
    view! {
        {plain_fields(&plain::SITE, i)}
        {suppliers::site_lever_note(i)}
        <Points i=i series=Series::Capacity />
        <Points i=i series=Series::OtherShare />
        <PlainField f=&plain::QUALIFICATION_START i=i />
        {SITE.iter().map(|f| view! { <UncertainField input=Input::of(f, i) /> }).collect_view()}
        <fieldset class="terms">
            <legend>"Commitment terms (MODEL.md §9)"</legend>
            {plain_fields(&plain::SITE_TERMS, i)}
            {SITE_TERMS.iter().map(|f| view! { <UncertainField input=Input::of(f, i) /> }).collect_view()}
            <PlainField f=&plain::RESERVED i=i />
        </fieldset>
    }
    .into_any()
}

pub(super) fn extra_body(i: usize) -> AnyView {
    row_fields(&plain::EXTRA_DEMAND, &EXTRA_DEMAND, i)
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
                    let (meta, vlabel) = match series {
                        Series::Capacity => (registry::CAPACITY, "Capacity"),
                        Series::OtherShare => (registry::OTHERS_SHARE, "Share"),
                    };
                    let input = Input { path: meta.path(i, j).to_string(), label: vlabel, unit, lens: value, slider: None };
                    view! {
                        <div class="point">
                            <TextField path=format!("sites[{i}].{key}[{j}].month") label="From month" unit="YYYY-MM" lens=month />
                            <UncertainField input=input />
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
