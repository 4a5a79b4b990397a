/** Sweep planning: deterministic ids, one job per (value, seed), the baseline, the identity hash. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../lib/errors.js';
import { parseTrainConfig } from '../../cli/run-flags.js';
import { canonicalJson, topologyIdFor } from '../../src/experiments/plan/ids.js';
import { planSweep, type SweepDefinition } from '../../src/experiments/plan/sweep-plan.js';

const { seed: _seed, ...train } = parseTrainConfig({ freeSteps: '5', clampedSteps: '2' }, 3);
const base: SweepDefinition = {
  name: null,
  sizes: [784, 10, 10, 10],
  mode: 'replace',
  parameter: 'p',
  values: [0, 0.05, 0.2],
  seeds: [1, 2],
  baseline: true,
  epochs: 1,
  data: { train: 40, eval: 20, test: 0 },
  train,
};

test('one job per value and seed, plus a layered baseline per seed', () => {
  const plan = planSweep(base);
  assert.equal(plan.jobs.length, 2 * (3 + 1));
  assert.match(plan.sweepId, /^sweep-[0-9a-f]{12}$/);
  const ids = plan.jobs.map((j) => j.request.runId);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.includes(`${plan.sweepId}.layered.s2`));
  assert.ok(ids.includes(`${plan.sweepId}.p0.05.s1`));
  for (const job of plan.jobs) {
    const c = job.request.config;
    assert.equal(c.train.seed, job.seed, 'the seed seeds training');
    assert.equal(c.topology.kind === 'spec' && c.topology.spec.seed, job.seed, 'and the topology');
    assert.equal(job.request.sweepId, plan.sweepId);
  }
});

test('ids are deterministic: same definition → same ids, whatever the key order; any change → new id', () => {
  const shuffled = Object.fromEntries(Object.entries(base).reverse()) as unknown as SweepDefinition;
  assert.equal(planSweep(shuffled).sweepId, planSweep(base).sweepId);
  assert.deepEqual(
    planSweep(shuffled).jobs.map((j) => j.request.runId),
    planSweep(base).jobs.map((j) => j.request.runId),
  );
  assert.notEqual(planSweep({ ...base, epochs: 2 }).sweepId, planSweep(base).sweepId);
  assert.notEqual(planSweep({ ...base, train: { ...train, freeSteps: 6 } }).sweepId, planSweep(base).sweepId);
  assert.equal(planSweep({ ...base, name: 'mine' }).sweepId, 'mine');
  assert.equal(planSweep({ ...base, name: 'mine' }).jobs[0].request.runId, 'mine.layered.s1');
  // The backend changes float rounding, not the experiment: not part of the identity.
  assert.equal(planSweep(base, 'cpu').sweepId, planSweep(base, 'wasm').sweepId);
});

// Below the CLI, errors name the definition's fields (issue 24), not flags.
test('bad sweeps are refused with the field named', () => {
  assert.throws(
    () => planSweep({ ...base, values: [] }),
    (e: unknown) => e instanceof InputError && e.field === 'values',
  );
  assert.throws(
    () => planSweep({ ...base, seeds: [1, 1] }),
    (e: unknown) => e instanceof InputError && e.field === 'seeds',
  );
  assert.throws(
    () => planSweep({ ...base, values: [0.5, 2] }),
    (e: unknown) => e instanceof InputError && e.field === 'values',
  );
});

test('canonical JSON and topology ids', () => {
  assert.equal(
    canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } }),
    '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}',
  );
  assert.equal(topologyIdFor({ sizes: [784, 10], mode: 'layered', n: 0, p: 0, seed: 3 }), 'topo-784x10-layered-s3');
  assert.equal(
    topologyIdFor({ sizes: [784, 10, 10], mode: 'replace', n: 12, p: 0.01, seed: 1 }),
    'topo-784x10x10-replace-n12-s1',
  );
  assert.equal(
    topologyIdFor({ sizes: [784, 10, 10], mode: 'per-connection', n: 1.5, p: 0.01, seed: 1 }),
    'topo-784x10x10-per-connection-p0.01-s1',
  );
});
