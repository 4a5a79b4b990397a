/**
 * `eqprop reproduce fig3|fig4|fig5 --scale tiny|small|paper`: run a preset (src/experiments/
 * presets.ts) on local workers — finished runs are skipped, interrupted ones resumed — then
 * write its figures and data into --out. `eqprop reproduce journal-table1 --scale toy|mnist|fmnist`
 * does the same for the journal version's table (src/experiments/plan/journal-presets.ts, docs/journal.md).
 */
import { withLazilyLoadedStore } from './lazy-store.js';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadReportWriter } from '../src/reports/index.js';
import { BACKEND_CHOICES } from '../src/config.js';
import { addStoreOptions, configFromFlags, examples, type StoreFlags } from './support.js';
import { parseBackend } from './run-flags.js';
import { parseChoice, parseNumber, parseValues } from './parse.js';
import { InputError } from '../lib/index.js';
import { FIGURES, SCALES, presetGroup, type Figure, type PresetGroup, type Scale } from '../src/experiments/index.js';
import { adoptFinishedTwins, type TrainingJob } from '../src/experiments/index.js';
import {
  JOURNAL_PRESET,
  JOURNAL_SCALES,
  journalPresetGroup,
  journalSummary,
  journalTable,
  type JournalScale,
} from '../src/experiments/index.js';
import { formatError, type ErrorKind } from '../src/experiments/index.js';
import type { Config } from '../src/config.js';
import { presetGroupForStore } from '../src/experiments/index.js';
import { claimsMarkdown, fig4Claims, fig5Claims } from '../src/experiments/index.js';
import { fig4Runs, fig5RunsWithTwins } from '../src/experiments/index.js';
import { percent, textTable } from '../src/experiments/index.js';
import { formatSeconds } from './progress.js';
import { parseWorkers, runGroupLocally, throwIfFailed } from './sweep.js';
import { selectPoints } from './preset-points.js';

interface ReproduceFlags extends StoreFlags {
  scale?: string;
  out?: string;
  workers?: string;
  json?: boolean;
  seeds?: string;
  fig5Seeds?: string;
  epochs?: string;
  points?: string;
}

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
  const cmd = program
    .command('reproduce')
    .description(
      'reproduce a figure of the paper: fig3 (error curves), fig4 (per-layer rates), fig5 (error after ' +
        "one epoch against p); or journal-table1, the journal version's layered vs no-intralayer table " +
        '(docs/journal.md)',
    )
    .argument('<figure>', [...FIGURES, JOURNAL_PRESET, CLAIMS].join(', '))
    .option(
      '--scale <scale>',
      'tiny (seconds, tests), small (minutes on 2 cores, a miniature net), medium (the paper net, 10,000 images, ' +
        'one epoch), epoch1 (the paper net, one full epoch), paper (SPEC §6 exactly: days); ' +
        'journal-table1: toy (Diabetes and Wine, default), mnist, fmnist or tiny (seconds, tests)',
    )
    .option('--out <dir>', 'where the figures go (default reports/<figure>-<scale>)')
    .option('--workers <n>', 'parallel worker processes (default: number of cores)')
    .option(
      '--seeds <list>',
      "seeds of every network (default 1, the paper's one run); several are filed as their own sweep, " +
        'reusing finished seed-1 runs, and the figures show their mean and spread',
    )
    .option(
      '--fig5-seeds <list>',
      'claims only: the seeds of the Fig. 5 runs when they differ from --seeds (e.g. more seeds of Fig. 4)',
    )
    .option(
      '--epochs <n>',
      "journal-table1 only: epochs of every network instead of the preset's (10); filed as their own sweep",
    )
    .option(
      '--points <list>',
      "fig5 only: train only these of the preset's points now (its n values, p at small and tiny, and " +
        'layered), e.g. more seeds around a crossover; finished twins of the other points are still filed, ' +
        'and the same command without --points trains the rest',
    )
    .option('--backend <name>', `engine backend: ${BACKEND_CHOICES.join(', ')}`)
    .option('--json', 'print a JSON summary');
  addStoreOptions(cmd);
  examples(cmd, [
    'eqprop reproduce fig4 --scale small        # ≈ minutes; figures in reports/fig4-small/',
    'eqprop reproduce fig4 --scale medium --workers 2   # the paper network, one epoch on 10,000 images',
    'eqprop reproduce fig5 --scale small --workers 2',
    'eqprop reproduce fig4 --scale medium --seeds 1,2,3 --workers 2   # three seeds: mean and spread',
    'eqprop reproduce fig3 --scale paper        # 3 × 250 epochs of the paper network: days',
    'eqprop reproduce journal-table1 --scale toy --workers 2   # Diabetes and Wine, layered vs no-intralayer',
    'eqprop reproduce journal-table1 --scale mnist --epochs 1 --workers 2   # the 784-100×5-10 pair, one epoch',
    'eqprop reproduce claims --scale medium --seeds 1,2,3   # judge the Fig. 4/5 claims on those runs (no training)',
    'eqprop reproduce fig5 --scale epoch1 --seeds 1,2,3 --points 10000,25000   # seeds where the crossover is',
  ]);
  cmd.action(async (figureRaw: string, o: ReproduceFlags) => {
    const figure = parseChoice<Figure | typeof JOURNAL_PRESET | typeof CLAIMS>('<figure>', figureRaw, [
      ...FIGURES,
      JOURNAL_PRESET,
      CLAIMS,
    ]);
    const journal = figure === JOURNAL_PRESET;
    const scale = journal
      ? parseChoice<JournalScale>('--scale', o.scale ?? 'toy', JOURNAL_SCALES)
      : parseChoice<Scale>('--scale', o.scale ?? 'small', SCALES);
    const workers = parseWorkers(o.workers);
    parseBackend(o.backend);
    const seeds =
      o.seeds === undefined ? undefined : parseValues('--seeds', o.seeds, { integer: true, min: 0, max: 2 ** 32 - 1 });
    if (seeds && new Set(seeds).size !== seeds.length)
      throw new InputError('cli', '--seeds', 'a seed appears twice', 'distinct seeds');
    if (o.epochs !== undefined && !journal)
      throw new InputError('cli', '--epochs', `${figure} has the paper's epochs`, 'only with journal-table1');
    const epochs =
      o.epochs === undefined ? undefined : parseNumber('--epochs', o.epochs, { integer: true, min: 1, max: 1000 });
    if (o.points !== undefined && figure !== 'fig5')
      throw new InputError('cli', '--points', `${figure} has no points to choose from`, 'only with fig5');
    if (o.fig5Seeds !== undefined && figure !== CLAIMS)
      throw new InputError('cli', '--fig5-seeds', `${figure} has no Fig. 5 claims`, 'only with claims');
    const fig5Seeds =
      o.fig5Seeds === undefined
        ? seeds
        : parseValues('--fig5-seeds', o.fig5Seeds, { integer: true, min: 0, max: 2 ** 32 - 1 });
    if (fig5Seeds && new Set(fig5Seeds).size !== fig5Seeds.length)
      throw new InputError('cli', '--fig5-seeds', 'a seed appears twice', 'distinct seeds');
    const epochTag = epochs ? `-epochs-${epochs}` : '';
    const out = o.out ?? join('reports', `${figure}-${scale}${epochTag}${seeds ? `-seeds-${seeds.join('-')}` : ''}`);
    const config = configFromFlags(o);
    const log = (line: string) => process.stderr.write(`${line}\n`);
    if (figure === CLAIMS) {
      await writeClaims(scale as Scale, { fig4: seeds, fig5: fig5Seeds }, out, config);
      return;
    }
    // Points are checked against the preset before any store is opened.
    const pick = (preset: PresetGroup) => (o.points === undefined ? preset : selectPoints(preset, o.points));
    if (o.points !== undefined) pick(presetGroup('fig5', scale as Scale, config.backend, seeds));
    const { group, older, leftOut } = journal
      ? { group: journalPresetGroup(scale as JournalScale, config.backend, seeds, epochs), older: false, leftOut: [] }
      : await withLazilyLoadedStore(config, async (store) => {
          const found = await presetGroupForStore(store, figure as Figure, scale as Scale, config.backend, seeds);
          const group = pick(found.group);
          const chosen = new Set(group.jobs.map((job) => job.request.runId));
          return { ...found, group, leftOut: found.group.jobs.filter((job) => !chosen.has(job.request.runId)) };
        });
    if (older) {
      log(
        `sweep ${group.sweepId} was filed by an earlier version of this preset (no official-test evaluation): ` +
          'its runs are kept and reported as they are, without the test series ' +
          '(a store without it gets the current preset)',
      );
    }
    const json = Boolean(o.json);
    await reproduceGroup({ figure, scale, group, older, leftOut, out, workers, config, json, log });
  });
}

/** `reproduce claims`: no figure of its own, the Fig. 4 and Fig. 5 claims judged on their stored runs. */
const CLAIMS = 'claims';

/** The seeds of each figure's runs (undefined: seed 1, the paper's one run). */
interface ClaimSeeds {
  fig4: number[] | undefined;
  fig5: number[] | undefined;
}

async function writeClaims(scale: Scale, seeds: ClaimSeeds, out: string, config: Config): Promise<void> {
  const rows = await withLazilyLoadedStore(config, async (store) => {
    const fig4 = await presetGroupForStore(store, 'fig4', scale, config.backend, seeds.fig4);
    const fig5 = await presetGroupForStore(store, 'fig5', scale, config.backend, seeds.fig5);
    const sweeps = { fig4: fig4.group.sweepId, fig5: fig5.group.sweepId };
    const claims = [
      ...fig4Claims(await fig4Runs(store, sweeps.fig4)),
      // Fig. 4's layered one-rate and p = 7.56 % runs are Fig. 5's baseline and point, trained the same way.
      ...fig5Claims(await fig5RunsWithTwins(store, sweeps.fig5, fig5.group.jobs, [sweeps.fig4])),
    ];
    return { sweeps, claims };
  });
  const seedText = (list: number[] = [1]) => (list.length > 1 ? `seeds ${list.join(', ')}` : `seed ${list[0]}`);
  const same = seedText(seeds.fig4) === seedText(seeds.fig5);
  const seedsText = same ? seedText(seeds.fig4) : `Fig. 4 ${seedText(seeds.fig4)}, Fig. 5 ${seedText(seeds.fig5)}`;
  const markdown = claimsMarkdown(
    rows.claims,
    `The paper's Fig. 4 and Fig. 5 claims at --scale ${scale} ` +
      `(${seedsText}; sweeps ${rows.sweeps.fig4}, ${rows.sweeps.fig5})`,
  );
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'claims.md'), markdown);
  const seedLists = { fig4: seeds.fig4 ?? [1], fig5: seeds.fig5 ?? [1] };
  writeFileSync(join(out, 'claims.json'), `${JSON.stringify({ scale, seeds: seedLists, ...rows }, null, 1)}\n`);
  process.stdout.write(markdown);
}

interface ReproduceRun {
  figure: string;
  scale: string;
  group: PresetGroup;
  older: boolean;
  /** The preset's jobs that --points leaves out: not trained, but filed where a finished twin exists. */
  leftOut: TrainingJob[];
  out: string;
  workers: number;
  config: Config;
  json: boolean;
  log: (line: string) => void;
}

/** Trains a preset's unfinished runs, then writes its report (and, for journal-table1, its table). */
async function reproduceGroup(r: ReproduceRun): Promise<void> {
  const { figure, scale, group, older, out, workers, config, log } = r;
  const started = Date.now();
  log(
    `reproduce ${figure} --scale ${scale}: ${group.jobs.length} run(s) in sweep ${group.sweepId}, ` +
      `${workers} worker(s)`,
  );
  const result = await runGroupLocally(group, config, workers, log);
  throwIfFailed(result);
  if (r.leftOut.length > 0) {
    // Points left out are not trained, but a finished run of the very same training (seed 1 of a
    // one-seed preset) costs nothing to file, and the figures and claims then show every point it has.
    const filed = await withLazilyLoadedStore(config, (store) =>
      adoptFinishedTwins(store, r.leftOut, (job, source) =>
        log(`reused ${source} for ${job.request.runId}: the same training, already done`),
      ),
    );
    log(`--points: ${r.leftOut.length - filed.length} run(s) of other points left to a run without --points`);
  }
  const cancelled = result.outcomes.filter((o) => o.status === 'cancelled').length;
  if (cancelled > 0) {
    log(`${cancelled} run(s) cancelled; run the same command again to resume them`);
    return;
  }
  const trainSeconds = (Date.now() - started) / 1000;
  const { collectSweepReport, writeReport } = await loadReportWriter();
  const content = await withLazilyLoadedStore(config, (store) =>
    collectSweepReport(store, group.sweepId, group.report),
  );
  const outcomes = content.tables.find((t) => t.name === 'outcomes');
  if (outcomes && figure === JOURNAL_PRESET) {
    const rows = journalTable(outcomes.rows);
    content.tables.push({ name: 'table1', rows, columns: Object.keys(rows[0] ?? {}) });
    const summary = journalSummary(rows);
    content.tables.push({ name: 'table1-summary', rows: summary, columns: Object.keys(summary[0] ?? {}) });
    log(formatJournalTable(rows));
    log(formatJournalSummary(summary));
  } else if (outcomes) log(formatOutcomes(outcomes.rows));
  const files = await writeReport(content, out);
  const wallSeconds = (Date.now() - started) / 1000;
  const summary = {
    figure,
    scale,
    sweepId: group.sweepId,
    runs: group.jobs.length,
    trained: result.outcomes.filter((o) => o.status === 'done').length,
    skipped: result.skipped.length,
    workers,
    trainSeconds: Math.round(trainSeconds),
    wallSeconds: Math.round(wallSeconds),
    finishedAt: new Date().toISOString(),
    out,
    ...(older ? { olderPreset: true } : {}),
  };
  // Keep the history: a re-run that only redraws (every run already done) must not hide how
  // long the training took the first time.
  const previous = readHistory(join(out, 'reproduce.json'));
  writeFileSync(
    join(out, 'reproduce.json'),
    `${JSON.stringify({ ...summary, history: [...previous, summary] }, null, 1)}\n`,
  );
  log(`wrote ${files.length + 1} files to ${out} in ${formatSeconds(wallSeconds)}`);
  process.stdout.write(r.json ? `${JSON.stringify({ ...summary, files })}\n` : `${out}\n`);
}

/** The journal table for the terminal: errors in % (class) or as MSE (regression), saying which. */
export function formatJournalTable(rows: Record<string, unknown>[]): string {
  const header = ['dataset', 'hidden', 'network', 'seed', 'error', 'epochs', 'train', 'test'];
  const body = rows.map((row) => {
    const kind = (row.errorKind ?? 'class') as ErrorKind;
    const value = (v: unknown) => formatError(typeof v === 'number' ? v : null, kind);
    return [
      String(row.dataset),
      String(row.hiddenLayers),
      String(row.network),
      String(row.seed),
      kind === 'mse' ? 'MSE' : 'class',
      String(row.epochs),
      value(row.trainError),
      value(row.testError),
    ];
  });
  return textTable(header, body);
}

/** Mean ± sd across seeds per dataset, depth and network. */
export function formatJournalSummary(rows: Record<string, unknown>[]): string {
  const body = rows.map((row) => {
    const kind = (row.errorKind ?? 'class') as ErrorKind;
    const value = (mean: unknown, sd: unknown) =>
      `${formatError(typeof mean === 'number' ? mean : null, kind)}` +
      (typeof sd === 'number' ? ` ± ${formatError(sd, kind)}` : '');
    return [
      String(row.dataset),
      String(row.hiddenLayers),
      String(row.network),
      String(row.seeds),
      value(row.trainMean, row.trainSd),
      value(row.testMean, row.testSd),
    ];
  });
  return textTable(['dataset', 'hidden', 'network', 'seeds', 'train (mean ± sd)', 'test (mean ± sd)'], body);
}

/** The per-run outcome rows of a report as a terminal table: errors in %, rates in scientific notation. */
export function formatOutcomes(rows: Record<string, unknown>[]): string {
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const blocks = keys.filter((k) => k.startsWith('trainErrorBlock'));
  const pairs = keys.filter((k) => k.startsWith('ratePair'));
  const header = [
    'network',
    'train',
    'eval',
    ...blocks.map((k) => `block ${k.slice('trainErrorBlock'.length)}`),
    ...pairs.map((k) => `rate ${k.slice('ratePair'.length)}`),
    'deep/out',
    'deep spread',
  ];
  // A regression run's errors are mean squared errors, not fractions (its errorKind column says so).
  const error = (r: Record<string, unknown>, v: unknown) =>
    r.errorKind === 'mse' ? formatError(num(v), 'mse') : percent(num(v));
  const body = rows.map((r) => [
    String(r.label),
    error(r, r.trainError),
    error(r, r.evalError),
    ...blocks.map((k) => error(r, r[k])),
    ...pairs.map((k) => num(r[k])?.toExponential(2) ?? null),
    num(r.deepestOverOutput)?.toPrecision(3) ?? null,
    num(r.deepSpread)?.toPrecision(3) ?? null,
  ]);
  return textTable(header, body);
}
