// Service worker: rackplan opens with no network after the first visit.
// - The app's own files (content-hashed by the build) are served cache-first.
// - The page itself (index.html) is network-first, so a new version replaces the cached one on
//   the next visit; offline, the cached page is served.
// scripts/postbuild.mjs fills in BUILD (a hash of the build) and FILES (every file of dist/),
// so each build gets its own cache and the old one is deleted once the new one is active.
// Relative URLs throughout: the app works from any sub-path.
const BUILD = '__RACKPLAN_BUILD__';
const FILES = /*__RACKPLAN_FILES__*/ [];
const CACHE = `rackplan-${BUILD}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(['./', ...FILES.map((f) => `./${f}`)]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('rackplan-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

function isPage(request) {
  if (request.mode === 'navigate') return true;
  const url = new URL(request.url);
  return url.pathname.endsWith('/') || url.pathname.endsWith('/index.html');
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  if (isPage(request)) {
    // Network first: a new version wins; offline, the cached page.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put('./', copy));
          }
          return response;
        })
        .catch(() => caches.match('./', { cacheName: CACHE }).then((r) => r || caches.match(request))),
    );
    return;
  }
  // Cache first for the hashed files; anything else fetched is cached for next time.
  event.respondWith(
    caches.match(request, { ignoreSearch: true }).then(
      (cached) =>
        cached ||
        fetch(request).then((response) => {
          if (response.ok && response.type === 'basic') {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(request, copy));
          }
          return response;
        }),
    ),
  );
});
