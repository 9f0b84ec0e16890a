// The pre-rendered first view (scripts/prerender.mjs) holds the base case's answer. A classic
// script in the head, so it runs before the first paint: when the page will open another
// scenario (a scenario link in the address, or work kept in this browser, src/storage.rs), the
// view's numbers are hidden (style/main.css) and only its frame shows until the app has computed
// the real answer. Text only, no HTML.
(() => {
  'use strict';
  let other = window.location.hash.length > 1;
  try {
    other = other || window.localStorage.getItem('rackplan:autosave:v1') !== null;
  } catch {
    // Storage blocked: the app cannot restore kept work either.
  }
  if (other) document.documentElement.classList.add('opens-other-scenario');
})();
