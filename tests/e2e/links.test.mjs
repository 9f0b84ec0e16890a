// Link notices end to end on the built dist/: a link that opens with warnings lists them on the
// page; a refused link's error replaces the notice of a link opened before (never both); a link
// holding no scenario (`{}`, only a schema_version) is refused and the work is kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { deflateSync, inflateSync } from 'node:zlib';
import { sharedServerAndBrowser, openPage, firstChart, kpis, until } from './harness.mjs';

const shared = sharedServerAndBrowser();

// Link format v1 (core/src/codec.rs): `v1.` + base64url of zlib data with the frozen preset
// dictionary, which node's zlib writes and reads as it is.
const DICTIONARY = readFileSync(new URL('../../core/src/links/dictionary_v1.txt', import.meta.url));
const encode = (json) => `v1.${deflateSync(Buffer.from(json), { dictionary: DICTIONARY, level: 9 }).toString('base64url')}`;
const decode = (link) => inflateSync(Buffer.from(link.slice(3), 'base64url'), { dictionary: DICTIONARY }).toString();

/** Moves a lever (the scenario is then no preset) and waits for the autosave. */
async function edit(page, value) {
  await page.getByTestId('lever-adoption-ceiling-slider').fill(String(value));
  await page.getByTestId('saved').getByText('Saved in this browser').waitFor({ timeout: 5000 });
  await until(() => page.evaluate(() => location.hash.startsWith('#v1.')), 'a link in the address bar');
}

test('the node encoder writes the links the app writes', async () => {
  const { page, context } = await openPage(shared.browser, shared.server.url);
  await firstChart(page);
  await edit(page, 0.45);
  const link = await page.evaluate(() => location.hash.slice(1));
  assert.equal(JSON.parse(decode(link)).schema_version, 3);
  // Re-encoded by node, it opens to the same scenario (nothing to replace, no error).
  const again = await context.newPage();
  await again.goto(`${shared.server.url}#${encode(decode(link))}`);
  await firstChart(again);
  assert.equal(await again.getByTestId('share-error').count(), 0);
  assert.equal(await again.locator('[data-testid=kpi-total-cost] [data-testid=kpi-value]').textContent(),
    await page.locator('[data-testid=kpi-total-cost] [data-testid=kpi-value]').textContent());
  await context.close();
});

test('a link that opens with a warning shows the warning on the page', async () => {
  const { page, context, errors } = await openPage(shared.browser, shared.server.url);
  await firstChart(page);
  await edit(page, 0.45);
  const mine = await page.evaluate(() => location.hash.slice(1));
  const json = JSON.parse(decode(mine));
  json.name = 'With a stray field';
  json.colour = 'teal';
  await page.goto(`${shared.server.url}#${encode(JSON.stringify(json))}`);
  const notice = page.getByTestId('share-notice');
  await until(async () => /with 1 warning/.test(await notice.textContent()), 'the opened-with-a-warning notice');
  const lines = await page.getByTestId('share-notice-lines').locator('li').allTextContents();
  assert.deepEqual(lines, ['colour: unknown field, ignored']);
  assert.equal(await page.locator('#f-name').inputValue(), 'With a stray field');
  assert.equal(await notice.getAttribute('role'), 'status');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a refused link replaces the notice of the link opened before', async () => {
  const { page, context, errors } = await openPage(shared.browser, shared.server.url);
  await firstChart(page);
  await edit(page, 0.45);
  const json = JSON.parse(decode(await page.evaluate(() => location.hash.slice(1))));
  json.name = 'Opened from a link';
  await page.goto(`${shared.server.url}#${encode(JSON.stringify(json))}`);
  const notice = page.getByTestId('share-notice');
  await until(async () => /Opened the scenario in the link/.test(await notice.textContent()), 'the opened notice');
  const opened = await kpis(page);
  // Then a damaged link, pasted into the same tab's address bar.
  await page.goto(`${shared.server.url}#v1.AAAA*AAAA`);
  const error = page.getByTestId('share-error');
  await error.waitFor({ timeout: 5000 });
  assert.match(await error.textContent(), /could not be opened/);
  assert.equal((await notice.textContent()).trim(), '', 'the earlier notice is gone');
  assert.deepEqual(await kpis(page), opened, 'the work is unchanged');
  // And the other way round: a good link replaces the error.
  json.name = 'Opened again';
  await page.goto(`${shared.server.url}#${encode(JSON.stringify(json))}`);
  await until(async () => /Opened the scenario in the link/.test(await notice.textContent()), 'the opened notice');
  assert.equal(await error.count(), 0, 'the error is gone');
  assert.deepEqual(errors, []);
  await context.close();
});

for (const empty of ['{}', '{"schema_version":1}']) {
  test(`a link holding ${empty} is refused and the work is kept`, async () => {
    const { page, context, errors } = await openPage(shared.browser, shared.server.url);
    await firstChart(page);
    await edit(page, 0.4);
    const mine = await kpis(page);
    const name = await page.locator('#f-name').inputValue();
    const saved = await page.evaluate(() => localStorage.getItem('rackplan:autosave:v1'));
    const p = await context.newPage();
    await p.goto(`${shared.server.url}#${encode(empty)}`);
    await firstChart(p);
    const error = p.getByTestId('share-error');
    await error.waitFor({ timeout: 5000 });
    const text = await error.textContent();
    assert.match(text, /could not be opened/);
    assert.match(text, /holds no scenario/i);
    assert.deepEqual(await kpis(p), mine, 'the autosaved work is shown');
    assert.equal(await p.locator('#f-name').inputValue(), name);
    assert.equal(await p.getByTestId('undo').isDisabled(), true, 'nothing was replaced');
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(await p.evaluate(() => localStorage.getItem('rackplan:autosave:v1')), saved, 'the autosave is untouched');
    assert.deepEqual(errors, []);
    await context.close();
  });
}
