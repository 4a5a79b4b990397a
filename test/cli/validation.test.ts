/**
 * One validation before anything is written (src/experiments/plan/run-config.ts, src/config.ts):
 * inputs the engine would only reject after a topology and a failed run were stored, and config
 * file values of the wrong type, are exit 2 naming the flag or key, and the database is not
 * even created.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { trainRequestFromFlags } from '../../cli/run-flags.js';
import { validateSpec } from '../../graph/spec.js';
import { validateRunConfig, type RunConfig } from '../../src/experiments/plan/run-config.js';
import { InputError } from '../../lib/errors.js';
import { cliEnv, runCli, TINY_TRAINING, tempDir } from '../experiments/helpers.js';

// Each case wrote a topology and a failed run before (the engine found the mismatch), or was
// refused only by the engine: the CLI must refuse it before opening the store.
const cases: { args: string[]; flag: RegExp }[] = [
  { args: ['train', '--sizes', '2,4,10', ...TINY_TRAINING], flag: /--sizes: input layer of 2 neurons; expected 784/ },
  { args: ['train', '--sizes', '784,8,9', ...TINY_TRAINING], flag: /--sizes: output layer of 9 neurons; expected 10/ },
  { args: ['train', '--sizes', '784,8,10', '--mode', 'layered', '--p', '0.1', ...TINY_TRAINING], flag: /--p/ },
  {
    args: ['train', '--sizes', '784,8,10', '--mode', 'add', '--n', '100000000', ...TINY_TRAINING],
    flag: /--n:.*free pairs/,
  },
  {
    args: [
      'train',
      ...TINY_TRAINING,
      '--request',
      JSON.stringify({
        config: {
          format: 1,
          topology: { kind: 'spec', spec: { sizes: [3, 10], mode: 'layered', n: 0, p: 0, seed: 1 } },
          epochs: 1,
          data: { train: 40, eval: 20, test: 0 },
          train: {
            epsilon: 0.5,
            beta: 1,
            freeSteps: 5,
            clampedSteps: 2,
            batchSize: 20,
            learningRates: [0.1],
            randomBetaSign: true,
            seed: 1,
            rateEvery: 1,
            checkpointEvery: 0,
          },
          backend: 'auto',
        },
      }),
    ],
    flag: /input layer of 3 neurons/,
  },
  { args: ['sweep', '--sizes', '100,8,10', '--p', '0.1', ...TINY_TRAINING], flag: /--sizes: input layer of 100/ },
  { args: ['sweep', '--sizes', '784,8,10', '--p', '0.1', '--name', 'a/b', ...TINY_TRAINING], flag: /--name/ },
  { args: ['sweep', '--sizes', '784,8,10', '--p', '0.1', '--name', '-x', ...TINY_TRAINING], flag: /--name/ },
];

// Catches validation that runs after the store is opened (a database file appears) or not at all.
test('shape and topology mistakes: exit 2 naming the flag, no database created', async () => {
  const dir = tempDir();
  try {
    const env = cliEnv(dir);
    for (const { args, flag } of cases) {
      const result = await runCli(args, env);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, flag, args.join(' '));
      assert.ok(!existsSync(join(dir, 'eqprop.db')), `${args.join(' ')} created the database`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Catches config-file values passed on unchecked ({"sqlitePath": 42} was "internal error", exit 1).
test('config file values of the wrong type: exit 2 naming the file and the key', async () => {
  const dir = tempDir();
  try {
    const file = join(dir, 'eqprop.config.json');
    const env = cliEnv(dir, { EQPROP_CONFIG: file });
    delete env.EQPROP_DB;
    for (const [body, key] of [
      [{ sqlitePath: 42 }, 'sqlitePath'],
      [{ store: 'mysql' }, 'store'],
      [{ port: 'eighty' }, 'port'],
      [{ checkpointDir: ['a'] }, 'checkpointDir'],
      [{ __proto__x: 1 }, '__proto__x'],
    ] as const) {
      writeFileSync(file, JSON.stringify(body));
      const result = await runCli(['runs', 'list'], env);
      assert.equal(result.code, 2, `${JSON.stringify(body)}: ${result.stderr}`);
      assert.ok(result.stderr.includes(`${file}: ${key}`), `${JSON.stringify(body)}: ${result.stderr}`);
      assert.doesNotMatch(result.stderr, /internal error/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The function the API shares: catches a server that accepts what the CLI refuses. Below the CLI,
// errors name the configuration's field paths (issue 24), not flags.
test('validateRunConfig: the checks the API shares with the CLI', () => {
  const good: RunConfig = {
    format: 1,
    topology: { kind: 'spec', spec: validateSpec({ sizes: [784, 8, 10], mode: 'replace', seed: 1, n: 5 }) },
    epochs: 1,
    data: { train: 40, eval: 20, test: 0 },
    backend: 'auto',
    train: {
      epsilon: 0.5,
      beta: 1,
      freeSteps: 5,
      clampedSteps: 2,
      batchSize: 20,
      learningRates: [0.1],
      randomBetaSign: true,
      seed: 1,
      rateEvery: 1,
      checkpointEvery: 0,
    },
  };
  assert.equal(validateRunConfig(good), good);
  const refused = (config: RunConfig, field: RegExp, sizes?: number[]) =>
    assert.throws(
      () => validateRunConfig(config, sizes),
      (e: unknown) => e instanceof InputError && field.test(e.field),
      JSON.stringify(config),
    );
  refused(
    {
      ...good,
      topology: {
        kind: 'spec',
        spec: { ...(good.topology.kind === 'spec' ? good.topology.spec : ({} as never)), sizes: [2, 8, 10] },
      },
    },
    /^topology\.spec\.sizes$/,
  );
  refused({ ...good, topology: { kind: 'stored', id: 'topo-1' } }, /^topology\.id$/, [784, 8, 9]);
  refused({ ...good, train: { ...good.train, learningRates: [0.1, 0.2, 0.3] } }, /^train\.learningRates$/);
  refused({ ...good, data: { ...good.data, train: 10 } }, /^data\.train$/);
  refused({ ...good, epochs: 0 }, /^epochs$/);
  refused({ ...good, backend: 'gpu' as never }, /^backend$/);
  assert.equal(validateRunConfig({ ...good, topology: { kind: 'stored', id: 'topo-1' } }, [784, 8, 10]).epochs, 1);
});

// The flag-level entry the API shares: catches a check that only the CLI's command path makes.
test('trainRequestFromFlags: the same refusals from flag values, a stored topology checked by its sizes', async () => {
  const flags = { train: '40', eval: '20', freeSteps: '5', clampedSteps: '2', epochs: '1' };
  const noStore = async () => {
    throw new Error('must not be asked');
  };
  const request = await trainRequestFromFlags({ ...flags, sizes: '784,8,10', mode: 'replace', n: '3' }, noStore, {
    backend: 'auto',
  });
  assert.equal(request.config.topology.kind, 'spec');
  await assert.rejects(
    trainRequestFromFlags({ ...flags, sizes: '2,4,10' }, noStore, { backend: 'auto' }),
    (e: unknown) => e instanceof InputError && e.field === '--sizes',
  );
  await assert.rejects(
    trainRequestFromFlags({ ...flags, sizes: '784,8,10', mode: 'layered', p: '0.1' }, noStore, { backend: 'auto' }),
    (e: unknown) => e instanceof InputError && e.field === '--p',
  );
  await assert.rejects(
    trainRequestFromFlags({ ...flags, topology: 'topo-1', p: '0.1' }, noStore, { backend: 'auto' }),
    (e: unknown) => e instanceof InputError && e.field === '--p',
  );
  await assert.rejects(
    trainRequestFromFlags({ ...flags, topology: 'topo-1' }, async (id) => ({ id, sizes: [784, 8, 9] }), {
      backend: 'auto',
    }),
    (e: unknown) => e instanceof InputError && e.field === '--topology',
  );
  const stored = await trainRequestFromFlags(
    { ...flags, topology: 'topo-1', lr: '0.1,0.2' },
    async (id) => ({ id, sizes: [784, 8, 10] }),
    { backend: 'auto' },
  );
  assert.deepEqual(stored.config.train.learningRates, [0.1, 0.2]);
});
