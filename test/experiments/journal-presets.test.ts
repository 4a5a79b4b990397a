/**
 * The journal-table1 preset holds the journal version's trial configuration (docs/journal.md),
 * network by network: sizes, steps, rate, batch, epochs, datasets and splits, ε, β with random
 * sign, the batch order, and the pair layered (baseline) vs no-intralayer at p = 10 %. Every
 * planned run passes the run validation.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { journalPresetGroup, type JOURNAL_SCALES } from '../../src/experiments/plan/journal-presets.js';
import { validateRunConfig } from '../../src/experiments/plan/run-config.js';

const configs = (scale: (typeof JOURNAL_SCALES)[number]) =>
  journalPresetGroup(scale, 'auto').jobs.map((j) => j.request.config);

describe('journal-table1 presets', () => {
  it('toy: Diabetes and Wine at 5 hidden layers (1000 / 12) and 8 (5000 / 18), lr 0.01, batch 5, 10 epochs', () => {
    const toy = configs('toy');
    assert.equal(toy.length, 8);
    const seen = toy.map((c) => {
      const spec = c.topology.kind === 'spec' ? c.topology.spec : null;
      assert.ok(spec);
      const t = c.train;
      assert.deepEqual([t.epsilon, t.beta, t.randomBetaSign, t.learningRates, t.batchSize], [0.5, 1, true, [0.01], 5]);
      assert.equal(c.epochs, 10);
      assert.equal(t.batchOrder, undefined, 'the toy sets were shuffled once when split: fixed batch order');
      const deep = spec.sizes.length - 2 === 8;
      assert.deepEqual([t.freeSteps, t.clampedSteps], deep ? [5000, 18] : [1000, 12]);
      if (c.data.dataset === 'diabetes')
        assert.deepEqual(c.data, { dataset: 'diabetes', train: 400, eval: 40, test: 0 });
      else assert.deepEqual(c.data, { dataset: 'wine', train: 150, eval: 25, test: 0 });
      assert.ok(spec.sizes.slice(1, -1).every((n) => n === 10));
      assert.equal(validateRunConfig(c), c);
      return `${c.data.dataset} ${spec.sizes.join('-')} ${spec.mode} ${spec.p}`;
    });
    assert.deepEqual(
      seen.sort(),
      [
        'diabetes 10-10-10-10-10-10-10-10-10-1 layered 0',
        'diabetes 10-10-10-10-10-10-10-10-10-1 no-intralayer 0.1',
        'diabetes 10-10-10-10-10-10-1 layered 0',
        'diabetes 10-10-10-10-10-10-1 no-intralayer 0.1',
        'wine 13-10-10-10-10-10-10-10-10-3 layered 0',
        'wine 13-10-10-10-10-10-10-10-10-3 no-intralayer 0.1',
        'wine 13-10-10-10-10-10-3 layered 0',
        'wine 13-10-10-10-10-10-3 no-intralayer 0.1',
      ].sort(),
    );
  });

  it('mnist and fmnist: 784-100×5-10 at 1000 / 12, lr 0.015, batch 20, official split, batches shuffled once', () => {
    for (const [scale, dataset] of [
      ['mnist', 'mnist-official'],
      ['fmnist', 'fashion-mnist'],
    ] as const) {
      const runs = configs(scale);
      assert.deepEqual(
        runs.map((c) => c.topology.kind === 'spec' && c.topology.spec.mode),
        ['layered', 'no-intralayer'],
      );
      for (const c of runs) {
        assert.deepEqual(c.topology.kind === 'spec' && c.topology.spec.sizes, [784, 100, 100, 100, 100, 100, 10]);
        assert.deepEqual(c.data, { dataset, train: 60_000, eval: 10_000, test: 0 });
        const t = c.train;
        assert.deepEqual([t.freeSteps, t.clampedSteps, t.learningRates, t.batchSize], [1000, 12, [0.015], 20]);
        assert.deepEqual(t.batchOrder, { kind: 'shuffled-once', seed: 1 });
        assert.equal(validateRunConfig(c), c);
      }
    }
  });

  it('run ids say dataset, depth and network; the no-intralayer skips start in U[−a, a], a = mean Glorot bound', () => {
    const group = journalPresetGroup('toy', 'auto');
    assert.equal(group.sweepId, 'journal-table1-toy');
    assert.ok(group.jobs.some((j) => j.request.runId === 'journal-table1-toy.wine-h8-no-intralayer'));
    const spec = group.jobs.find((j) => j.request.runId.endsWith('diabetes-h5-no-intralayer'))!.request.config.topology;
    assert.ok(spec.kind === 'spec');
    const sizes = spec.spec.sizes;
    const glorot = sizes.slice(1).map((n, l) => Math.sqrt(6) / Math.sqrt(sizes[l] + n));
    const mean = glorot.reduce((a, b) => a + b, 0) / glorot.length;
    assert.ok(Math.abs(spec.spec.skipBound! - mean) < 1e-12, `skipBound ${spec.spec.skipBound} vs ${mean}`);
  });
});

describe('journal-table1 with seeds', () => {
  it("each seed trains its own pair of networks under its own sweep id; seed 1 alone is the trial's setup", () => {
    const one = journalPresetGroup('toy', 'auto');
    assert.deepEqual(journalPresetGroup('toy', 'auto', [1]), one);
    const three = journalPresetGroup('toy', 'auto', [1, 2, 3]);
    assert.equal(three.sweepId, 'journal-table1-toy-seeds-1-2-3');
    assert.equal(three.jobs.length, 3 * one.jobs.length);
    assert.deepEqual(
      three.jobs.filter((j) => j.seed === 1).map((j) => j.request.config),
      one.jobs.map((j) => j.request.config),
    );
    assert.equal(new Set(three.jobs.map((j) => j.request.runId)).size, three.jobs.length);
  });

  it("--epochs replaces every network's epochs and files the runs under a sweep of their own", () => {
    const preset = journalPresetGroup('mnist', 'auto', [1, 2]);
    const one = journalPresetGroup('mnist', 'auto', [1, 2], 1);
    assert.equal(one.sweepId, 'journal-table1-mnist-epochs-1-seeds-1-2');
    assert.equal(journalPresetGroup('mnist', 'auto', [1], 1).sweepId, 'journal-table1-mnist-epochs-1');
    assert.deepEqual(
      one.jobs.map((j) => j.request.config.epochs),
      preset.jobs.map(() => 1),
    );
    // Everything else is the preset's own configuration.
    assert.deepEqual(
      one.jobs.map((j) => ({ ...j.request.config, epochs: 10 })),
      preset.jobs.map((j) => j.request.config),
    );
    assert.ok(preset.jobs.every((j) => j.request.config.epochs === 10));
  });
});
