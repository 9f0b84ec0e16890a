// Saved work is never lost to a value the app cannot open (src/storage.rs), end to end on the
// built dist/: an autosave that is not JSON, a JSON array, 2 MB of junk, an invalid scenario,
// or a scenario saved by a newer rackplan is kept aside, unchanged, under a key of its own; the
// page says what was found and why it was not opened, offers it for download byte for byte,
// and it survives reloads, the page being hidden and later saves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { sharedServerAndBrowser, firstChart, until } from './harness.mjs';

const shared = sharedServerAndBrowser();

const AUTOSAVE = 'rackplan:autosave:v1';
const PINNED = 'rackplan:pinned:v1';
const ASIDE = { [AUTOSAVE]: 'rackplan:autosave:unreadable:', [PINNED]: 'rackplan:pinned:unreadable:' };

/** Deterministic junk of `n` UTF-16 units: printable ASCII, line breaks, accents, CJK, emoji. */
function junk(n) {
  let x = 12345;
  const pool = ['é', 'ß', '漢', '字', '😀', '\n', '\t', '"', '\\', '{', '}'];
  const out = ['junk:'];
  let len = 5;
  while (len < n) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const r = x % 100;
    const c = r < 90 ? String.fromCharCode(32 + (x % 95)) : pool[x % pool.length];
    out.push(c);
    len += c.length;
  }
  return out.join('');
}

const CASES = [
  ['text that is not JSON', 'my plan, typed by hand {', /not JSON \(line 1, column 1/],
  ['a JSON array', '[{"name": "plan A"}, {"name": "plan B"}]', /not a scenario: a JSON array/],
  ['2 MB of junk', junk(2_000_000), /not JSON/],
  [
    'an invalid scenario',
    JSON.stringify({ schema_version: 1, name: 'Broken plan', start_month: '2025-01', horizon_months: 0 }, null, 2),
    /an invalid scenario: horizon_months: must be between 1 and 240/,
  ],
  [
    'a scenario saved by a newer rackplan',
    JSON.stringify({ schema_version: 999, name: 'From the future', horizon_months: 36, teleporters: [{ name: 'T1' }] }),
    /saved by a newer rackplan \(schema 999\); this version reads up to schema \d+/,
  ],
];

/** A fresh browser context whose localStorage holds `items` before the app first loads. */
async function contextWith(items, viewport = { width: 1400, height: 900 }) {
  const context = await shared.browser.newContext({ viewport, acceptDownloads: true });
  // That page has no icon: Chromium's request for /favicon.ico would be a 404, logged as a
  // console error whenever it lands (sometimes after the app page opened). Answer it empty.
  await context.route('**/favicon.ico', (route) => route.fulfill({ status: 204, body: '' }));
  const page = await context.newPage();
  // A page of the same origin that runs no app: storage is per origin.
  await page.goto(`${shared.server.url}404.html`);
  await page.evaluate((items) => {
    localStorage.clear();
    for (const [k, v] of Object.entries(items)) localStorage.setItem(k, v);
  }, items);
  // Errors of the app only.
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  await page.goto(shared.server.url);
  await firstChart(page);
  return { context, page, errors };
}

/** Every localStorage item of the app's origin. */
const storage = (page) =>
  page.evaluate(() => Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)])));

/** The kept-aside items of `slot` (by key), as { key: text }. */
async function keptAside(page, slot = AUTOSAVE) {
  const all = await storage(page);
  return Object.fromEntries(Object.entries(all).filter(([k]) => k.startsWith(ASIDE[slot])));
}

/** Hides the page the way a tab switch or a phone's home button does, which flushes a save. */
async function hide(page) {
  await page.evaluate(() => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
    window.dispatchEvent(new Event('pagehide'));
  });
}

/** Makes a valid edit and waits until it is autosaved. */
async function editAndSave(page, value = '0.6') {
  await page.getByTestId('lever-cloud-share-slider').fill(value);
  await page.getByTestId('saved').getByText('Saved in this browser').waitFor({ timeout: 5000 });
}

for (const [name, text, reason] of CASES) {
  test(`an autosave holding ${name} is kept aside, said, downloadable and never overwritten`, async () => {
    const { context, page, errors } = await contextWith({ [AUTOSAVE]: text });
    const notice = page.getByTestId('kept-notice');
    await notice.waitFor({ timeout: 5000 });
    assert.equal(await notice.getAttribute('role'), 'alert');
    const said = await notice.textContent();
    assert.match(said, /could not be opened/);
    assert.match(said, /Autosaved scenario, found \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    assert.match(await page.getByTestId('kept-reason').textContent(), reason);
    // The app started from the base case, and the text is kept aside as it was.
    assert.equal(await page.getByTestId('horizon').inputValue(), '84');
    let aside = await keptAside(page);
    assert.equal(Object.keys(aside).length, 1, 'one copy kept aside');
    const [key] = Object.keys(aside);
    assert.match(key, /^rackplan:autosave:unreadable:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(aside[key] === text, 'kept aside byte for byte');

    // Download it as it is.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('kept-download').click()]);
    assert.match(download.suggestedFilename(), /^rackplan-autosave-unreadable-.*\.(json|txt)$/);
    const bytes = await readFile(await download.path());
    assert.ok(bytes.equals(Buffer.from(text, 'utf8')), `the download is the stored text, byte for byte (${bytes.length} bytes)`);

    // Save over the autosave (an edit, then the page hidden), reload: still kept, still said.
    await editAndSave(page);
    await hide(page);
    await page.reload();
    await firstChart(page);
    await notice.waitFor({ timeout: 5000 });
    assert.match(await page.getByTestId('kept-reason').textContent(), reason);
    assert.notEqual(await page.getByTestId('horizon').inputValue(), '', 'the app runs');
    aside = await keptAside(page);
    assert.deepEqual(Object.keys(aside), [key], 'the same single copy after the reload');
    assert.ok(aside[key] === text, 'still byte for byte after a reload');
    // Hidden once more without any edit, and reloaded again.
    await hide(page);
    await page.reload();
    await firstChart(page);
    await notice.waitFor({ timeout: 5000 });
    assert.ok((await keptAside(page))[key] === text, 'still byte for byte after a second reload');
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('a kept value is deleted only after a second click, and the notice goes', async () => {
  const text = '[1, 2, 3]';
  const { context, page, errors } = await contextWith({ [AUTOSAVE]: text });
  const notice = page.getByTestId('kept-notice');
  await notice.waitFor({ timeout: 5000 });
  await page.getByTestId('kept-delete').click();
  assert.equal(Object.keys(await keptAside(page)).length, 1, 'nothing deleted after the first click');
  await page.getByTestId('kept-delete-cancel').click();
  await page.getByTestId('kept-delete').click();
  await page.getByTestId('kept-delete-confirm').click();
  await until(async () => (await notice.count()) === 0, 'the notice to go');
  assert.deepEqual(await keptAside(page), {}, 'deleted');
  await page.reload();
  await firstChart(page);
  assert.equal(await notice.count(), 0, 'and it stays gone');
  assert.deepEqual(errors, []);
  await context.close();
});

test('"Hide this notice" hides it until the next visit, keeping the value', async () => {
  const text = 'not json';
  const { context, page, errors } = await contextWith({ [AUTOSAVE]: text });
  const notice = page.getByTestId('kept-notice');
  await notice.waitFor({ timeout: 5000 });
  await page.getByTestId('kept-hide').click();
  assert.equal(await notice.count(), 0);
  await page.reload();
  await firstChart(page);
  await notice.waitFor({ timeout: 5000 });
  assert.deepEqual(Object.values(await keptAside(page)), [text]);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a pinned scenario A that cannot be opened is kept aside too, and pinning again keeps it', async () => {
  const text = JSON.stringify({ schema_version: 999, name: 'Future A' });
  const { context, page, errors } = await contextWith({ [PINNED]: text });
  await page.getByTestId('kept-notice').waitFor({ timeout: 5000 });
  assert.match(await page.getByTestId('kept-notice').textContent(), /Pinned comparison scenario 1, found/);
  assert.match(await page.getByTestId('kept-reason').textContent(), /saved by a newer rackplan \(schema 999\)/);
  assert.equal(await page.getByTestId('pin').count(), 1, 'nothing is pinned');
  await page.getByTestId('pin').click();
  await page.getByTestId('unpin').waitFor();
  await page.reload();
  await firstChart(page);
  await page.getByTestId('unpin').waitFor({ timeout: 5000 });
  assert.deepEqual(Object.values(await keptAside(page, PINNED)), [text]);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an autosave another tab of a newer rackplan wrote meanwhile is set aside before saving', async () => {
  const { context, page, errors } = await contextWith({});
  assert.equal(await page.getByTestId('kept-notice').count(), 0);
  await editAndSave(page, '0.6');
  const newer = JSON.stringify({ schema_version: 999, name: 'Saved by the next version' });
  // The other tab saves...
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [AUTOSAVE, newer]);
  // ...and this one is hidden (a save) before anything else happens.
  await hide(page);
  await page.getByTestId('kept-notice').waitFor({ timeout: 5000 });
  assert.deepEqual(Object.values(await keptAside(page)), [newer]);
  const saved = await page.evaluate((k) => localStorage.getItem(k), AUTOSAVE);
  assert.match(saved, /"schema_version":3/, 'this tab saved its own work');
  assert.deepEqual(errors, []);
  await context.close();
});

test('with no room to set it aside, an unreadable autosave is left in place and never saved over', async () => {
  // Larger than half of Chromium's per-origin storage, so a copy does not fit.
  const big = junk(3_000_000);
  const { context, page, errors } = await contextWith({ [AUTOSAVE]: big });
  const notice = page.getByTestId('kept-notice');
  await notice.waitFor({ timeout: 5000 });
  assert.match(await notice.textContent(), /no room in this browser's storage to keep it aside/);
  assert.ok((await page.evaluate((k) => localStorage.getItem(k), AUTOSAVE)) === big, 'left where it was');
  await page.getByTestId('lever-cloud-share-slider').fill('0.6');
  await page.getByTestId('saved').getByText('Not saved').waitFor({ timeout: 5000 });
  await hide(page);
  assert.ok((await page.evaluate((k) => localStorage.getItem(k), AUTOSAVE)) === big, 'not saved over');
  // The crash banner says the work is not saved.
  await page.evaluate(() => setTimeout(() => window.wasmBindings.rackplan_test_panic(), 0));
  await page.getByTestId('crash-banner').waitFor({ timeout: 5000 });
  assert.match(await page.getByTestId('crash-banner').textContent(), /not saved/);
  await page.reload();
  await firstChart(page);
  await notice.waitFor({ timeout: 5000 });
  assert.ok((await page.evaluate((k) => localStorage.getItem(k), AUTOSAVE)) === big, 'kept across a reload');
  // Downloaded, then deleted: the work is saved again.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('kept-download').click()]);
  assert.ok((await readFile(await download.path())).equals(Buffer.from(big, 'utf8')));
  await page.getByTestId('kept-delete').click();
  await page.getByTestId('kept-delete-confirm').click();
  await page.getByTestId('lever-cloud-share-slider').fill('0.55');
  await page.getByTestId('saved').getByText('Saved in this browser').waitFor({ timeout: 5000 });
  assert.match(await page.evaluate((k) => localStorage.getItem(k), AUTOSAVE), /"schema_version":3/);
  assert.deepEqual(errors.filter((e) => !/unreachable/.test(e)), []);
  await context.close();
});

test('the crash banner mentions a saved scenario kept aside', async () => {
  const { context, page } = await contextWith({ [AUTOSAVE]: '[]' });
  await page.getByTestId('kept-notice').waitFor({ timeout: 5000 });
  await page.evaluate(() => setTimeout(() => window.wasmBindings.rackplan_test_panic(), 0));
  const banner = page.getByTestId('crash-banner');
  await banner.waitFor({ timeout: 5000 });
  assert.match(await banner.textContent(), /could not be opened is kept aside/);
  await context.close();
});
