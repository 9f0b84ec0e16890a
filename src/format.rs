//! Number formatting and parsing for the views.

/// 1234567.8 -> "1,234,568".
pub fn thousands(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let neg = v < 0.0;
    let digits = format!("{:.0}", v.abs());
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if neg && out != "0" {
        out.insert(0, '-');
    }
    out
}

/// Compact USD: "$1.23B", "$45.6M", "$210k".
pub fn usd(v: f64) -> String {
    let sign = if v < 0.0 { "-" } else { "" };
    format!("{sign}${}", format_si(v.abs()))
}

/// 0.9731 -> "97.3 %".
pub fn pct(share: f64) -> String {
    format!("{:.1} %", share * 100.0)
}

/// A number as typed back into a field: shortest form that parses to the same value.
pub fn input_number(v: f64) -> String {
    if v.is_finite() && v == v.trunc() && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        let s = format!("{v}");
        if s.len() > 12 {
            let t = format!("{v:.6}");
            t.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    }
}

/// Parse a number typed by a planner: accepts `1,000,000`, `1 000`, `1e6`, `-0.5`. A comma
/// must group thousands (`1,500`): `0,5` or `100,200,300` in one box is refused rather than
/// read as 5 or a hundred million.
pub fn parse_number(text: &str) -> Option<f64> {
    if text.contains(',') && !rackplan_core::number::thousands_grouped(text.trim()) {
        return None;
    }
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' ' | '\u{a0}'))
        .collect();
    if cleaned.is_empty() {
        return None;
    }
    rackplan_core::number::parse_f64(&cleaned).filter(|v| v.is_finite())
}

/// A signed change: "+1.2", "-3".
pub fn signed(v: f64, body: String) -> String {
    if v > 0.0 {
        format!("+{body}")
    } else if v < 0.0 && !body.starts_with('-') {
        format!("-{body}")
    } else {
        body
    }
}

/// What a planner calls an input: its row's name and the input's label in the field registry
/// (`rackplan_core::fields`, as the editor shows it), e.g.
/// `markets[3].adoption_midpoint_months` -> "China: adoption midpoint",
/// `sites[2].capacity[1].units_per_month` -> "Quanta Taiwan: capacity point 2"; a plain input by
/// its label too (`sites[0].reservation_fee_usd_per_unit_month` -> "…: reservation fee"); other
/// fields in words; and a distribution's parameter as in the editor
/// (`….adoption_ceiling.tri[0]` -> "…: adoption ceiling (low)"). Scenario-wide inputs keep their
/// group (`sourcing.risk_premium_usd_per_unit` -> "sourcing: risk premium"). A path whose row
/// `scenario` does not have is shown as it is.
pub fn input_label(scenario: &rackplan_core::Scenario, path: &str) -> String {
    input_label_in(&[scenario], path)
}

/// [`input_label`] with the row's name from the first of `scenarios` that has the row (Compare:
/// B's names, A's for a row B no longer has).
pub fn input_label_in(scenarios: &[&rackplan_core::Scenario], path: &str) -> String {
    // A distribution's parameter, in the names the editor shows.
    let (path, param) = match path.rsplit_once('.').and_then(|(head, last)| {
        let (kind, k) = last.strip_suffix(']')?.split_once('[')?;
        use crate::ops::uncertain::{kind_label, param_names};
        let names = kind_label(kind).and(param_names(kind))?;
        Some((head, *names.get(k.parse::<usize>().ok()?)?))
    }) {
        Some((head, name)) => (head, format!(" ({name})")),
        None => (path, String::new()),
    };
    // A source note (`sources.unit_price_usd`) names the input it is the source of.
    let words = |f: &str| match f.strip_prefix("sources.") {
        Some(of) => format!("source of {}", of.replace('_', " ")),
        None => f.replace('_', " "),
    };
    // An input of the field registry: its label, and the point of a series
    // ("Quanta Taiwan: capacity point 2", "renting: available to rent point 1").
    let registry = rackplan_core::fields::meta(path).map(|m| {
        let mut label = lower_first(m.label);
        if !m.point.is_empty() {
            let k = path
                .rsplit_once("].")
                .and_then(|(head, _)| head.rsplit_once('['))
                .and_then(|(_, k)| k.parse::<usize>().ok());
            if let Some(k) = k {
                label = format!("{label} point {}", k + 1);
            }
        }
        (m.table, label)
    });
    // A plain input of a table's rows, and one value of a series ("…: reservation fee",
    // "…: reserved value 2"); the scenario-wide settings keep their group and key below.
    let registry = registry.or_else(|| {
        let (f, value) = rackplan_core::fields::plain::at(path)?;
        let label = lower_first(f.label);
        (f.table != rackplan_core::table::Table::Scenario).then(|| match value {
            Some(k) => (f.table, format!("{label} value {}", k + 1)),
            None => (f.table, label),
        })
    });
    if let Some((rackplan_core::table::Table::Scenario, label)) = &registry {
        let group = path.split('.').next().unwrap_or(path);
        return format!("{group}: {label}{param}");
    }
    // A supplier lever (MODEL.md §2.6): by row (`supplier_levers[0].others_share_points`, the
    // problem list) or by supplier (`supplier_levers.Foxconn.others_share_points`, Compare).
    if let Some(rest) = path.strip_prefix("supplier_levers") {
        let (who, field) = rest.rsplit_once('.').unwrap_or((rest, ""));
        let who = match who.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            Some(k) => k
                .parse::<usize>()
                .ok()
                .and_then(|k| scenarios.iter().find_map(|s| s.supplier_levers.get(k)))
                .map(|l| l.supplier.clone()),
            None => who.strip_prefix('.').map(str::to_string),
        };
        if let Some(who) = who {
            let field = match rackplan_core::levers::field_label(field) {
                Some(l) => l.to_string(),
                None if field.is_empty() => "supplier lever".to_string(),
                None => words(field),
            };
            return format!("{who}: {field}{param}");
        }
    }
    let Some((head, field)) = path.split_once("].") else {
        return match path.split_once('.') {
            Some(("sourcing", "policy.kind")) => format!("sourcing policy{param}"),
            Some(("sourcing", "policy.order")) => format!("priority order{param}"),
            Some(("sourcing", f)) if f.starts_with("policy.order[") => {
                let place = f["policy.order[".len()..]
                    .trim_end_matches(']')
                    .parse::<usize>()
                    .map_or(String::new(), |k| format!(", place {}", k + 1));
                format!("priority order{place}")
            }
            Some(("sourcing", f)) if f.starts_with("policy.shares") => {
                format!("fixed-split weights{}", &f["policy.shares".len()..])
            }
            Some((group, field)) => {
                let group = match group {
                    "monte_carlo" => "Monte Carlo",
                    "sourcing" => "sourcing",
                    "fleet" => "fleet",
                    other => other,
                };
                format!("{group}: {}{param}", words(field))
            }
            None => format!("{}{param}", words(path)),
        };
    };
    let row = head
        .split_once('[')
        .and_then(|(table, row)| Some((table, row.parse::<usize>().ok()?)));
    let name = row.and_then(|(table, row)| {
        scenarios.iter().find_map(|s| match table {
            "markets" => s.markets.get(row).map(|r| &r.name),
            "supply_regions" => s.supply_regions.get(row).map(|r| &r.name),
            "sites" => s.sites.get(row).map(|r| &r.name),
            "extra_demand" => s.extra_demand.get(row).map(|r| &r.name),
            _ => None,
        })
    });
    let Some(name) = name else {
        return format!("{path}{param}");
    };
    // A point of a series: `capacity[1].units_per_month`.
    let field = match registry {
        Some((_, label)) => label,
        None => match field.split_once('[').and_then(|(f, rest)| {
            let (p, pf) = rest.split_once("].")?;
            Some((f, p.parse::<usize>().ok()?, pf))
        }) {
            Some((f, p, pf)) => format!("{} point {} {}", words(f), p + 1, words(pf)),
            None => words(field),
        },
    };
    // Long names give way to the field (a chart's label area holds ~55 characters).
    let name: String = if name.chars().count() > 22 {
        name.chars().take(21).chain(['…']).collect()
    } else {
        name.clone()
    };
    format!("{name}: {field}{param}")
}

/// `text` with its first letter in lower case ("Adoption ceiling" -> "adoption ceiling").
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A scenario value (JSON, as [`rackplan_core::Scenario::to_json_value`] writes it) as a planner
/// reads it: `{"tri":[0.4,0.5,0.57]}` -> "triangular 0.4 / 0.5 / 0.57", a series of points ->
/// "2024-01: 0.5; 2026-12: 0.6", text without quotes, none as "–".
pub fn value_in_words(v: &serde_json::Value) -> String {
    use serde_json::Value;
    let num = |v: &Value| match v.as_f64() {
        Some(x) => input_number(x),
        None => value_in_words(v),
    };
    match v {
        Value::Null => "–".into(),
        Value::String(t) => t.clone(),
        Value::Number(_) => num(v),
        Value::Bool(b) => if *b { "yes" } else { "no" }.into(),
        Value::Array(items) => items
            .iter()
            .map(value_in_words)
            .collect::<Vec<_>>()
            .join("; "),
        Value::Object(map) => {
            if map.len() == 1 {
                let (k, x) = map.iter().next().expect("one entry");
                let kind = crate::ops::uncertain::kind_label(k);
                if let (Some(kind), Some(params)) = (kind, x.as_array()) {
                    let p: Vec<String> = params.iter().map(num).collect();
                    return format!("{kind} {}", p.join(" / "));
                }
            }
            // A point of a series: its month first.
            let month = map.get("month").and_then(Value::as_str);
            let rest: Vec<String> = map
                .iter()
                .filter(|(k, _)| k.as_str() != "month")
                .map(|(k, x)| {
                    if month.is_some() && map.len() == 2 {
                        value_in_words(x)
                    } else {
                        format!("{}: {}", k.replace('_', " "), value_in_words(x))
                    }
                })
                .collect();
            match month {
                Some(m) => format!("{m}: {}", rest.join(", ")),
                None => rest.join(", "),
            }
        }
    }
}

/// 1234567 -> "1.23M"; 1500 -> "1.5k"; small numbers as they are.
pub fn format_si(v: f64) -> String {
    let a = v.abs();
    if a >= 1e9 {
        trim(format!("{:.2}", v / 1e9)) + "B"
    } else if a >= 1e6 {
        trim(format!("{:.2}", v / 1e6)) + "M"
    } else if a >= 1e3 {
        trim(format!("{:.1}", v / 1e3)) + "k"
    } else {
        trim(format!("{v:.1}"))
    }
}

fn trim(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Escape text for XML.
pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn values_read_as_words() {
        let v = |t: &str| value_in_words(&serde_json::from_str(t).unwrap());
        assert_eq!(
            v(r#"{"tri":[0.4,0.5,0.57]}"#),
            "triangular 0.4 / 0.5 / 0.57"
        );
        assert_eq!(
            v(
                r#"[{"month":"2024-01","share":{"tri":[0.4,0.5,0.57]}},{"month":"2026-12","share":0.6}]"#
            ),
            "2024-01: triangular 0.4 / 0.5 / 0.57; 2026-12: 0.6"
        );
        assert_eq!(v("null"), "–");
        assert_eq!(v(r#""Taiwan""#), "Taiwan");
        assert_eq!(v("1500"), "1500");
        assert_eq!(v(r#"{"least_cost":null}"#), "least cost: –");
        assert_eq!(
            input_label(&rackplan_core::presets::base_case(), "monte_carlo.seed"),
            "Monte Carlo: seed"
        );
    }

    #[wasm_bindgen_test]
    fn inputs_are_named_by_their_rows() {
        let mut s = rackplan_core::presets::base_case();
        s.markets[1].name = "China".into();
        let (site, second_site) = (s.sites[0].name.clone(), s.sites[1].name.clone());
        // Supplier levers (MODEL.md §2.6).
        let mut l = s.clone();
        l.supplier_levers
            .push(rackplan_core::scenario::SupplierLever::neutral("Foxconn"));
        // Compare: B, its one site named, before A.
        let mut b = s.clone();
        b.sites.truncate(1);
        b.sites[0].name = "B's first".into();
        // The scenarios whose rows name the input, its path, and its label ({site}: the name
        // of the first site, {second site}: of the second).
        #[rustfmt::skip]
        let cases: [(&[&rackplan_core::Scenario], &str, &str); 17] = [
            (&[&s], "markets[1].adoption_midpoint_months", "China: adoption midpoint"),
            (&[&s], "sites[0].capacity[1].units_per_month", "{site}: capacity point 2"),
            (&[&s], "sourcing.risk_premium_usd_per_unit", "sourcing: risk premium"),
            // A point of the capacity to rent (a scenario-wide series).
            (&[&s], "renting.available_server_equivalents[1].server_equivalents", "renting: available to rent point 2"),
            (&[&s], "renting.available_server_equivalents[0].server_equivalents.tri[2]", "renting: available to rent point 1 (high)"),
            // Parameters of a distribution, as the editor names them.
            (&[&s], "markets[1].adoption_ceiling.tri[0]", "China: adoption ceiling (low)"),
            (&[&s], "sites[0].other_customers_share[1].share.pert[2]", "{site}: other customers' share point 2 (high)"),
            (&[&s], "sourcing.backlog_penalty_usd_per_unit_month.logn[1]", "sourcing: backlog penalty (p95)"),
            (&[&s], "horizon_months", "horizon months"),
            // Supplier levers: by row (problems) and by supplier (Compare).
            (&[&l], "supplier_levers[0].others_share_points", "Foxconn: other customers' share, points"),
            (&[&l], "supplier_levers.Foxconn.qualification_slip_months", "Foxconn: qualification slip, months"),
            (&[&l], "supplier_levers[0].supplier", "Foxconn: supplier"),
            // No such row, or not a path: shown as it is.
            (&[&s], "sites[99].yield_share", "sites[99].yield_share"),
            (&[&s], "sites[x].yield_share", "sites[x].yield_share"),
            (&[&s], "sites[99].yield_share.unif[1]", "sites[99].yield_share (high)"),
            // The first scenario that has the row names it.
            (&[&b, &s], "sites[0].ramp_months", "B's first: ramp"),
            (&[&b, &s], "sites[1].ramp_months", "{second site}: ramp"),
        ];
        for (scenarios, path, want) in cases {
            let want = want
                .replace("{site}", &site)
                .replace("{second site}", &second_site);
            assert_eq!(input_label_in(scenarios, path), want, "{path}");
        }
        assert_eq!(input_label(&s, "horizon_months"), "horizon months");
        // A long name is cut, the field is not.
        s.sites[0].name = "A very long site name indeed, in full".into();
        assert_eq!(
            input_label(&s, "sites[0].yield_share"),
            "A very long site name…: yield"
        );
    }

    #[wasm_bindgen_test]
    fn numbers_round_trip_through_fields() {
        assert_eq!(thousands(1234567.8), "1,234,568");
        assert_eq!(thousands(-1000.0), "-1,000");
        assert_eq!(thousands(12.0), "12");
        for v in [0.0, 0.25, 1e6, 210000.0, -0.08, 1.0 / 3.0] {
            let back = parse_number(&input_number(v)).unwrap();
            assert!((back - v).abs() <= 1e-6 * v.abs().max(1.0), "{v}");
        }
        assert_eq!(parse_number("1,000,000"), Some(1e6));
        assert_eq!(parse_number("-1,500.25"), Some(-1500.25));
        assert_eq!(parse_number("0,5"), None);
        assert_eq!(parse_number("1,5"), None);
        assert_eq!(parse_number("1000,000"), None);
        assert_eq!(parse_number("1.5,0"), None);
        assert_eq!(parse_number("abc"), None);
        assert_eq!(parse_number(""), None);
        assert_eq!(usd(1.5e9), "$1.5B");
    }
}
