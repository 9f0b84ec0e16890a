// The planner end to end on the built dist/: sliders move KPIs, sites reach the chart legend,
// undo restores figures, reload restores the autosave, invalid entries show their message while
// the last results stay, and names are shown as text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedServerAndBrowser, openPage, firstChart } from './harness.mjs';

const shared = sharedServerAndBrowser();

async function open(viewport) {
  const o = await openPage(shared.browser, shared.server.url, viewport ? { viewport } : undefined);
  await firstChart(o.page);
  return o;
}

const kpi = (page, id) => page.locator(`[data-testid=kpi-${id}] [data-testid=kpi-value]`).textContent();
// The card without its risk line, which the quick Monte Carlo fills in later (MODEL.md §5.6).
const kpiCard = (page, id) => page.locator(`[data-testid=kpi-${id}]`).evaluate((card) =>
  [...card.children].filter((c) => !c.matches('.kpi-risk')).map((c) => c.textContent).join(''));

async function waitForChange(fn, before, what) {
  for (let i = 0; i < 100; i++) {
    const now = await fn();
    if (now !== before) return now;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`${what} did not change from ${before}`);
}

test('moving a slider changes a KPI, and undo restores it', async () => {
  const { page, context, errors } = await open();
  const card = () => kpiCard(page, 'service-level');
  const card0 = await card();
  await page.getByTestId('lever-adoption-ceiling-slider').fill('0.7');
  const card1 = await waitForChange(card, card0, 'the service-level card');
  await page.keyboard.press('Control+z');
  assert.equal(await waitForChange(card, card1, 'the card after undo'), card0);
  await page.getByTestId('redo').click();
  assert.equal(await waitForChange(card, card0, 'the card after redo'), card1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an added site appears in the chart legend', async () => {
  const { page, context, errors } = await open();
  await page.getByText('Supplier sites', { exact: true }).click();
  await page.getByTestId('add-sites').click();
  const svg = page.locator('[data-testid=chart-supply] svg');
  await page.waitForFunction(() =>
    document.querySelector('[data-testid=chart-supply] svg')?.textContent.includes('New site'));
  assert.ok((await svg.textContent()).includes('New site'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('a reload restores the autosaved scenario', async () => {
  const { page, context, errors } = await open();
  const cost0 = await kpi(page, 'total-cost');
  await page.getByTestId('lever-cloud-share-slider').fill('0.6');
  const cost1 = await waitForChange(() => kpi(page, 'total-cost'), cost0, 'total cost');
  await page.getByTestId('saved').getByText('Saved').waitFor({ timeout: 5000 });
  await page.reload();
  await firstChart(page);
  assert.equal(await kpi(page, 'total-cost'), cost1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the save status says when only the last valid version is kept, or nothing can be saved', async () => {
  const { page, context, errors } = await open();
  const saved = page.getByTestId('saved');
  await page.getByTestId('lever-cloud-share-slider').fill('0.6');
  await saved.getByText('Saved in this browser').waitFor({ timeout: 5000 });
  await page.getByTestId('horizon').fill('0');
  await saved.getByText('Last valid version saved in this browser').waitFor({ timeout: 5000 });
  // Storage full or turned off: say so, and point to Download.
  await context.addInitScript(() => {
    Storage.prototype.setItem = () => { throw new DOMException('full', 'QuotaExceededError'); };
  });
  await page.reload();
  await firstChart(page);
  await page.getByTestId('lever-cloud-share-slider').fill('0.5');
  await saved.getByText('Not saved: this browser\'s storage is full or turned off. Download the scenario to keep it.').waitFor({ timeout: 5000 });
  assert.deepEqual(errors, []);
  await context.close();
});

test('an invalid entry shows its message at the field and keeps the last results', async () => {
  const { page, context } = await open();
  const cost0 = await kpi(page, 'total-cost');
  const svg0 = await page.locator('[data-testid=chart-supply] svg').innerHTML();
  const horizon = page.getByTestId('horizon');
  await horizon.fill('0');
  const msg = page.locator('#f-horizon_months-msg');
  await msg.getByText('must be between 1 and 240').waitFor({ timeout: 5000 });
  // Months are whole: a fraction or a negative number is not rounded or clamped out of sight.
  for (const bad of ['12.5', '-5']) {
    await horizon.fill(bad);
    await msg.getByText('enter a whole number of 0 or more').waitFor({ timeout: 5000 });
  }
  await horizon.fill('0');
  await msg.getByText('must be between 1 and 240').waitFor({ timeout: 5000 });
  assert.equal(await horizon.getAttribute('aria-invalid'), 'true');
  assert.ok(await page.getByTestId('errors').isVisible());
  assert.equal(await kpi(page, 'total-cost'), cost0, 'the last valid results stay');
  assert.equal(await page.locator('[data-testid=chart-supply] svg').innerHTML(), svg0);
  // Text that is not a number is flagged too, and changes nothing.
  await horizon.fill('abc');
  await msg.getByText('enter a number').waitFor({ timeout: 5000 });
  await horizon.fill('60');
  await page.waitForFunction(() => !document.querySelector('[data-testid=errors]'));
  await context.close();
});

test('a preset asks first and can be undone; names render as text', async () => {
  const { page, context, errors } = await open();
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs += 1; d.dismiss(); });
  const name = page.locator('#f-name');
  await name.fill('My plan');
  const name0 = await name.inputValue();
  await page.getByTestId('presets').selectOption({ index: 2 });
  await page.getByTestId('confirm').waitFor();
  await page.getByTestId('confirm-replace').click();
  await page.waitForFunction((n) => document.querySelector('#f-name').value !== n, name0);
  await page.getByTestId('undo').click();
  await page.waitForFunction((n) => document.querySelector('#f-name').value === n, name0);

  const evil = '<img src=x onerror=alert(1)>';
  await page.getByText('Supplier sites', { exact: true }).click();
  await page.locator('[data-testid=row-sites-0] .row-toggle').click();
  await page.getByTestId('site-0-name').fill(evil);
  // The legend shortens long names; the start is enough to find it.
  await page.waitForFunction((e) =>
    document.querySelector('[data-testid=chart-supply] svg')?.textContent.includes(e), evil.slice(0, 12));
  assert.equal(await page.locator('img[src=x]').count(), 0, 'no element is made from a name');
  assert.equal(dialogs, 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('short months are explained, and deliveries broken down by supplier, region and site', async () => {
  const { page, context, errors } = await open();
  const breakdown = page.getByTestId('breakdown');
  await breakdown.getByTestId('no-shortfall').waitFor();
  // Faster adoption: demand outruns supply for a while. The base case is untouched: no
  // question asked before replacing it.
  await page.getByTestId('presets').selectOption({ label: 'Faster adoption' });
  assert.equal(await page.getByTestId('confirm').count(), 0);
  // The menu says which preset is loaded.
  await page.waitForFunction(() => document.querySelector('#presets option')?.textContent === 'Preset: Faster adoption');
  const rows = breakdown.locator('[data-testid=shortfalls] li');
  await rows.first().waitFor();
  const text = await breakdown.locator('[data-testid=shortfalls]').innerText();
  assert.match(text, /No capacity: every qualified site delivered all it could/);
  assert.match(text, /Cap: \w+ reached the supplier cap \(60\.0 % of a month's deliveries\)/);
  assert.match(text, /\d{4}-\d{2} to \d{4}-\d{2} \(\d+ months\)/);
  // The months listed add up to the KPI card's count of months short.
  const periods = await rows.locator('strong').allTextContents();
  const months = periods.reduce((n, p) => n + (Number(/\((\d+) months\)/.exec(p)?.[1]) || 1), 0);
  const card = await page.locator('[data-testid=kpi-first-short]').textContent();
  assert.match(card, new RegExp(`${months} of \\d+ months short`));
  // Shares add up to 100 %, largest first.
  for (const id of ['by-supplier', 'by-region']) {
    const shares = (await breakdown.locator(`[data-testid=${id}] tbody td:last-child`).allTextContents())
      .map((t) => Number(t.replace(' %', '')));
    assert.ok(Math.abs(shares.reduce((a, b) => a + b, 0) - 100) < 0.5, `${id}: ${shares}`);
    assert.deepEqual([...shares].sort((a, b) => b - a), shares);
  }
  const sites = await breakdown.locator('[data-testid=by-site] tbody tr').count();
  assert.equal(sites, 15);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an open row stays open when other rows move, duplicate or go', async () => {
  const { page, context, errors } = await open();
  await page.getByText('Supplier sites', { exact: true }).click();
  const row = (i) => page.getByTestId(`row-sites-${i}`);
  const openRows = () => page.evaluate(() =>
    [...document.querySelectorAll('[data-testid=table-sites] .row-card')]
      .filter((li) => li.querySelector('.row-toggle').getAttribute('aria-expanded') === 'true')
      .map((li) => li.querySelector('.row-toggle').textContent.replace(/^[▸▾]/, '').trim()));
  const waitOpen = async (want, what) => {
    for (let k = 0; k < 100 && JSON.stringify(await openRows()) !== JSON.stringify(want); k++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(await openRows(), want, what);
  };
  const name2 = (await row(2).locator('.row-toggle').textContent()).replace(/^[▸▾]\s*3\. /, '');
  await row(2).locator('.row-toggle').click();
  await waitOpen([`3. ${name2}`], 'the third row opened');
  await row(0).getByRole('button', { name: /^Remove / }).click();
  await waitOpen([`2. ${name2}`], 'removing the first row: the open row moved up, still open');
  await row(0).getByRole('button', { name: /^Duplicate / }).click();
  await waitOpen([`3. ${name2}`], 'a copy of the first row: the open row moved down, still open');
  await row(2).getByRole('button', { name: /^Move .* up$/ }).click();
  await waitOpen([`2. ${name2}`], 'moved up: it stays open');
  assert.equal(await row(1).locator('.row-body').count(), 1, 'its fields are shown');
  assert.equal(await row(2).locator('.row-body').count(), 0, 'the row it swapped with stays closed');
  // Undo and redo swap whole scenarios: the open row is found again by its name.
  const undo = page.getByTestId('undo');
  await undo.click();
  await waitOpen([`3. ${name2}`], 'undo the move: it is third again, still open');
  await undo.click();
  await waitOpen([`2. ${name2}`], 'undo the copy: second again');
  await undo.click();
  await waitOpen([`3. ${name2}`], 'undo the removal: third again, the first row back and closed');
  await page.getByTestId('redo').click();
  await waitOpen([`2. ${name2}`], 'redo the removal');
  // Typing a new name that passes through the next row's name keeps the row open.
  const name3 = (await row(2).locator('.row-toggle').textContent()).replace(/^[▸▾]\s*3\. /, '');
  const field = row(1).locator('.row-body input').first();
  await field.fill('');
  await field.pressSequentially(`${name3} B`);
  await waitOpen([`2. ${name3} B`], 'renamed through the next row\'s name: still open');
  assert.deepEqual(errors, []);
  await context.close();
});

test('up and down move a row, and stop at the ends', async () => {
  const { page, context, errors } = await open();
  await page.getByText('Supplier sites', { exact: true }).click();
  const row = (i) => page.getByTestId(`row-sites-${i}`);
  const names = () => page.evaluate(() =>
    [...document.querySelectorAll('[data-testid=table-sites] .row-toggle')]
      .map((b) => b.textContent.replace(/^[▸▾]\s*\d+\. /, '').trim()));
  const before = await names();
  const last = before.length - 1;
  const up = (i) => row(i).getByRole('button', { name: /^Move .* up$/ });
  const down = (i) => row(i).getByRole('button', { name: /^Move .* down$/ });
  assert.equal(await up(0).isDisabled(), true, 'the first row cannot go up');
  assert.equal(await down(last).isDisabled(), true, 'the last row cannot go down');
  assert.equal(await down(0).isDisabled(), false);
  assert.equal((await down(0).textContent()).trim(), '↓', 'the button shows its arrow only');
  await down(0).click();
  const swapped = [before[1], before[0], ...before.slice(2)];
  await page.waitForFunction((want) =>
    JSON.stringify([...document.querySelectorAll('[data-testid=table-sites] .row-toggle')]
      .map((b) => b.textContent.replace(/^[▸▾]\s*\d+\. /, '').trim())) === want, JSON.stringify(swapped));
  assert.deepEqual(await names(), swapped);
  // No view code ever shows as text, with every table open.
  for (const t of ['Demand regions (markets)', 'Supply regions', 'Extra demand', 'Fleet and Monte Carlo']) {
    await page.getByText(t, { exact: true }).click();
  }
  const text = await page.evaluate(() => document.body.innerText);
  assert.doesNotMatch(text, /move \||on:click|\.get\(\)|state\.scenario/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a fixed split shows each weight as a share, and follows a renamed site', async () => {
  const { page, context, errors } = await open();
  await page.getByTestId('policy').selectOption('fixed_split');
  const first = page.getByTestId('split-share-0');
  await first.getByText('6.7 % of the split').waitFor();
  await page.locator('[id="f-sourcing-policy-shares-0"]').fill('3');
  await first.getByText('17.6 % of the split').waitFor();
  assert.equal((await page.getByTestId('split-share-1').textContent()).trim(), '5.9 % of the split');
  await page.getByText('Supplier sites', { exact: true }).click();
  await page.locator('[data-testid=row-sites-0] .row-toggle').click();
  await page.getByTestId('site-0-name').fill('Renamed site');
  await page.getByText('Share: Renamed site').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('an extra demand series refuses a value that is not a number, and says which', async () => {
  const { page, context, errors } = await open();
  await page.getByText('Extra demand', { exact: true }).click();
  await page.getByTestId('add-extra_demand').click();
  const field = page.locator('#f-extra_demand-0--units_per_month');
  await field.fill('100 200 300');
  const msg = page.locator('#f-extra_demand-0--units_per_month-msg');
  await field.fill('100 abc 300');
  await msg.getByText('value 2 ("abc") is not a number').waitFor({ timeout: 5000 });
  assert.equal(await field.getAttribute('aria-invalid'), 'true');
  // The scenario kept the last series it could read.
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download' }).click()]);
  const saved = JSON.parse(await (await import('node:fs/promises')).readFile(await file.path(), 'utf8'));
  assert.deepEqual(saved.extra_demand[0].units_per_month, [100, 200, 300]);
  await field.fill('100 250 300');
  await page.waitForFunction(() => document.querySelector('#f-extra_demand-0--units_per_month-msg').textContent === '');
  assert.deepEqual(errors, []);
  await context.close();
});

test('every control is labelled and the page fits a phone', async () => {
  const { page, context, errors } = await open({ width: 360, height: 800 });
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea, button')]
      .filter((el) => {
        if (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')) return false;
        if (el.labels && el.labels.length) return false;
        if (el.tagName === 'BUTTON' && el.textContent.trim()) return false;
        return true;
      })
      .map((el) => el.outerHTML.slice(0, 120)));
  assert.deepEqual(unlabelled, []);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a slider dragged to an end and back gives the distribution back', async () => {
  const { page, context, errors } = await open();
  const params = () => Promise.all(['low', 'likely', 'high']
    .map((p) => page.getByTestId(`lever-cloud-share-${p}`).inputValue()));
  const before = await params();
  assert.equal(Number(before[0]) > 0, true, `the base case's cloud share has a low end above 0: ${before}`);
  // One gesture: input events down to 0 and back, then the release (change).
  await page.getByTestId('lever-cloud-share-slider').evaluate((el, likely) => {
    for (const v of ['0.1', '0', '0.1', likely]) {
      el.value = v;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, before[1]);
  await page.waitForTimeout(300);
  assert.deepEqual(await params(), before);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a problem in the list opens its row and focuses the field, and the levers follow their rows', async () => {
  const { page, context, errors } = await open();
  await page.locator('#lever-site').selectOption('4');
  const site4 = await page.locator('#lever-site option:checked').textContent();
  await page.getByTestId('lever-qualification').fill('-3');
  const problem = page.getByTestId('errors').getByRole('button').first();
  await problem.waitFor();
  // Levers collapsed and the site's row closed: the link still reaches the field.
  await page.locator('summary', { hasText: 'Levers' }).click();
  await problem.click();
  await page.waitForFunction(() => document.activeElement?.id === 'f-sites-4--qualification_lead_time_months');
  assert.equal(await page.evaluate(() => document.activeElement.offsetParent !== null), true, 'the field is shown');
  assert.equal(await page.locator('[data-testid=row-sites-4] .row-toggle').getAttribute('aria-expanded'), 'true');
  await page.locator('#f-sites-4--qualification_lead_time_months').fill('6');
  await page.waitForFunction(() => !document.querySelector('[data-testid=errors]'));
  await page.locator('summary', { hasText: 'Levers' }).click();
  // The chosen site moves up a row: the levers stay on it.
  await page.getByTestId('table-sites').evaluate((el) => { el.closest('details').open = true; });
  await page.getByTestId('row-sites-4').getByRole('button', { name: /^Move .* up$/ }).click();
  await page.waitForFunction((name) => document.querySelector('#lever-site option:checked')?.textContent === name, site4);
  assert.equal(await page.locator('#lever-site').inputValue(), '3');
  // Removed: the first site is chosen, and its levers are shown.
  await page.getByTestId('row-sites-3').locator('.row-actions .remove').click();
  await page.waitForFunction(() => document.querySelector('#lever-site')?.value === '0');
  // Focus moved to the row now in its place, not onto that row's remove button.
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('row-toggle')), true);
  assert.equal(await page.getByTestId('lever-qualification-slider').count(), 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('Compare: a pin, the current scenario edited, differences in words, and the pin kept across a reload', async () => {
  const { page, context, errors } = await open();
  await page.getByTestId('pin').click();
  await page.getByTestId('horizon').fill('96');
  const inputs = page.getByTestId('compare-inputs');
  await inputs.getByText('horizon months').waitFor();
  const row = await inputs.locator('tr', { hasText: 'horizon months' }).innerText();
  assert.match(row, /84\s+96/);
  // Different horizons: the totals are over different periods, and the panel says so.
  assert.match(await page.getByTestId('compare-periods').innerText(), /Current .*\(96 months\); .* \(84 months\)/);
  // A distribution reads as one, not as JSON.
  await page.getByTestId('lever-cloud-share-likely').fill('0.25');
  await inputs.getByText('cloud share (likely)').waitFor();
  assert.match(await inputs.innerText(), /cloud share \(likely\)\s+0\.2\s+0\.25/);
  await page.locator('.field[data-path="markets[0].cloud_share"] select.kind').first().selectOption('pert');
  await inputs.getByText(/PERT/).waitFor();
  const text = await inputs.innerText();
  assert.match(text, /triangular 0\.1 \/ 0\.2 \/ 0\.4\s+PERT 0\.1 \/ 0\.25 \/ 0\.4/);
  assert.doesNotMatch(text, /\{"tri"/);
  // A reload keeps A (and B, the autosave).
  await page.waitForTimeout(600);
  await page.reload();
  await firstChart(page);
  await page.getByTestId('compare-table').waitFor();
  assert.match(await page.getByTestId('compare-inputs').innerText(), /horizon months\s+84\s+96/);
  await page.getByTestId('unpin').click();
  await page.getByTestId('pin').waitFor();
  await page.reload();
  await firstChart(page);
  assert.equal(await page.getByTestId('compare-table').count(), 0, 'unpinned stays unpinned');
  assert.deepEqual(errors, []);
  await context.close();
});
