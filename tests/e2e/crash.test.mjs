// Crash recovery: a panic stops the wasm instance; public/crash.js shows a banner (never a blank
// or frozen page) with a way back to the last good scenario, which is the last valid one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedServerAndBrowser, openPage, firstChart } from './harness.mjs';

const shared = sharedServerAndBrowser();

const kpi = (page, id) => page.locator(`[data-testid=kpi-${id}] [data-testid=kpi-value]`).textContent();

test('a panic shows the crash banner, and its link brings back the last valid scenario', async () => {
  const { page, context } = await openPage(shared.browser, shared.server.url);
  await firstChart(page);
  // A valid change (autosaved), then an invalid one (never autosaved).
  const cost0 = await kpi(page, 'total-cost');
  await page.getByTestId('lever-cloud-share-slider').fill('0.6');
  await page.waitForFunction(
    (c) => document.querySelector('[data-testid=kpi-total-cost] [data-testid=kpi-value]')?.textContent !== c,
    cost0,
  );
  const cost1 = await kpi(page, 'total-cost');
  await page.getByTestId('saved').getByText('Saved').waitFor({ timeout: 5000 });
  await page.getByTestId('horizon').fill('0');
  await page.locator('#f-horizon_months-msg').getByText('must be between 1 and 240').waitFor({ timeout: 5000 });

  // Uncaught, like a panic in an event handler: the instance traps and the error reaches the
  // page's error handler.
  await page.evaluate(() => setTimeout(() => window.wasmBindings.rackplan_test_panic(), 0));
  const banner = page.getByTestId('crash-banner');
  await banner.waitFor({ timeout: 5000 });
  const text = await banner.textContent();
  assert.match(text, /rackplan stopped after an internal error/);
  assert.match(text, /last valid scenario is saved/);
  assert.match(text, /RuntimeError: unreachable/);
  const href = await page.getByTestId('crash-reload').getAttribute('href');
  assert.ok(!href.includes('#'), 'the reload link drops the scenario link from the address');

  await page.getByTestId('crash-reload').click();
  await firstChart(page);
  assert.equal(await page.getByTestId('crash-banner').count(), 0, 'the app is back');
  assert.equal(await kpi(page, 'total-cost'), cost1, 'the last valid scenario, with its change');
  assert.equal(await page.getByTestId('horizon').inputValue(), '84', 'not the invalid entry');
  await context.close();
});

test('the wasm running out of stack shows the banner too', async () => {
  const { page, context } = await openPage(shared.browser, shared.server.url);
  await firstChart(page);
  await page.evaluate(() => setTimeout(() => window.wasmBindings.rackplan_test_stack_overflow(), 0));
  const banner = page.getByTestId('crash-banner');
  await banner.waitFor({ timeout: 5000 });
  assert.match(await banner.textContent(), /RangeError: Maximum call stack size exceeded/);
  await context.close();
});

test('a JavaScript error that is not the wasm stopping shows no banner', async () => {
  const { page, context } = await openPage(shared.browser, shared.server.url);
  await firstChart(page);
  await page.evaluate(() => setTimeout(() => { throw new Error('unrelated'); }, 0));
  // Nor does a JavaScript stack overflow outside the wasm.
  await page.evaluate(() => setTimeout(() => { const f = () => f() + 1; f(); }, 0));
  await page.evaluate(() => new Promise((r) => setTimeout(r, 200)));
  assert.equal(await page.getByTestId('crash-banner').count(), 0);
  await context.close();
});
