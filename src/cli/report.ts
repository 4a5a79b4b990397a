/** `eqprop report <run|sweep> --out dir`: figures (SVG, PNG, Vega-Lite JSON) and the data (CSV, JSON). */
import type { Command } from 'commander';
import { InputError } from '../../graph/errors.js';
import { NotFoundError, type Store } from '../store/contract.js';
import { withStore } from '../experiments/lazy-store.js';
import { addStoreOptions, configFromFlags, examples, requireExistingStore, type StoreFlags } from '../experiments/cli-support.js';
import { parseChoice, parseId, parseNumber } from '../experiments/parse.js';
import type { ReportOptions } from '../reports/report.js';
import { DEFAULT_SMOOTH } from '../reports/series.js';

interface ReportFlags extends StoreFlags { out?: string; smooth?: string; epoch?: string; metric?: string; outcome?: string; json?: boolean }

async function isSweep(store: Store, id: string): Promise<boolean> {
  try {
    await store.getSweep(id);
    return true;
  } catch (e) {
    if (e instanceof NotFoundError) return false;
    throw e;
  }
}

async function checkRun(store: Store, id: string): Promise<void> {
  try {
    await store.getRun(id);
  } catch (e) {
    if (e instanceof NotFoundError) throw new InputError('cli', '<ids>', `no run or sweep ${JSON.stringify(id)} in ${store.location}`, 'the id of a stored run or sweep (eqprop runs list, eqprop sweep list)');
    throw e;
  }
}

export function register(program: Command): void {
  const cmd = program.command('report')
    .description('write the figures of runs or a sweep: error curves (Fig. 3), per-layer rates (Fig. 4), error and rates against p (Fig. 5), metric correlations')
    .argument('<ids...>', 'a sweep id, or one or more run ids (drawn together)')
    .requiredOption('--out <dir>', 'output directory (created if missing)')
    .option('--smooth <n>', 'eq. 3 smoothing half-width: a centred mean over 2n+1 batches', String(DEFAULT_SMOOTH))
    .option('--epoch <k>', 'sweeps: the epoch whose errors are plotted against p and the metrics', '1')
    .option('--metric <names>', 'sweeps: comma-separated graph metrics to scatter against the outcome (default: p and every stored metric)')
    .option('--outcome <which>', 'sweeps: train or eval error after --epoch', 'train')
    .option('--json', 'print the written file paths as JSON');
  addStoreOptions(cmd);
  examples(cmd, [
    'eqprop report 5f0c… --out reports/run1',
    'eqprop report fig5-small --out reports/fig5 --epoch 1 --metric L,C,log10Walks.l0',
    'eqprop report runA runB runC --out reports/compare --smooth 25',
  ]);
  cmd.action(async (ids: string[], o: ReportFlags) => {
    ids.forEach((id) => parseId('<ids>', id));
    const options: ReportOptions = {
      smooth: parseNumber('--smooth', o.smooth ?? DEFAULT_SMOOTH, { integer: true, min: 0 }),
      epoch: parseNumber('--epoch', o.epoch ?? '1', { integer: true, min: 1 }),
      outcome: parseChoice('--outcome', o.outcome ?? 'train', ['train', 'eval'] as const),
      metrics: o.metric === undefined ? undefined : o.metric.split(',').map((s) => s.trim()).filter(Boolean),
    };
    if (!o.out) throw new InputError('cli', '--out', 'missing', 'an output directory');
    const config = configFromFlags(o);
    requireExistingStore(config, '<ids>', ids[0], 'the id of a stored run or sweep (eqprop runs list, eqprop sweep list)');
    const { collectRunsReport, collectSweepReport, writeReport } = await import('../reports/report.js');
    const files = await withStore(config, async (store) => {
      if (ids.length === 1 && (await isSweep(store, ids[0]))) return writeReport(await collectSweepReport(store, ids[0], options), o.out!);
      for (const id of ids) await checkRun(store, id);
      return writeReport(await collectRunsReport(store, ids, options), o.out!);
    });
    process.stdout.write(o.json ? `${JSON.stringify(files)}\n` : `${files.map((f) => `wrote ${f}`).join('\n')}\n`);
  });
}
