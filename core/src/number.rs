//! Decimal text to `f64`, for every number typed or imported (editor fields, CSV cells), and
//! back to as many digits as carry information ([`tidy`]).
//!
//! Same grammar and the same correctly rounded result as `str::parse::<f64>` (`[+-]` then
//! digits with an optional `.` and exponent, or `inf`, `infinity`, `nan` in any case), but the
//! rounding is done by serde_json's exact parser (the `float_roundtrip` feature), which scenario
//! files and links need anyway. One exact decimal parser in the browser instead of two: the
//! standard library's carries a 20 KB table of powers of five (BENCHMARKS.md "In the browser").
//! `tests/properties.rs` checks it against `str::parse::<f64>` on generated and edge-case text.

/// Parse `text` exactly as `text.parse::<f64>().ok()` would.
pub fn parse_f64(text: &str) -> Option<f64> {
    let (negative, body) = match text.as_bytes().first()? {
        b'+' => (false, &text[1..]),
        b'-' => (true, &text[1..]),
        _ => (false, text),
    };
    let signed = |v: f64| if negative { -v } else { v };
    for (word, value) in [
        ("inf", f64::INFINITY),
        ("infinity", f64::INFINITY),
        ("nan", f64::NAN),
    ] {
        if body.eq_ignore_ascii_case(word) {
            return Some(signed(value));
        }
    }
    // Mantissa: digits, optional '.', digits (at least one digit in all); then an optional
    // exponent with at least one digit.
    let bytes = body.as_bytes();
    let digits = |from: usize| {
        from + bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let int_end = digits(0);
    let (frac_start, frac_end) = match bytes.get(int_end) {
        Some(b'.') => (int_end + 1, digits(int_end + 1)),
        _ => (int_end, int_end),
    };
    if int_end == 0 && frac_end == frac_start {
        return None;
    }
    let mut exponent = ("", "0");
    if frac_end < bytes.len() {
        if !matches!(bytes[frac_end], b'e' | b'E') {
            return None;
        }
        let (sign, start) = match bytes.get(frac_end + 1) {
            Some(b'+') => ("", frac_end + 2),
            Some(b'-') => ("-", frac_end + 2),
            _ => ("", frac_end + 1),
        };
        let end = digits(start.min(bytes.len()));
        if end == start || end != bytes.len() {
            return None;
        }
        exponent = (sign, &body[start..end]);
    }
    // The same number in JSON's stricter syntax: no leading '+', no leading zeros, a digit on
    // each side of '.', and always an exponent, so it takes the float path (keeping -0.0).
    let int = body[..int_end].trim_start_matches('0');
    let frac = &body[frac_start..frac_end];
    let mut json = String::with_capacity(body.len() + 6);
    json.push_str(if int.is_empty() { "0" } else { int });
    if !frac.is_empty() {
        json.push('.');
        json.push_str(frac);
    }
    json.push('e');
    json.push_str(exponent.0);
    json.push_str(exponent.1);
    match serde_json::from_str::<f64>(&json) {
        Ok(v) => Some(signed(v)),
        // serde_json refuses what does not fit in an f64; the standard library rounds it to
        // infinity (a zero mantissa never overflows).
        Err(_) => Some(signed(f64::INFINITY)),
    }
}

/// `x` to 12 significant digits: what a person typed survives, the last bits of a sum do not
/// (0.4 + 0.3 is 0.7, not 0.7000000000000001). Zero, infinities, NaN, and magnitudes of 1e12 or
/// more or below 1e-200 come back as they are.
pub fn tidy(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let e = x.abs().log10().floor() as i32;
    if !(-200..12).contains(&e) {
        return x;
    }
    let scale = 10f64.powi(11 - e);
    (x * scale).round() / scale
}

/// Whether the commas of `t` group thousands: 1 to 3 digits, then groups of exactly three, all
/// before the decimal point (the rule of the editor's number fields and the grid's cells).
pub fn thousands_grouped(t: &str) -> bool {
    let t = t.strip_prefix(['-', '+']).unwrap_or(t);
    let int_end = t.find(['.', 'e', 'E']).unwrap_or(t.len());
    let (int, rest) = t.split_at(int_end);
    if rest.contains(',') {
        return false;
    }
    let mut groups = int.split(',');
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::{parse_f64, tidy};

    #[test]
    fn agrees_with_the_standard_library_on_edge_cases() {
        let cases = [
            "0",
            "-0",
            "+0",
            "0.0",
            "-0.0",
            "1",
            "+1",
            "-1",
            "1.",
            ".5",
            "-.5",
            "+.5",
            "1.5e3",
            "1.5E-3",
            "1e+3",
            "007",
            "00.0100",
            "0e0",
            "-0e99999999999",
            "1e400",
            "-1e400",
            "1e-400",
            "1e99999999999999999999",
            "1e-99999999999999999999",
            "4.9e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "9007199254740993",
            "0.1000000000000000055511151231257827021181583404541015625",
            "123456789012345678901234567890",
            "inf",
            "-inf",
            "+INF",
            "Infinity",
            "-infinity",
            "NaN",
            "nan",
            "-NaN",
            "",
            "+",
            "-",
            ".",
            "e5",
            "1e",
            "1e+",
            "1.e5",
            "1..5",
            "1.5.",
            " 1",
            "1 ",
            "1_000",
            "1,5",
            "0x10",
            "1e5.5",
            "--1",
            "+-1",
            "infinit",
            "nana",
            "١",
        ];
        for c in cases {
            let want = c.parse::<f64>().ok();
            let got = parse_f64(c);
            match (want, got) {
                (Some(w), Some(g)) if w.is_nan() => assert!(g.is_nan(), "{c}"),
                (Some(w), Some(g)) => assert_eq!(w.to_bits(), g.to_bits(), "{c}"),
                (None, None) => {}
                _ => panic!("{c}: std {want:?}, ours {got:?}"),
            }
        }
    }

    #[test]
    fn tidy_keeps_twelve_significant_digits() {
        assert_eq!(tidy(0.4 + 0.3), 0.7);
        assert_eq!(tidy(1710.1100000000001), 1710.11);
        assert_eq!(tidy(-0.000123456789012), -0.000123456789012);
        assert_eq!(tidy(5e15), 5e15);
        assert_eq!(tidy(1e-300), 1e-300);
        assert_eq!(tidy(0.0), 0.0);
        assert!(tidy(f64::NAN).is_nan());
    }
}
