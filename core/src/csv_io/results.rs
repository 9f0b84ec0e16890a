//! The monthly results as CSV (one row per month; with a Monte Carlo run, its percentile
//! bands).

use super::*;

/// The monthly results: one row per month (deliveries needed, supply, deliveries, backlog,
/// inventory, cost, the reason of a shortfall and its binding cap, rented capacity, its cost and
/// why it did not cover a short month, then per site available / unit cost / delivered), and when a Monte Carlo summary is given its P5..P95 bands and the chance of a
/// shortfall each month. Columns match `rackplan run --csv` (docs/cli.md).
/// A figure of the results CSV to 12 significant digits ([`crate::number::tidy`]): a
/// spreadsheet shows 1710.11, not 1710.1100000000001.
pub(super) fn csv_number(v: f64) -> String {
    crate::number::tidy(v).to_string()
}

pub fn results_csv(r: &RunResult, mc: Option<&Summary>) -> String {
    let mut header: Vec<String> = [
        "month",
        "required_fleet",
        "retirements",
        "extra_demand",
        "deliveries_needed",
        "available_total",
        "delivered_total",
        "backlog",
        "inventory",
        "purchase_cost_usd",
        "short_reason",
        "short_cap",
        "rented",
        "rent_cost_usd",
        "short_rent",
        "server_months_short_to_date",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for s in &r.sites {
        for col in ["available", "unit_cost_usd", "delivered"] {
            header.push(format!("{}.{col}", s.name));
        }
    }
    let bands = mc.map(|m| {
        [
            ("deliveries_needed", &m.deliveries_needed),
            ("available_total", &m.available),
            ("delivered_total", &m.delivered),
            ("backlog", &m.backlog),
        ]
    });
    if let Some(bands) = &bands {
        for (name, _) in bands {
            for p in ["p5", "p25", "p50", "p75", "p95"] {
                header.push(format!("mc.{name}.{p}"));
            }
        }
        header.push("mc.shortfall_probability".into());
    }
    let mut rows = vec![header];
    let mut short_to_date = 0.0;
    for (t, month) in r.months.iter().enumerate() {
        let cost: f64 = r
            .sites
            .iter()
            .map(|s| s.deliveries[t] * s.unit_cost_usd[t])
            .sum();
        let short = r.metrics.shortfalls.iter().find(|s| s.month_index == t);
        let reason = short.map_or(String::new(), |s| {
            json_value(&s.reason)
                .as_str()
                .map(str::to_string)
                .unwrap_or_default()
        });
        // "supplier cap 0.6: Foxconn", "supplier cap 0.3: too few with capacity", or both caps
        // at their ceiling: "supplier cap 0.6: Foxconn; region cap 0.5: Taiwan".
        let cap = short.map_or(String::new(), |s| {
            s.binding_caps
                .iter()
                .map(|b| {
                    let over = match b.over {
                        crate::metrics::CapOver::Supplier => "supplier",
                        crate::metrics::CapOver::Region => "region",
                    };
                    let who = b.name.as_deref().unwrap_or("too few with capacity");
                    format!("{over} cap {}: {who}", b.cap)
                })
                .collect::<Vec<_>>()
                .join("; ")
        });
        let mut row = vec![month.clone()];
        for v in [
            r.required_fleet[t],
            r.retirements[t],
            r.extra_demand[t],
            r.deliveries_needed[t],
            r.available_total[t],
            r.delivered_total[t],
            r.backlog[t],
            r.inventory[t],
            cost,
        ] {
            row.push(csv_number(v));
        }
        row.push(reason);
        row.push(cap);
        row.push(csv_number(r.rented[t]));
        row.push(csv_number(r.rent_cost_usd[t]));
        row.push(short.map_or(String::new(), |s| match s.rent {
            crate::metrics::RentStatus::None => String::new(),
            crate::metrics::RentStatus::AtLimit => "at_limit".into(),
            crate::metrics::RentStatus::TooDear => "too_dear".into(),
        }));
        // MODEL.md §4.2: the running total of the short months' backlog.
        short_to_date += short.map_or(0.0, |s| s.backlog_units);
        row.push(csv_number(short_to_date));
        for s in &r.sites {
            for v in [
                s.available_per_month[t],
                s.unit_cost_usd[t],
                s.deliveries[t],
            ] {
                row.push(csv_number(v));
            }
        }
        if let (Some(bands), Some(m)) = (&bands, mc) {
            for (_, b) in bands {
                for v in [&b.p5, &b.p25, &b.p50, &b.p75, &b.p95] {
                    row.push(v.get(t).map_or(String::new(), |v| csv_number(*v)));
                }
            }
            row.push(
                m.shortfall_probability
                    .get(t)
                    .map_or(String::new(), |v| csv_number(*v)),
            );
        }
        rows.push(row);
    }
    write_rows(&rows)
}
