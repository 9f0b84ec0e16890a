//! The inputs that differ between two scenarios, in words.

use serde_json::Value;

/// Inputs that differ between two scenarios, given as their JSON values
/// ([`Scenario::to_json_value`]): (path, A, B), at most `limit` rows.
pub fn input_differences(a: &Value, b: &Value, limit: usize) -> Vec<(String, String, String)> {
    // Supplier levers by supplier name (MODEL.md §2.6), a supplier without a row at 0.
    let keyed = crate::editor::suppliers::levers_by_supplier(a, b);
    let (a, b) = keyed.as_ref().map_or((a, b), |(x, y)| (x, y));
    fn walk(
        path: &mut String,
        a: Option<&Value>,
        b: Option<&Value>,
        out: &mut Vec<(String, String, String)>,
        limit: usize,
    ) {
        if out.len() >= limit || a == b {
            return;
        }
        // As a planner reads it (distributions, series by month); "–" for none.
        let show = |v: Option<&Value>| v.map_or("–".to_string(), crate::format::value_in_words);
        // A distribution of another kind is one changed value, not two changed keys.
        let kind = |m: &serde_json::Map<String, Value>| {
            (m.len() == 1)
                .then(|| m.keys().next())
                .flatten()
                .and_then(|k| crate::ops::uncertain::kind_label(k))
        };
        match (a, b) {
            (Some(Value::Object(x)), Some(Value::Object(y)))
                if (kind(x).is_some() || kind(y).is_some()) && kind(x) != kind(y) =>
            {
                out.push((path.clone(), show(a), show(b)))
            }
            (Some(Value::Object(x)), Some(Value::Object(y))) => {
                for k in merged_keys(x, y) {
                    let len = path.len();
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(k);
                    walk(path, x.get(k.as_str()), y.get(k.as_str()), out, limit);
                    path.truncate(len);
                }
            }
            (Some(Value::Array(x)), Some(Value::Array(y))) if x.len() == y.len() => {
                for (i, (p, q)) in x.iter().zip(y).enumerate() {
                    let len = path.len();
                    path.push_str(&format!("[{i}]"));
                    walk(path, Some(p), Some(q), out, limit);
                    path.truncate(len);
                }
            }
            _ => out.push((path.clone(), show(a), show(b))),
        }
    }
    let mut out = Vec::new();
    walk(&mut String::new(), Some(a), Some(b), &mut out, limit);
    // The policy in words: its kind as named in the editor, the priority order by site name.
    let policy = |v: &str| match v {
        "least_cost" => "least cost".to_string(),
        "fixed_split" => "fixed split".to_string(),
        other => other.to_string(),
    };
    // A site number (as written in the order) as the site's name on that side.
    let site = |side: &Value, i: &str| {
        i.parse::<usize>()
            .ok()
            .and_then(|i| side["sites"][i]["name"].as_str())
            .map_or_else(|| i.to_string(), str::to_string)
    };
    let order = |side: &Value| -> String {
        side["sourcing"]["policy"]["order"]
            .as_array()
            .map_or("–".into(), |o| {
                o.iter()
                    .map(|i| site(side, &i.to_string()))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
    };
    for (path, x, y) in &mut out {
        match path.as_str() {
            "sourcing.policy.kind" => (*x, *y) = (policy(x), policy(y)),
            "sourcing.policy.order" => (*x, *y) = (order(a), order(b)),
            p if p.starts_with("sourcing.policy.order[") => (*x, *y) = (site(a, x), site(b, y)),
            _ => {}
        }
    }
    out
}

/// The keys of two JSON objects, each once, in order. The maps keep their keys sorted, so a
/// merge does it without sorting.
fn merged_keys<'a>(
    x: &'a serde_json::Map<String, Value>,
    y: &'a serde_json::Map<String, Value>,
) -> Vec<&'a String> {
    crate::charts::views::merge_sorted(x.keys(), y.keys())
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn lists_changed_inputs() {
        let a = crate::presets::base_case();
        let mut b = a.clone();
        b.horizon_months += 12;
        b.sites[1].unit_price_usd = rackplan_core::Uncertain::Fixed(1.0);
        let (a, b) = (a.to_json_value(), b.to_json_value());
        let d = input_differences(&a, &b, 10);
        let paths: Vec<&str> = d.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(paths, ["horizon_months", "sites[1].unit_price_usd"]);
        assert!(input_differences(&a, &a, 10).is_empty());
    }

    #[wasm_bindgen_test]
    fn the_policy_reads_in_words() {
        let a = crate::presets::base_case();
        let mut b = a.clone();
        let n = b.sites.len();
        b.sourcing.policy = rackplan_core::scenario::PolicyChoice::Priority {
            order: (0..n).rev().collect(),
        };
        let d = input_differences(&a.to_json_value(), &b.to_json_value(), 10);
        let kind = d.iter().find(|x| x.0 == "sourcing.policy.kind").unwrap();
        assert_eq!(
            (kind.1.as_str(), kind.2.as_str()),
            ("least cost", "priority")
        );
        let order = d.iter().find(|x| x.0 == "sourcing.policy.order").unwrap();
        assert!(order.2.starts_with(&b.sites[n - 1].name), "{order:?}");
        assert_eq!(
            crate::format::input_label(&a, "sourcing.policy.kind"),
            "sourcing policy"
        );
    }

    #[wasm_bindgen_test]
    fn keys_of_either_side_in_order_once() {
        let a = serde_json::json!({ "a": 1, "c": { "x": 1 }, "e": 5 });
        let b = serde_json::json!({ "b": 2, "c": { "x": 2, "y": 3 }, "d": 4 });
        let d = input_differences(&a, &b, 10);
        let paths: Vec<&str> = d.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(paths, ["a", "b", "c.x", "c.y", "d", "e"]);
        assert_eq!(d[1], ("b".into(), "–".into(), "2".into()));
        // Text without its JSON quotes.
        let d = input_differences(
            &serde_json::json!({ "start_month": "2024-01" }),
            &serde_json::json!({ "start_month": "2025-06" }),
            10,
        );
        assert_eq!(
            d,
            [("start_month".into(), "2024-01".into(), "2025-06".into())]
        );
        // A distribution switched to another kind: one row, in words.
        let d = input_differences(
            &serde_json::json!({ "x": { "tri": [1, 2, 3] } }),
            &serde_json::json!({ "x": { "pert": [1, 2, 4] } }),
            10,
        );
        assert_eq!(
            d,
            [(
                "x".into(),
                "triangular 1 / 2 / 3".into(),
                "PERT 1 / 2 / 4".into()
            )]
        );
    }
}
