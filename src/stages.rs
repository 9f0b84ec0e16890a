//! The page's staged drawing: the answer with the mount, then its other parts one per task (see
//! [`stage_in`]).

use leptos::prelude::*;

/// How many of the page's parts below the answer are drawn: 1 main chart, 2 the editor's levers,
/// 3 its supplier levers and 4-7 its groups ([`crate::editor::EDITOR_STAGES`]), 8 the all-sites
/// grid, 9 charts, 10 explanations, 11 Compare, 12 uncertainty, 13 the commitment advisor.
pub const STAGES: u8 = 13;

/// How far the staged drawing of the page has come (see [`stage_in`]), for parts drawn inside
/// components.
#[derive(Clone, Copy)]
pub struct Staged(pub RwSignal<u8>);

/// A condition "stage `part` is drawn" for `<Show>`, from the page's [`Staged`] (always true
/// where there is none, as in component tests).
pub fn drawn_from_context() -> impl Fn(u8) -> Box<dyn Fn() -> bool + Send + Sync> + Copy {
    let staged = use_context::<Staged>();
    move |part: u8| -> Box<dyn Fn() -> bool + Send + Sync> {
        match staged {
            Some(Staged(s)) => Box::new(move || s.get() >= part),
            None => Box::new(|| true),
        }
    }
}

/// The page's parts below the answer (main chart, editor, grid, charts, explanations, Compare,
/// uncertainty) are drawn one per task after the mount, in page order, instead of all in the
/// mount's task: the answer shows first and the page never blocks for the whole build at once
/// (Lighthouse's total blocking time, BENCHMARKS.md "First view"). Returns how many are drawn.
pub fn stage_in() -> RwSignal<u8> {
    let staged = RwSignal::new(0u8);
    fn next(staged: RwSignal<u8>) {
        crate::state::schedule(0, move || {
            if staged.try_update(|s| *s += 1).is_some() && staged.get_untracked() < STAGES {
                next(staged);
            }
        });
    }
    next(staged);
    staged
}
