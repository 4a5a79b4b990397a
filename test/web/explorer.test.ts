/**
 * The explorer in Chromium (issue 26): skip connections coloured by layer pair with a matching
 * legend and routed so they never cross the middle layers' columns, a header that follows the skip
 * mode, labels that do not overlap on a 5-layer net, the view controls (fit, find, PNG/SVG export,
 * the selected neuron in the URL), a bad topology id, and a run's trained weights.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  ARTIFACTS,
  buildTopology,
  prerequisiteMissing,
  startBrowserEnv,
  trainTinyRun,
  type BrowserEnv,
} from './helpers.js';

const missing = prerequisiteMissing();
if (missing && process.env.CI === 'true') throw new Error(`browser test prerequisite: ${missing}`);
const skip = missing ?? false;

let env: BrowserEnv;
let fiveLayers: { id: string };

before(async () => {
  if (skip) return;
  env = await startBrowserEnv('explorer');
  fiveLayers = await buildTopology(env, {
    sizes: [20, 10, 10, 10, 5],
    mode: 'replace',
    n: 60,
    seed: 1,
    name: 'five-layers',
  });
});
after(async () => {
  if (!skip) await env.close();
});

async function openExplorer(page: Page, path: string): Promise<void> {
  await page.goto(`${env.server.url}/#/explorer/${path}`);
  await page.locator('[data-testid=explorer-stage][data-ready=true]').waitFor({ timeout: 30_000 });
}

/** The SVG export of the current view, through the browser's download. */
async function exportedSvg(page: Page): Promise<string> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('[data-testid=export-svg]').click(),
  ]);
  assert.match(download.suggestedFilename(), /\.svg$/);
  return readFileSync((await download.path())!, 'utf8');
}

interface Line {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  stroke: string;
  kind: string;
}
const attr = (tag: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(tag)![1]!;
function svgLines(svg: string): Line[] {
  return [...svg.matchAll(/<line [^>]*>/g)].map(([tag]) => ({
    x1: Number(attr(tag, 'x1')),
    y1: Number(attr(tag, 'y1')),
    x2: Number(attr(tag, 'x2')),
    y2: Number(attr(tag, 'y2')),
    stroke: attr(tag, 'stroke'),
    kind: attr(tag, 'data-kind'),
  }));
}
function svgCircles(svg: string): { cx: number; cy: number }[] {
  return [...svg.matchAll(/<circle [^>]*>/g)].map(([tag]) => ({
    cx: Number(attr(tag, 'cx')),
    cy: Number(attr(tag, 'cy')),
  }));
}
function svgTexts(svg: string): { x: number; y: number; text: string; anchor: string }[] {
  return [...svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)].map(([, tag, text]) => ({
    x: Number(attr(tag!, 'x')),
    y: Number(attr(tag!, 'y')),
    text: text!,
    anchor: /text-anchor="middle"/.test(tag!) ? 'middle' : 'start',
  }));
}

test('skip connections: one colour per layer pair, legend to match, routed around the middle layers', {
  skip,
  timeout: 120_000,
}, async () => {
  const { page, pageErrors } = env;
  await openExplorer(page, fiveLayers.id);
  const graph = await env.api(`/api/topologies/${fiveLayers.id}/graph`);
  const pairs = graph.blocks
    .filter((b: { kind: string }) => b.kind === 'skip')
    .map((b: { from: number; to: number }) => `${b.from}-${b.to}`);
  assert.ok(pairs.length >= 3, `a 5-layer net with skips of several spans: ${pairs.join(', ')}`);
  const legend = new Map<string, string>();
  for (const pair of pairs) {
    legend.set(
      pair,
      (await page.locator(`[data-testid=pair-legend] [data-pair="${pair}"] .swatch`).getAttribute('data-colour'))!,
    );
  }
  assert.equal(new Set(legend.values()).size, pairs.length, `each pair its own colour: ${JSON.stringify([...legend])}`);

  await page.locator('[data-testid=skip-mode]').selectOption('edges');
  const svg = await exportedSvg(page);
  const skipLines = svgLines(svg).filter((l) => l.kind === 'skip');
  assert.ok(skipLines.length >= 3 * graph.skip.src.length, 'each skip connection drawn as three routed segments');
  // Drawn in their pair's legend colour: every pair colour is used, and no other.
  assert.deepEqual(new Set(skipLines.map((l) => l.stroke)), new Set(legend.values()));
  // No segment crosses a column of neurons it does not end at (the routing keeps input→h3 off h1 and h2).
  const circles = svgCircles(svg);
  const columns = [...new Set(circles.map((c) => Math.round(c.cx)))]
    .map((x) => {
      const ys = circles.filter((c) => Math.round(c.cx) === x).map((c) => c.cy);
      return { x, top: Math.min(...ys), bottom: Math.max(...ys) };
    })
    .filter((c) => circles.filter((d) => Math.round(d.cx) === c.x).length >= 5);
  assert.equal(columns.length, 5, `five columns of neurons: ${JSON.stringify(columns)}`);
  for (const l of skipLines) {
    for (const c of columns) {
      const lo = Math.min(l.x1, l.x2),
        hi = Math.max(l.x1, l.x2);
      if (!(lo < c.x - 1 && c.x + 1 < hi)) continue;
      const y = l.y1 + ((l.y2 - l.y1) * (c.x - l.x1)) / (l.x2 - l.x1);
      assert.ok(
        y < c.top - 1 || y > c.bottom + 1,
        `a skip segment crosses the column at x ${c.x}: ${JSON.stringify(l)}`,
      );
    }
  }
  await page.locator('[data-testid=explorer-stage]').screenshot({ path: join(ARTIFACTS, 'explorer-pairs.png') });

  // The header follows the mode both ways (it used to keep saying "bundled").
  const summary = page.locator('[data-testid=explorer-summary]');
  await page.locator('[data-testid=skip-mode]').selectOption('bundles');
  assert.match(await summary.innerText(), /bundled/);
  await page.locator('[data-testid=skip-mode]').selectOption('edges');
  assert.match(await summary.innerText(), /drawn individually/);
  assert.doesNotMatch(await summary.innerText(), /bundled/);

  // Bundles on a 5-layer net: skip bundles in their pair's colours, no label overlapping another.
  await page.locator('[data-testid=skip-mode]').selectOption('bundles');
  const bundled = await exportedSvg(page);
  const bundleColours = new Set(
    svgLines(bundled)
      .filter((l) => l.kind === 'skip-bundle')
      .map((l) => l.stroke),
  );
  assert.deepEqual(bundleColours, new Set(legend.values()));
  const boxes = svgTexts(bundled).map((t) => {
    const width = t.text.length * 6.5;
    const left = t.anchor === 'middle' ? t.x - width / 2 : t.x;
    return { text: t.text, left, right: left + width, top: t.y - 11, bottom: t.y + 2 };
  });
  for (const [i, a] of boxes.entries()) {
    for (const b of boxes.slice(i + 1)) {
      const overlap = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      assert.ok(!overlap, `labels overlap: "${a.text}" and "${b.text}"`);
    }
  }
  await page
    .locator('[data-testid=explorer-stage]')
    .screenshot({ path: join(ARTIFACTS, 'explorer-bundles-5-layers.png') });
  assert.deepEqual(pageErrors, []);
});

test('controls: find a neuron (in the URL), deselect clears it, fit, export PNG', {
  skip,
  timeout: 120_000,
}, async () => {
  const { page, pageErrors } = env;
  await openExplorer(page, fiveLayers.id);
  await page.locator('[data-testid=find-neuron]').fill('25');
  await page.locator('[data-testid=find-neuron-go]').click();
  await page.locator('[data-testid=neuron-info][data-neuron="25"]').waitFor({ timeout: 20_000 });
  await page.waitForURL(/neuron=25/);
  // Reloading the URL selects the neuron again.
  await page.reload();
  await page.locator('[data-testid=neuron-info][data-neuron="25"]').waitFor({ timeout: 20_000 });
  // Fit, then a click on the empty corner of the stage deselects: panel and URL cleared.
  await page.locator('[data-testid=fit-view]').click();
  await page.locator('[data-testid=explorer-stage]').click({ position: { x: 8, y: 8 } });
  await page.locator('[data-testid=neuron-info]:not([data-neuron])').waitFor({ timeout: 10_000 });
  assert.match(await page.locator('[data-testid=neuron-info]').innerText(), /Hover a neuron/);
  assert.doesNotMatch(page.url(), /neuron=/);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('[data-testid=export-png]').click(),
  ]);
  assert.match(download.suggestedFilename(), /^explorer-20-10-10-10-5\.png$/);
  const png = readFileSync((await download.path())!);
  assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
  assert.ok(png.length > 2000, `a PNG with something drawn (${png.length} bytes)`);
  // A neuron index out of range is a readable message, not a selection.
  await page.locator('[data-testid=find-neuron]').fill('999');
  await page.locator('[data-testid=find-neuron-go]').click();
  await page.locator('#error-banner', { hasText: /neuron: expected an integer in \[0, 54\]/ }).waitFor();
  assert.deepEqual(pageErrors, []);
});

test('a bad topology id shows the error and stops loading', { skip, timeout: 60_000 }, async () => {
  const { page } = env;
  await page.goto(`${env.server.url}/#/explorer/no-such-topology`);
  const error = page.locator('[data-testid=explorer-error]');
  await error.waitFor({ timeout: 20_000 });
  assert.match(await error.innerText(), /no-such-topology|not found|no topology/i);
  assert.doesNotMatch(await page.locator('[data-testid=explorer-summary]').innerText(), /loading/);
  assert.equal(await page.locator('[data-testid=explorer-stage]').getAttribute('data-error'), 'true');
});

test('trained weights: a run of this topology, width by |w|, filtered by a threshold in the URL', {
  skip,
  timeout: 240_000,
}, async () => {
  const { page, pageErrors } = env;
  const topology = await buildTopology(env, {
    sizes: [784, 10, 10, 10],
    mode: 'replace',
    n: 40,
    seed: 2,
    name: 'trainable',
  });
  const runId = await trainTinyRun(env, topology.id);
  const weights = await env.api(`/api/runs/${runId}/weights`);
  assert.ok(weights.totalSkip > 0 && weights.skip.weight.length === weights.totalSkip);
  // From the run's own view, its topology link opens the explorer with this run's weights.
  await page.goto(`${env.server.url}/#/runs/${runId}`);
  await page.locator('[data-testid=run-topology-link]').click();
  await page.waitForURL(new RegExp(`#/explorer/${topology.id}\\?run=${runId}`));
  const summary = page.locator(`[data-testid=weights-summary][data-run="${runId}"]`);
  await summary.waitFor({ timeout: 30_000 });
  assert.equal(await summary.getAttribute('data-shown'), String(weights.totalSkip));
  // A threshold at the median |w| keeps the connections at or above it, as the API counts them.
  const sorted = weights.skip.weight.map(Math.abs).sort((a: number, b: number) => a - b);
  const threshold = sorted[Math.floor(sorted.length / 2)];
  await page.locator('[data-testid=weights-threshold]').fill(String(threshold));
  const expected = sorted.filter((w: number) => w >= threshold).length;
  await page.locator(`[data-testid=weights-summary][data-shown="${expected}"]`).waitFor();
  assert.match(page.url(), /minw=/);
  await page.reload();
  await page
    .locator(`[data-testid=weights-summary][data-run="${runId}"][data-shown="${expected}"]`)
    .waitFor({ timeout: 30_000 });
  assert.ok(
    (await page.locator('[data-testid=weights-summary] tr[data-block^="skip:"]').count()) > 0,
    'mean |w| per skip pair',
  );
  await page
    .locator('[data-testid=explorer-stage]')
    .screenshot({ path: join(ARTIFACTS, 'explorer-trained-weights.png') });
  assert.deepEqual(pageErrors, []);
});
