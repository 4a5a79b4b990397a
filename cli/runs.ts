/** `eqprop runs list|show|compare`: the stored training runs. */
import { withLazilyLoadedStore } from './lazy-store.js';
import type { Command } from 'commander';
import { TOPOLOGY_MODES, type TopologyMode } from '../graph/index.js';
import { NotFoundError, RUN_STATUSES, type RunStatus, type Store } from '../src/store/index.js';
import { resolveId } from '../src/store/index.js';
import {
  addStoreOptions,
  asInputError,
  configFromFlags,
  examples,
  requireExistingStore,
  type StoreFlags,
} from './support.js';
import { parseChoice, parseId, parseList, parseNumber } from './parse.js';
import { runConfigOf, type RunConfig } from '../src/experiments/index.js';
import { describeBeyondPaper, epochNote, removalEpoch } from '../src/experiments/index.js';
import { formatP, summariseRuns, type RunSummary } from '../src/experiments/index.js';
import {
  matchesQuery,
  parseMetricRange,
  parseSort,
  RUN_COLUMNS,
  sortRuns,
  type RunQuery,
  type MetricRange,
} from '../src/experiments/index.js';
import { percent, textTable } from '../src/experiments/index.js';
import { parseMetricRangeEntry } from '../src/experiments/index.js';
import { formatSeconds } from './progress.js';
import { register as registerCompare } from './runs-compare.js';
import { register as registerBundle } from './runs-bundle.js';
import { escapeForTerminal } from '../lib/index.js';

interface ListOptions extends StoreFlags {
  sweep?: string;
  status?: string;
  topology?: string;
  limit?: string;
  json?: boolean;
  mode?: string;
  sizes?: string;
  pMin?: string;
  pMax?: string;
  metricRange?: string[];
  search?: string;
  sort?: string;
}

/** Every run the store-side filters select: runs list filters the rest in memory, so it needs them all. */
const ALL_RUNS = 1_000_000;

/** A filter naming an id that does not exist selects nothing (as before prefixes), rather than failing. */
async function idFilter(
  store: Store,
  entity: 'sweep' | 'topology',
  given: string | undefined,
  flag: string,
): Promise<string | undefined> {
  if (given === undefined) return undefined;
  try {
    return await resolveId(store, entity, given, flag);
  } catch (e) {
    if (e instanceof NotFoundError) return given;
    throw e;
  }
}

/**
 * One --metric-range entry: the platform's `name:min:max` (inclusive, src/experiments/summarise/metric-ranges.ts),
 * or the older comparison alias `NAME<VALUE` (also <=, >, >=, =; errors may be given in %).
 */
function metricRangesOfEntry(entry: string): MetricRange[] {
  if (!entry.includes(':')) return [parseMetricRange('--metric-range', entry)];
  const [name, range] = parseMetricRangeEntry(entry, '--metric-range', Object.keys(RUN_COLUMNS));
  return [
    ...(range.min !== undefined ? [{ name, op: '>=' as const, value: range.min }] : []),
    ...(range.max !== undefined ? [{ name, op: '<=' as const, value: range.max }] : []),
  ];
}

function queryFromFlags(o: ListOptions): RunQuery {
  const pRule = { min: 0, max: 1 };
  return {
    mode: o.mode === undefined ? undefined : parseChoice<TopologyMode>('--mode', o.mode, TOPOLOGY_MODES),
    sizes: o.sizes === undefined ? undefined : parseList('--sizes', o.sizes, { integer: true, min: 1 }),
    pMin: o.pMin === undefined ? undefined : parseNumber('--p-min', o.pMin, pRule),
    pMax: o.pMax === undefined ? undefined : parseNumber('--p-max', o.pMax, pRule),
    ranges: (o.metricRange ?? []).flatMap((r) => r.split(',')).flatMap((r) => metricRangesOfEntry(r)),
    text: o.search,
  };
}

export function summaryRow(r: RunSummary): (string | number | null)[] {
  return [
    r.id,
    r.status,
    r.mode,
    r.sizes?.join('-') ?? null,
    formatP(r.mode, r.p),
    r.seed,
    `${r.epochsDone}/${r.epochsPlanned ?? '?'}`,
    percent(r.trainError),
    percent(r.evalError),
    percent(r.testError),
    r.meanFreeSteps === null ? null : Number(r.meanFreeSteps.toFixed(1)),
    r.epochsDone === 0 ? null : formatSeconds(r.durationMs / 1000),
    r.sweepId,
    r.createdAt.slice(0, 19).replace('T', ' '),
  ];
}

export const SUMMARY_HEADER = [
  'run',
  'status',
  'mode',
  'sizes',
  'p',
  'seed',
  'epochs',
  'train err',
  'eval err',
  'test err',
  'free steps',
  'duration',
  'sweep',
  'created',
];

/** The options beyond the paper that the run uses, as one line; none for a run with the paper's behaviour. */
function optionsLine(c: RunConfig): string[] {
  const options = describeBeyondPaper(c.train);
  return options.length === 0 ? [] : [`options    ${options.join('; ')}`];
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function register(program: Command): void {
  const runs = program.command('runs').description('list, inspect and compare stored training runs');

  const list = runs
    .command('list')
    .description('list runs (newest first unless --sort), with filters')
    .option('--sweep <id>', 'only runs of this sweep (id or unique prefix)')
    .option('--topology <id>', 'only runs on this topology (id or unique prefix)')
    .option('--status <status>', `only runs with this status (${RUN_STATUSES.join(', ')})`)
    .option('--mode <mode>', `only runs on topologies of this mode (${TOPOLOGY_MODES.join(', ')})`)
    .option('--sizes <list>', 'only runs on these exact layer sizes, e.g. 784,64,64,64,10')
    .option('--p-min <p>', 'only runs with p ≥ this fraction (layered nets count as p = 0)')
    .option('--p-max <p>', 'only runs with p ≤ this fraction')
    .option(
      '--metric-range <cmp>',
      "name:min:max (inclusive, either bound empty; the platform's one range syntax), repeatable or comma-separated: " +
        'train-error::0.1, L:1.4:1.6; alias: NAME<VALUE (also <=, >, >=, =), e.g. eval-error<=2.5%',
      collect,
    )
    .option('--search <text>', 'only runs whose run, sweep or topology id or topology name contains this text')
    .option('--sort <column[:desc]>', `sort by ${Object.keys(RUN_COLUMNS).join(', ')}`, 'created:desc')
    .option('--limit <n>', 'at most n runs (after filtering and sorting)', '50')
    .option('--json', 'print JSON');
  addStoreOptions(list);
  examples(list, [
    'eqprop runs list',
    'eqprop runs list --sweep fig5-small --status failed',
    'eqprop runs list --mode replace --sizes 784,64,64,64,10 --p-min 0.01 --metric-range "train-error<10%" ' +
      '--sort train-error',
    'eqprop runs list --sort eval-error:desc --limit 5 --json',
  ]);
  list.action(async (o: ListOptions) => {
    const query = queryFromFlags(o);
    const status = o.status === undefined ? undefined : parseChoice<RunStatus>('--status', o.status, RUN_STATUSES);
    const order = parseSort('--sort', o.sort ?? 'created:desc');
    const limit = parseNumber('--limit', o.limit ?? '50', { integer: true, min: 1 });
    if (o.sweep !== undefined) parseId('--sweep', o.sweep);
    if (o.topology !== undefined) parseId('--topology', o.topology);
    const config = configFromFlags(o);
    await withLazilyLoadedStore(config, async (store) => {
      const records = await store.listRuns({
        sweepId: await idFilter(store, 'sweep', o.sweep, '--sweep'),
        topologyId: await idFilter(store, 'topology', o.topology, '--topology'),
        status,
        limit: ALL_RUNS,
      });
      const byId = new Map(records.map((r) => [r.id, r]));
      const matching = (await summariseRuns(store, records)).filter((r) => matchesQuery(r, query));
      const rows = sortRuns(matching, order).slice(0, limit);
      if (o.json) {
        const json = await Promise.all(
          rows.map(async (s) => ({
            ...byId.get(s.id)!,
            ...s,
            last: (await store.listEpochs(s.id)).at(-1) ?? null,
          })),
        );
        process.stdout.write(`${JSON.stringify(json, null, 1)}\n`);
        return;
      }
      if (rows.length === 0) {
        process.stdout.write(
          records.length === 0
            ? `no runs in ${store.location}\n`
            : `no run matches the filters (${records.length} runs in ${store.location})\n`,
        );
        return;
      }
      process.stdout.write(textTable(SUMMARY_HEADER, rows.map(summaryRow)));
    });
  });

  const show = runs
    .command('show')
    .description('one run: configuration, status, backend and its epochs')
    .argument('<id>', 'run id, or a unique prefix of at least 4 characters')
    .option('--json', 'print JSON (run record and epochs)');
  addStoreOptions(show);
  examples(show, [
    'eqprop runs show fig5-small.p0.01.s1',
    'eqprop runs show 5ad6b782',
    'eqprop runs show 5ad6b782 --json',
  ]);
  show.action(async (given: string, o: StoreFlags & { json?: boolean }) => {
    parseId('<id>', given);
    const config = configFromFlags(o);
    requireExistingStore(config, '<id>', given, 'the id of a stored run (eqprop runs list)');
    await withLazilyLoadedStore(config, async (store) => {
      const id = await asInputError('<id>', 'the id of a stored run (eqprop runs list)', () =>
        resolveId(store, 'run', given, '<id>'),
      );
      const run = await store.getRun(id);
      const epochs = await store.listEpochs(id);
      if (o.json) {
        process.stdout.write(`${JSON.stringify({ run, epochs }, null, 1)}\n`);
        return;
      }
      const c = runConfigOf(run.config, run.id);
      const t = c.train;
      const [summary] = await summariseRuns(store, [run]);
      const amount = summary.mode === 'layered' ? '' : ` p ${formatP(summary.mode, summary.p)}, n ${summary.n}`;
      const shape =
        summary.mode === null
          ? null
          : `${summary.sizes!.join('-')} ${summary.mode}${amount}, seed ${summary.topologySeed}`;
      const lines = [
        `run        ${run.id}`,
        `status     ${run.status}${run.error ? ` (${run.error})` : ''}`,
        `topology   ${run.topologyId}${shape ? ` (${shape})` : ''}`,
        `sweep      ${run.sweepId ?? '-'}`,
        `backend    ${run.backend ?? '-'} (requested ${c.backend})`,
        `data       train ${c.data.train}, eval ${c.data.eval}${c.data.test ? `, test ${c.data.test}` : ''}`,
        `training   ${c.epochs} epochs, batch ${t.batchSize}, ε ${t.epsilon}, β ` +
          `${t.beta}${t.symmetricNudging ? ' (±β, symmetric)' : t.randomBetaSign ? ' (random sign)' : ''}, steps ` +
          `${t.freeSteps}${t.adaptive ? ' (adaptive)' : ''}/${t.clampedSteps}, rates ${t.learningRates.join(',')}, ` +
          `seed ${t.seed}`,
        ...optionsLine(c),
        `checkpoint ${run.checkpoint ?? '-'}`,
        `worker     ${run.worker ?? '-'}`,
        `created    ${run.createdAt}${run.startedAt ? `, started ${run.startedAt}` : ''}` +
          `${run.finishedAt ? `, finished ${run.finishedAt}` : ''}`,
        '',
      ];
      process.stdout.write(escapeForTerminal(lines.join('\n'), { keepNewlines: true }));
      // A note column only for runs that remove connections: other runs' tables stay as they were.
      const notes = removalEpoch(c) !== null;
      process.stdout.write(
        epochs.length === 0
          ? 'no finished epochs yet\n'
          : textTable(
              [
                'epoch',
                'train error',
                'eval error',
                'test error',
                'free steps',
                'duration',
                ...(notes ? ['note'] : []),
              ],
              epochs.map((e) => [
                e.epoch,
                percent(e.trainError),
                percent(e.evalError),
                percent(e.testError),
                typeof e.meanFreeSteps === 'number' ? Number(e.meanFreeSteps.toFixed(1)) : null,
                formatSeconds(e.durationMs / 1000),
                ...(notes ? [epochNote(c, e.epoch) ?? ''] : []),
              ]),
            ),
      );
    });
  });

  registerCompare(runs);
  registerBundle(runs);
}
