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
    format!("{sign}${}", crate::charts::format_si(v.abs()))
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

/// Parse a number typed by a planner: accepts `1,000,000`, `1 000`, `1e6`, `-0.5`.
pub fn parse_number(text: &str) -> Option<f64> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

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
        assert_eq!(parse_number("abc"), None);
        assert_eq!(parse_number(""), None);
        assert_eq!(usd(1.5e9), "$1.5B");
    }
}
