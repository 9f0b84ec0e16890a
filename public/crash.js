// Crash recovery (#7): when the app's WebAssembly stops (a Rust panic aborts the instance with a
// trap), put an error banner at the top of the page instead of leaving it frozen, with a link back
// to the last good scenario. The autosave is written only from valid states (src/state.rs), so
// loading the page without the scenario link in its address restores it. What the banner says
// about it follows what the browser keeps (src/storage.rs): the autosave, none yet, or one the
// app could not save over; and saved scenarios that could not be opened, kept aside.
//
// Plain JavaScript on purpose: it must work after the wasm instance has stopped. A classic script
// loaded before the app's module, so it listens before any wasm runs. Text only, never HTML.
(() => {
  'use strict';
  // A trap (a panic, an out-of-memory abort), or the wasm's stack running out (Chromium reports
  // that as a RangeError thrown inside a wasm function).
  const isTrap = (error) =>
    (typeof WebAssembly !== 'undefined' && error instanceof WebAssembly.RuntimeError) ||
    (error instanceof RangeError && /wasm-function\[/.test(String(error.stack)));

  // Keys and marks of src/storage.rs.
  const AUTOSAVE_KEY = 'rackplan:autosave:v1';
  const KEPT_ASIDE = /^rackplan:(autosave|pinned):unreadable:/;

  // What this browser keeps for the app, in words.
  function savedText() {
    let has = false;
    let kept = false;
    try {
      const ls = window.localStorage;
      has = ls.getItem(AUTOSAVE_KEY) !== null;
      for (let i = 0; i < ls.length; i++) kept = kept || KEPT_ASIDE.test(ls.key(i) ?? '');
    } catch {
      return { text: 'This browser does not let rackplan keep a scenario: reloading starts from the base case. ', has: false };
    }
    let text;
    if (document.documentElement.hasAttribute('data-autosave-blocked')) {
      text = 'Your changes since the page opened are not saved: this browser\'s storage holds an autosave that could not be opened. ';
    } else if (has) {
      text = 'Your last valid scenario is saved in this browser. ';
    } else {
      text = 'No scenario is saved in this browser yet: reloading starts from the base case. ';
    }
    if (kept) {
      text += 'A saved scenario that could not be opened is kept aside, unchanged: the page offers it for download again after reloading. ';
    }
    return { text, has };
  }

  function showBanner(error) {
    const body = document.body;
    if (!body || document.getElementById('crash-banner')) return;
    const banner = document.createElement('div');
    banner.id = 'crash-banner';
    banner.className = 'crash-banner';
    banner.setAttribute('role', 'alert');
    banner.setAttribute('data-testid', 'crash-banner');
    const title = document.createElement('strong');
    title.textContent = 'rackplan stopped after an internal error.';
    const saved = savedText();
    const text = document.createElement('p');
    text.textContent = `${saved.text}Details for a bug report: ${error.name}: ${error.message}.`;
    const reload = document.createElement('a');
    // The same page without the scenario link (#...): the autosave is what it opens.
    reload.href = location.pathname + location.search;
    reload.setAttribute('data-testid', 'crash-reload');
    reload.textContent = saved.has ? 'Reload last good scenario' : 'Reload';
    banner.append(title, text, reload);
    body.insertBefore(banner, body.firstChild);
  }

  // A trap in an event handler or timer callback...
  window.addEventListener('error', (e) => {
    if (isTrap(e.error)) showBanner(e.error);
  });
  // ...or in a promise (start-up, async tasks).
  window.addEventListener('unhandledrejection', (e) => {
    if (isTrap(e.reason)) showBanner(e.reason);
  });
})();
