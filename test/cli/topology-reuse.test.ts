/** `topology build` and `train` name a spec and seed with one id: building it twice stores one topology. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import { topologyIdFor } from '../../src/experiments/plan/ids.js';
import { validateSpec } from '../../graph/index.js';
import { cliEnv, runCli, tempDir } from '../experiments/helpers.js';

test('the same spec and seed built twice is one stored topology, under the id train gives it', async () => {
  const dir = tempDir();
  try {
    const env = cliEnv(dir);
    const args = ['topology', 'build', '--sizes', '20,10,10,5', '--p', '0.1', '--seed', '3'];
    const expected = topologyIdFor(validateSpec({ sizes: [20, 10, 10, 5], mode: 'replace', p: 0.1, seed: 3 }));
    const first = await runCli(args, env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, new RegExp(`^saved\\s+${expected} in `, 'm'));
    const second = await runCli([...args, '--metrics'], env);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, new RegExp(`^reused\\s+${expected} in .*metrics updated`, 'm'));
    const store = SqliteStore.open(join(dir, 'eqprop.db'));
    try {
      const all = await store.listTopologies();
      assert.deepEqual(
        all.map((t) => t.id),
        [expected],
      );
      assert.ok(Object.keys(all[0]!.metrics).length > 0, "the second build's metrics were kept");
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
