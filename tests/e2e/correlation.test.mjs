// Inputs that move together (MODEL.md §5.5) in the browser: a correlation group made in the
// uncertainty panel, a Monte Carlo run split over 2 workers, and the group travelling in the
// link to a fresh browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedServerAndBrowser, openPage } from './harness.mjs';

const shared = sharedServerAndBrowser();

async function until(check, what, timeout = 30000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function setNumber(page, id, n) {
  const input = page.getByTestId(id);
  await input.fill(String(n));
  await input.dispatchEvent('change');
}

test('a correlation group made in the panel runs on 2 workers and opens from the link', async () => {
  const a = await openPage(shared.browser, shared.server.url);
  const { page } = a;
  await page.getByTestId('uncertainty-panel').waitFor({ timeout: 15000 });
  await page.getByTestId('mc-corr-a').selectOption('markets[0].adoption_ceiling');
  await page.getByTestId('mc-corr-b').selectOption('markets[1].adoption_ceiling');
  await page.getByTestId('mc-corr-add').click();
  await page.getByTestId('mc-corr-group-0').waitFor();
  const slider = page.getByTestId('mc-corr-0-0-1');
  await slider.fill('0.8');
  await slider.dispatchEvent('change');
  await until(
    async () => (await page.getByTestId('mc-corr-group-0').textContent()).includes('+0.80'),
    'the slider to set 0.8',
  );
  // The scatter plot of the pair's sampled ranks says what was asked for and what was got.
  await page.getByTestId('mc-corr-scatter-0').locator('summary').click();
  const caption = page.getByTestId('mc-corr-scatter-caption');
  await caption.waitFor();
  const said = await caption.textContent();
  const m = said.match(/Asked \+0\.80, got ([+-]\d\.\d\d)/);
  assert.ok(m, said);
  assert.ok(Math.abs(Number(m[1]) - 0.8) < 0.06, said);
  assert.equal(await page.getByTestId('mc-corr-scatter-plot').locator('circle').count(), 400);
  await setNumber(page, 'mc-workers', 2);
  await setNumber(page, 'mc-samples', 200);
  await page.getByTestId('mc-run').click();
  await page.waitForFunction(
    () => /^Done/.test(document.querySelector('[data-testid=mc-status]').textContent),
    null,
    { timeout: 120000 },
  );
  assert.equal((await page.getByTestId('mc-samples-done').textContent()).trim(), '200');
  assert.equal(await page.locator('[data-testid=mc-tornado] svg').count(), 1, 'the tornado came from the first share');
  // The workers setting is the browser's, not the scenario's.
  assert.equal(await page.evaluate(() => localStorage.getItem('rackplan.mc-workers')), '2');
  await until(async () => page.url().includes('#v1.'), 'the address bar to hold the link');
  const link = page.url();
  assert.deepEqual(a.errors, []);
  await a.context.close();

  const b = await openPage(shared.browser, link);
  await b.page.getByTestId('mc-corr-group-0').waitFor({ timeout: 15000 });
  const text = await b.page.getByTestId('mc-corr-group-0').textContent();
  assert.match(text, /markets\[0\]\.adoption_ceiling ~ markets\[1\]\.adoption_ceiling/);
  assert.match(text, /\+0\.80/);
  assert.deepEqual(b.errors, []);
  await b.context.close();
});
