/**
 * `eqprop topology build|list|show|export`: build a topology from flags (SPEC §4), print its
 * summary (connections per kind, n and p, metrics on request, time taken), export it, and keep
 * it in the configured store.
 *
 * Everything the user typed is checked before any work or any write: the spec by
 * graph/spec.ts (its errors shown under the flags --sizes, --mode, --n, --p, --seed), the output path by
 * graph/export (known extension, writable directory). Files are written to a temporary name
 * and renamed, so a failure leaves no partial file.
 */
import type { Command } from 'commander';
import {
  buildTopology,
  validateSpec,
  countEdges,
  computeMetrics,
  exportTopology,
  checkOutputPath,
  InputError,
  TOPOLOGY_MODES,
  EXPORT_FORMATS,
  type Metrics,
  type Topology,
  type TopologyMode,
  type TopologySpec,
} from '../graph/index.js';
import type { TopologyFilter, TopologyRecord, NumberRange } from '../src/store/index.js';
import { withOpenedStore } from '../src/store/index.js';
import { resolveId } from '../src/store/index.js';
import { addStoreOptions, configFromFlags, examples, type StoreFlags } from './support.js';
import { parseChoice, parseId, parseNumber } from './parse.js';
import { textTable } from '../src/experiments/index.js';
import { listTopologiesNewestFirst } from '../src/experiments/index.js';
import { parseSizes, SKIP_FLAG_HELP, specOfFlags } from './run-flags.js';
import { namingFlags, SPEC_FLAGS } from './flag-names.js';
import { parseMetricRanges } from '../src/experiments/index.js';
import { topologyIdFor } from '../src/experiments/index.js';
import { deleteTopologyWithRuns } from '../src/experiments/index.js';
import { escapeForTerminal } from '../lib/index.js';

interface SpecFlags {
  sizes?: string;
  mode?: string;
  n?: string;
  p?: string;
  seed?: string;
  spanMin?: string;
  spanMax?: string;
  skipTarget?: string;
  skipBound?: string;
}
interface MetricFlags {
  metrics?: boolean;
  smallWorld?: string;
  niter?: string;
  walkLength?: string;
}
interface BuildFlags extends SpecFlags, MetricFlags, StoreFlags {
  out?: string;
  json?: boolean;
  save?: boolean;
  name?: string;
}
interface ListFlags extends StoreFlags {
  mode?: string;
  sizes?: string;
  seed?: string;
  pMin?: string;
  pMax?: string;
  nMin?: string;
  nMax?: string;
  metric?: string[];
  limit?: string;
  json?: boolean;
}

const fmt = (x: number) => (Number.isInteger(x) ? x.toLocaleString('en-US') : Number(x.toPrecision(6)).toString());

/** The spec flags as a spec (their text read; graph/spec.ts checks it, its errors named by SPEC_FLAGS). */
export function specFromFlags(o: SpecFlags): TopologySpec {
  if (o.sizes === undefined)
    throw new InputError(
      'topology',
      '--sizes',
      'missing',
      'at least 2 comma-separated positive integers, e.g. 784,500,500,500,10',
    );
  return specOfFlags(o, { flag: '--seed', raw: o.seed ?? '0' });
}

function metricsOptions(o: MetricFlags) {
  const samples =
    o.smallWorld === undefined ? 0 : parseNumber('--small-world', o.smallWorld, { integer: true, min: 0, max: 1000 });
  const niter = parseNumber('--niter', o.niter ?? '1', { min: 0, minExclusive: true, max: 1000 });
  const walkLength =
    o.walkLength === undefined
      ? undefined
      : parseNumber('--walk-length', o.walkLength, { integer: true, min: 1, max: 64 });
  return {
    wanted: Boolean(o.metrics) || samples > 0,
    options: { smallWorld: { samples, randomNiter: niter, latticeNiter: niter }, walkLength },
  };
}

/** The metrics worth a line each in the text summary; the rest are in --json and the store. */
function metricLines(m: Metrics, K: number): string[] {
  const lines = [
    `L ${fmt(m.L)}${m.connected ? '' : ' (disconnected: over connected pairs)'}   C ${fmt(m.C)}   transitivity ` +
      `${fmt(m.transitivity)}   diameter ${m.diameter}`,
  ];
  if (m.sigma !== undefined || m.omega !== undefined) {
    lines.push(
      `sigma ${fmt(m.sigma ?? NaN)}   omega ${fmt(m.omega ?? NaN)}   (Lrand ${fmt(m.Lrand)}, Crand ` +
        `${fmt(m.Crand)}, Clattice ${fmt(m.Clattice)}; ${m['smallWorld.samples']} samples, niter ` +
        `${m['smallWorld.randomNiter']})`,
    );
  }
  const rows: (string | number)[][] = [];
  for (let l = 0; l < K; l++) {
    rows.push([
      `layer ${l}`,
      fmt(m[`degree.mean.l${l}`]),
      fmt(m[`distToOutput.mean.l${l}`]),
      fmt(m[`log10ShortestPaths.l${l}`] ?? NaN),
      fmt(m[`log10Walks.l${l}`] ?? NaN),
    ]);
  }
  lines.push(
    textTable(
      ['', 'mean degree', 'mean dist to output', 'log10 shortest paths', `log10 walks ≤ ${m.walkLength}`],
      rows,
    ).trimEnd(),
  );
  return lines;
}

function describeSpec(t: Pick<Topology, 'spec'>): string {
  const s = t.spec;
  const amount = s.mode === 'layered' ? '' : `  n ${fmt(s.n)}  p ${fmt(s.p)}`;
  return `${s.sizes.join('-')} ${s.mode}${amount}  seed ${s.seed}`;
}

async function build(o: BuildFlags): Promise<void> {
  // 1. check everything typed, before any work
  const spec = namingFlags(SPEC_FLAGS, () => validateSpec(specFromFlags(o)));
  const { wanted, options } = metricsOptions(o);
  if (o.out !== undefined) checkOutputPath(o.out, '--out');
  const config = o.save === false ? null : configFromFlags(o);
  if (o.name !== undefined) parseId('--name', o.name);

  // 2. build, measure, export, save
  const t0 = performance.now();
  const topology = buildTopology(spec);
  const buildSeconds = (performance.now() - t0) / 1000;
  const counts = countEdges(topology);
  let metrics: Metrics | undefined;
  let metricsSeconds: number | undefined;
  if (wanted) {
    const t1 = performance.now();
    metrics = computeMetrics(topology, options);
    metricsSeconds = (performance.now() - t1) / 1000;
  }
  const files = o.out === undefined ? [] : exportTopology(topology, o.out, '--out');
  let id: string | undefined,
    location: string | undefined,
    reused = false;
  if (config) {
    await withOpenedStore(config, async (store) => {
      // The id `train` and sweeps give this spec: building what they built (or will build) reuses
      // one stored topology instead of making a second copy of the same graph.
      const deterministic = topologyIdFor(topology.spec);
      reused = (await store.idsWithPrefix('topology', deterministic, 1))[0] === deterministic;
      id = await store.saveTopology(topology, { id: deterministic, name: o.name ?? null, metrics: metrics ?? {} });
      if (reused && metrics) await store.setTopologyMetrics(id, metrics);
      location = store.location;
    });
  }

  if (o.json) {
    const seconds = { build: buildSeconds, metrics: metricsSeconds ?? null };
    const summary = {
      id: id ?? null,
      spec: topology.spec,
      N: topology.N,
      counts,
      metrics: metrics ?? null,
      files,
      seconds,
    };
    process.stdout.write(`${JSON.stringify(summary, null, 1)}\n`);
    return;
  }
  const metricsTime = metricsSeconds === undefined ? '' : `; metrics in ${metricsSeconds.toFixed(2)} s`;
  const lines = [
    `topology    ${describeSpec(topology)}`,
    `neurons     ${fmt(topology.N)}`,
    `connections ${fmt(counts.total)}: adjacent ${fmt(counts.adjacent)}, intralayer ${fmt(counts.intralayer)}, ` +
      `skip ${fmt(counts.skip)}`,
    `built in    ${buildSeconds.toFixed(2)} s${metricsTime}`,
  ];
  if (metrics) lines.push(...metricLines(metrics, topology.sizes.length - 1));
  for (const f of files) lines.push(`wrote       ${f}`);
  if (id !== undefined) {
    const why = `same spec and seed already stored${metrics ? '; metrics updated' : ''}`;
    lines.push(reused ? `reused      ${id} in ${location} (${why})` : `saved       ${id} in ${location}`);
  }
  process.stdout.write(`${escapeForTerminal(lines.join('\n'), { keepNewlines: true })}\n`);
}

function parseRange(minFlag: string, maxFlag: string, min?: string, max?: string): NumberRange | undefined {
  if (min === undefined && max === undefined) return undefined;
  return {
    min: min === undefined ? undefined : parseNumber(minFlag, min),
    max: max === undefined ? undefined : parseNumber(maxFlag, max),
  };
}

/** --metric name:min:max (src/experiments/summarise/metric-ranges.ts) → the store's metric filter. */
function parseMetricFilters(raw: string[] | undefined): Record<string, NumberRange> | undefined {
  if (!raw || raw.length === 0) return undefined;
  return parseMetricRanges(raw, '--metric');
}

function listFilter(o: ListFlags): TopologyFilter {
  return {
    mode: o.mode === undefined ? undefined : parseChoice<TopologyMode>('--mode', o.mode, TOPOLOGY_MODES),
    sizes:
      o.sizes === undefined
        ? undefined
        : parseSizes('--sizes', o.sizes).map((s) => parseNumber('--sizes', String(s), { integer: true, min: 1 })),
    seed: o.seed === undefined ? undefined : parseNumber('--seed', o.seed, { integer: true, min: 0 }),
    p: parseRange('--p-min', '--p-max', o.pMin, o.pMax),
    n: parseRange('--n-min', '--n-max', o.nMin, o.nMax),
    metrics: parseMetricFilters(o.metric),
    limit: parseNumber('--limit', o.limit ?? '50', { integer: true, min: 1 }),
  };
}

function showRecord(r: TopologyRecord): string {
  const c = r.counts;
  const lines = [
    `topology    ${r.id}${r.name ? ` (${r.name})` : ''}`,
    `spec        ${describeSpec(r)}`,
    `neurons     ${fmt(r.N)}`,
    `connections ${fmt(c.total)}: adjacent ${fmt(c.adjacent)}, intralayer ${fmt(c.intralayer)}, skip ${fmt(c.skip)}`,
    `created     ${r.createdAt}`,
  ];
  const keys = Object.keys(r.metrics).sort();
  if (keys.length === 0) lines.push('metrics     none (eqprop topology build --metrics computes them)');
  else lines.push('metrics', ...keys.map((k) => `  ${k.padEnd(32)} ${fmt(r.metrics[k])}`));
  // Names stored before names were checked may hold terminal commands: print them as text.
  return escapeForTerminal(lines.join('\n'), { keepNewlines: true });
}

export function register(program: Command): void {
  const topology = program
    .command('topology')
    .description('build, measure, export and list network topologies (layered, layer-skipping)');

  const buildCmd = topology
    .command('build')
    .description('build a topology, print its summary, optionally measure and export it, and save it to the store')
    .option('--sizes <list>', 'layer sizes, input first', '784,500,500,500,10')
    .option(
      '--mode <mode>',
      `one of ${TOPOLOGY_MODES.join(', ')} (default: replace when --p or --n is given, else layered)`,
    )
    .option(
      '--n <count>',
      'layer-skipping connections: rewirings (replace), additions (add), expected replacements (per-connection)',
    )
    .option('--p <fraction>', 'p in [0, 1]: p = 1 − ((N_o−1)/N_o)^n (replace, add) or the per-connection probability')
    .option('--seed <int>', 'seed of the topology and its initial weights', '0')
    .option('--span-min <k>', SKIP_FLAG_HELP.spanMin)
    .option('--span-max <k>', SKIP_FLAG_HELP.spanMax)
    .option('--skip-target <layer>', SKIP_FLAG_HELP.skipTarget)
    .option('--skip-bound <a>', SKIP_FLAG_HELP.skipBound)
    .option('--metrics', 'compute L, C, degrees, distances and path counts to the output')
    .option(
      '--small-world <samples>',
      'also σ and ω from this many random and lattice reference graphs (implies --metrics)',
    )
    .option(
      '--niter <rounds>',
      'swap rounds per edge for each reference graph (fractions allowed; the paper net takes ~1 min per sample at 1)',
      '1',
    )
    .option('--walk-length <k>', 'longest walk counted by log10Walks.* (default: number of layers − 1)')
    .option(
      '--out <file>',
      `also write the topology to a file (${EXPORT_FORMATS.map((f) => `.${f}`).join(', ')}; .npy writes the ` +
        `dense weights and <name>.mask.npy)`,
    )
    .option('--name <name>', 'a name stored with the topology')
    .option('--no-save', 'do not save the topology to the store')
    .option('--json', 'print the summary as JSON');
  addStoreOptions(buildCmd);
  examples(buildCmd, [
    'eqprop topology build --sizes 784,500,500,500,10 --mode replace --p 0.0756 --seed 0',
    'eqprop topology build --mode layered --metrics --no-save',
    'eqprop topology build --sizes 20,10,10,5 --mode add --n 30 --small-world 5 --out small.graphml',
    'eqprop topology build --mode per-connection --p 0.05 --out w.npy --no-save   # w.npy + w.mask.npy',
    "eqprop topology build --sizes 784,100,100,100,100,100,10 --mode no-intralayer --p 0.1   # the journal's family",
    'eqprop topology build --sizes 784,100,100,100,100,100,10 --mode no-intralayer --n 4000 --skip-target output',
  ]);
  buildCmd.action((o: BuildFlags) => build(o));

  const list = topology
    .command('list')
    .description('list stored topologies, newest first, filtered by spec and metrics')
    .option('--mode <mode>', `only this mode (${TOPOLOGY_MODES.join(', ')})`)
    .option('--sizes <list>', 'only these exact layer sizes')
    .option('--seed <int>', 'only this seed')
    .option('--p-min <p>')
    .option('--p-max <p>')
    .option('--n-min <n>')
    .option('--n-max <n>')
    .option(
      '--metric <name:min:max>',
      'only topologies whose metric lies in the range (repeatable)',
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option('--limit <n>', 'at most n topologies', '50')
    .option('--json', 'print JSON');
  addStoreOptions(list);
  examples(list, [
    'eqprop topology list --mode replace --p-min 0.01 --p-max 0.1',
    'eqprop topology list --metric L:1.4:1.6 --metric sigma:1: --json',
  ]);
  list.action(async (o: ListFlags) => {
    const filter = listFilter(o);
    await withOpenedStore(configFromFlags(o), async (store) => {
      const records = await listTopologiesNewestFirst(store, filter);
      if (o.json) {
        process.stdout.write(`${JSON.stringify(records, null, 1)}\n`);
        return;
      }
      if (records.length === 0) {
        process.stdout.write(`no topologies in ${store.location}\n`);
        return;
      }
      process.stdout.write(
        textTable(
          ['id', 'sizes', 'mode', 'n', 'p', 'seed', 'connections', 'skip', 'L', 'C', 'created'],
          records.map((r) => [
            r.id,
            r.spec.sizes.join('-'),
            r.spec.mode,
            fmt(r.spec.n),
            fmt(r.spec.p),
            r.spec.seed,
            fmt(r.counts.total),
            fmt(r.counts.skip),
            r.metrics.L === undefined ? null : fmt(r.metrics.L),
            r.metrics.C === undefined ? null : fmt(r.metrics.C),
            r.createdAt.slice(0, 19).replace('T', ' '),
          ]),
        ),
      );
    });
  });

  const show = topology
    .command('show')
    .description('one stored topology: spec, connection counts and metrics')
    .argument('<id>', 'topology id')
    .option('--json', 'print JSON');
  addStoreOptions(show);
  examples(show, ['eqprop topology show 3f2a…', 'eqprop topology show 3f2a… --json']);
  show.action(async (id: string, o: StoreFlags & { json?: boolean }) => {
    parseId('<id>', id);
    await withOpenedStore(configFromFlags(o), async (store) => {
      const record = await store.getTopology(await resolveId(store, 'topology', id, '<id>'));
      process.stdout.write(o.json ? `${JSON.stringify(record, null, 1)}\n` : `${showRecord(record)}\n`);
    });
  });

  const measure = topology
    .command('measure')
    .description('add metrics to a stored topology: the full set, and σ/ω with --small-world')
    .argument('<id>', 'topology id')
    .option('--small-world <samples>', 'σ and ω from this many random and lattice reference graphs', '1')
    .option('--niter <rounds>', 'swap rounds per edge for each reference graph', '1')
    .option('--walk-length <k>', 'longest walk counted by log10Walks.* (default: number of layers − 1)')
    .option('--json', 'print the metrics as JSON');
  addStoreOptions(measure);
  examples(measure, [
    'eqprop topology measure topo-784x100x100x10-replace-n500-s1 --small-world 2',
    'eqprop topology measure 3f2a… --small-world 0   # no σ/ω',
  ]);
  measure.action(async (id: string, o: StoreFlags & MetricFlags & { json?: boolean }) => {
    parseId('<id>', id);
    const { options } = metricsOptions(o);
    await withOpenedStore(configFromFlags(o), async (store) => {
      const full = await resolveId(store, 'topology', id, '<id>');
      const topology = await store.loadTopology(full);
      const metrics = computeMetrics(topology, options);
      await store.setTopologyMetrics(full, metrics);
      const record = await store.getTopology(full);
      process.stdout.write(o.json ? `${JSON.stringify(record.metrics, null, 1)}\n` : `${showRecord(record)}\n`);
    });
  });

  const del = topology
    .command('delete')
    .description(
      'delete a stored topology with its runs, epochs, rates and checkpoint files ' +
        '(refused while a run on it trains or is queued)',
    )
    .argument('<id>', 'topology id');
  addStoreOptions(del);
  examples(del, ['eqprop topology delete 3f2a…']);
  del.action(async (id: string, o: StoreFlags) => {
    parseId('<id>', id);
    await withOpenedStore(configFromFlags(o), async (store) => {
      const full = await resolveId(store, 'topology', id, '<id>');
      const { runs } = await deleteTopologyWithRuns(store, full);
      process.stdout.write(`deleted topology ${full} and ${runs.length} run(s) with their checkpoints\n`);
    });
  });

  const exp = topology
    .command('export')
    .description('write a stored topology to a file')
    .argument('<id>', 'topology id')
    .requiredOption('--out <file>', `output file (${EXPORT_FORMATS.map((f) => `.${f}`).join(', ')})`);
  addStoreOptions(exp);
  examples(exp, [
    'eqprop topology export 3f2a… --out net.gexf   # open in Gephi',
    'eqprop topology export 3f2a… --out w.npy      # np.load("w.npy"), np.load("w.mask.npy")',
  ]);
  exp.action(async (id: string, o: StoreFlags & { out: string }) => {
    parseId('<id>', id);
    checkOutputPath(o.out, '--out');
    await withOpenedStore(configFromFlags(o), async (store) => {
      const t = await store.loadTopology(await resolveId(store, 'topology', id, '<id>'));
      for (const f of exportTopology(t, o.out, '--out')) process.stdout.write(`wrote ${escapeForTerminal(f)}\n`);
    });
  });
}
