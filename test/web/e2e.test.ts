/**
 * Browser end to end: the built web app served by the real server (temporary SQLite store),
 * driven by playwright-core in Debian's Chromium, headless. Build a tiny topology, start a tiny
 * run and watch its error curve grow over Server-Sent Events, then open the explorer and check
 * the WebGL canvas has drawn something. Screenshots go to test-artifacts/.
 *
 * Under CI=true a missing Chromium or an unbuilt web app is a failure, not a skip.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { loadConfig } from '../../src/config.js';
import { startServer } from '../../server/start.js';
import { repoRoot, webDistDir } from '../../server/paths.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(repoRoot(), 'test-artifacts');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // WebGL without a GPU: sigma draws through SwiftShader, which newer Chromium only allows when asked.
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

function prerequisiteMissing(): string | null {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing (apt-get install chromium; .ci/run does it)`;
  if (!existsSync(join(webDistDir(), 'index.html'))) return 'web/dist is not built (npm run build)';
  return null;
}

/** Count pixels of a screenshot that are not (near) white, decoded by the browser itself. */
async function inkedPixels(page: Page, png: Buffer): Promise<number> {
  // A string expression: this code runs in the browser (DOM types are not in the Node tsconfig).
  return page.evaluate(`(async (b64) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + b64;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, img.width, img.height).data;
    let inked = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < 230 || data[i + 1] < 230 || data[i + 2] < 230) inked++;
    return inked;
  })(${JSON.stringify(png.toString('base64'))})`) as Promise<number>;
}

/**
 * Records, in the page, every value the attribute of the element matching `selector` takes from
 * now on (the element may be replaced), so no state drawn in between is missed, however short.
 */
async function recordAttribute(page: Page, selector: string, attributes: string[]): Promise<() => Promise<string[]>> {
  const key = `${selector} ${attributes.join(' ')}`;
  // A string expression: this code runs in the browser (DOM types are not in the Node tsconfig).
  await page.evaluate(`(() => {
    const history = ((window.__recorded ??= {})[${JSON.stringify(key)}] = []);
    const read = () => {
      const el = document.querySelector(${JSON.stringify(selector)});
      if (!el || !el.hasAttribute(${JSON.stringify(attributes[0])})) return;
      const value = ${JSON.stringify(attributes)}.map((a) => el.getAttribute(a)).join('/');
      if (history.at(-1) !== value) history.push(value);
    };
    read();
    new MutationObserver(read).observe(document.body, { subtree: true, childList: true, attributes: true });
  })()`);
  return () => page.evaluate(`window.__recorded[${JSON.stringify(key)}]`) as Promise<string[]>;
}

/** The explorer stage's count of frames drawn (web/src/explorer/renderer.ts). */
const FRAMES = `Number(document.querySelector('[data-testid=explorer-stage]').dataset.frames)`;

test('build a topology, train it live, compare runs, sweep, explore it — in Chromium', {
  timeout: 420_000,
}, async (t) => {
  const missing = prerequisiteMissing();
  if (missing) {
    if (process.env.CI === 'true') assert.fail(`browser e2e prerequisite: ${missing}`);
    t.skip(missing);
    return;
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'eqprop-e2e-'));
  const config = loadConfig(
    { dataDir: dir, sqlitePath: join(dir, 'eqprop.db'), store: 'sqlite', host: '127.0.0.1', port: 0 },
    {},
  );
  const server = await startServer(config);
  const context = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 1000 },
  });
  const pageErrors: string[] = [];
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${server.url}/`);
    await page.waitForSelector('[data-testid=build-form]');

    // 1. Build a tiny layer-skipping topology through the form.
    const form = page.locator('[data-testid=build-form]');
    await form.locator('input[name=sizes]').fill('784,10,10');
    await form.locator('select[name=mode]').selectOption('replace');
    await form.locator('select[name=which]').selectOption('n');
    await form.locator('input[name=amount]').fill('300');
    await form.locator('input[name=name]').fill('e2e-tiny');
    await form.locator('button[type=submit]').click();
    const status = page.locator('[data-testid=build-status]');
    await status.filter({ hasText: 'built' }).waitFor({ timeout: 30_000 });
    const topologyId = await status.getAttribute('data-id');
    assert.ok(topologyId);
    await page.locator(`[data-testid=topology-table] tr[data-id="${topologyId}"]`).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'topologies.png'), fullPage: true });

    // 2. Start a tiny run from the UI, open it from its job and watch its error curve grow epoch by epoch.
    const runsList = `${server.url}/#/runs?topology=${encodeURIComponent(topologyId)}`;
    const runForm = page.locator('[data-testid=run-form]');
    /** The run form, filled in on the list page (it starts from its defaults on every visit). */
    const startRun = async (fields: Record<string, string>) => {
      if (!(await runForm.isVisible())) await page.goto(runsList);
      await runForm.waitFor();
      const all = { epochs: '5', train: '400', eval: '20', freeSteps: '80', clampedSteps: '4', ...fields };
      for (const [name, value] of Object.entries(all)) await runForm.locator(`input[name=${name}]`).fill(value);
      const before = await page.locator('[data-testid=jobs] .job').count();
      await runForm.locator('button[type=submit]').click();
      await page.locator('[data-testid=jobs] .job').nth(before).waitFor({ timeout: 20_000 });
      return page.locator('[data-testid=jobs] .job').first();
    };
    await page.goto(runsList);
    const firstJob = await startRun({});
    const runLink = firstJob.locator('[data-testid=job-run]');
    await runLink.waitFor({ timeout: 30_000 });
    await runLink.click();
    await page.waitForURL(/#\/runs\/[^?]+/);
    const runView = page.locator('[data-testid=run-view]');
    const curveHistory = await recordAttribute(page, '[data-testid=error-curve]', ['data-points']);
    await page
      .locator('[data-testid=run-view]:is([data-status=done], [data-status=failed], [data-status=cancelled])')
      .waitFor({ timeout: 90_000 });
    assert.equal(await runView.getAttribute('data-status'), 'done');
    await page.locator('[data-testid=error-curve][data-points="10"]').waitFor({ timeout: 20_000 });
    const seen = (await curveHistory()).map(Number);
    // 5 epochs × (train, eval) = 10 points; at least one intermediate state was drawn on the way.
    const grown = seen.filter((n) => n > 0);
    assert.ok(
      grown.length >= 2 && grown.at(-1) === 10 && grown[0]! < 10,
      `error curve points over time: ${seen.join(' → ')}`,
    );
    assert.ok(
      (await page.locator('[data-testid=error-curve] svg.marks').count()) > 0,
      'the curve is an embedded Vega view',
    );
    await page.locator('[data-testid=rate-plot] svg.marks').waitFor({ timeout: 10_000 });
    // The outcome the CLI report computes: 400 images in batches of 20 are 20 batches, one block
    // spanning the epoch, so the block's error is the last epoch's training error, as a percentage.
    const outcome = page.locator('[data-testid=run-outcome]');
    await outcome.locator('[data-testid=block-error]').first().waitFor({ timeout: 10_000 });
    const lastEpoch = (await server.context.store.listEpochs((await outcome.getAttribute('data-run'))!)).at(-1)!;
    const blockError = `${(lastEpoch.trainError * 100).toFixed(2)} %`;
    await outcome.locator('[data-testid=block-error]', { hasText: blockError }).waitFor({ timeout: 10_000 });
    assert.equal(await outcome.locator('[data-testid=block-error]').count(), 1, 'one block');
    const meanRates = await outcome.locator('[data-testid=pair-rates] td').count();
    assert.equal(meanRates, 2, "a mean rate for each of 784-10-10's pairs");
    await page.screenshot({ path: join(ARTIFACTS, 'runs.png'), fullPage: true });

    // A long run started from the UI is cancelled from the UI once it reports progress; the browser
    // never tells the user to press Ctrl-C (the child's terminal advice).
    await page.goto(runsList);
    const longJob = await startRun({ epochs: '500' });
    // Progress is a batch line ("epoch 1, batch 3/20, …") or, as soon as an epoch ends, an epoch line
    // ("epoch 1 done: …"); this tiny net's epochs are short enough that a poll can miss every batch line.
    await longJob.locator('.job-text', { hasText: /^epoch \d+(, batch| done)/ }).waitFor({ timeout: 30_000 });
    await longJob.locator('[data-testid=cancel-job]').click();
    await page.locator('[data-testid=jobs] .job[data-status=cancelled]').waitFor({ timeout: 30_000 });
    assert.doesNotMatch(await page.locator('[data-testid=jobs]').innerText(), /Ctrl-C/);

    // 2b. A one-epoch run draws its points (a line needs two), on an integer epoch axis.
    const oneEpochJob = await startRun({ epochs: '1' });
    await oneEpochJob.and(page.locator('[data-status=done]')).waitFor({ timeout: 60_000 });
    const oneEpochRun = await oneEpochJob.locator('[data-testid=job-run]').getAttribute('data-run');
    await page.goto(`${server.url}/#/runs/${oneEpochRun}`);
    await page.locator('[data-testid=error-curve][data-points="2"]').waitFor({ timeout: 20_000 });
    assert.ok(
      (await page.locator('[data-testid=error-curve] svg .mark-symbol path').count()) >= 2,
      'one-epoch curve shows its points',
    );
    await page.goto(runsList);

    // 2c. The run table: sort by a column, filter, then compare two runs (and deep-link to them).
    const table = page.locator('[data-testid=runs-table]');
    await table.locator('tbody tr[data-run]').nth(2).waitFor({ timeout: 20_000 });
    await table.locator('th[data-sort=epochs]').click(); // ascending
    await table.locator('th[data-sort=epochs]').click(); // descending
    const epochsColumn = 1 + 7; // tick box, then run, status, mode, sizes, p, seed, epochs
    assert.match(
      await table
        .locator('tbody tr')
        .first()
        .locator('td')
        .nth(epochsColumn - 1)
        .innerText(),
      /^5\/5$/,
    );
    await table.locator('[data-testid=run-filter-status]').selectOption('cancelled');
    assert.equal(await table.locator('tbody tr[data-run]').count(), 1);
    assert.match(await table.locator('tbody tr').first().innerText(), /cancelled/);
    // Filters and sort are in the URL: a reload shows the same table.
    assert.match(page.url(), /status=cancelled/);
    assert.match(page.url(), /sort=-epochs/);
    await page.reload();
    await table.locator('tbody tr[data-run]').first().waitFor({ timeout: 20_000 });
    assert.equal(await table.locator('[data-testid=run-filter-status]').inputValue(), 'cancelled');
    assert.equal(await table.locator('tbody tr[data-run]').count(), 1);
    assert.equal(await table.locator('th[data-sort=epochs]').getAttribute('aria-sort'), 'descending');
    await table.locator('[data-testid=run-filter-status]').selectOption('');
    await table.locator('[data-testid=run-filter-metric]').fill('epochs>=5');
    assert.equal(await table.locator('tbody tr[data-run]').count(), 1);
    const fiveEpochRun = await table.locator('tbody tr[data-run]').first().getAttribute('data-run');
    await table.locator('[data-testid=run-filter-metric]').fill('');
    await table.locator('[data-testid=run-search]').fill(fiveEpochRun!.slice(0, 8));
    assert.equal(await table.locator('tbody tr[data-run]').count(), 1);
    await table.locator('[data-testid=run-search]').fill('');
    await page.screenshot({ path: join(ARTIFACTS, 'runs-table.png'), fullPage: false });
    assert.ok(oneEpochRun && oneEpochRun !== fiveEpochRun);
    await table.locator(`input[data-compare="${fiveEpochRun}"]`).check();
    await table.locator(`input[data-compare="${oneEpochRun}"]`).check();
    const compare = page.locator('[data-testid=compare]');
    await compare.locator('[data-testid=compare-diff] tr[data-key=epochs]').waitFor({ timeout: 20_000 });
    assert.match(await compare.locator('tr[data-key=epochs]').innerText(), /5\s+1|1\s+5/);
    assert.doesNotMatch(
      await compare.locator('[data-testid=compare-diff]').innerText(),
      /train\.epsilon/,
      'only differing keys',
    );
    await compare.locator('[data-testid=compare-error-plot][data-points="12"]').waitFor({ timeout: 20_000 });
    await compare.locator('[data-testid=compare-rate-plot] svg.marks').nth(1).waitFor({ timeout: 20_000 });
    assert.match(page.url(), /#\/runs\?.*compare=/);
    await compare.screenshot({ path: join(ARTIFACTS, 'runs-compare.png') });
    await page.goto(`${server.url}/#/runs?compare=${fiveEpochRun!.slice(0, 8)},${oneEpochRun!.slice(0, 8)}`);
    await page.locator('[data-testid=compare] h2', { hasText: 'Compare 2 runs' }).waitFor({ timeout: 20_000 });

    // 2d. A 3-run sweep fills in: "k of 3 runs done" counts up and its Fig. 5 points appear.
    const sweepForm = page.locator('[data-testid=sweep-form]');
    await sweepForm.locator('input[name=values]').fill('0,0.05,0.1');
    await sweepForm.locator('input[name=name]').fill('e2e-sweep');
    await sweepForm.locator('input[name=epochs]').fill('1');
    await sweepForm.locator('input[name=train]').fill('200');
    await sweepForm.locator('input[name=eval]').fill('20');
    await sweepForm.locator('input[name=freeSteps]').fill('40');
    await sweepForm.locator('input[name=clampedSteps]').fill('4');
    const sweepHistory = await recordAttribute(page, '[data-testid=sweep-progress]', ['data-done', 'data-planned']);
    await sweepForm.locator('button[type=submit]').click();
    await page.locator('[data-testid=sweep-progress][data-done="3"][data-planned="3"]').waitFor({ timeout: 120_000 });
    // "done/planned" values; the planned count is known once the sweep's plan has loaded.
    const doneCounts = (await sweepHistory()).filter((v) => v.endsWith('/3')).map((v) => v.split('/')[0]!);
    assert.ok(
      doneCounts.some((d) => d === '1' || d === '2'),
      `progress was seen part-way: ${doneCounts.join(' → ')}`,
    );
    await page.locator('[data-testid=sweep-plot][data-points="3"]').waitFor({ timeout: 20_000 });
    // Held-out error beside the training error against p.
    await page.locator('[data-testid=sweep-plot] svg', { hasText: 'held-out (eval)' }).waitFor({ timeout: 20_000 });

    // 2e. Options beyond the paper from the run form: shown on the run page; the removal of the skips
    // after epoch 1 is noted on epoch 2 and drawn as a dashed rule on the rate plot.
    await runForm.locator('[data-testid=beyond-paper] summary').click();
    await runForm.locator('select[name=nudging]').selectOption('symmetric');
    await runForm.locator('input[name=targetFeedback]').fill('1:0.5');
    await runForm.locator('input[name=removeSkipsAfter]').fill('1');
    await runForm.locator('input[name=extraInit]').fill('zero');
    const newestJob = await startRun({ epochs: '2' });
    await newestJob.and(page.locator('[data-status=done]')).waitFor({ timeout: 60_000 });
    await newestJob.locator('[data-testid=job-run]').click();
    const options = page.locator('[data-testid=run-options]');
    await options.waitFor({ timeout: 20_000 });
    assert.equal(
      await options.innerText(),
      'Beyond the paper: nudging symmetric; ' +
        'target feedback h1 density 0.5 scale 0.05; remove skips after epoch 1; extra init zero',
    );
    const epochTwo = page.locator('[data-testid=epoch-table] tr[data-epoch="2"]', { hasText: 'skips removed' });
    await epochTwo.waitFor({ timeout: 20_000 });
    assert.doesNotMatch(await page.locator('[data-testid=epoch-table] tr[data-epoch="1"]').innerText(), /removed/);
    // A vertical line has no width, so Playwright never calls it visible: attached is what can be asked.
    const rule = page.locator('[data-testid=rate-plot] svg [stroke-dasharray="5,3"]').first();
    await rule.waitFor({ state: 'attached', timeout: 20_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'runs-beyond-paper.png'), fullPage: true });

    // 3. The explorer draws the topology on its WebGL canvas.
    await page.goto(`${server.url}/#/explorer/${encodeURIComponent(topologyId)}`);
    await page.locator('[data-testid=explorer-stage][data-ready=true][data-frames]').waitFor({ timeout: 20_000 });
    const stage = page.locator('[data-testid=explorer-stage]');
    const shot = await stage.screenshot({ path: join(ARTIFACTS, 'explorer.png') });
    const inked = await inkedPixels(page, shot);
    const box = (await stage.boundingBox())!;
    assert.ok(
      inked > 0.01 * box.width * box.height,
      `explorer canvas looks blank: ${inked} inked pixels of ${Math.round(box.width * box.height)}`,
    );
    // Filtering skip connections off removes ink (the individual skip edges).
    const framesBefore = Number(await stage.getAttribute('data-frames'));
    await page.locator('[data-testid=show-skip]').uncheck();
    await page.waitForFunction(`${FRAMES} > ${framesBefore}`, undefined, { timeout: 10_000 }); // drawn without them
    const withoutSkip = await inkedPixels(page, await stage.screenshot());
    assert.ok(withoutSkip < inked, `hiding skip connections changed nothing (${withoutSkip} vs ${inked} inked pixels)`);
    await page.screenshot({ path: join(ARTIFACTS, 'explorer-page.png'), fullPage: true });

    // 4. Selecting a neuron (deep link) shows its degree by kind, as the API computes it.
    const hidden = 784 + 6;
    await page.goto(`${server.url}/#/explorer/${encodeURIComponent(topologyId)}?neuron=${hidden}`);
    await page.locator(`[data-testid=neuron-info][data-neuron="${hidden}"]`).waitFor({ timeout: 20_000 });
    const shown = await page.locator('[data-testid=neuron-info] [data-testid=neuron-degree]').innerText();
    const api = (await (
      await fetch(`${server.url}/api/topologies/${encodeURIComponent(topologyId)}/neurons/${hidden}`)
    ).json()) as { degree: Record<string, number> };
    assert.equal(
      shown,
      `degree ${api.degree.total}: ${api.degree.adjacent} adjacent, ${api.degree.intralayer} intralayer, ` +
        `${api.degree.skip} skip`,
    );
    assert.ok(
      api.degree.adjacent > 0 && api.degree.total === api.degree.adjacent + api.degree.intralayer + api.degree.skip,
      `hidden neuron degree ${JSON.stringify(api.degree)}`,
    );
    await page.screenshot({ path: join(ARTIFACTS, 'explorer-neuron.png'), fullPage: true });

    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  } finally {
    await context.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('off loopback the app asks for the token once and then works', { timeout: 60_000 }, async (t) => {
  const missing = prerequisiteMissing();
  if (missing) {
    if (process.env.CI === 'true') assert.fail(`browser e2e prerequisite: ${missing}`);
    t.skip(missing);
    return;
  }
  const token = 'e2e-token-0123456789abcdef';
  const dir = mkdtempSync(join(tmpdir(), 'eqprop-e2e-token-'));
  const config = loadConfig(
    { dataDir: dir, sqlitePath: join(dir, 'eqprop.db'), store: 'sqlite', host: '0.0.0.0', port: 0, token },
    {},
  );
  const server = await startServer(config);
  const context = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const prompts: string[] = [];
    page.on('dialog', (dialog) => {
      prompts.push(dialog.message());
      void dialog.accept(token);
    });
    await page.goto(`http://127.0.0.1:${server.port}/`);
    await page.locator('#store-info', { hasText: 'store: sqlite' }).waitFor({ timeout: 20_000 });
    await page.locator('[data-testid=topology-list]', { hasText: 'No topologies yet' }).waitFor({ timeout: 20_000 });
    assert.equal(prompts.length, 1, `prompted ${prompts.length} times`);
    assert.match(prompts[0]!, /access token/);
  } finally {
    await context.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
