// The answer first (MODEL.md §5.6): on the base case the one-sentence summary and the cards' risk
// lines arrive from the quick Monte Carlo worker, beside the values at likely inputs; on a phone the
// page reads summary, cards, main chart, then the editor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedServerAndBrowser, openPage, firstChart } from './harness.mjs';

const shared = sharedServerAndBrowser();

/** Waits until the quick run has answered (the summary is no longer busy) and returns its text. */
async function settledSummary(page, timeout = 30000) {
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-testid=summary]');
    return s && s.getAttribute('aria-busy') === 'false' && document.querySelectorAll('[data-testid=kpi-risk]').length > 0;
  }, null, { timeout });
  return (await page.getByTestId('summary-sentence').textContent()).trim();
}

test('the base case: a summary sentence and risk beside each card, at the top of the page', async () => {
  const { page, context, errors } = await openPage(shared.browser, shared.server.url, { viewport: { width: 1440, height: 1000 } });
  await firstChart(page);
  const sentence = await settledSummary(page);
  assert.match(sentence, /^\d+ % chance of running short at some point; (most likely from|the riskiest month is) \d{4}-\d{2}/, sentence);
  assert.match(sentence, /the tightest month is \d{4}-\d{2}(, | with )\d+ % (spare|short of what is due)\.$/, sentence);
  // The chance in the sentence is the first-short card's.
  const chance = /^(\d+) %/.exec(sentence)[1];
  const risk = async (id) => (await page.locator(`[data-testid=kpi-${id}] [data-testid=kpi-risk]`).textContent()).trim();
  assert.equal(await risk('first-short'), `${chance} % chance of any shortfall`);
  assert.ok(Number(chance) > 0, 'the base case has right-skewed inputs: some samples run short');
  assert.match(await risk('service-level'), /^P5 \d+(\.\d)? %/);
  assert.match(await risk('peak-backlog'), /^P50 [\d,]+ · P90 [\d,]+$/);
  assert.match(await risk('total-cost'), /^P50 \$[\d.,]+\s?[A-Za-z]* · P90 \$/);
  // Each spread stands beside its value at likely inputs, labelled so.
  for (const id of ['service-level', 'first-short', 'peak-backlog', 'total-cost']) {
    const card = page.getByTestId(`kpi-${id}`);
    assert.match(await card.textContent(), /at likely inputs/, id);
  }
  assert.match(await page.getByTestId('kpi-server-months-short').textContent(), /Server-months short/);
  // The answer is the first thing seen: the summary and the cards are inside the first screen.
  const box = async (sel) => page.locator(sel).first().boundingBox();
  const summary = await box('[data-testid=summary]');
  const cards = await box('[data-testid=kpis]');
  assert.ok(summary.y < 250, `summary at ${summary.y}px`);
  assert.ok(cards.y + cards.height <= 1000, `cards end at ${cards.y + cards.height}px`);
  await page.screenshot({ path: '/tmp/firstscreen-1440.png' });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a change marks the figures as updating, then the new ones arrive; the same scenario gives the same sentence', async () => {
  const { page, context, errors } = await openPage(shared.browser, shared.server.url, { viewport: { width: 1440, height: 1000 } });
  await firstChart(page);
  const s0 = await settledSummary(page);
  await page.getByTestId('lever-adoption-ceiling-slider').fill('0.9');
  await page.waitForFunction(() => document.querySelector('[data-testid=summary]').getAttribute('aria-busy') === 'true');
  const s1 = await settledSummary(page);
  assert.notEqual(s1, s0, 'a higher adoption ceiling changes the risk');
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => document.querySelector('[data-testid=summary]').getAttribute('aria-busy') === 'true');
  assert.equal(await settledSummary(page), s0, 'seeded by the scenario: the same answer again');
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a phone: summary, cards, main chart, then the editor', async () => {
  const { page, context, errors } = await openPage(shared.browser, shared.server.url, { viewport: { width: 390, height: 844 } });
  await firstChart(page);
  await settledSummary(page);
  const top = (sel) => page.locator(sel).first().evaluate((e) => e.getBoundingClientRect().top + window.scrollY);
  const order = [
    await top('[data-testid=summary]'),
    await top('[data-testid=kpis]'),
    await top('[data-testid=chart-supply]'),
    await top('.editor-pane'),
  ];
  assert.deepEqual([...order].sort((a, b) => a - b), order, `tops: ${order}`);
  assert.ok(order[0] < 844, `the summary starts in the first screen (${order[0]}px)`);
  // Nothing wider than the screen.
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 390, `page width ${wide}px`);
  await page.screenshot({ path: '/tmp/firstscreen-390.png' });
  await page.screenshot({ path: '/tmp/firstscreen-390-full.png', fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});
