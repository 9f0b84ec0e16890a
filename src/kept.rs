//! The notice of values kept aside in this browser (an autosave or pin that could not be
//! opened): what, when and why, with download and delete (src/storage.rs keeps them).

use leptos::prelude::*;

use crate::storage::*;

/// The notice at the top of the page while this browser keeps values that could not be opened:
/// what each is, when it was found, why it cannot be opened, and buttons to download it as it is
/// or delete it (after a second click). "Hide" hides the notice until the next visit.
#[component]
pub fn KeptNotice() -> impl IntoView {
    let state = crate::state::use_app_state();
    let stored = state.stored;
    let hidden = RwSignal::new(false);
    // The key whose deletion waits for the second click.
    let confirming = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<String>);
    let shown = move || !hidden.get() && stored.kept.with(|k| !k.is_empty());
    let items = move || {
        stored.kept.get().into_iter().map(|item| {
            let key = item.key.clone();
            let data_key = key.clone();
            let blocked = Slot::ALL.iter().any(|s| s.key() == item.key);
            let what = format!(
                "{}, found {} ({}): ",
                item.slot.noun(),
                time_in_words(&item.found_at),
                size_in_words(item.bytes)
            );
            let about = format!("{} found {}", item.slot.noun_in_text(), time_in_words(&item.found_at));
            let (k1, k2, k3) = (key.clone(), key.clone(), key.clone());
            let asking = move || confirming.with(|c| c.as_deref() == Some(k3.as_str()));
            let download = move |_| {
                failure.set(stored.download(&k1).err().map(|e| format!("The file could not be saved: {e}.")));
            };
            let delete = move |_| {
                stored.delete(&k2);
                confirming.set(None);
                if blocked {
                    // The slot is free again: save the work shown now.
                    state.save_now();
                }
            };
            view! {
                <li data-testid="kept-item" data-key=data_key>
                    <p>
                        <strong>{what}</strong>
                        <span data-testid="kept-reason">{format!("{}.", item.reason)}</span>
                        {blocked.then_some(" There is no room in this browser's storage to keep it aside, so nothing is saved over it until you download or delete it.")}
                    </p>
                    <div class="kept-actions">
                        <button type="button" data-testid="kept-download" aria-label=format!("Download the {about} as it is") on:click=download>"Download as it is"</button>
                        {move || if asking() {
                            let about = about.clone();
                            let delete = delete.clone();
                            view! {
                                <span class="kept-confirm" role="group" aria-label=format!("Delete the {about}?")>
                                    "Delete it from this browser for good? "
                                    <button type="button" class="danger" data-testid="kept-delete-confirm" on:click=delete>"Delete"</button>
                                    <button type="button" data-testid="kept-delete-cancel" on:click=move |_| confirming.set(None)>"Keep it"</button>
                                </span>
                            }.into_any()
                        } else {
                            let k = key.clone();
                            let about = about.clone();
                            view! {
                                <button type="button" data-testid="kept-delete" aria-label=format!("Delete the {about}…") on:click=move |_| confirming.set(Some(k.clone()))>"Delete…"</button>
                            }.into_any()
                        }}
                    </div>
                </li>
            }
        }).collect_view()
    };
    view! {
        <Show when=shown>
            <section class="banner warn kept-notice" role="alert" aria-labelledby="kept-h" data-testid="kept-notice">
                <h2 id="kept-h">{move || if stored.kept.with(Vec::len) == 1 {
                    "A scenario saved in this browser could not be opened".to_string()
                } else {
                    format!("{} scenarios saved in this browser could not be opened", stored.kept.with(Vec::len))
                }}</h2>
                <p>{move || if stored.kept.with(Vec::len) == 1 {
                    "rackplan keeps it aside, unchanged, and never saves over it. Download it to keep it as a file (open it in the rackplan that saved it), or delete it once you no longer need it."
                } else {
                    "rackplan keeps them aside, unchanged, and never saves over them. Download one to keep it as a file (open it in the rackplan that saved it), or delete it once you no longer need it."
                }}</p>
                <ul>{items}</ul>
                {move || failure.get().map(|f| view! { <p class="kept-failure">{f}</p> })}
                <button type="button" class="kept-hide" data-testid="kept-hide" on:click=move |_| hidden.set(true)>"Hide this notice"</button>
            </section>
        </Show>
    }
}
