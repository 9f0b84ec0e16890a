// Crash recovery: a panic shows a banner (never a blank page) with a way back to the last good
// scenario, and user text is never injected as HTML.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedServerAndBrowser, openPage } from './harness.mjs';

const shared = sharedServerAndBrowser();

test('a panic shows the crash banner with a reload link', async () => {
  const { page, context } = await openPage(shared.browser, shared.server.url);
  await page.locator('svg').first().waitFor({ timeout: 15000 });
  await page.evaluate(() => {
    try {
      window.wasmBindings.rackplan_test_panic();
    } catch {
      // The wasm instance traps after the hook has run.
    }
  });
  const banner = page.getByTestId('crash-banner');
  await banner.waitFor({ timeout: 5000 });
  assert.match(await banner.textContent(), /test panic requested/);
  assert.match(await banner.textContent(), /last valid scenario is saved/);
  const href = await page.getByTestId('crash-reload').getAttribute('href');
  assert.ok(!href.includes('#'), 'the reload link drops the scenario link from the address');
  await page.getByTestId('crash-reload').click();
  await page.locator('svg').first().waitFor({ timeout: 15000 });
  assert.equal(await page.getByTestId('crash-banner').count(), 0, 'the app is back');
  await context.close();
});
