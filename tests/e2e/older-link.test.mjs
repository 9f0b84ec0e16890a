// A frozen v1 link (made with the base case of schema 1) opened in this app: it opens exactly as it
// was, says once that it was made with an older base case, and offers to compare it with today's
// base case (Compare A/B: today's base case pinned as A, the link's scenario as B).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { sharedServerAndBrowser, openPage, firstChart, until } from './harness.mjs';

const shared = sharedServerAndBrowser();

const V1_LINK = new URL('../../core/tests/fixtures/links/v1/base-case.link', import.meta.url);

test('a v1 link says once that its base case is older and compares it with today\'s', async () => {
  const link = (await readFile(V1_LINK, 'utf8')).trim();
  const payload = link.includes('#') ? link.split('#')[1] : link;
  const { page, context, errors } = await openPage(shared.browser, `${shared.server.url}#${payload}`);
  await firstChart(page);
  const notice = page.getByTestId('older-base-case');
  await notice.waitFor();
  assert.match(await notice.innerText(), /older base case/);
  assert.equal(await page.getByTestId('compare-table').count(), 0, 'nothing pinned yet');
  await page.getByTestId('older-compare').click();
  // Today's base case pinned, the link's scenario current: the panel lists what differs.
  await page.getByTestId('compare-table').waitFor();
  await page.getByTestId('compare-inputs').waitFor();
  assert.match((await page.getByTestId('pin-name').inputValue()), /^Today's /);
  // Today's base case rents, the v1 one does not: renting's own rows are in the table.
  const table = await page.getByTestId('compare-table').innerText();
  assert.match(table, /Rented, server-months/);
  assert.match(table, /Rented share of servers in service/);
  assert.ok((await page.getByTestId('compare-inputs').innerText()).trim().length > 0);
  assert.equal(await notice.count(), 0, 'the notice is gone once acted on');
  // Once: a reload does not say it again.
  await page.waitForTimeout(600);
  await page.reload();
  await firstChart(page);
  await page.waitForTimeout(300);
  assert.equal(await page.getByTestId('older-base-case').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

// Schema 3 (supplier levers) kept schema 2's base case: a v2 link (a preset, so it replaces the
// base case) opens without the offer.
test('a v2 link opens as it was, without saying its base case is older', async () => {
  const link = (await readFile(new URL('../../core/tests/fixtures/links/v2/preset-region-cap.link', import.meta.url), 'utf8')).trim();
  const payload = link.includes('#') ? link.split('#')[1] : link;
  const { page, context, errors } = await openPage(shared.browser, `${shared.server.url}#${payload}`);
  await firstChart(page);
  await until(async () => /Opened the scenario in the link/.test(await page.getByTestId('share-notice').innerText()), 'the opened notice');
  await page.waitForTimeout(500);
  assert.equal(await page.getByTestId('older-base-case').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});
