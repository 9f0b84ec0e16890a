//! `number::parse_f64` against the standard library's `str::parse::<f64>` (the independent
//! oracle): the same accept/reject decision and the same bits on any text.

use proptest::prelude::*;
use rackplan_core::number::parse_f64;

fn same(text: &str) -> Result<(), TestCaseError> {
    let want = text.parse::<f64>().ok();
    let got = parse_f64(text);
    match (want, got) {
        (Some(w), Some(g)) if w.is_nan() => prop_assert!(g.is_nan(), "{text:?}"),
        (Some(w), Some(g)) => prop_assert_eq!(w.to_bits(), g.to_bits(), "{:?}", text),
        (None, None) => {}
        _ => prop_assert!(false, "{text:?}: std {want:?}, ours {got:?}"),
    }
    Ok(())
}

/// 20,000 cases per property in the test command; `PROPTEST_CASES` for a longer run
/// (FUZZING.md).
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    /// Every f64, written the ways people and programs write numbers.
    #[test]
    fn any_f64_in_any_notation(bits in any::<u64>(), digits in 0usize..20) {
        let v = f64::from_bits(bits);
        same(&format!("{v}"))?;
        same(&format!("{v:e}"))?;
        same(&format!("{v:E}"))?;
        same(&format!("{v:.digits$}"))?;
        same(&format!("{v:.digits$e}"))?;
        same(&format!("+{v}"))?;
    }

    /// Decimal-looking text: long mantissas (beyond 17 digits, where rounding is hardest),
    /// leading zeros, missing digits around '.', large and missing exponents.
    #[test]
    fn decimal_shaped_text(text in "[+-]?0{0,3}[0-9]{0,30}(\\.[0-9]{0,30})?([eE][+-]?[0-9]{0,4})?") {
        same(&text)?;
    }

    /// Halfway cases: the decimal midpoint between two neighbouring f64, and a hair either side.
    #[test]
    fn halfway_between_neighbours(bits in 1u64..0x7FEF_FFFF_FFFF_FFFF) {
        let (a, b) = (f64::from_bits(bits), f64::from_bits(bits + 1));
        let mid = format!("{:.40e}", (a / 2.0) + (b / 2.0));
        same(&mid)?;
        same(&format!("{mid}1"))?;
    }

    /// Text made of the characters numbers are made of, in any order.
    #[test]
    fn number_alphabet_soup(text in "[0-9.eE+\\-infatyINFATY ]{0,12}") {
        same(&text)?;
    }

    /// Any text at all.
    #[test]
    fn any_text(text in "\\PC{0,16}") {
        same(&text)?;
    }
}
