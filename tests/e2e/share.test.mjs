// Share and keep, end to end on the built dist/ (served from a sub-path): a copied link opens
// the same scenario with the same KPIs in a fresh browser; a bad link shows what is wrong and
// keeps the autosaved work; the monthly CSV downloads and parses; after the first visit the app
// reloads with the network off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { sharedServerAndBrowser, openPage, firstChart, kpis, until, copyLink } from './harness.mjs';

const shared = sharedServerAndBrowser({ prefix: '/tools/rackplan/' });

/** Moves a lever so the scenario is no longer a preset; resolves once a KPI changed. */
async function edit(page, value) {
  const before = await kpis(page);
  await page.getByTestId('lever-adoption-ceiling-slider').fill(String(value));
  await until(async () => JSON.stringify(await kpis(page)) !== JSON.stringify(before), 'a KPI to change');
}

/** RFC 4180 reader (quoted fields, doubled quotes). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) rows.push([...row, cell]);
  return rows;
}

test('a copied link opens the same scenario and KPIs in a fresh browser', async () => {
  const a = await openPage(shared.browser, shared.server.url);
  await a.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: shared.server.origin });
  await firstChart(a.page);
  await edit(a.page, 0.5);
  const expected = await kpis(a.page);
  const link = await copyLink(a.page, shared.server.url);
  await until(async () => (await a.page.getByTestId('share-notice').textContent()).includes('copied'), 'the copied notice');
  const clip = await a.page.evaluate(() => navigator.clipboard.readText());
  assert.equal(clip, link, 'the clipboard holds the link');
  // The address bar follows the scenario (replaceState: no new history entries while editing).
  assert.equal(a.page.url(), link);
  const historyLength = await a.page.evaluate(() => history.length);
  await edit(a.page, 0.45);
  await until(async () => a.page.url() !== link, 'the address bar to follow the edit');
  assert.equal(await a.page.evaluate(() => history.length), historyLength, 'editing adds no history entry');
  assert.deepEqual(a.errors, []);
  await a.context.close();

  const b = await openPage(shared.browser, link);
  await firstChart(b.page);
  assert.deepEqual(await kpis(b.page), expected, 'same KPIs from the link');
  assert.equal(await b.page.getByTestId('share-error').count(), 0);
  const foreign = b.requests.filter((u) => !u.startsWith(shared.server.origin) && !u.startsWith('data:') && !u.startsWith('blob:'));
  assert.deepEqual(foreign, [], 'nothing leaves for another host');
  assert.deepEqual(b.errors, []);
  await b.context.close();
});

test('back and forward step between opened links', async () => {
  const a = await openPage(shared.browser, shared.server.url);
  await firstChart(a.page);
  const base = await kpis(a.page);
  // The base case's own link is written a moment after the first chart; wait for it, so the
  // edited link below is not mistaken for it.
  await until(async () => a.page.url().includes('#v1.'), "the base case's link in the address bar");
  const first = a.page.url();
  await edit(a.page, 0.55);
  const edited = await kpis(a.page);
  await until(async () => a.page.url() !== first && a.page.url().includes('#v1.'), 'a link in the address bar');
  const editedLink = a.page.url();
  // Open the base case's link as a new entry, then go back to the edited one.
  const baseLink = await a.page.evaluate(async () => location.href);
  assert.equal(baseLink, editedLink);
  await a.page.getByTestId('presets').selectOption({ index: 1 });
  await a.page.getByTestId('confirm-replace').click();
  await until(async () => JSON.stringify(await kpis(a.page)) === JSON.stringify(base), 'the base case');
  await until(async () => a.page.url() !== editedLink, 'the base-case link');
  const presetLink = a.page.url();
  await a.page.goto(editedLink);
  await until(async () => JSON.stringify(await kpis(a.page)) === JSON.stringify(edited), 'the edited scenario from its link');
  await a.page.goBack();
  await until(async () => JSON.stringify(await kpis(a.page)) === JSON.stringify(base), 'back: the base case');
  assert.equal(a.page.url(), presetLink);
  await a.page.goForward();
  await until(async () => JSON.stringify(await kpis(a.page)) === JSON.stringify(edited), 'forward: the edited scenario');
  assert.deepEqual(a.errors, []);
  await a.context.close();
});

test('a bad link says what is wrong and keeps the autosaved work', async () => {
  const { page, context, errors } = await openPage(shared.browser, shared.server.url);
  await firstChart(page);
  await edit(page, 0.4);
  const mine = await kpis(page);
  await until(() => page.evaluate(() => localStorage.getItem('rackplan:autosave:v1')), 'the autosave');
  const saved = await page.evaluate(() => localStorage.getItem('rackplan:autosave:v1'));
  const good = page.url();
  assert.ok(good.includes('#v1.'));
  const payload = good.split('#')[1];
  const cases = [
    [payload.slice(0, Math.floor(payload.length / 2)), /incomplete/],
    [payload.replace('v1.', 'v9.'), /link format "v9"/],
    [`${payload.slice(0, 20)}*${payload.slice(21)}`, /damaged/],
  ];
  for (const [bad, message] of cases) {
    const p = await context.newPage();
    await p.goto(`${shared.server.url}#${bad}`);
    await firstChart(p);
    const banner = p.getByTestId('share-error');
    await banner.waitFor();
    const text = await banner.textContent();
    assert.match(text, /could not be opened/);
    assert.match(text, message);
    assert.deepEqual(await kpis(p), mine, 'the autosaved work is shown');
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal(await p.evaluate(() => localStorage.getItem('rackplan:autosave:v1')), saved, 'the autosave is untouched');
    assert.ok(p.url().endsWith(bad), 'the bad link stays in the address bar');
    await p.close();
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('the monthly results download as CSV that parses', async () => {
  const { page, context, errors } = await openPage(shared.browser, shared.server.url);
  await firstChart(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  assert.match(download.suggestedFilename(), /-monthly\.csv$/);
  const text = await readFile(await download.path(), 'utf8');
  const rows = parseCsv(text);
  const header = rows[0];
  assert.equal(header[0], 'month');
  for (const col of ['deliveries_needed', 'available_total', 'delivered_total', 'backlog']) {
    assert.ok(header.includes(col), `column ${col}`);
  }
  const body = rows.slice(1);
  assert.ok(body.length >= 12, `${body.length} months`);
  assert.match(body[0][0], /^\d{4}-\d{2}$/);
  for (const row of body) {
    assert.equal(row.length, header.length);
    assert.ok(Number.isFinite(Number(row[header.indexOf('backlog')])));
  }
  // A chart exports as SVG and as a 2x PNG.
  const figure = page.locator('[data-testid=chart-supply]');
  const [svg] = await Promise.all([page.waitForEvent('download'), figure.getByTestId('export-svg').click()]);
  assert.match(await readFile(await svg.path(), 'utf8'), /^<\?xml[^>]*>\s*<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  const [png] = await Promise.all([page.waitForEvent('download'), figure.getByTestId('export-png').click()]);
  const bytes = await readFile(await png.path());
  assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
  const width = bytes.readUInt32BE(16);
  const svgWidth = await figure.locator('svg').first().getAttribute('width');
  assert.equal(width, 2 * Number(svgWidth), 'PNG at twice the SVG size');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the Tables menu closes on Escape, on a click elsewhere and after a choice', async () => {
  const { page, context, errors } = await openPage(shared.browser, shared.server.url);
  await firstChart(page);
  const menu = page.locator('details.share-more');
  const isOpen = () => menu.evaluate((d) => d.open);
  await page.getByTestId('tables-menu').click();
  assert.equal(await isOpen(), true);
  await page.keyboard.press('Escape');
  assert.equal(await isOpen(), false, 'Escape closes it');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'tables-menu', 'focus back on the menu');
  await page.getByTestId('tables-menu').click();
  await page.locator('[data-testid=kpis]').click();
  assert.equal(await isOpen(), false, 'a click elsewhere closes it');
  await page.getByTestId('tables-menu').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-markets').click()]);
  assert.match(download.suggestedFilename(), /markets\.csv$/);
  assert.equal(await isOpen(), false, 'choosing closes it');
  assert.deepEqual(errors, []);
  await context.close();
});

test('files: a bad scenario file says where, a sites table imports after asking', async () => {
  const { page, context, errors } = await openPage(shared.browser, shared.server.url);
  await firstChart(page);
  await page.locator('#f-name').fill('My plan');
  const before = await kpis(page);
  const input = page.getByTestId('file-input');
  await input.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{\n  "name": "x",\n  "horizon_months": "ten"\n}') });
  const banner = page.getByTestId('share-error');
  await banner.waitFor();
  assert.match(await banner.textContent(), /broken\.json[\s\S]*line 3, column \d+/);
  assert.deepEqual(await kpis(page), before, 'nothing changed');
  await page.getByTestId('share-error-dismiss').click();
  // Export the sites table, halve every capacity in a "spreadsheet", open it again.
  await page.getByTestId('tables-menu').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-sites').click()]);
  const rows = parseCsv(await readFile(await download.path(), 'utf8'));
  const bad = rows.map((r, i) => (i === 2 ? r.map((c, j) => (rows[0][j] === 'yield_share' ? 'lots' : c)) : r));
  const toCsv = (rs) => rs.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c)).join(',')).join('\n') + '\n';
  await input.setInputFiles({ name: 'sites.csv', mimeType: 'text/csv', buffer: Buffer.from(toCsv(bad)) });
  await banner.waitFor();
  const col = rows[0].indexOf('yield_share') + 1;
  assert.match(await banner.textContent(), new RegExp(`row 3, column ${col} \\(yield_share\\)`));
  await page.getByTestId('share-error-dismiss').click();
  const cap = rows[0].indexOf('capacity');
  const halved = rows.map((r, i) => (i === 0 ? r : r.map((c, j) => (j === cap ? c.replace(/: (\d+)/g, (_, n) => `: ${n / 2}`) : c))));
  await input.setInputFiles({ name: 'sites.csv', mimeType: 'text/csv', buffer: Buffer.from(toCsv(halved)) });
  await page.getByTestId('confirm-replace').click();
  await until(async () => JSON.stringify(await kpis(page)) !== JSON.stringify(before), 'KPIs of the halved capacity');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a valid file whose price grows past the limit says which input drives it', async () => {
  const { page, context, errors } = await openPage(shared.browser, shared.server.url);
  await firstChart(page);
  await page.locator('#f-name').fill('My plan');
  const before = await kpis(page);
  const runaway = {
    name: 'Runaway price',
    start_month: '2025-01',
    horizon_months: 24,
    supply_regions: [{ name: 'Taiwan' }],
    sites: [{ name: 'Dear site', supplier: 'Dear', region: 'Taiwan', unit_price_usd: 9e11, price_change_per_year: 1 }],
  };
  await page.getByTestId('file-input').setInputFiles({ name: 'runaway.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(runaway)) });
  await page.getByTestId('confirm-replace').click();
  const banner = page.getByTestId('run-error');
  await banner.waitFor();
  assert.match(await banner.textContent(), /sites\[0\]\.price_change_per_year: the price at “Dear site” reaches 1\.010e12 USD in 2025-03, above the limit of 1e12 USD/);
  assert.match(await banner.textContent(), /last results it could compute/);
  assert.deepEqual(await kpis(page), before, 'the last results stay');
  await page.getByTestId('undo').click();
  await until(async () => (await banner.count()) === 0, 'the banner goes with undo');
  assert.deepEqual(errors, []);
  await context.close();
});

test('after the first visit the app reloads with the network off', async () => {
  const { page, context, errors } = await openPage(shared.browser, shared.server.url);
  await firstChart(page);
  await page.evaluate(() => navigator.serviceWorker.ready);
  if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) {
    await page.reload();
    await firstChart(page);
  }
  await until(() => page.evaluate(() => !!navigator.serviceWorker.controller), 'the service worker to control the page');
  const expected = await kpis(page);
  await context.setOffline(true);
  await page.reload();
  await firstChart(page);
  assert.deepEqual(await kpis(page), expected, 'same figures offline');
  const manifest = await page.evaluate(() => document.querySelector('link[rel=manifest]')?.getAttribute('href'));
  assert.equal(manifest, 'manifest.webmanifest');
  await context.setOffline(false);
  assert.deepEqual(errors, []);
  await context.close();
});
