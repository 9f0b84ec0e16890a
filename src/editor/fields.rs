//! Labelled form fields bound to one place of the scenario. Each field shows its unit, the
//! validator's message for its path, and the source note of its default figure.

use std::sync::Arc;

use leptos::prelude::*;
use rackplan_core::fields::{Field, Row};
use rackplan_core::{Scenario, Uncertain};

use crate::format::{input_number, parse_number};
use crate::ops::uncertain::{convert, kind, param_names, set_point, with_param, KINDS};
use crate::state::{use_app_state, AppState};

/// Reads a value at one place of the scenario (`None` if the row is gone).
pub type Getter<T> = Arc<dyn Fn(&Scenario) -> Option<T> + Send + Sync>;
/// Writes a value at the same place.
pub type Setter<T> = Arc<dyn Fn(&mut Scenario, T) + Send + Sync>;
/// A getter and setter pair.
pub type Lens<T> = (Getter<T>, Setter<T>);

/// One uncertain input as the editor shows it: its path and its lens as one value (so they
/// cannot drift apart), with its label, unit and slider. [`Input::of`] makes one from the field
/// registry (`rackplan_core::fields`); an input that is not one field of one row (a series'
/// point, a lever moving a whole series) is written out.
#[derive(Clone)]
pub struct Input {
    pub path: String,
    pub label: &'static str,
    pub unit: &'static str,
    pub lens: Lens<Uncertain>,
    pub slider: Option<Slider>,
}

impl Input {
    /// Input `f` of row `i` (0 for a scenario-wide setting), as the registry describes it.
    pub fn of<R: Row, O: 'static>(f: &'static Field<R, O>, i: usize) -> Input {
        let m = &f.meta;
        Input {
            path: m.path(i, 0).to_string(),
            label: m.label,
            unit: m.unit,
            lens: (
                Arc::new(move |s: &Scenario| f.get_in(s, i).copied()),
                Arc::new(move |s: &mut Scenario, v: Uncertain| {
                    if let Some(u) = f.get_in_mut(s, i) {
                        *u = v;
                    }
                }),
            ),
            slider: m.slider.map(|sl| Slider {
                min: sl.min,
                max: sl.max,
                step: sl.step,
                bounds: (m.range.min, m.range.max),
            }),
        }
    }

    /// The same input with another slider.
    pub fn with_slider(mut self, slider: Slider) -> Input {
        self.slider = Some(slider);
        self
    }
}

/// DOM id for a field path: `sites[2].unit_price_usd` -> `f-sites-2-unit_price_usd`.
pub fn field_id(path: &str) -> String {
    let mut id = String::from("f-");
    for c in path.chars() {
        id.push(if c.is_ascii_alphanumeric() || c == '_' {
            c
        } else {
            '-'
        });
    }
    while id.ends_with('-') {
        id.pop();
    }
    id
}

/// A label like "Cloud share" for undo: "Cloud share (sites[2])".
fn step_label(label: &str, path: &str) -> String {
    match path.split_once('.') {
        Some((row, _)) if row.contains('[') => format!("{label} ({row})"),
        _ => label.to_string(),
    }
}

/// The validator's messages for a path, and whether one is an error (reactive).
fn messages(path: String) -> (Memo<Vec<String>>, Memo<bool>) {
    let state = use_app_state();
    let p = path.clone();
    let msgs = Memo::new(move |_| {
        state
            .issues_at(&p)
            .into_iter()
            .map(|i| {
                let tag = match i.severity {
                    rackplan_core::Severity::Error => "",
                    rackplan_core::Severity::Warning => "warning: ",
                };
                let sub = i
                    .path
                    .strip_prefix(&p)
                    .filter(|r| !r.is_empty())
                    .map(|r| format!("{} ", r.trim_start_matches('.')))
                    .unwrap_or_default();
                format!("{sub}{tag}{}", i.message)
            })
            .collect()
    });
    let p = path;
    let bad = Memo::new(move |_| {
        state
            .issues_at(&p)
            .iter()
            .any(|i| i.severity == rackplan_core::Severity::Error)
    });
    (msgs, bad)
}

/// What every labelled field has: its element id, the id of its message line, the validator's
/// messages and whether one is an error, and the field's own "enter a number" message.
pub(crate) struct FieldParts {
    path: String,
    pub(crate) id: String,
    pub(crate) msg_id: String,
    msgs: Memo<Vec<String>>,
    pub(crate) bad: Memo<bool>,
    pub(crate) parse_error: RwSignal<Option<String>>,
}

impl FieldParts {
    pub(crate) fn new(path: String) -> Self {
        let id = field_id(&path);
        let (msgs, bad) = messages(path.clone());
        FieldParts {
            msg_id: format!("{id}-msg"),
            id,
            path,
            msgs,
            bad,
            parse_error: RwSignal::new(None),
        }
    }

    /// The field around `inputs`: label and unit (then `head`, e.g. a kind menu), the inputs,
    /// and the message line and source note under them.
    pub(crate) fn frame(
        self,
        label: impl IntoView,
        unit: &'static str,
        head: impl IntoView,
        inputs: impl IntoView,
    ) -> impl IntoView {
        let FieldParts {
            path,
            id,
            msg_id,
            msgs,
            bad,
            parse_error,
        } = self;
        let data_path = path.clone();
        view! {
            <div class="field" class:invalid=move || bad.get() data-path=data_path>
                <div class="field-head">
                    <label for=id.clone() id=format!("{id}-label")>{label}</label>
                    {(!unit.is_empty()).then(|| view! { <span class="unit">{unit}</span> })}
                    {head}
                </div>
                <div class="field-inputs">{inputs}</div>
                <FieldFoot path=path msg_id=msg_id msgs=msgs parse_error=parse_error />
            </div>
        }
    }
}

/// The message line and source note under a field.
#[component]
fn FieldFoot(
    path: String,
    msg_id: String,
    msgs: Memo<Vec<String>>,
    parse_error: RwSignal<Option<String>>,
) -> impl IntoView {
    let state = use_app_state();
    let marks = use_context::<crate::sourced::SourcedMarks>();
    let changed = {
        let path = path.clone();
        Memo::new(move |_| marks.and_then(|m| m.0.with(|m| m.get(&path).cloned())))
    };
    let source = Memo::new(move |_| {
        state
            .scenario
            .with(|s| s.source_for(&path).map(str::to_string))
    });
    view! {
        <p class="msg" id=msg_id aria-live="polite">
            {move || parse_error.get()}
            // What validation says is about the value in use; while the box holds text that was
            // not taken, only that is said here (the problem list keeps the rest).
            {move || parse_error.with(Option::is_none).then(|| msgs.get().join("; "))}
        </p>
        {move || changed.get().map(|c| view! { <p class="changed-mark" data-testid="changed-mark">{c}</p> })}
        {move || {
            source
                .get()
                .map(|text| {
                    let short: String = text.chars().take(56).collect();
                    let more = text.chars().count() > 56;
                    view! {
                        <details class="source">
                            <summary>
                                "Source: " {short} {more.then_some("…")}
                            </summary>
                            <p>{text}</p>
                        </details>
                    }
                })
        }}
    }
}

/// A text box for one number, with its own text buffer so typing "0." or "1e" is not reformatted.
/// With `optional`, an empty box means "none" (`on_value` gets `None`); with `whole`, only whole
/// numbers of 0 or more are taken (months, samples, seeds: "12.5" or "-5" get a message instead
/// of being rounded or clamped out of sight).
#[component]
pub fn NumText(
    #[prop(into)] id: String,
    #[prop(optional_no_strip)] aria_label: Option<String>,
    #[prop(into)] value: Signal<Option<f64>>,
    on_value: Callback<Option<f64>>,
    #[prop(optional)] optional: bool,
    #[prop(optional)] whole: bool,
    parse_error: RwSignal<Option<String>>,
    #[prop(into)] invalid: Signal<bool>,
    #[prop(into)] described_by: String,
    #[prop(optional_no_strip)] testid: Option<String>,
) -> impl IntoView {
    let state = use_app_state();
    let text = RwSignal::new(value.get_untracked().map(input_number).unwrap_or_default());
    Effect::new(move |_| {
        let v = value.get();
        if parse_number(&text.get_untracked()) != v {
            text.set(v.map(input_number).unwrap_or_default());
            parse_error.set(None);
        }
    });
    view! {
        <input
            type="text"
            inputmode="decimal"
            autocomplete="off"
            id=id
            placeholder=optional.then_some("none")
            aria-label=aria_label
            aria-describedby=described_by
            aria-invalid=move || (invalid.get() || parse_error.get().is_some()).to_string()
            data-testid=testid
            prop:value=move || text.get()
            on:input=move |ev| {
                let t = event_target_value(&ev);
                text.set(t.clone());
                match parse_number(&t) {
                    None if !(optional && t.trim().is_empty()) => {
                        parse_error.set(Some("enter a number, e.g. 1500 or 0.25. ".into()))
                    }
                    // Whole numbers exactly representable (up to 2^53 - 1).
                    Some(v) if whole && !(v >= 0.0 && v.fract() == 0.0 && v < 9_007_199_254_740_992.0) => {
                        parse_error.set(Some(if v >= 9_007_199_254_740_992.0 {
                            "enter a whole number up to 9007199254740991 (the largest a browser counts exactly). ".into()
                        } else {
                            "enter a whole number of 0 or more, e.g. 84. ".into()
                        }))
                    }
                    parsed => {
                        parse_error.set(None);
                        on_value.run(parsed);
                    }
                }
            }
            on:change=move |_| state.seal()
        />
    }
}

/// How a slider's edits become undo steps. A drag is one step, sealed by its change event.
/// Keyboard steps (arrows, Page Up/Down, Home, End) fire a change each: a burst of them is one
/// undo step (the history joins edits of one field less than its coalescing time apart), sealed
/// when the slider loses focus or the pointer takes over.
#[derive(Clone, Copy)]
pub struct SliderSteps {
    state: AppState,
    by_key: StoredValue<bool>,
}

impl SliderSteps {
    pub fn new(state: AppState) -> SliderSteps {
        SliderSteps {
            state,
            by_key: StoredValue::new(false),
        }
    }
    /// A key went down on the slider.
    pub fn key(self) {
        self.by_key.set_value(true);
    }
    /// The pointer takes over or the focus leaves: a burst of keyboard steps ends.
    pub fn end_keys(self) {
        if self.by_key.get_value() {
            self.by_key.set_value(false);
            self.state.seal();
        }
    }
    /// The slider's change event: the end of a drag (keyboard steps wait for `end_keys`).
    pub fn change(self) {
        if !self.by_key.get_value() {
            self.state.seal();
        }
    }
}

/// Slider settings: min, max, step, and the field's valid range, which every parameter of a
/// distribution the slider moves stays within.
#[derive(Clone, Copy)]
pub struct Slider {
    pub min: f64,
    pub max: f64,
    pub step: f64,
    pub bounds: (f64, f64),
}

/// A number that may be a distribution: a kind menu, its parameters, and optionally a slider
/// moving its point value.
#[component]
pub fn UncertainField(
    input: Input,
    #[prop(optional)] testid: Option<&'static str>,
    /// A copy of an input shown among the levers: ids of its own, so the table's copy keeps the
    /// input's id (labels, links from the problem list).
    #[prop(optional)]
    lever: bool,
) -> impl IntoView {
    let state = use_app_state();
    let Input {
        path,
        label,
        unit,
        lens: (get, set),
        slider,
    } = input;
    let mut parts = FieldParts::new(path.clone());
    if lever {
        parts.id = format!("lever-{}", parts.id);
        parts.msg_id = format!("{}-msg", parts.id);
    }
    let (id, msg_id) = (parts.id.clone(), parts.msg_id.clone());
    let (bad, parse_error) = (parts.bad, parts.parse_error);
    let label_id = format!("{id}-label");
    let g = get.clone();
    let value = Memo::new(move |_| state.scenario.with(|s| g(s)));
    let current_kind = Memo::new(move |_| value.get().map(|u| kind(&u)).unwrap_or("fixed"));
    let undo_label = step_label(label, &path);
    // The field's valid range (a lever over a whole series has no path of its own: its slider's).
    let range = rackplan_core::validate::input_range(&path).or_else(|| {
        slider.map(|sl| rackplan_core::validate::Range {
            min: sl.bounds.0,
            min_inclusive: true,
            max: sl.bounds.1,
            max_inclusive: true,
        })
    });

    let write = {
        let set = set.clone();
        let undo_label = undo_label.clone();
        move |f: &dyn Fn(&Uncertain) -> Uncertain| {
            let set = set.clone();
            if let Some(u) = value.get_untracked() {
                let next = f(&u);
                state.edit(&undo_label, move |s| set(s, next));
            }
        }
    };
    let write = Arc::new(write);

    let kind_select = {
        let write = write.clone();
        view! {
            <select
                class="kind"
                aria-label=format!("{label}: number or distribution")
                on:change=move |ev| {
                    let k = event_target_value(&ev);
                    write(&|u| convert(u, &k, range));
                    state.seal();
                }
            >
                {KINDS
                    .iter()
                    .map(|kd| {
                        let (k, name) = (kd.key, kd.label);
                        view! {
                            <option value=k selected=move || current_kind.get() == k>
                                {name}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        }
    };

    let range = slider.map(|sl| {
        let write = write.clone();
        // The value when the drag began: every step of one drag starts from it, so a drag to an
        // end and back gives back the distribution (a low end clamped at 0 or a lognormal
        // turned into a number at 0 on the way is not kept).
        // Held with the value the drag last wrote: a value changed any other way starts afresh.
        let origin = StoredValue::new(None::<(Uncertain, Uncertain)>);
        let steps = SliderSteps::new(state);
        view! {
            <input
                type="range"
                class="slider"
                min=sl.min
                max=sl.max
                step=sl.step
                aria-labelledby=label_id.clone()
                aria-describedby=msg_id.clone()
                aria-valuetext=move || {
                    value.get().map(|u| format!("{} {unit}", input_number(u.point()))).unwrap_or_default()
                }
                data-testid=testid.map(|t| format!("{t}-slider"))
                prop:value=move || value.get().map(|u| u.point().to_string()).unwrap_or_default()
                on:input=move |ev| {
                    if let Some(v) = parse_number(&event_target_value(&ev)) {
                        let Some(now) = value.get_untracked() else {
                            return;
                        };
                        let from = match origin.get_value() {
                            Some((from, last)) if last == now => from,
                            _ => now,
                        };
                        let next = set_point(&from, v, sl.bounds);
                        origin.set_value(Some((from, next)));
                        write(&|_| next);
                    }
                }
                on:keydown=move |_| steps.key()
                on:pointerdown=move |_| steps.end_keys()
                on:change=move |_| {
                    origin.set_value(None);
                    steps.change();
                }
                on:blur=move |_| steps.end_keys()
            />
        }
    });

    let inputs = {
        let id = id.clone();
        let msg_id = msg_id.clone();
        move || {
            let k = current_kind.get();
            let n = KINDS.iter().position(|x| x.key == k).unwrap_or(0);
            let names = param_names(k).unwrap_or(&["value"]);
            names
                .iter()
                .enumerate()
                .map(|(j, pname)| {
                    let write = write.clone();
                    let v = Signal::derive(move || value.get().map(|u| u.params().0[j].1));
                    let input_id = if j == 0 { id.clone() } else { format!("{id}-{j}") };
                    let aria = (n != 0).then(|| format!("{label} {pname}"));
                    let tid = testid.map(|t| if n == 0 { t.to_string() } else { format!("{t}-{pname}") });
                    view! {
                        <span class="param">
                            {(n != 0).then(|| view! { <span class="pname" aria-hidden="true">{*pname}</span> })}
                            <NumText
                                id=input_id
                                aria_label=aria
                                value=v
                                on_value=Callback::new(move |x: Option<f64>| {
                                    if let Some(x) = x {
                                        write(&|u| with_param(u, j, x));
                                    }
                                })
                                parse_error=parse_error
                                invalid=bad
                                described_by=msg_id.clone()
                                testid=tid
                            />
                        </span>
                    }
                })
                .collect_view()
        }
    };

    parts.frame(label, unit, kind_select, view! { {range} {inputs} })
}

/// A plain number (not a distribution), e.g. a horizon in months or a share cap. With
/// `optional`, an empty box means "none" (no cap).
#[component]
pub fn NumberField(
    #[prop(into)] path: String,
    #[prop(into)] label: String,
    unit: &'static str,
    lens: Lens<Option<f64>>,
    #[prop(optional)] optional: bool,
    #[prop(optional)] whole: bool,
    #[prop(optional_no_strip)] testid: Option<String>,
) -> impl IntoView {
    let state = use_app_state();
    let (get, set) = lens;
    let parts = FieldParts::new(path.clone());
    let value = Memo::new(move |_| state.scenario.with(|s| get(s).flatten()));
    let undo_label = step_label(&label, &path);
    let input = view! {
        <NumText
            id=parts.id.clone()
            value=value
            on_value=Callback::new(move |v: Option<f64>| {
                let set = set.clone();
                state.edit(&undo_label, move |s| set(s, v));
            })
            optional=optional
            whole=whole
            parse_error=parts.parse_error
            invalid=parts.bad
            described_by=parts.msg_id.clone()
            testid=testid
        />
    };
    parts.frame(label, unit, (), input)
}

/// A text field (names, months). With `optional`, an empty box means "none".
#[component]
pub fn TextField(
    #[prop(into)] path: String,
    label: &'static str,
    #[prop(optional)] unit: &'static str,
    lens: Lens<Option<String>>,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional_no_strip)] testid: Option<String>,
    /// What is wrong with a text the field cannot take (it is then not applied), if anything.
    #[prop(optional_no_strip)]
    check: Option<fn(&str) -> Option<String>>,
) -> impl IntoView {
    let state = use_app_state();
    let (get, set) = lens;
    let parts = FieldParts::new(path.clone());
    let (bad, parse_error) = (parts.bad, parts.parse_error);
    let value = Memo::new(move |_| {
        state
            .scenario
            .with(|s| get(s).flatten().unwrap_or_default())
    });
    let undo_label = step_label(label, &path);
    let input = view! {
        <input
            type="text"
            autocomplete="off"
            id=parts.id.clone()
            placeholder=placeholder
            aria-describedby=parts.msg_id.clone()
            aria-invalid=move || (bad.get() || parse_error.get().is_some()).to_string()
            data-testid=testid
            prop:value=move || value.get()
            on:input=move |ev| {
                let t = event_target_value(&ev);
                let problem = check.and_then(|c| c(&t));
                let refused = problem.is_some();
                parse_error.set(problem);
                if refused {
                    return;
                }
                let set = set.clone();
                let v = if t.trim().is_empty() { None } else { Some(t) };
                state.edit(&undo_label, move |s| set(s, v));
            }
            on:change=move |_| state.seal()
        />
    };
    parts.frame(label, unit, (), input)
}

/// A check box.
#[component]
pub fn CheckField(
    #[prop(into)] path: String,
    label: &'static str,
    lens: Lens<bool>,
) -> impl IntoView {
    let state = use_app_state();
    let (get, set) = lens;
    let id = field_id(&path);
    let value = Memo::new(move |_| state.scenario.with(|s| get(s).unwrap_or(false)));
    view! {
        <div class="field check">
            <input
                type="checkbox"
                id=id.clone()
                prop:checked=move || value.get()
                on:change=move |ev| {
                    let v = event_target_checked(&ev);
                    let set = set.clone();
                    state.edit(label, move |s| set(s, v));
                    state.seal();
                }
            />
            <label for=id>{label}</label>
        </div>
    }
}

/// A menu of choices (value, label).
#[component]
pub fn SelectField(
    #[prop(into)] path: String,
    label: &'static str,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    lens: Lens<String>,
) -> impl IntoView {
    let state = use_app_state();
    let (get, set) = lens;
    let parts = FieldParts::new(path.clone());
    let bad = parts.bad;
    let value = Memo::new(move |_| state.scenario.with(|s| get(s).unwrap_or_default()));
    let undo_label = step_label(label, &path);
    let input = view! {
        <select
            id=parts.id.clone()
            aria-describedby=parts.msg_id.clone()
            aria-invalid=move || bad.get().to_string()
            on:change=move |ev| {
                let v = event_target_value(&ev);
                let set = set.clone();
                state.edit(&undo_label, move |s| set(s, v));
                state.seal();
            }
        >
            {move || {
                let current = value.get();
                let mut opts = options.get();
                if !opts.iter().any(|(v, _)| *v == current) {
                    opts.insert(0, (current.clone(), format!("{current} (unknown)")));
                }
                opts.into_iter()
                    .map(|(v, l)| {
                        let sel = v == current;
                        view! { <option value=v selected=sel>{l}</option> }
                    })
                    .collect_view()
            }}
        </select>
    };
    parts.frame(label, "", (), input)
}
