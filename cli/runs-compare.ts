/**
 * `eqprop runs compare <a> <b> …`: what differs between runs' configurations (only the keys that
 * differ) and their errors side by side — the command-line form of the web app's comparison view.
 */
import { withLazilyLoadedStore } from './lazy-store.js';
import type { Command } from 'commander';
import { InputError } from '../lib/index.js';
import { resolveId } from '../src/store/index.js';
import {
  addStoreOptions,
  asInputError,
  configFromFlags,
  examples,
  requireExistingStore,
  type StoreFlags,
} from './support.js';
import { parseId } from './parse.js';
import { configDifferences, flatConfig } from '../src/experiments/index.js';
import { summariseRuns } from '../src/experiments/index.js';
import { percent, textTable } from '../src/experiments/index.js';

export function register(runs: Command): void {
  const compare = runs
    .command('compare')
    .description('configuration differences and error table of two or more runs')
    .argument('<ids...>', 'run ids or unique prefixes (at least two)')
    .option('--json', 'print JSON: { runs, differences, errors }');
  addStoreOptions(compare);
  examples(compare, [
    'eqprop runs compare fig5-small.p0.s1 fig5-small.p0.05.s1',
    'eqprop runs compare 5ad6b782 91c0e4aa --json',
  ]);
  compare.action(async (given: string[], o: StoreFlags & { json?: boolean }) => {
    if (given.length < 2) {
      throw new InputError('cli', '<ids>', `${given.length} run given`, 'at least two run ids to compare');
    }
    for (const id of given) parseId('<ids>', id);
    const config = configFromFlags(o);
    requireExistingStore(config, '<ids>', given[0], 'ids of stored runs (eqprop runs list)');
    await withLazilyLoadedStore(config, async (store) => {
      const ids: string[] = [];
      const expected = 'ids of stored runs (eqprop runs list)';
      for (const id of given) {
        ids.push(await asInputError('<ids>', expected, () => resolveId(store, 'run', id, '<ids>')));
      }
      const records = await Promise.all(ids.map((id) => store.getRun(id)));
      const summaries = await summariseRuns(store, records);
      const differences = configDifferences(records.map((r, i) => flatConfig(r, summaries[i])));
      const epochs = await Promise.all(ids.map((id) => store.listEpochs(id)));
      if (o.json) {
        const errors = ids.map((id, i) => ({
          runId: id,
          epochs: epochs[i].map((e) => ({
            epoch: e.epoch,
            trainError: e.trainError,
            evalError: e.evalError,
            testError: e.testError ?? null,
          })),
        }));
        process.stdout.write(`${JSON.stringify({ runs: summaries, differences, errors }, null, 1)}\n`);
        return;
      }
      process.stdout.write(
        differences.length === 0
          ? 'configurations: identical\n\n'
          : `configuration differences\n${textTable(
              ['key', ...ids],
              differences.map((d) => [d.key, ...d.values]),
            )}\n`,
      );
      // One row per epoch, train/eval error columns per run: the curves to read side by side.
      const most = Math.max(0, ...epochs.map((e) => e.length));
      const header = ['epoch', ...ids.flatMap((_, i) => [`train ${i + 1}`, `eval ${i + 1}`])];
      const rows = Array.from({ length: most }, (_, k) => [
        k + 1,
        ...epochs.flatMap((e) => {
          const at = e.find((x) => x.epoch === k + 1);
          return [percent(at?.trainError), percent(at?.evalError)];
        }),
      ]);
      process.stdout.write(`errors (run i = the i-th id: ${ids.map((id, i) => `${i + 1} ${id}`).join(', ')})\n`);
      process.stdout.write(most === 0 ? 'no finished epochs yet\n' : textTable(header, rows));
    });
  });
}
