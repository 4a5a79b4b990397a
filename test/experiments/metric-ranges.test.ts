/**
 * One metric-range syntax (src/experiments/summarise/metric-ranges.ts) for the CLI and the API: name:min:max,
 * inclusive, either bound empty; an unknown metric is refused with the list of valid names.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../lib/errors.js';
import { parseMetricRanges } from '../../src/experiments/summarise/metric-ranges.js';
import { cliEnv, runCli, tempDir } from './helpers.js';
import { loadConfig } from '../../src/config.js';
import { startServer } from '../../server/start.js';
import { join } from 'node:path';
import { rmSync } from 'node:fs';

test('name:min:max entries, comma-separated or repeated, patterned names accepted', () => {
  const r = parseMetricRanges(['L:1.4:1.6,sigma:1:', 'log10Walks.l0::12.5', 'pair.l0.l3:10:'], '--metric');
  assert.deepEqual(
    { ...r },
    { L: { min: 1.4, max: 1.6 }, sigma: { min: 1 }, 'log10Walks.l0': { max: 12.5 }, 'pair.l0.l3': { min: 10 } },
  );
  assert.equal(Object.getPrototypeOf(r), null);
});

test('an unknown metric, a bad number or min above max is refused naming the field and the valid names', () => {
  assert.throws(
    () => parseMetricRanges('Lx:1:2', 'where'),
    (e: unknown) => e instanceof InputError && e.field === 'where' && /log10Walks\.l<k>/.test(e.message),
  );
  assert.throws(() => parseMetricRanges('L:0x1:2', '--metric'), /not a decimal number/);
  assert.throws(() => parseMetricRanges('L:2:1', '--metric'), /above max/);
  assert.throws(() => parseMetricRanges('L>=1', '--metric'), /name:min:max/);
});

test('CLI flags and the API query string refuse the same unknown metric', { timeout: 60_000 }, async () => {
  const dir = tempDir();
  try {
    const env = cliEnv(dir);
    const topo = await runCli(['topology', 'build', '--sizes', '6,4,3', '--mode', 'replace', '--n', '2'], env);
    assert.equal(topo.code, 0, topo.stderr);
    const list = await runCli(['topology', 'list', '--metric', 'sigmaa:1:2'], env);
    assert.equal(list.code, 2);
    assert.match(list.stderr, /--metric: unknown metric "sigmaa"; expected one of .*sigma/);
    const runs = await runCli(['runs', 'list', '--metric-range', 'sigmaa:1:2'], env);
    assert.equal(runs.code, 2);
    assert.match(runs.stderr, /unknown metric "sigmaa"/);
    const server = await startServer(
      loadConfig({ dataDir: dir, sqlitePath: join(dir, 'eqprop.db'), store: 'sqlite', host: '127.0.0.1', port: 0 }, {}),
    );
    try {
      const response = await fetch(`${server.url}/api/topologies?where=sigmaa:1:2`);
      assert.equal(response.status, 400);
      assert.match(JSON.stringify(await response.json()), /unknown metric/);
      assert.equal((await fetch(`${server.url}/api/topologies?where=L:1:2`)).status, 200);
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
