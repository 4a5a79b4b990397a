/** Flag parsing: lists, ranges, rules, and the paper's per-layer rates generalised to any depth. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../lib/errors.js';
import { PAPER } from '../../graph/paper.js';
import { parseId, parseList, parseNumber, parseValues } from '../../cli/parse.js';
import { parseLearningRates, parseTopologySpec, parseTrainConfig, parseRunRequestJson } from '../../cli/run-flags.js';
import { perLayerRates } from '../../src/experiments/plan/run-settings.js';

function throwsNaming(fn: () => unknown, field: string): void {
  assert.throws(
    fn,
    (e: unknown) => e instanceof InputError && e.field === field && /expected /.test(e.message),
    `expected an InputError naming ${field}`,
  );
}

test('numbers: rules and messages', () => {
  assert.equal(parseNumber('--x', '3', { integer: true, min: 1 }), 3);
  throwsNaming(() => parseNumber('--x', '0', { integer: true, min: 1 }), '--x');
  throwsNaming(() => parseNumber('--x', '1.5', { integer: true }), '--x');
  throwsNaming(() => parseNumber('--x', '', {}), '--x');
  throwsNaming(() => parseNumber('--eps', '0', { min: 0, minExclusive: true }), '--eps');
  assert.match(
    String(
      (() => {
        try {
          parseNumber('--eps', '2', { min: 0, minExclusive: true, max: 1 });
        } catch (e) {
          return (e as Error).message;
        }
      })(),
    ),
    /expected a number > 0 and ≤ 1/,
  );
});

test('lists and inclusive ranges', () => {
  assert.deepEqual(parseList('--sizes', '784, 500,10', { integer: true }), [784, 500, 10]);
  throwsNaming(() => parseList('--sizes', '784,,10'), '--sizes');
  assert.deepEqual(parseValues('--n', '0:2000:500', { integer: true }), [0, 500, 1000, 1500, 2000]);
  assert.deepEqual(parseValues('--n', '0:1999:500', { integer: true }), [0, 500, 1000, 1500]);
  // 0.1-steps computed as start + i·step: no 0.30000000000000004.
  assert.deepEqual(parseValues('--p', '0:0.3:0.1'), [0, 0.1, 0.2, 0.3]);
  assert.deepEqual(parseValues('--p', '0.05'), [0.05]);
  throwsNaming(() => parseValues('--n', '10:0:5'), '--n');
  throwsNaming(() => parseValues('--n', '0:10:0'), '--n');
  throwsNaming(() => parseValues('--n', '0:10'), '--n');
  throwsNaming(() => parseValues('--n', '0:1000000:1'), '--n');
  // The paper's Fig. 5 sweep: n = 0 … 200,000 in steps of 500 is 401 networks.
  assert.equal(parseValues('--n', `0:${PAPER.sweepNMax}:${PAPER.sweepNStep}`, { integer: true }).length, 401);
});

test('ids are file- and URL-safe', () => {
  assert.equal(parseId('--run-id', 'fig5-small.p0.01.s1'), 'fig5-small.p0.01.s1');
  for (const bad of ['', 'a/b', '../x', '.hidden', 'a b', 'x'.repeat(129)])
    throwsNaming(() => parseId('--run-id', bad), '--run-id');
});

test("per-layer rates: the paper's four for 3 hidden layers, ×4 per layer deeper in general", () => {
  assert.deepEqual(perLayerRates(4), [...PAPER.perLayerRates]);
  assert.deepEqual(perLayerRates(2), [0.008, 0.002]);
  assert.deepEqual(parseLearningRates({ perLayer: true }, 4), [0.128, 0.032, 0.008, 0.002]);
  assert.deepEqual(parseLearningRates({}, 4), [PAPER.singleRate]);
  assert.deepEqual(parseLearningRates({ lr: '0.1,0.2' }, 2), [0.1, 0.2]);
  throwsNaming(() => parseLearningRates({ lr: '0.1,0.2' }, 4), '--lr');
  throwsNaming(() => parseLearningRates({ lr: '0.1', perLayer: true }, 4), '--lr');
});

test('training flags default to the paper (SPEC §6)', () => {
  const c = parseTrainConfig({}, 4);
  assert.deepEqual(
    [c.epsilon, c.beta, c.freeSteps, c.clampedSteps, c.batchSize, c.learningRates, c.randomBetaSign],
    [PAPER.epsilon, PAPER.beta, PAPER.freeSteps, PAPER.clampedSteps, PAPER.batchSize, [PAPER.singleRate], true],
  );
});

test('inline topology flags resolve through graph/ and name our flags', () => {
  const spec = parseTopologySpec({ sizes: '784,500,500,500,10', mode: 'replace', n: String(PAPER.n) }, 3);
  assert.equal(spec.seed, 3);
  assert.ok(Math.abs(spec.p - PAPER.p) < 5e-5, `p ${spec.p}`);
  throwsNaming(() => parseTopologySpec({ sizes: '784,10', mode: 'layered', topologySeed: '-4' }, 1), '--topology-seed');
  throwsNaming(() => parseTopologySpec({ sizes: '784,10', mode: 'replace' }, 1), '--n');
});

test('--request JSON is validated like flags', () => {
  throwsNaming(() => parseRunRequestJson('{'), '--request');
  throwsNaming(() => parseRunRequestJson('{"config":{"format":2}}'), '--request');
  const good = {
    runId: 'r1',
    config: {
      format: 1,
      topology: { kind: 'spec', spec: { sizes: [784, 10], mode: 'layered', n: 0, p: 0, seed: 1 } },
      epochs: 1,
      data: { train: 40, eval: 20, test: 0 },
      train: parseTrainConfig({}, 1),
      backend: 'auto',
    },
  };
  assert.equal(parseRunRequestJson(JSON.stringify(good)).runId, 'r1');
  throwsNaming(
    () =>
      parseRunRequestJson(
        JSON.stringify({ ...good, config: { ...good.config, data: { train: 10, eval: 20, test: 0 } } }),
      ),
    '--train',
  );
});

test('one --mode default for train, sweep and topology build: replace when p or n is given, else layered', async () => {
  const { sweepDefinitionFromFlags } = await import('../../cli/sweep.js');
  const { specFromFlags } = await import('../../cli/topology.js');
  assert.equal(parseTopologySpec({ sizes: '784,8,10', p: '0.05' }, 1).mode, 'replace');
  assert.equal(parseTopologySpec({ sizes: '784,8,10', n: '3' }, 1).mode, 'replace');
  assert.equal(parseTopologySpec({ sizes: '784,8,10' }, 1).mode, 'layered');
  assert.equal(sweepDefinitionFromFlags({ sizes: '784,8,10', p: '0,0.05' }).mode, 'replace');
  assert.equal(specFromFlags({ sizes: '784,8,10', p: '0.05' }).mode, 'replace');
  assert.equal(specFromFlags({ sizes: '784,8,10' }).mode, 'layered');
  // An explicit mode still wins, and an explicit layered with a p is refused by graph/.
  assert.equal(parseTopologySpec({ sizes: '784,8,10', mode: 'add', p: '0.05' }, 1).mode, 'add');
  assert.throws(() => parseTopologySpec({ sizes: '784,8,10', mode: 'layered', p: '0.05' }, 1), InputError);
});
