//! Undo/redo history: a plain Rust type (no signals), unit-tested natively.
//!
//! Each step stores the whole state *before* an edit. Edits with the same label that follow each
//! other closely (a slider drag, typing in one field) coalesce into one step, so one Ctrl+Z undoes
//! the whole drag.

/// Most undo steps kept; older ones are dropped.
pub const HISTORY_LIMIT: usize = 200;

/// Edits with the same label closer together than this (ms) join the previous step.
pub const COALESCE_MS: f64 = 1200.0;

#[derive(Debug, Clone)]
struct Step<T> {
    state: T,
    label: String,
}

/// Undo and redo stacks over states of type `T`.
#[derive(Debug, Clone)]
pub struct History<T> {
    undo: Vec<Step<T>>,
    redo: Vec<Step<T>>,
    limit: usize,
    /// Label and time (ms) of the last recorded edit, for coalescing.
    last: Option<(String, f64)>,
}

impl<T> Default for History<T> {
    fn default() -> Self {
        Self::with_limit(HISTORY_LIMIT)
    }
}

impl<T> History<T> {
    pub fn with_limit(limit: usize) -> Self {
        History {
            undo: Vec::new(),
            redo: Vec::new(),
            limit: limit.max(1),
            last: None,
        }
    }

    /// Record an edit: `before` is the state before it. Returns true if a new undo step was
    /// pushed, false if the edit joined the previous step (same label within [`COALESCE_MS`]).
    pub fn record(&mut self, before: T, label: &str, now_ms: f64) -> bool {
        self.redo.clear();
        let joins = matches!(&self.last, Some((l, t)) if l == label && now_ms - t < COALESCE_MS)
            && !self.undo.is_empty();
        self.last = Some((label.to_string(), now_ms));
        if joins {
            return false;
        }
        self.push_undo(before, label);
        true
    }

    /// Record a step that never joins another (whole-scenario replacement).
    pub fn record_step(&mut self, before: T, label: &str) {
        self.redo.clear();
        self.last = None;
        self.push_undo(before, label);
    }

    fn push_undo(&mut self, state: T, label: &str) {
        self.undo.push(Step {
            state,
            label: label.to_string(),
        });
        if self.undo.len() > self.limit {
            let extra = self.undo.len() - self.limit;
            self.undo.drain(..extra);
        }
    }

    /// End the current coalescing run (the next edit starts a new step).
    pub fn seal(&mut self) {
        self.last = None;
    }

    /// Undo: give the current state, get the state to restore.
    pub fn undo(&mut self, current: T) -> Option<T> {
        let restored = travel(&mut self.undo, &mut self.redo, current)?;
        self.last = None;
        Some(restored)
    }

    /// Redo: give the current state, get the state to restore.
    pub fn redo(&mut self, current: T) -> Option<T> {
        let restored = travel(&mut self.redo, &mut self.undo, current)?;
        self.last = None;
        Some(restored)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
    /// Label of the step Ctrl+Z would undo.
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|s| s.label.as_str())
    }
    /// Label of the step Ctrl+Shift+Z would redo.
    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|s| s.label.as_str())
    }
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }
}

/// One step from `from` to `to` (undo: undo stack to redo stack; redo: back): `to` keeps
/// `current` under the step's label, and the step's state is returned to be restored.
fn travel<T>(from: &mut Vec<Step<T>>, to: &mut Vec<Step<T>>, current: T) -> Option<T> {
    let step = from.pop()?;
    to.push(Step {
        state: current,
        label: step.label,
    });
    Some(step.state)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn undo_and_redo_walk_back_and_forth() {
        let mut h = History::default();
        let mut s = 0;
        for (i, label) in ["a", "b", "c"].iter().enumerate() {
            h.record(s, label, i as f64 * 10_000.0);
            s += 1;
        }
        assert_eq!(s, 3);
        s = h.undo(s).unwrap();
        assert_eq!(s, 2);
        s = h.undo(s).unwrap();
        assert_eq!(s, 1);
        assert_eq!(h.redo_label(), Some("b"));
        s = h.redo(s).unwrap();
        assert_eq!(s, 2);
        // A new edit clears the redo stack.
        h.record(s, "d", 100_000.0);
        assert!(!h.can_redo());
    }

    #[wasm_bindgen_test]
    fn a_drag_is_one_step() {
        let mut h = History::default();
        let mut s = 0;
        for i in 0..50 {
            h.record(s, "slider", i as f64 * 16.0);
            s += 1;
        }
        assert_eq!(h.undo_len(), 1);
        assert_eq!(h.undo(s), Some(0));
        // After a pause the same label starts a new step.
        let mut h = History::default();
        h.record(0, "slider", 0.0);
        h.record(1, "slider", 5_000.0);
        assert_eq!(h.undo_len(), 2);
        // seal() ends a run too.
        h.seal();
        h.record(2, "slider", 5_010.0);
        assert_eq!(h.undo_len(), 3);
    }

    #[wasm_bindgen_test]
    fn keeps_at_least_a_hundred_steps() {
        let mut h = History::default();
        for i in 0..150 {
            h.record(i, &format!("edit {i}"), 0.0);
        }
        let mut s = 150;
        let mut n = 0;
        while let Some(prev) = h.undo(s) {
            s = prev;
            n += 1;
        }
        assert_eq!(n, 150);
        assert_eq!(s, 0);
        let mut h = History::with_limit(3);
        for i in 0..10 {
            h.record_step(i, "x");
        }
        assert_eq!(h.undo_len(), 3);
    }
}
