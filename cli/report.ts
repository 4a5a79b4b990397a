/** `eqprop report <run|sweep> --out dir`: figures (SVG, PNG, Vega-Lite JSON) and the data (CSV, JSON). */
import { withLazilyLoadedStore } from './lazy-store.js';
import type { Command } from 'commander';
import { InputError } from '../lib/index.js';
import { runNamed, sweepNamed } from './id-arguments.js';
import { addStoreOptions, configFromFlags, examples, requireExistingStore, type StoreFlags } from './support.js';
import { parseChoice, parseId, parseNumber } from './parse.js';
import type { ReportOptions } from '../src/reports/index.js';
import { DEFAULT_SMOOTH, loadReportWriter } from '../src/reports/index.js';

interface ReportFlags extends StoreFlags {
  out?: string;
  smooth?: string;
  epoch?: string;
  metric?: string;
  outcome?: string;
  json?: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command('report')
    .description(
      'write the figures of runs or a sweep: error curves (Fig. 3), per-layer rates (Fig. 4), error and rates ' +
        'against p (Fig. 5), metric correlations',
    )
    .argument('<ids...>', 'a sweep id, or one or more run ids (drawn together)')
    .requiredOption('--out <dir>', 'output directory (created if missing)')
    .option('--smooth <n>', 'eq. 3 smoothing half-width: a centred mean over 2n+1 batches', String(DEFAULT_SMOOTH))
    .option('--epoch <k>', 'sweeps: the epoch whose errors are plotted against p and the metrics', '1')
    .option(
      '--metric <names>',
      'sweeps: comma-separated graph metrics to scatter against the outcome (default: p and every stored metric)',
    )
    .option('--outcome <which>', 'sweeps: train or eval error after --epoch', 'train')
    .option('--json', 'print the written file paths as JSON');
  addStoreOptions(cmd);
  examples(cmd, [
    'eqprop report 5f0c… --out reports/run1',
    'eqprop report fig5-small --out reports/fig5 --epoch 1 --metric L,C,log10Walks.l0',
    'eqprop report runA runB runC --out reports/compare --smooth 25',
  ]);
  cmd.action(async (ids: string[], o: ReportFlags) => {
    for (const id of ids) parseId('<ids>', id);
    const options: ReportOptions = {
      smooth: parseNumber('--smooth', o.smooth ?? DEFAULT_SMOOTH, { integer: true, min: 0 }),
      epoch: parseNumber('--epoch', o.epoch ?? '1', { integer: true, min: 1 }),
      outcome: parseChoice('--outcome', o.outcome ?? 'train', ['train', 'eval'] as const),
      metrics:
        o.metric === undefined
          ? undefined
          : o.metric
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
    };
    if (!o.out) throw new InputError('cli', '--out', 'missing', 'an output directory');
    const config = configFromFlags(o);
    requireExistingStore(
      config,
      '<ids>',
      ids[0],
      'the id of a stored run or sweep (eqprop runs list, eqprop sweep list)',
    );
    const { collectRunsReport, collectSweepReport, writeReport } = await loadReportWriter();
    const files = await withLazilyLoadedStore(config, async (store) => {
      const sweepId = ids.length === 1 ? await sweepNamed(store, ids[0]) : null;
      if (sweepId !== null) return writeReport(await collectSweepReport(store, sweepId, options), o.out!);
      const runIds: string[] = [];
      for (const id of ids) runIds.push(await runNamed(store, id));
      return writeReport(await collectRunsReport(store, runIds, options), o.out!);
    });
    process.stdout.write(o.json ? `${JSON.stringify(files)}\n` : `${files.map((f) => `wrote ${f}`).join('\n')}\n`);
  });
}
