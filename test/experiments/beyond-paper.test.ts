/**
 * The words and marks of the options beyond the paper (src/experiments/plan/beyond-paper.ts), and the
 * sweep definition carrying `eqprop sweep`'s flags for them into every planned run, and a run
 * request's JSON (the --request path) checked for them like flags.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeBeyondPaper, epochNote, removalBatch, removalEpoch } from '../../src/experiments/plan/beyond-paper.js';
import { sweepDefinitionFromFlags } from '../../cli/sweep-flags.js';
import { planSweep } from '../../src/experiments/plan/sweep-plan.js';
import { parseRunRequestJson } from '../../cli/run-flags.js';
import { InputError } from '../../lib/errors.js';

test('describeBeyondPaper: one phrase per option set, none for the paper', () => {
  assert.deepEqual(describeBeyondPaper({}), []);
  assert.deepEqual(describeBeyondPaper(undefined), []);
  const allOff = { symmetricNudging: false, targetFeedback: null, removeSkipsAfter: null, extraInit: null };
  assert.deepEqual(describeBeyondPaper(allOff), []);
  assert.deepEqual(
    describeBeyondPaper({
      symmetricNudging: true,
      targetFeedback: { layers: [1, 3], density: 0.25, scale: 0.05 },
      removeSkipsAfter: 0,
      extraInit: { kind: 'uniform', a: 0.1 },
    }),
    [
      'nudging symmetric',
      'target feedback h1,h3 density 0.25 scale 0.05',
      'remove skips after epoch 0',
      'extra init uniform ±0.1',
    ],
  );
  assert.deepEqual(
    describeBeyondPaper({ removeSkipsAfter: 2, removeIntralayer: true, extraInit: { kind: 'glorot' } }),
    ['remove skips after epoch 2 (+ intralayer)', 'extra init glorot'],
  );
});

test('removal marks: epoch removeSkipsAfter + 1, batch removeSkipsAfter × floor(train / batchSize)', () => {
  const run = (removeSkipsAfter: number | null | undefined, epochs = 3) => ({
    epochs,
    data: { train: 105 },
    train: { batchSize: 20, removeSkipsAfter },
  });
  assert.equal(removalEpoch(run(1)), 2);
  // 105 images in batches of 20: 5 batches an epoch (the ragged last one dropped).
  assert.equal(removalBatch(run(1)), 5);
  assert.equal(removalBatch(run(2)), 10);
  assert.equal(removalBatch(run(0)), 0, 'removed before the first batch');
  assert.equal(epochNote(run(1), 2), 'skips removed');
  assert.equal(epochNote(run(1), 1), null);
  assert.equal(epochNote(run(1), 3), null, 'only the first epoch after the switch');
  const withIntralayer = { ...run(1), train: { ...run(1).train, removeIntralayer: true } };
  assert.equal(epochNote(withIntralayer, 2), 'skips and intralayer removed');
  for (const never of [run(undefined), run(null), run(3), run(5)]) {
    assert.equal(removalEpoch(never), null, JSON.stringify(never));
    assert.equal(removalBatch(never), null, JSON.stringify(never));
  }
});

test("eqprop sweep's flags for the options reach every planned run; left out, nothing is stored", () => {
  const base = { sizes: '784,6,6,10', p: '0,0.1', train: '40', eval: '20' };
  const plan = planSweep(
    sweepDefinitionFromFlags({
      ...base,
      nudging: 'symmetric',
      targetFeedback: '1:0.5',
      removeSkipsAfter: '0',
      removeIntralayer: true,
      extraInit: 'glorot',
    }),
  );
  assert.equal(plan.jobs.length, 2);
  for (const job of plan.jobs) {
    const t = job.request.config.train;
    assert.equal(t.symmetricNudging, true);
    assert.deepEqual(t.targetFeedback, { layers: [1], density: 0.5, scale: 0.05 });
    assert.deepEqual([t.removeSkipsAfter, t.removeIntralayer], [0, true]);
    assert.deepEqual(t.extraInit, { kind: 'glorot' });
  }
  const plain = planSweep(sweepDefinitionFromFlags(base));
  const keys = Object.keys(plain.jobs[0].request.config.train);
  for (const key of ['symmetricNudging', 'targetFeedback', 'removeSkipsAfter', 'removeIntralayer', 'extraInit']) {
    assert.ok(!keys.includes(key), key);
  }
  assert.notEqual(plan.sweepId, plain.sweepId);
});

test('a run request (train --request, as sweep and queue workers get it) takes the options, refuses bad ones', () => {
  const spec = { sizes: [784, 6, 6, 10], mode: 'layered', seed: 1, n: 0, p: 0 };
  const train = {
    epsilon: 0.5,
    beta: 1,
    freeSteps: 5,
    clampedSteps: 2,
    batchSize: 20,
    learningRates: [0.02],
    randomBetaSign: true,
    seed: 1,
    rateEvery: 1,
    checkpointEvery: 0,
  };
  const request = (extra: Record<string, unknown>) =>
    JSON.stringify({
      config: {
        format: 1,
        topology: { kind: 'spec', spec },
        epochs: 2,
        data: { train: 40, eval: 20, test: 0 },
        backend: 'cpu',
        train: { ...train, ...extra },
      },
    });
  const good = {
    symmetricNudging: true,
    targetFeedback: { layers: [1, 2], density: 0.1, scale: 0.05 },
    removeSkipsAfter: 1,
    removeIntralayer: true,
    extraInit: { kind: 'uniform', a: 0.1 },
  };
  assert.deepEqual(parseRunRequestJson(request(good)).config.train, { ...train, ...good });
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ symmetricNudging: 'yes' }, /symmetricNudging/],
    [{ targetFeedback: { layers: [3], density: 0.1, scale: 0.05 } }, /targetFeedback\.layers/],
    [{ targetFeedback: { layers: [2, 1], density: 0.1, scale: 0.05 } }, /targetFeedback\.layers/],
    [{ targetFeedback: { layers: [1], density: 0, scale: 0.05 } }, /targetFeedback\.density/],
    [{ targetFeedback: '1:0.1' }, /targetFeedback/],
    [{ removeSkipsAfter: -1 }, /removeSkipsAfter/],
    [{ removeIntralayer: true }, /removeIntralayer/],
    [{ extraInit: { kind: 'normal' } }, /extraInit/],
    [{ extraInit: { kind: 'uniform', a: -1 } }, /extraInit\.a/],
  ];
  for (const [extra, field] of bad) {
    const named = (e: Error) => e instanceof InputError && field.test(e.message);
    assert.throws(() => parseRunRequestJson(request(extra)), named, JSON.stringify(extra));
  }
});
