/**
 * `eqprop predictors <sweep-or-study | run ids…>`: which graph statistic (or early training
 * statistic) predicts the error, ranked (src/stats/predictors.ts). The terminal table, or with
 * --json the same document GET /api/predictors returns.
 */
import { withLazilyLoadedStore } from './lazy-store.js';
import type { Command } from 'commander';
import type { Store } from '../src/store/index.js';
import { runNamed, sweepNamed } from './id-arguments.js';
import { addStoreOptions, configFromFlags, examples, requireExistingStore, type StoreFlags } from './support.js';
import { parseId, parseNumber } from './parse.js';
import { textTable } from '../src/experiments/index.js';
import { predictorDocument } from '../src/experiments/index.js';
import type { PredictorSelection } from '../src/experiments/index.js';
import { DEFAULT_EARLY_BATCHES, OUTCOMES, type PredictorRow } from '../src/stats/index.js';
import { parseOutcomes } from '../src/experiments/index.js';

interface PredictorFlags extends StoreFlags {
  outcome?: string;
  json?: boolean;
  pool?: boolean;
  earlyBatches?: string;
  resamples?: string;
  limit?: string;
}

/** One sweep id, or run ids (each exactly or as a unique prefix). */
async function selectionOf(store: Store, ids: string[]): Promise<PredictorSelection> {
  const sweepId = ids.length === 1 ? await sweepNamed(store, ids[0]) : null;
  if (sweepId !== null) return { sweepId };
  return { runIds: await Promise.all(ids.map((id) => runNamed(store, id))) };
}

const fixed = (v: number | null, digits = 3) => (v === null ? 'undefined' : v.toFixed(digits));

export function predictorTableText(rows: readonly PredictorRow[]): string {
  return textTable(
    ['metric', 'kind', 'outcome', 'n', 'Spearman [95 % CI]', 'Pearson', 'partial ρ', 'CV R²'],
    rows.map((r) => [
      r.metric,
      r.kind,
      r.outcome,
      r.n,
      r.spearman === null
        ? 'undefined'
        : `${fixed(r.spearman, 2)} [${fixed(r.spearmanLow, 2)}, ${fixed(r.spearmanHigh, 2)}]`,
      fixed(r.pearson, 2),
      fixed(r.partialSpearman, 2),
      fixed(r.cvR2, 2),
    ]),
  );
}

export function register(program: Command): void {
  const cmd = program
    .command('predictors')
    .description(
      'rank graph metrics and early training statistics by how well they predict the error, ' +
        'across topology configurations (seed means)',
    )
    .argument('<ids...>', 'a sweep or study id, or run ids')
    .option('--outcome <names>', `comma-separated outcomes: ${OUTCOMES.join(', ')} (default: every one the runs have)`)
    .option('--pool', 'pool several architectures (the architecture becomes a covariate)')
    .option('--early-batches <k>', 'K of the early predictors: the first K batches', String(DEFAULT_EARLY_BATCHES))
    .option('--resamples <b>', 'bootstrap resamples of the intervals', '1000')
    .option('--limit <rows>', 'rows printed in the terminal table (--json prints all)', '40')
    .option('--json', 'print the whole ranking as one JSON document');
  addStoreOptions(cmd);
  examples(cmd, [
    'eqprop predictors predictors-5x100                      # the committed study (docs/studies/predictors)',
    'eqprop predictors predictors-5x100 --outcome evalError --json > ranking.json',
    'eqprop predictors runA runB runC runD                   # runs pooled by configuration',
  ]);
  cmd.action(async (ids: string[], o: PredictorFlags) => {
    for (const id of ids) parseId('<ids>', id);
    const outcomes = parseOutcomes(o.outcome, '--outcome');
    const earlyBatches = parseNumber('--early-batches', o.earlyBatches ?? DEFAULT_EARLY_BATCHES, {
      integer: true,
      min: 1,
      max: 1_000_000,
    });
    const resamples = parseNumber('--resamples', o.resamples ?? '1000', { integer: true, min: 100, max: 100_000 });
    const limit = parseNumber('--limit', o.limit ?? '40', { integer: true, min: 1, max: 100_000 });
    const config = configFromFlags(o);
    requireExistingStore(config, '<ids>', ids[0], 'a sweep or study id, or run ids');
    await withLazilyLoadedStore(config, async (store) => {
      const selection = { ...(await selectionOf(store, ids)), earlyBatches };
      const doc = await predictorDocument(store, selection, { outcomes, pool: Boolean(o.pool), resamples });
      if (o.json) return void process.stdout.write(`${JSON.stringify(doc)}\n`);
      process.stdout.write(
        `${doc.runs} runs, ${doc.topologies} topologies, ${doc.configurations.length} configurations ` +
          `(seed means); partial ρ controls for ${doc.control}${doc.pooled ? ' and the architecture' : ''}; ` +
          `CV R²: leave one family out\n`,
      );
      process.stdout.write(predictorTableText(doc.rows.slice(0, limit)));
      if (doc.rows.length > limit)
        process.stdout.write(`… ${doc.rows.length - limit} more rows (--limit, or --json for all)\n`);
    });
  });
}
