//! The allowed range of a number and the words for a value outside it (MODEL.md §6): what the
//! validator checks, and what editors use to keep the values they make valid. Depends on nothing
//! else in the core but number formatting.

/// Largest magnitude any input number may have: beyond it a value is a typo, not a plan, and
/// sums of such values would lose all precision (MODEL.md §6).
pub const MAX_ABS_VALUE: f64 = 1e12;

/// Allowed range of a number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    pub min: f64,
    pub min_inclusive: bool,
    pub max: f64,
    pub max_inclusive: bool,
}

impl Range {
    /// `x` moved into the range: onto a bound the range includes, or halfway from `p` (a value
    /// inside) to a bound it excludes. Editors use it to keep the values they make valid.
    pub fn pull_in(&self, x: f64, p: f64) -> f64 {
        if x < self.min || (x == self.min && !self.min_inclusive) {
            if self.min_inclusive {
                self.min
            } else {
                crate::number::tidy(0.5 * (self.min + p))
            }
        } else if x > self.max || (x == self.max && !self.max_inclusive) {
            if self.max_inclusive {
                self.max
            } else {
                crate::number::tidy(0.5 * (self.max + p))
            }
        } else {
            x
        }
    }

    /// The complaint for `v`, if it is out of range (`must be >= 0, got -5`).
    pub fn complaint(&self, v: f64) -> Option<String> {
        if !v.is_finite() {
            return Some(format!("must be a finite number, got {}", fmt_num(v)));
        }
        if v.abs() > MAX_ABS_VALUE {
            return Some(format!("must be at most 1e12 in size, got {}", fmt_num(v)));
        }
        let low_bad = if self.min_inclusive {
            v < self.min
        } else {
            v <= self.min
        };
        let high_bad = if self.max_inclusive {
            v > self.max
        } else {
            v >= self.max
        };
        if self.max.is_finite() && (low_bad || high_bad) {
            let lo = if self.min_inclusive {
                ""
            } else {
                " (exclusive)"
            };
            let hi = if self.max_inclusive {
                ""
            } else {
                " (exclusive)"
            };
            if self.min == 0.0 && self.max == 1.0 && self.min_inclusive && self.max_inclusive {
                return Some(format!("must be between 0 and 1, got {}", fmt_num(v)));
            }
            return Some(format!(
                "must be between {}{lo} and {}{hi}, got {}",
                fmt_num(self.min),
                fmt_num(self.max),
                fmt_num(v)
            ));
        }
        if low_bad {
            let op = if self.min_inclusive { ">=" } else { ">" };
            return Some(format!(
                "must be {op} {}, got {}",
                fmt_num(self.min),
                fmt_num(v)
            ));
        }
        None
    }
}

/// A number as a planner would write it: plain, or in exponent form when very large or small.
pub fn fmt_num(v: f64) -> String {
    if v != 0.0 && v.is_finite() && (v.abs() >= 1e15 || v.abs() < 1e-6) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}
