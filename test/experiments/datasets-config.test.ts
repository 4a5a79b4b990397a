/**
 * The dataset choice in a run's configuration (the journal version's datasets): --dataset selects
 * it on train and sweep, counts and network shapes are checked against the dataset before anything
 * is written, the
 * paper's MNIST stays the absent default (configurations as before), the API refuses a bad choice
 * with a 400 naming the field, and a Diabetes run trains end to end reporting mean squared errors.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { parseDataSizes, parseTrainConfig, trainRequestFromFlags } from '../../cli/run-flags.js';
import { validateSpec } from '../../graph/spec.js';
import { checkDatasetShape, validateRunConfig } from '../../src/experiments/plan/run-config.js';
import { sweepDefinitionFromFlags } from '../../cli/sweep-flags.js';
import { errorKindOf, formatError } from '../../src/experiments/summarise/error-kind.js';
import type { RunConfig } from '../../src/experiments/plan/run-config.js';
import { InputError } from '../../lib/errors.js';
import { cliEnv, events, runCli, tempDir } from './helpers.js';
import { assertRefused, startServerWithDb, stopServerWithDb, type TestServer } from '../server/helpers.js';

const refusedFor = (field: string) => (e: unknown) => e instanceof InputError && e.field === field;
const noStore = () => Promise.reject(new Error('an inline topology reads no store'));

describe('--dataset and the data counts', () => {
  it("absent or mnist: the paper's split, nothing stored (configurations as before)", () => {
    assert.deepEqual(parseDataSizes({}), { train: 50_000, eval: 10_000, test: 0 });
    assert.deepEqual(parseDataSizes({ dataset: 'mnist', train: '40' }), { train: 40, eval: 10_000, test: 0 });
  });

  it('each journal set defaults to its whole split and refuses more than it has', () => {
    assert.deepEqual(parseDataSizes({ dataset: 'diabetes' }), { dataset: 'diabetes', train: 400, eval: 40, test: 0 });
    assert.deepEqual(parseDataSizes({ dataset: 'wine' }), { dataset: 'wine', train: 150, eval: 25, test: 0 });
    assert.deepEqual(parseDataSizes({ dataset: 'mnist-official' }), {
      dataset: 'mnist-official',
      train: 60_000,
      eval: 10_000,
      test: 0,
    });
    assert.throws(() => parseDataSizes({ dataset: 'wine', train: '151' }), refusedFor('--train'));
    assert.throws(() => parseDataSizes({ dataset: 'diabetes', eval: '41' }), refusedFor('--eval'));
    assert.throws(() => parseDataSizes({ dataset: 'fashion-mnist', test: '10' }), refusedFor('--test'));
    assert.throws(() => parseDataSizes({ train: '60000' }), refusedFor('--train'), "the paper's split has 50,000");
    assert.throws(() => parseDataSizes({ dataset: 'cifar' }), refusedFor('--dataset'));
  });

  it('the network must fit the dataset: inputs and outputs named in the error', () => {
    checkDatasetShape([10, 4, 1], 'diabetes');
    checkDatasetShape([13, 4, 3], 'wine');
    checkDatasetShape([784, 4, 10], 'fashion-mnist');
    assert.throws(
      () => checkDatasetShape([784, 4, 10], 'wine'),
      (e: unknown) => e instanceof InputError && e.field === 'sizes' && /13/.test(e.expected),
    );
    assert.throws(
      () => checkDatasetShape([10, 4, 3], 'diabetes'),
      (e: unknown) => e instanceof InputError && /output layer of 3/.test(e.message) && /real-valued/.test(e.expected),
    );
  });

  it('a stored configuration is validated with its dataset; the error kind follows it', () => {
    const config: RunConfig = {
      format: 1,
      topology: { kind: 'spec', spec: validateSpec({ sizes: [10, 4, 1], mode: 'layered', seed: 1 }) },
      epochs: 1,
      data: { dataset: 'diabetes', train: 20, eval: 10, test: 0 },
      train: { ...parseTrainConfig({ batchSize: '5' }, 2), batchOrder: { kind: 'shuffled-once', seed: 4 } },
      backend: 'cpu',
    };
    assert.equal(validateRunConfig(config), config);
    assert.equal(errorKindOf(config), 'mse');
    assert.equal(errorKindOf({ data: { train: 1 } }), 'class', 'runs stored before datasets are MNIST');
    assert.throws(
      () => validateRunConfig({ ...config, data: { ...config.data, dataset: 'wine' } }),
      refusedFor('topology.spec.sizes'),
    );
    assert.throws(
      () =>
        validateRunConfig({ ...config, train: { ...config.train, batchOrder: { kind: 'shuffled-once', seed: -1 } } }),
      refusedFor('train.batchOrder.seed'),
    );
    assert.equal(formatError(0.01234, 'mse'), '0.0123 MSE');
    assert.equal(formatError(0.1234, 'class'), '12.34%');
  });

  it('train flags and sweep flags carry the dataset and the batch order', async () => {
    const flags = { sizes: '13,6,3', dataset: 'wine', train: '30', eval: '10', batchSize: '5', shuffleBatches: '7' };
    const { config } = await trainRequestFromFlags(flags, noStore, { backend: 'cpu' });
    assert.deepEqual(config.data, { dataset: 'wine', train: 30, eval: 10, test: 0 });
    assert.deepEqual(config.train.batchOrder, { kind: 'shuffled-once', seed: 7 });
    const plain = await trainRequestFromFlags({ sizes: '784,6,10', train: '40', eval: '20' }, noStore, {
      backend: 'cpu',
    });
    assert.equal('batchOrder' in plain.config.train, false, 'the fixed order is not stored');
    assert.equal('dataset' in plain.config.data, false);
    await assert.rejects(
      trainRequestFromFlags({ ...flags, sizes: '784,6,10' }, noStore, { backend: 'cpu' }),
      refusedFor('--sizes'),
    );
    const sweep = sweepDefinitionFromFlags({ sizes: '10,6,6,1', p: '0.1', dataset: 'diabetes', batchSize: '5' });
    assert.equal(sweep.data.dataset, 'diabetes');
    assert.throws(
      () => sweepDefinitionFromFlags({ sizes: '784,6,6,10', p: '0.1', dataset: 'diabetes' }),
      refusedFor('--sizes'),
    );
    await assert.rejects(
      trainRequestFromFlags({ ...flags, shuffleBatches: 'x' }, noStore, { backend: 'cpu' }),
      refusedFor('--shuffle-batches'),
    );
  });
});

describe('the API', () => {
  let server: TestServer;
  let db: Database.Database;
  before(async () => {
    ({ server, db } = await startServerWithDb());
  });
  after(() => stopServerWithDb(server, db));
  const body = {
    topology: { sizes: [13, 4, 3], mode: 'layered', seed: 0 },
    epochs: 1,
    train: 30,
    eval: 10,
    batchSize: 5,
  };

  it('refuses an unknown dataset, counts beyond it, a shape that does not fit and a bad batch-order seed', async () => {
    await assertRefused(server, db, '/api/jobs/train', 'unknown dataset', { ...body, dataset: 'cifar' }, 'dataset');
    await assertRefused(
      server,
      db,
      '/api/jobs/train',
      'wine has 150',
      { ...body, dataset: 'wine', train: 200 },
      'train',
    );
    await assertRefused(server, db, '/api/jobs/train', 'mnist shape', { ...body }, 'topology.sizes');
    await assertRefused(
      server,
      db,
      '/api/jobs/train',
      'seed',
      { ...body, dataset: 'wine', shuffleBatches: -1 },
      'shuffleBatches',
    );
    await assertRefused(
      server,
      db,
      '/api/jobs/sweep',
      'sweep shape',
      {
        sizes: [784, 4, 10],
        mode: 'replace',
        p: [0.1],
        seeds: [1],
        epochs: 1,
        train: 30,
        eval: 10,
        batchSize: 5,
        dataset: 'wine',
      },
      'sizes',
    );
  });
});

describe('eqprop train --dataset diabetes', () => {
  it('trains a regression end to end: the run event says mse, epochs print the MSE', async () => {
    const dir = tempDir();
    try {
      const args = [
        'train',
        '--dataset',
        'diabetes',
        '--sizes',
        '10,6,1',
        '--train',
        '20',
        '--eval',
        '10',
        '--batch-size',
        '5',
        '--free-steps',
        '5',
        '--clamped-steps',
        '2',
        '--epochs',
        '1',
        '--shuffle-batches',
        '3',
        '--backend',
        'cpu',
      ];
      const human = await runCli(args, cliEnv(dir));
      assert.equal(human.code, 0, human.stderr);
      assert.match(human.stdout, /epoch 1: train \d\.\d+(e-\d+)? MSE, eval \d\.\d+(e-\d+)? MSE/);
      const json = await runCli([...args, '--json', '--run-id', 'diabetes-json'], cliEnv(dir));
      assert.equal(json.code, 0, json.stderr);
      const lines = events(json.stdout);
      assert.equal(lines.find((e) => e.event === 'run')?.errorKind, 'mse');
      const epoch = lines.find((e) => e.event === 'epoch')!;
      assert.ok((epoch.evalError as number) > 0 && (epoch.evalError as number) < 1);
      const bad = await runCli(['train', '--dataset', 'wine', '--sizes', '784,6,10', '--epochs', '1'], cliEnv(dir));
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--sizes: input layer of 784 neurons for --dataset wine; expected 13/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
