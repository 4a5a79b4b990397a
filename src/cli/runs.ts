/** `eqprop runs list|show`: the stored training runs. */
import type { Command } from 'commander';
import { RUN_STATUSES, type RunStatus } from '../store/contract.js';
import { withStore } from '../experiments/lazy-store.js';
import { addStoreOptions, asInputError, configFromFlags, examples, requireExistingStore, type StoreFlags } from '../experiments/cli-support.js';
import { parseChoice, parseId, parseNumber } from '../experiments/parse.js';
import { runConfigOf } from '../experiments/run-config.js';
import { percent, textTable } from '../experiments/table.js';
import { formatSeconds } from './progress.js';

interface ListOptions extends StoreFlags { sweep?: string; status?: string; topology?: string; limit?: string; json?: boolean }

export function register(program: Command): void {
  const runs = program.command('runs').description('list and inspect stored training runs');

  const list = runs.command('list').description('list runs, newest first')
    .option('--sweep <id>', 'only runs of this sweep')
    .option('--topology <id>', 'only runs on this topology')
    .option('--status <status>', `only runs with this status (${RUN_STATUSES.join(', ')})`)
    .option('--limit <n>', 'at most n runs', '50')
    .option('--json', 'print JSON');
  addStoreOptions(list);
  examples(list, ['eqprop runs list', 'eqprop runs list --sweep fig5-small --status failed', 'eqprop runs list --json']);
  list.action(async (o: ListOptions) => {
    const filter = {
      sweepId: o.sweep === undefined ? undefined : parseId('--sweep', o.sweep),
      topologyId: o.topology === undefined ? undefined : parseId('--topology', o.topology),
      status: o.status === undefined ? undefined : parseChoice<RunStatus>('--status', o.status, RUN_STATUSES),
      limit: parseNumber('--limit', o.limit ?? '50', { integer: true, min: 1 }),
    };
    const config = configFromFlags(o);
    await withStore(config, async (store) => {
      const records = await store.listRuns(filter);
      const rows = await Promise.all(records.map(async (r) => ({ run: r, epochs: await store.listEpochs(r.id) })));
      if (o.json) {
        process.stdout.write(`${JSON.stringify(rows.map(({ run, epochs }) => ({ ...run, epochsDone: epochs.length, last: epochs.at(-1) ?? null })), null, 1)}\n`);
        return;
      }
      if (rows.length === 0) {
        process.stdout.write(`no runs in ${store.location}\n`);
        return;
      }
      process.stdout.write(textTable(
        ['run', 'status', 'epochs', 'train err', 'eval err', 'backend', 'topology', 'sweep', 'created'],
        rows.map(({ run, epochs }) => {
          const last = epochs.at(-1);
          const total = (run.config as { epochs?: number }).epochs;
          return [run.id, run.status, `${epochs.length}/${total ?? '?'}`, percent(last?.trainError), percent(last?.evalError), run.backend, run.topologyId, run.sweepId, run.createdAt.slice(0, 19).replace('T', ' ')];
        }),
      ));
    });
  });

  const show = runs.command('show').description('one run: configuration, status, backend and its epochs')
    .argument('<id>', 'run id')
    .option('--json', 'print JSON (run record and epochs)');
  addStoreOptions(show);
  examples(show, ['eqprop runs show fig5-small.p0.01.s1', 'eqprop runs show 5f0c… --json']);
  show.action(async (id: string, o: StoreFlags & { json?: boolean }) => {
    parseId('<id>', id);
    const config = configFromFlags(o);
    requireExistingStore(config, '<id>', id, 'the id of a stored run (eqprop runs list)');
    await withStore(config, async (store) => {
      const run = await asInputError('<id>', 'the id of a stored run (eqprop runs list)', () => store.getRun(id));
      const epochs = await store.listEpochs(id);
      if (o.json) {
        process.stdout.write(`${JSON.stringify({ run, epochs }, null, 1)}\n`);
        return;
      }
      const c = runConfigOf(run.config, run.id);
      const t = c.train;
      const topology = c.topology.kind === 'stored' ? c.topology.id : `${c.topology.spec.sizes.join('-')} ${c.topology.spec.mode}${c.topology.spec.mode === 'layered' ? '' : ` p=${c.topology.spec.p} n=${c.topology.spec.n}`} seed ${c.topology.spec.seed}`;
      const lines = [
        `run        ${run.id}`,
        `status     ${run.status}${run.error ? ` (${run.error})` : ''}`,
        `topology   ${run.topologyId} (${topology})`,
        `sweep      ${run.sweepId ?? '-'}`,
        `backend    ${run.backend ?? '-'} (requested ${c.backend})`,
        `data       train ${c.data.train}, eval ${c.data.eval}${c.data.test ? `, test ${c.data.test}` : ''}`,
        `training   ${c.epochs} epochs, batch ${t.batchSize}, ε ${t.epsilon}, β ${t.beta}${t.randomBetaSign ? ' (random sign)' : ''}, steps ${t.freeSteps}${t.adaptive ? ' (adaptive)' : ''}/${t.clampedSteps}, rates ${t.learningRates.join(',')}, seed ${t.seed}`,
        `checkpoint ${run.checkpoint ?? '-'}`,
        `worker     ${run.worker ?? '-'}`,
        `created    ${run.createdAt}${run.startedAt ? `, started ${run.startedAt}` : ''}${run.finishedAt ? `, finished ${run.finishedAt}` : ''}`,
        '',
      ];
      process.stdout.write(lines.join('\n'));
      process.stdout.write(epochs.length === 0 ? 'no finished epochs yet\n' : textTable(
        ['epoch', 'train error', 'eval error', 'test error', 'duration'],
        epochs.map((e) => [e.epoch, percent(e.trainError), percent(e.evalError), percent(e.testError), formatSeconds(e.durationMs / 1000)]),
      ));
    });
  });
}
