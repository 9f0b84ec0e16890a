// Monte Carlo in the browser (MODEL.md §5): the run happens in a Web Worker loaded from the
// app's own files (CSP 'self', any sub-path), the progress bar moves, bands and charts appear,
// Cancel stops a run and keeps what was computed, and nothing errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { sharedServerAndBrowser, openPage } from './harness.mjs';

const shared = sharedServerAndBrowser({ prefix: '/deep/sub/path/' });

async function setSamples(page, n) {
  const input = page.getByTestId('mc-samples');
  await input.fill(String(n));
  await input.dispatchEvent('change');
  await page.waitForFunction(
    (v) => document.querySelector('[data-testid=mc-samples]').value === String(v),
    n,
  );
}

/** Sets the samples, runs Monte Carlo and waits for "Done". */
async function runToDone(page, n) {
  await page.getByTestId('uncertainty-panel').waitFor({ timeout: 15000 });
  await setSamples(page, n);
  await page.getByTestId('mc-run').click();
  await page.waitForFunction(
    () => /^Done/.test(document.querySelector('[data-testid=mc-status]').textContent),
    null,
    { timeout: 120000 },
  );
}

test('a Monte Carlo run in the worker draws bands, shortfall chances, distributions and the tornado', async () => {
  const { page, context, errors, requests } = await openPage(shared.browser, shared.server.url);
  await runToDone(page, 200);
  const progress = page.getByTestId('mc-progress');
  assert.equal(await progress.getAttribute('value'), '200');
  assert.equal(await progress.getAttribute('max'), '200');
  for (const id of ['mc-fan-need', 'mc-fan-available', 'mc-fan-delivered', 'mc-fan-backlog']) {
    const polys = await page.locator(`[data-testid=${id}] svg polygon`).count();
    assert.ok(polys >= 2, `${id}: P5-P95 and P25-P75 bands drawn`);
  }
  for (const id of ['mc-shortfall', 'mc-hist-cost', 'mc-hist-unmet', 'mc-hist-service', 'mc-tornado']) {
    assert.equal(await page.locator(`[data-testid=${id}] svg`).count(), 1, `${id} drawn`);
  }
  assert.equal((await page.getByTestId('mc-samples-done').textContent()).trim(), '200');
  assert.match(await page.getByTestId('mc-any-shortfall').textContent(), /%$/);
  // Re-ranking the tornado by another metric redraws it without a new run.
  await page.getByTestId('mc-metric').selectOption('total_cost_usd');
  await page.waitForFunction(() =>
    document.querySelector('[data-testid=mc-tornado] svg').textContent.includes('total cost (USD)'),
  );
  // No view code shows as text anywhere on the page with every panel filled.
  assert.doesNotMatch(await page.evaluate(() => document.body.innerText), /move \||on:click|\.get\(\)|state\.scenario/);
  // Its inputs are named by their rows, not by paths.
  const tornadoText = await page.locator('[data-testid=mc-tornado] svg').textContent();
  assert.ok(!/markets\[|sites\[/.test(tornadoText), tornadoText.slice(0, 200));
  // "Row: field" (for example "United States: adoption ceiling" or "Foxconn Taiwan: unit price").
  assert.match(tornadoText, /[A-Za-z][^:]*: [a-z]/);
  // Every Monte Carlo chart exports; the tornado's SVG file is the chart as drawn.
  assert.equal(await page.locator('[data-testid=uncertainty-panel] [data-testid=export-png]').count(), 9);
  const [svgFile] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('[data-testid=mc-tornado] + .chart-export [data-testid=export-svg]').click(),
  ]);
  assert.equal(svgFile.suggestedFilename(), 'uncertainty-tornado.svg');
  assert.match(await readFile(await svgFile.path(), 'utf8'), /^<\?xml[\s\S]*What moves total cost \(USD\) most/);
  // The worker's files came from the same sub-path; no other host was asked.
  assert.ok(requests.some((u) => u.endsWith('/deep/sub/path/mc-worker.js')), 'worker script loaded');
  // The worker runs the page's own wasm: no second wasm to download.
  const wasm = requests.filter((u) => u.endsWith('.wasm'));
  assert.ok(wasm.length >= 1 && wasm.every((u) => /\/deep\/sub\/path\/rackplan-web-[0-9a-f]+_bg\.wasm$/.test(u)), wasm.join(', '));
  const foreign = requests.filter((u) => !u.startsWith(shared.server.origin) && !u.startsWith('data:'));
  assert.deepEqual(foreign, [], 'no request leaves for another host');
  assert.deepEqual(errors, [], 'no console or page error');
  // The results CSV now carries the percentile bands of this run.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const header = (await readFile(await download.path(), 'utf8')).split('\n')[0].split(',');
  for (const col of ['mc.backlog.p5', 'mc.backlog.p95', 'mc.deliveries_needed.p50', 'mc.shortfall_probability']) {
    assert.ok(header.includes(col), `CSV column ${col}`);
  }
  // Editing the scenario marks the results stale.
  await setSamples(page, 300);
  await page.getByTestId('mc-stale').waitFor();
  await context.close();
});

test('samples and seed that are not whole numbers get a message, and the box the value in use', async () => {
  const { page, context, errors } = await openPage(shared.browser, shared.server.url);
  const input = page.getByTestId('mc-samples');
  await input.waitFor();
  const before = await input.inputValue();
  const note = page.getByTestId('mc-input-note');
  for (const bad of ['0', '12.5', '-3']) {
    await input.fill(bad);
    await input.dispatchEvent('change');
    await note.getByText('Samples: enter a whole number from 1 to 20000').waitFor();
    assert.equal(await input.inputValue(), before, `${bad}: the box shows the samples in use`);
  }
  await input.fill('50000');
  await input.dispatchEvent('change');
  await note.getByText('The browser runs at most 20000 samples: set to 20000.').waitFor();
  assert.equal(await input.inputValue(), '20000');
  const seed = page.getByTestId('mc-seed');
  await seed.fill('1.5');
  await seed.dispatchEvent('change');
  await note.getByText('Seed: enter a whole number of 0 or more').waitFor();
  await seed.fill('7');
  await seed.dispatchEvent('change');
  await page.waitForFunction(() => document.querySelector('[data-testid=mc-input-note]').textContent === '');
  assert.deepEqual(errors, []);
  await context.close();
});

test('Cancel stops a long run and keeps the samples run so far', async () => {
  const { page, context, errors } = await openPage(shared.browser, shared.server.url);
  await page.getByTestId('uncertainty-panel').waitFor({ timeout: 15000 });
  await setSamples(page, 20000);
  await page.getByTestId('mc-run').click();
  await page.waitForFunction(
    () => Number(document.querySelector('[data-testid=mc-progress]').getAttribute('value')) > 0,
    null,
    { timeout: 60000 },
  );
  // Run is disabled while running: the keyboard is on Cancel, then back on Run.
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'mc-cancel');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.dataset.testid === 'mc-run');
  const status = await page.getByTestId('mc-status').textContent();
  // The count said is the progress shown; the results are for what was summarised by then.
  const at = /^Cancelled (?:after|at) (\d+) of 20000 samples/.exec(status);
  assert.ok(at, status);
  assert.equal(at[1], await page.getByTestId('mc-progress').getAttribute('value'));
  assert.equal(await page.getByTestId('mc-cancel').isDisabled(), true);
  assert.equal(await page.getByTestId('mc-run').isDisabled(), false);
  // No more progress after cancelling: the worker is gone.
  const before = await page.getByTestId('mc-progress').getAttribute('value');
  await page.waitForTimeout(1500);
  assert.equal(await page.getByTestId('mc-progress').getAttribute('value'), before);
  assert.deepEqual(errors, [], 'no console or page error');
  await context.close();
});

test('on a phone the Monte Carlo results fit the screen', async () => {
  const { page, context, errors } = await openPage(shared.browser, shared.server.url, { viewport: { width: 360, height: 740 } });
  await runToDone(page, 200);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
  // Each value sits under its label, on one line.
  const service = page.getByTestId('mc-service');
  const box = await service.boundingBox();
  assert.ok(box.height < 30, `the service-level values wrap: ${box.height}px`);
  // The fan charts are drawn for the column, not scaled down from the desktop size.
  const width = await page.locator('[data-testid=mc-fan-need] svg').getAttribute('width');
  assert.ok(Number(width) <= 340, `fan chart width ${width}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('samples that cannot be computed are listed with their reasons, and the others still give results', async () => {
  const { page, context, errors } = await openPage(shared.browser, shared.server.url);
  await page.getByTestId('uncertainty-panel').waitFor({ timeout: 15000 });
  // A price past the limit of 1e12 USD (MODEL.md §6) in the samples drawn high, not at its point
  // value: the plan runs, ~13 % of the samples cannot be computed.
  const runaway = {
    name: 'Runaway price in some samples',
    start_month: '2025-01',
    horizon_months: 24,
    supply_regions: [{ name: 'Taiwan' }],
    sites: [{ name: 'Dear site', supplier: 'Dear', region: 'Taiwan', unit_price_usd: { tri: [5e11, 6e11, 9.9e11] }, price_change_per_year: 0.1 }],
  };
  await page.getByTestId('file-input').setInputFiles({ name: 'runaway.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(runaway)) });
  // (An unchanged preset is replaced without asking.)
  await page.waitForFunction(() => document.querySelector('#f-name').value === 'Runaway price in some samples');
  assert.equal(await page.getByTestId('run-error').count(), 0, 'the plan itself runs');
  await runToDone(page, 200);
  const status = await page.getByTestId('mc-status').textContent();
  const n = Number(/(\d+) samples could not be computed \(listed below\)/.exec(status)?.[1]);
  assert.ok(n >= 5 && n < 100, status);
  const failed = page.getByTestId('mc-failed');
  assert.match(await failed.textContent(), new RegExp(`${n} samples could not be computed; the results below are over the other ${200 - n}`));
  const items = await failed.locator('li').allTextContents();
  assert.match(items[0], /^Sample \d+ could not be computed: .*above the limit of 1e12/);
  if (n > 20) assert.match(items.at(-1), new RegExp(`and ${n - 20} more not listed`));
  // The other samples' results are drawn.
  assert.equal((await page.getByTestId('mc-samples-done').textContent()).trim(), '200');
  assert.match(await page.getByTestId('mc-cost').textContent(), /\d/);
  assert.ok((await page.locator('[data-testid=mc-fan-need] svg polygon').count()) >= 2, 'bands drawn');
  // The tornado names the input it could not rank (its P90 is past the limit).
  assert.match(await page.getByTestId('mc-tornado-skipped').textContent(), /Dear site: unit price/i);
  assert.deepEqual(errors, []);
  await context.close();
});
