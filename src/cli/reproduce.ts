/**
 * `eqprop reproduce fig3|fig4|fig5 --scale tiny|small|paper`: run a preset (src/experiments/
 * presets.ts) on local workers — finished runs are skipped, interrupted ones resumed — then
 * write its figures and data into --out.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { withStore } from '../experiments/lazy-store.js';
import { BACKEND_CHOICES } from '../config.js';
import { addStoreOptions, configFromFlags, examples, type StoreFlags } from '../experiments/cli-support.js';
import { parseBackend } from '../experiments/flags.js';
import { parseChoice, parseValues } from '../experiments/parse.js';
import { InputError } from '../../graph/errors.js';
import { FIGURES, SCALES, type Figure, type Scale } from '../experiments/presets.js';
import { presetGroupForStore } from '../experiments/preset-store.js';
import { percent, textTable } from '../experiments/table.js';
import { formatSeconds } from './progress.js';
import { parseWorkers, runGroupLocally, throwIfFailed } from './sweep.js';

interface ReproduceFlags extends StoreFlags { scale?: string; out?: string; workers?: string; json?: boolean; seeds?: string }

function readHistory(path: string): unknown[] {
  if (!existsSync(path)) return [];
  try {
    const old = JSON.parse(readFileSync(path, 'utf8')) as { history?: unknown[] };
    return Array.isArray(old.history) ? old.history : [old];
  } catch {
    return [];
  }
}

export function register(program: Command): void {
  const cmd = program.command('reproduce')
    .description('reproduce a figure of the paper: fig3 (error curves), fig4 (per-layer rates), fig5 (error after one epoch against p)')
    .argument('<figure>', FIGURES.join(', '))
    .option('--scale <scale>', 'tiny (seconds, tests), small (minutes on 2 cores, a miniature net), medium (the paper net, 10,000 images, one epoch), epoch1 (the paper net, one full epoch), paper (SPEC §6 exactly: days)', 'small')
    .option('--out <dir>', 'where the figures go (default reports/<figure>-<scale>)')
    .option('--workers <n>', 'parallel worker processes (default: number of cores)')
    .option('--seeds <list>', 'seeds of every network (default 1, the paper\'s one run); several are filed as their own sweep, '
      + 'reusing finished seed-1 runs, and the figures show their mean and spread')
    .option('--backend <name>', `engine backend: ${BACKEND_CHOICES.join(', ')}`)
    .option('--json', 'print a JSON summary');
  addStoreOptions(cmd);
  examples(cmd, [
    'eqprop reproduce fig4 --scale small        # ≈ minutes; figures in reports/fig4-small/',
    'eqprop reproduce fig4 --scale medium --workers 2   # the paper network, one epoch on 10,000 images',
    'eqprop reproduce fig5 --scale small --workers 2',
    'eqprop reproduce fig4 --scale medium --seeds 1,2,3 --workers 2   # three seeds: mean and spread',
    'eqprop reproduce fig3 --scale paper        # 3 × 250 epochs of the paper network: days',
  ]);
  cmd.action(async (figureRaw: string, o: ReproduceFlags) => {
    const figure = parseChoice<Figure>('<figure>', figureRaw, FIGURES);
    const scale = parseChoice<Scale>('--scale', o.scale ?? 'small', SCALES);
    const workers = parseWorkers(o.workers);
    parseBackend(o.backend);
    const seeds = o.seeds === undefined ? undefined : parseValues('--seeds', o.seeds, { integer: true, min: 0, max: 2 ** 32 - 1 });
    if (seeds && new Set(seeds).size !== seeds.length) throw new InputError('cli', '--seeds', 'a seed appears twice', 'distinct seeds');
    const out = o.out ?? join('reports', `${figure}-${scale}${seeds ? `-seeds-${seeds.join('-')}` : ''}`);
    const config = configFromFlags(o);
    const log = (line: string) => process.stderr.write(`${line}\n`);
    const { group, older } = await withStore(config,
      (store) => presetGroupForStore(store, figure, scale, config.backend, seeds));
    if (older) {
      log(`sweep ${group.sweepId} was filed by an earlier version of this preset (no official-test evaluation): `
        + 'its runs are kept and reported as they are, without the test series '
        + '(a store without it gets the current preset)');
    }
    const started = Date.now();
    log(`reproduce ${figure} --scale ${scale}: ${group.jobs.length} run(s) in sweep ${group.sweepId}, ${workers} worker(s)`);
    const result = await runGroupLocally(group, config, workers, log);
    throwIfFailed(result);
    const cancelled = result.outcomes.filter((r) => r.status === 'cancelled').length;
    if (cancelled > 0) {
      log(`${cancelled} run(s) cancelled; run the same command again to resume them`);
      return;
    }
    const trainSeconds = (Date.now() - started) / 1000;
    const { collectSweepReport, writeReport } = await import('../reports/report.js');
    const content = await withStore(config, (store) => collectSweepReport(store, group.sweepId, group.report));
    const files = await writeReport(content, out);
    const outcomes = content.tables.find((t) => t.name === 'outcomes');
    if (outcomes) log(formatOutcomes(outcomes.rows));
    const wallSeconds = (Date.now() - started) / 1000;
    const summary = {
      figure, scale, sweepId: group.sweepId, runs: group.jobs.length, trained: result.outcomes.filter((r) => r.status === 'done').length, skipped: result.skipped.length,
      workers, trainSeconds: Math.round(trainSeconds), wallSeconds: Math.round(wallSeconds), finishedAt: new Date().toISOString(), out,
      ...(older ? { olderPreset: true } : {}),
    };
    // Keep the history: a re-run that only redraws (every run already done) must not hide how
    // long the training took the first time.
    const previous = readHistory(join(out, 'reproduce.json'));
    writeFileSync(join(out, 'reproduce.json'), `${JSON.stringify({ ...summary, history: [...previous, summary] }, null, 1)}\n`);
    log(`wrote ${files.length + 1} files to ${out} in ${formatSeconds(wallSeconds)}`);
    process.stdout.write(o.json ? `${JSON.stringify({ ...summary, files })}\n` : `${out}\n`);
  });
}

/** The per-run outcome rows of a report as a terminal table: errors in %, rates in scientific notation. */
export function formatOutcomes(rows: Record<string, unknown>[]): string {
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const blocks = keys.filter((k) => k.startsWith('trainErrorBlock'));
  const pairs = keys.filter((k) => k.startsWith('ratePair'));
  const header = ['network', 'train', 'eval', ...blocks.map((k) => `block ${k.slice('trainErrorBlock'.length)}`),
    ...pairs.map((k) => `rate ${k.slice('ratePair'.length)}`), 'deep/out', 'deep spread'];
  const body = rows.map((r) => [
    String(r.label), percent(num(r.trainError)), percent(num(r.evalError)), ...blocks.map((k) => percent(num(r[k]))),
    ...pairs.map((k) => num(r[k])?.toExponential(2) ?? null),
    num(r.deepestOverOutput)?.toPrecision(3) ?? null, num(r.deepSpread)?.toPrecision(3) ?? null,
  ]);
  return textTable(header, body);
}
