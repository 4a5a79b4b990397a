/**
 * The Fig. 5 presets evaluate the official test set (so the report shows test error against p); a
 * store that already holds a Fig. 5 sweep as the preset without the test set defines it keeps it,
 * so its finished runs are found instead of refused or trained again. Figs. 3 and 4 are unchanged.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/store.js';
import {
  fig5Definition,
  olderPresetGroups,
  presetGroup,
  SCALES,
  SCALE_SETTINGS,
} from '../../src/experiments/plan/presets.js';
import { presetGroupForStore } from '../../src/experiments/plan/preset-store.js';
import { validateRunConfig } from '../../src/experiments/plan/run-config.js';
import { tempDir } from './helpers.js';

test('Fig. 5 presets evaluate as many official test images as held-out ones (10,000 at paper and epoch1 scale)', () => {
  const expected = { tiny: 20, small: 500, medium: 2000, epoch1: 10_000, paper: 10_000 };
  for (const scale of SCALES) {
    const group = presetGroup('fig5', scale, 'auto');
    assert.equal(group.sweepId, `fig5-${scale}`);
    for (const job of group.jobs.slice(0, 3)) {
      assert.equal(job.request.config.data.test, expected[scale], scale);
      assert.equal(job.request.config.data.test, job.request.config.data.eval, scale);
      validateRunConfig(job.request.config);
    }
  }
});

test('Figs. 3 and 4 presets keep their data (no test evaluation), so their runs and ids are as before', () => {
  for (const scale of SCALES) {
    for (const figure of ['fig3', 'fig4'] as const) {
      const group = presetGroup(figure, scale, 'auto');
      assert.ok(
        group.jobs.every((j) => j.request.config.data.test === 0),
        `${figure} ${scale}`,
      );
      assert.deepEqual(olderPresetGroups(figure, scale, 'auto'), []);
    }
  }
});

test('the earlier Fig. 5 preset is the current one without the test set, under the same sweep id', () => {
  for (const scale of SCALES) {
    const [older] = olderPresetGroups('fig5', scale, 'auto');
    const current = presetGroup('fig5', scale, 'auto');
    assert.equal(older.sweepId, current.sweepId);
    assert.deepEqual(
      older.jobs.map((j) => j.request.runId),
      current.jobs.map((j) => j.request.runId),
    );
    assert.deepEqual(fig5Definition(scale, false).data, { ...SCALE_SETTINGS[scale].fig5.data, test: 0 });
    const test = current.jobs[0].request.config.data.test;
    const withTest = (config: Record<string, unknown>) => ({ ...config, data: { ...(config.data as object), test } });
    assert.deepEqual(withTest(older.config), current.config, `${scale}: nothing else differs`);
  }
});

test('a store decides: none or the current sweep → the current preset; the earlier one → the earlier', async () => {
  const dir = tempDir();
  const store = SqliteStore.open(join(dir, 'eqprop.db'));
  try {
    const empty = await presetGroupForStore(store, 'fig5', 'tiny', 'auto');
    assert.equal(empty.older, false);
    assert.equal(empty.group.jobs[0].request.config.data.test, 20);

    const [older] = olderPresetGroups('fig5', 'tiny', 'auto');
    await store.createSweep({ id: older.sweepId, name: older.name, config: older.config });
    const kept = await presetGroupForStore(store, 'fig5', 'tiny', 'auto');
    assert.equal(kept.older, true);
    assert.equal(kept.group.jobs[0].request.config.data.test, 0, "the stored runs' configuration, found as it is");

    // Another scale's sweep is not touched by this one's history.
    const current = presetGroup('fig5', 'small', 'auto');
    await store.createSweep({ id: current.sweepId, name: current.name, config: current.config });
    assert.equal((await presetGroupForStore(store, 'fig5', 'small', 'auto')).older, false);

    // A sweep of that id made some other way is left to fileSweep's refusal: the current preset is returned.
    await store.createSweep({ id: 'fig5-medium', config: { kind: 'p-sweep', something: 'else' } });
    const other = await presetGroupForStore(store, 'fig5', 'medium', 'auto');
    assert.equal(other.older, false);
    assert.equal(other.group.jobs[0].request.config.data.test, 2000);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("presets with seeds: each seed draws its own networks under its own sweep id; seed 1 alone: the paper's", () => {
  const one = presetGroup('fig4', 'tiny', 'auto');
  assert.deepEqual(presetGroup('fig4', 'tiny', 'auto', [1]), one);
  const three = presetGroup('fig4', 'tiny', 'auto', [1, 2, 3]);
  assert.equal(three.sweepId, 'fig3-4-tiny-seeds-1-2-3');
  assert.equal(three.jobs.length, 9);
  assert.deepEqual([...new Set(three.jobs.map((j) => j.seed))], [1, 2, 3]);
  // Seed 1's configurations are exactly the one-seed preset's, so its finished runs are reused.
  const seed1 = three.jobs.filter((j) => j.seed === 1).map((j) => j.request.config);
  assert.deepEqual(
    seed1,
    one.jobs.map((j) => j.request.config),
  );
  const fig5 = presetGroup('fig5', 'tiny', 'auto', [1, 2]);
  assert.equal(fig5.sweepId, 'fig5-tiny-seeds-1-2');
  assert.equal(fig5.jobs.length, 2 * (1 + 3));
});
