/**
 * The Query and Topologies pages in Chromium (issue 26): the topology table sorts by any column,
 * shows name, seed, σ and ω, keeps its order in the URL and its action buttons on one line; the
 * query form takes p in %, names an unknown metric with the valid ones, reads a bad number back as
 * a message and clears stale results, and links each result to its runs and their errors.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, buildTopology, prerequisiteMissing, startBrowserEnv, type BrowserEnv } from './helpers.js';

const missing = prerequisiteMissing();
if (missing && process.env.CI === 'true') throw new Error(`browser test prerequisite: ${missing}`);
const skip = missing ?? false;

let env: BrowserEnv;
const ids: Record<string, string> = {};

before(async () => {
  if (skip) return;
  env = await startBrowserEnv('query');
  ids.two = (
    await buildTopology(env, {
      sizes: [20, 10, 10, 5],
      mode: 'replace',
      p: 0.02,
      seed: 3,
      name: 'two-percent',
      smallWorldSamples: 2,
    })
  ).id;
  ids.five = (
    await buildTopology(env, { sizes: [20, 10, 10, 5], mode: 'replace', p: 0.05, seed: 1, name: 'five-percent' })
  ).id;
  ids.layered = (await buildTopology(env, { sizes: [20, 10, 10, 5], mode: 'layered', seed: 2, name: 'layered' })).id;
  // A finished run of the 2 % topology, filed directly in the store (the page reads runs, it does not train them).
  const store = env.server.context.store;
  const runId = await store.createRun({ topologyId: ids.two!, config: { epochs: 1 }, seed: 0, status: 'done' });
  await store.addEpoch(runId, { epoch: 1, trainError: 0.25, evalError: 0.3, durationMs: 100 });
});
after(async () => {
  if (!skip) await env.close();
});

test('topologies: sort by any column (in the URL), name, seed, σ and ω shown, actions on one line', {
  skip,
  timeout: 90_000,
}, async () => {
  const { page, pageErrors } = env;
  await page.goto(`${env.server.url}/#/topologies`);
  const table = page.locator('[data-testid=topology-table]');
  await table.locator(`tr[data-id="${ids.two}"]`).waitFor({ timeout: 20_000 });
  const headers = await table.locator('thead th').allInnerTexts();
  for (const name of ['name', 'seed', 'σ', 'ω'])
    assert.ok(
      headers.some((t) => t.startsWith(name)),
      `${name} in ${headers.join('|')}`,
    );
  const seedColumn = headers.findIndex((t) => t.startsWith('seed'));
  const seeds = async () =>
    await table
      .locator('tbody tr')
      .evaluateAll(
        (rows, i) =>
          rows.map((r) => (r as unknown as { cells: { textContent: string }[] }).cells[i as number]!.textContent),
        seedColumn,
      );
  await table.locator('th[data-sort=seed]').click();
  await table.locator('th[data-sort=seed][aria-sort]').first().waitFor();
  const firstOrder = await seeds();
  assert.ok(['1,2,3', '3,2,1'].includes(firstOrder.join(',')), `sorted by seed: ${firstOrder}`);
  await page.locator('[data-testid=topology-table] th[data-sort=seed]').click();
  assert.deepEqual(await seeds(), [...firstOrder].reverse(), 'a second click reverses');
  assert.match(page.url(), /sort=-?seed/);
  const sorted = await seeds();
  await page.reload();
  await table.locator(`tr[data-id="${ids.two}"]`).waitFor({ timeout: 20_000 });
  assert.deepEqual(await seeds(), sorted, 'the order survives a reload');
  // σ and ω of the topology built with small-world samples.
  const sigmaColumn = headers.findIndex((t) => t.startsWith('σ'));
  const sigma = await table.locator(`tr[data-id="${ids.two}"] td`).nth(sigmaColumn).innerText();
  assert.match(sigma, /\d/);
  // The three action buttons share one line.
  const tops = await table
    .locator(`tr[data-id="${ids.two}"] td.actions > *`)
    .evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
  assert.equal(tops.length, 3);
  assert.equal(new Set(tops).size, 1, `action buttons on one line: tops ${tops}`);
  await page.screenshot({ path: join(ARTIFACTS, 'topologies-sorted.png'), fullPage: true });
  assert.deepEqual(pageErrors, []);
});

test('query: p in %, unknown metric lists the names, bad number is a message, results link to runs', {
  skip,
  timeout: 90_000,
}, async () => {
  const { page, pageErrors } = env;
  await page.goto(`${env.server.url}/#/query`);
  const form = page.locator('[data-testid=filter-form]');
  const results = page.locator('[data-testid=query-results]');
  const error = page.locator('[data-testid=query-error]');
  await form.locator('input[name=pMin]').fill('1');
  await form.locator('input[name=pMax]').fill('3');
  await form.locator('button[type=submit]').click();
  await results.locator(`tr[data-id="${ids.two}"]`).waitFor({ timeout: 20_000 });
  assert.equal(await results.locator('tbody tr').count(), 1, 'p from 1 % to 3 % is the 2 % topology only');
  // The result links to its runs (the run table filtered to this topology) with their errors.
  assert.match(await results.locator('[data-testid=result-errors]').innerText(), /best train 25\.00 %, eval 30\.00 %/);
  assert.equal(
    await results.locator('[data-testid=result-runs]').getAttribute('href'),
    `#/runs?q=${encodeURIComponent(ids.two!)}`,
  );
  // The form's state is in the URL: reloading runs the same query.
  assert.match(page.url(), /pMin=1&pMax=3/);
  await page.reload();
  await page.locator(`[data-testid=query-results] tr[data-id="${ids.two}"]`).waitFor({ timeout: 20_000 });

  // An unknown metric: the message lists the valid names, and the old results are gone.
  await form.locator('[data-testid=query-metric0]').fill('Lx');
  await form.locator('button[type=submit]').click();
  await error.waitFor();
  assert.match(await error.innerText(), /unknown metric "Lx".*\bL\b.*\bsigma\b/s);
  assert.equal(await results.locator('tr').count(), 0, 'stale results cleared');
  // The picker suggests the stored metric names.
  const options = await page
    .locator('datalist#metric-names option')
    .evaluateAll((o) => o.map((x) => (x as unknown as { value: string }).value));
  assert.ok(options.includes('L') && options.includes('omega'), `picker options: ${options}`);

  // A bad number: a readable message naming the field.
  await form.locator('[data-testid=query-metric0]').fill('');
  await form.locator('input[name=pMin]').fill('abc');
  await form.locator('button[type=submit]').click();
  await error.filter({ hasText: "p from: 'abc' is not a number" }).waitFor();
  assert.equal(await results.locator('tr').count(), 0);
  // Corrected, it works again and the message goes.
  await form.locator('input[name=pMin]').fill('4');
  await form.locator('input[name=pMax]').fill('');
  await form.locator('button[type=submit]').click();
  await results.locator(`tr[data-id="${ids.five}"]`).waitFor({ timeout: 20_000 });
  assert.equal(await error.isVisible(), false);
  assert.deepEqual(pageErrors, []);
});
