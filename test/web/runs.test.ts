/**
 * The Runs page in Chromium (issue 26), on runs filed directly in the store (the page reads runs;
 * training is covered by e2e.test.ts): empty cards stay hidden, Fig. 5 defaults to the sweep's last
 * epoch (and keeps its choice in the URL), a scatter point opens its run, tooltips read in the axis
 * unit, and a run's own view (#/runs/<id>) shows its topology's metrics and links to the explorer.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, buildTopology, prerequisiteMissing, startBrowserEnv, type BrowserEnv } from './helpers.js';

const missing = prerequisiteMissing();
if (missing && process.env.CI === 'true') throw new Error(`browser test prerequisite: ${missing}`);
const skip = missing ?? false;

let env: BrowserEnv;
const runs: string[] = [];
const topologies: string[] = [];

before(async () => {
  if (skip) return;
  env = await startBrowserEnv('runs');
  const store = env.server.context.store;
  const sweepId = await store.createSweep({ name: 'seeded', config: { values: [0.02, 0.05], seeds: [0], epochs: 3 } });
  for (const [i, p] of [0.02, 0.05].entries()) {
    const topology = await buildTopology(env, { sizes: [20, 10, 10, 5], mode: 'replace', p, seed: i, name: `p${p}` });
    topologies.push(topology.id);
    const config = { epochs: 3, data: { train: 40 }, train: { batchSize: 20 } };
    const runId = await store.createRun({ topologyId: topology.id, sweepId, config, seed: 0, status: 'done' });
    for (const epoch of [1, 2, 3]) {
      await store.addEpoch(runId, {
        epoch,
        trainError: 0.5 - 0.1 * epoch - i / 100,
        evalError: 0.55 - 0.1 * epoch,
        durationMs: 50,
      });
    }
    runs.push(runId);
  }
});
after(async () => {
  if (!skip) await env.close();
});

test('runs list: empty cards hidden, Fig. 5 at the last epoch, a scatter point opens its run', {
  skip,
  timeout: 90_000,
}, async () => {
  const { page, pageErrors } = env;
  await page.goto(`${env.server.url}/#/runs`);
  await page.locator('[data-testid=runs-table] tbody tr[data-run]').nth(1).waitFor({ timeout: 20_000 });
  // No job was started from this server and nothing is ticked: those cards are not shown.
  assert.equal(await page.locator('[data-testid=jobs-card]').isVisible(), false);
  assert.equal(await page.locator('[data-testid=compare]').isVisible(), false);
  // Fig. 5 opens at the sweep's last epoch (3), not epoch 1.
  const sweep = page.locator('[data-testid=sweep-section][data-epoch="3"]');
  await sweep.waitFor({ timeout: 20_000 });
  assert.equal(await page.locator('[data-testid=sweep-epoch]').inputValue(), '3');
  await page.locator('[data-testid=sweep-plot][data-points="2"]').waitFor({ timeout: 20_000 });
  // Ticking two runs shows the comparison.
  await page.locator(`input[data-compare="${runs[0]}"]`).check();
  await page.locator(`input[data-compare="${runs[1]}"]`).check();
  await page.locator('[data-testid=compare] h2', { hasText: 'Compare 2 runs' }).waitFor({ timeout: 20_000 });
  // A chosen epoch is kept in the URL.
  await page.locator('[data-testid=sweep-epoch]').fill('2');
  await page.locator('[data-testid=sweep-epoch]').dispatchEvent('change');
  await page.locator('[data-testid=sweep-section][data-epoch="2"]').waitFor();
  assert.match(page.url(), /k=2/);

  // The scatter: the tooltip reads in the axis unit (errors in %), and a click on a point opens its run.
  const scatter = page.locator('[data-testid=scatter-section]');
  await scatter.waitFor({ timeout: 20_000 });
  await page.locator('[data-testid=scatter-metric]').selectOption('p');
  const point = page.locator('[data-testid=scatter-plot] svg .mark-symbol path').first();
  await point.waitFor({ timeout: 20_000 });
  await point.hover();
  const tooltip = page.locator('#vg-tooltip-element');
  await tooltip.filter({ hasText: /final training error\s*\d+(\.\d+)?%/ }).waitFor({ timeout: 10_000 });
  assert.match(await tooltip.innerText(), /p\s*\d+(\.\d+)?%/);
  await point.click();
  await page.waitForURL(/#\/runs\/[^?]+$/);
  await page.locator('[data-testid=run-view][data-ready=true]').waitFor({ timeout: 20_000 });
  assert.ok(runs.includes((await page.locator('[data-testid=run-view]').getAttribute('data-run'))!));
  assert.deepEqual(pageErrors, []);
});

test("a run in its own view: its own URL, its topology's metrics, a link to the explorer", {
  skip,
  timeout: 60_000,
}, async () => {
  const { page, pageErrors } = env;
  await page.goto(`${env.server.url}/#/runs`);
  await page.locator(`[data-testid=runs-table] tr[data-run="${runs[1]}"]`).click();
  await page.waitForURL(new RegExp(`#/runs/${runs[1]}$`));
  const view = page.locator('[data-testid=run-view][data-ready=true]');
  await view.waitFor({ timeout: 20_000 });
  // Nothing of the list page is below the run.
  assert.equal(await page.locator('[data-testid=runs-table]').count(), 0);
  assert.equal(await page.locator('[data-testid=compare]').count(), 0);
  const topology = await env.api(`/api/topologies/${topologies[1]}`);
  const metrics = page.locator('[data-testid=run-topology-metrics]');
  assert.equal(await metrics.locator('td[data-metric]').count(), Object.keys(topology.metrics).length);
  assert.ok((await metrics.locator('td[data-metric="L"]').count()) === 1, 'L among the metrics');
  assert.equal(
    await page.locator('[data-testid=run-topology-link]').getAttribute('href'),
    `#/explorer/${encodeURIComponent(topologies[1]!)}?run=${encodeURIComponent(runs[1]!)}`,
  );
  await page.locator('[data-testid=error-curve][data-points="6"]').waitFor({ timeout: 20_000 });
  await page.screenshot({ path: join(ARTIFACTS, 'run-view.png'), fullPage: true });
  // The URL alone opens it (shared or reloaded).
  await page.reload();
  await page.locator(`[data-testid=run-view][data-run="${runs[1]}"][data-ready=true]`).waitFor({ timeout: 20_000 });
  // Back to the list.
  await page.locator('[data-testid=back-to-runs]').click();
  await page.locator('[data-testid=runs-table] tbody tr[data-run]').first().waitFor({ timeout: 20_000 });
  assert.deepEqual(pageErrors, []);
});
