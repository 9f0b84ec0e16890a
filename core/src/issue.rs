//! A problem found in a scenario: its severity, the path of the field and a plain message
//! (`sites[2].capacity[0].units_per_month: must be >= 0, got -5`). The validator, loading and
//! migration all speak it, and it depends on nothing else in the core.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The scenario cannot be run.
    Error,
    /// The scenario runs, but something was ignored or looks wrong.
    Warning,
}

/// One problem found in a scenario.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Issue {
    pub severity: Severity,
    /// Field path, e.g. `sites[2].capacity[0].units_per_month` (empty for the whole scenario).
    pub path: String,
    pub message: String,
}

impl Issue {
    pub fn error(path: impl Into<String>, message: impl Into<String>) -> Self {
        Issue {
            severity: Severity::Error,
            path: path.into(),
            message: message.into(),
        }
    }
    pub fn warning(path: impl Into<String>, message: impl Into<String>) -> Self {
        Issue {
            severity: Severity::Warning,
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tag = match self.severity {
            Severity::Error => "",
            Severity::Warning => "warning: ",
        };
        if self.path.is_empty() {
            write!(f, "{tag}{}", self.message)
        } else {
            write!(f, "{}: {tag}{}", self.path, self.message)
        }
    }
}
