//! The presets menu over the core's preset library (`rackplan_core::presets`, MODEL.md §8).

use rackplan_core::Scenario;
use std::rc::Rc;

/// One entry of the presets menu.
#[derive(Clone)]
pub struct Preset {
    pub id: &'static str,
    pub name: &'static str,
    pub scenario: Scenario,
}

/// The default scenario (first preset).
pub fn base_case() -> Scenario {
    rackplan_core::presets::base_case()
}

/// Every preset, the base case first. Built once per page (the menu, the loaded-preset name and
/// the sourced-value marks all read it; building them is a measurable part of the start-up).
pub fn presets() -> Rc<[Preset]> {
    thread_local! {
        static PRESETS: Rc<[Preset]> = rackplan_core::presets::presets()
            .into_iter()
            .map(|(id, name, scenario)| Preset { id, name, scenario })
            .collect();
    }
    PRESETS.with(Rc::clone)
}
