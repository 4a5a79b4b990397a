/**
 * The stores at research scale: fills a fresh store of each kind with N topologies of
 * 784-100-100-100-100-100-10 ("5×100", 144,150 connections) and prints, per N: save, exact reload,
 * a metric-filtered list (matching ~40 %, limit 50, serialised as the API would), the explorer's
 * graph view, disk per topology and peak memory; then the targets (TARGETS), met or not. Figures
 * only, no assertions (tests never depend on timing).
 *
 *   npx tsc -p tsconfig.json && node dist/bench/store.js --topologies 10,100,1000 \
 *     [--sqlite-only | --neo4j-only] [--neo4j-max 100] [--paper] [--baseline /old/checkout/dist]
 *
 * --neo4j-max: Neo4j sizes above it are skipped (a 5×100 save takes ~1 s there; 1000 saves do
 *   not fit a shared 2-core machine's afternoon). --paper: also one paper network (784-500-500-
 *   500-10, n = 100,000, ~1.27 M connections) in a fresh SQLite store: save, load, disk.
 * --baseline: the same measurements with the store classes of another compiled tree (e.g. another
 *   commit), on the same machine in the same run, so that two versions compare under one load.
 * Neo4j: always a fresh server per size (the launcher's settings, heap 1g, page cache 256m), so
 * its disk and memory can be measured; NEO4J_URI is ignored here.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import neo4j from 'neo4j-driver';
import { buildTopology, PAPER, Rng, type Topology } from '../graph/index.js';
import type { Store } from '../src/store/contract.js';
import { SqliteStore } from '../src/store/sqlite/store.js';
import { Neo4jStore } from '../src/store/neo4j/store.js';
import { cypher } from '../src/store/neo4j/cypher.js';
import { graphView } from '../server/graph-view.js';
import { startTestNeo4j } from '../test/store/neo4j-server.js';

const SIZES = [784, 100, 100, 100, 100, 100, 10];
const POOL = 6; // distinct topologies, saved round-robin under new ids (building 1000 would dominate)
const LIST_FILTER = { metrics: { L: { min: 0.3, max: 0.7 } }, limit: 50 };
const TARGETS = {
  sqlite: { list: 20, disk: 0.6, save: 19, load: 3 },
  neo4j: { list: 50, disk: 3, save: 1100, load: 140 },
} as const;

type Kind = 'sqlite' | 'neo4j';
interface Row {
  kind: Kind;
  label: string;
  n: number;
  save: number;
  load: number;
  list: number;
  matches: number;
  /** This process's CPU ms: all of the work for SQLite (in process), the client's share for Neo4j. */
  loadCpu: number;
  listCpu: number;
  graph: number;
  diskMb: number;
  logsMb: number;
  perTopologyMb: number;
  benchRssMb: number;
  serverRssMb: number | null;
  dbHits: number | null;
}
interface StoreClasses {
  SqliteStore: typeof SqliteStore;
  Neo4jStore: typeof Neo4jStore;
}

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
function option(name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}
const counts = (option('--topologies') ?? '10,100').split(',').map(Number);
if (counts.some((c) => !Number.isInteger(c) || c < 1)) {
  throw new Error(
    `eqprop/bench: --topologies ${option('--topologies')}; ` +
      'expected comma-separated integers ≥ 1, e.g. 10,100,1000',
  );
}
const neo4jMax = Number(option('--neo4j-max') ?? 100);
const baselineDir = option('--baseline');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
/** Wall time of fn in ms; cpuMs (when given) collects this process's CPU time (user + system). */
async function ms<T>(fn: () => Promise<T> | T, cpuMs?: number[]): Promise<[T, number]> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  cpuMs?.push((c.user + c.system) / 1000);
  return [value, wall];
}

function sameTopology(a: Topology, b: Topology): boolean {
  const n = a.edges.count;
  if (n !== b.edges.count || a.N !== b.N) return false;
  for (let i = 0; i < n; i++) {
    if (a.edges.src[i] !== b.edges.src[i] || a.edges.dst[i] !== b.edges.dst[i]) return false;
    if (!Object.is(a.edges.weight[i], b.edges.weight[i]) || a.edges.kind[i] !== b.edges.kind[i]) return false;
  }
  return a.biases.every((v, i) => Object.is(v, b.biases[i]));
}

function duBytes(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((sum, name) => sum + duBytes(join(path, name)), 0);
}

/** Bytes under dir in folders named "transactions" (Neo4j's logs), and in all. */
function neo4jDisk(dir: string): { total: number; logs: number } {
  let logs = 0;
  const walk = (path: string, inLogs: boolean): void => {
    const st = statSync(path);
    if (!st.isDirectory()) {
      if (inLogs) logs += st.size;
      return;
    }
    for (const name of readdirSync(path)) walk(join(path, name), inLogs || name === 'transactions');
  };
  walk(dir, false);
  return { total: duBytes(dir), logs };
}

/** Peak resident memory of a process (VmHWM), MB. */
function peakRssMb(pid: number): number | null {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmHWM:'));
    return line ? Number(line.split(/\s+/)[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Total database hits of the list query's profile: evidence that the metric index drives it. `scan`
 * profiles topology-list.cypher instead (a metric filter without the metric index: it reads every
 * topology's metrics), for comparison.
 */
async function listDbHits(uri: string, scan: boolean): Promise<number> {
  const driver = neo4j.driver(uri, neo4j.auth.basic('neo4j', 'eqprop-lab'), { disableLosslessIntegers: true });
  try {
    const params = {
      mode: null,
      sizes: null,
      seed: null,
      pMin: null,
      pMax: null,
      nMin: null,
      nMax: null,
      metricName: 'L',
      metricMin: LIST_FILTER.metrics.L.min,
      metricMax: LIST_FILTER.metrics.L.max,
      metricFilters: scan ? [{ name: 'L', min: LIST_FILTER.metrics.L.min, max: LIST_FILTER.metrics.L.max }] : [],
      limit: neo4j.int(LIST_FILTER.limit),
    };
    const query = cypher(scan ? 'topology-list' : 'topology-list-by-metric');
    const { summary } = await driver.executeQuery(`PROFILE ${query}`, params);
    const sum = (p: { dbHits: number; children: unknown[] } | false | undefined): number =>
      p ? p.dbHits + p.children.reduce<number>((s, c) => s + sum(c as { dbHits: number; children: unknown[] }), 0) : 0;
    return sum(summary.profile as never);
  } finally {
    await driver.close();
  }
}

const pool: Topology[] = [];
for (let s = 1; s <= POOL; s++) pool.push(buildTopology({ sizes: SIZES, mode: 'replace', n: 1000, seed: s } as never));

/** Fills `store` with n topologies and measures it. */
async function measure(
  kind: Kind,
  label: string,
  store: Store,
  n: number,
  disk: () => { total: number; logs: number },
  serverPid?: number,
): Promise<Row> {
  const empty = disk().total;
  const rng = new Rng(42);
  const saves: number[] = [];
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    // L by the golden-ratio sequence: evenly spread, so [0.3, 0.7] matches 40 % at every size.
    const L = (i * 0.6180339887498949) % 1;
    const metrics = { L, C: rng.uniform(0, 1), sigma: rng.uniform(0, 2), omega: rng.uniform(-1, 1) };
    const id = `t${String(i).padStart(5, '0')}`;
    const [, t] = await ms(() => store.saveTopology(pool[i % POOL]!, { id, metrics }));
    saves.push(t);
    ids.push(id);
  }
  const loads: number[] = [];
  const loadCpu: number[] = [];
  let exact = true;
  for (let k = 0; k < Math.min(20, n); k++) {
    const i = Math.floor((k * n) / Math.min(20, n));
    const [loaded, t] = await ms(() => store.loadTopology(ids[i]!), loadCpu);
    loads.push(t);
    exact &&= sameTopology(loaded, pool[i % POOL]!);
  }
  if (!exact) throw new Error(`eqprop/bench: a ${kind} reload differed from the saved one; expected exact reloads`);
  const matches = (await store.listTopologies({ metrics: LIST_FILTER.metrics })).length;
  const lists: number[] = [];
  const listCpu: number[] = [];
  for (let r = 0; r < 25; r++) {
    lists.push((await ms(async () => JSON.stringify(await store.listTopologies(LIST_FILTER)), listCpu))[1]);
  }
  const graphs: number[] = [];
  for (let k = 0; k < 5; k++) {
    graphs.push((await ms(async () => JSON.stringify(graphView(await store.loadTopology(ids[(k * 7) % n]!)))))[1]);
  }
  const dbHits = kind === 'neo4j' ? await listDbHits(store.location, label.includes('baseline')) : null;
  await store.close(); // SQLite: checkpoints the WAL into the file, so the file size is the store's
  const { total, logs } = disk();
  return {
    kind,
    label,
    n,
    save: median(saves),
    load: median(loads),
    list: median(lists.slice(5)),
    matches,
    graph: median(graphs),
    loadCpu: median(loadCpu),
    listCpu: median(listCpu.slice(5)),
    diskMb: total / 1e6,
    logsMb: logs / 1e6,
    perTopologyMb: (total - empty) / n / 1e6,
    benchRssMb: process.resourceUsage().maxRSS / 1024,
    serverRssMb: serverPid ? peakRssMb(serverPid) : null,
    dbHits,
  };
}

async function sqliteRow(classes: StoreClasses, label: string, n: number): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'eqprop-bench-'));
  const path = join(dir, 'bench.db');
  try {
    const store = classes.SqliteStore.open(path);
    const size = (file: string) => {
      try {
        return statSync(file).size;
      } catch {
        return 0;
      }
    };
    const files = () => size(path) + size(`${path}-wal`) + size(`${path}-shm`);
    return await measure('sqlite', label, store as unknown as Store, n, () => ({ total: files(), logs: 0 }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function neo4jRow(classes: StoreClasses, label: string, n: number): Promise<Row> {
  delete process.env.NEO4J_URI; // always a fresh server: its disk and memory are what we measure
  const server = await startTestNeo4j({ heap: '1g', pageCache: '256m' });
  try {
    const store = await classes.Neo4jStore.connect({ uri: server.uri, user: server.user, password: server.password });
    return await measure('neo4j', label, store as unknown as Store, n, () => neo4jDisk(server.dataDir!), server.pid);
  } finally {
    await server.stop();
  }
}

console.log(
  `load average (1 min) at start: ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores; ${new Date().toISOString()}`,
);
const current: StoreClasses = { SqliteStore, Neo4jStore };
const baseline: StoreClasses | null = baselineDir
  ? {
      SqliteStore: (await import(pathToFileURL(resolve(baselineDir, 'src/store/sqlite/store.js')).href)).SqliteStore,
      Neo4jStore: (await import(pathToFileURL(resolve(baselineDir, 'src/store/neo4j/store.js')).href)).Neo4jStore,
    }
  : null;

const rows: Row[] = [];
const header =
  '| store | N | save ms | load ms (cpu) | list ms (cpu; matches) | graph ms | disk MB (logs) ' +
  '| MB / topology ' +
  '| peak RSS MB bench / server | list db hits |';
console.log(`\n${header}\n|${'---|'.repeat(10)}`);
const print = (r: Row) =>
  console.log(
    `| ${r.label} | ${r.n} | ${r.save.toFixed(1)} ` +
      `| ${r.load.toFixed(1)} (${r.loadCpu.toFixed(1)}) ` +
      `| ${r.list.toFixed(1)} (${r.listCpu.toFixed(2)}; ${r.matches}) | ${r.graph.toFixed(1)} | ` +
      `${r.diskMb.toFixed(1)} (${r.logsMb.toFixed(1)}) | ${r.perTopologyMb.toFixed(3)} | ` +
      `${r.benchRssMb.toFixed(0)} / ${r.serverRssMb?.toFixed(0) ?? '–'} | ${r.dbHits ?? '–'} |`,
  );
for (const n of counts) {
  for (const [classes, suffix] of [[current, ''], ...(baseline ? [[baseline, ' (baseline)'] as const] : [])] as const) {
    if (!flag('--neo4j-only')) {
      const r = await sqliteRow(classes, `sqlite${suffix}`, n);
      rows.push(r);
      print(r);
    }
    if (!flag('--sqlite-only') && n <= neo4jMax) {
      const r = await neo4jRow(classes, `neo4j${suffix}`, n);
      rows.push(r);
      print(r);
    }
  }
}

let paperMb: number | null = null;
if (flag('--paper')) {
  const paper = buildTopology({ sizes: [...PAPER.sizes], mode: 'replace', n: PAPER.n, seed: 1 });
  for (const [classes, suffix] of [[current, ''], ...(baseline ? [[baseline, ' (baseline)'] as const] : [])] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'eqprop-bench-'));
    const path = join(dir, 'paper.db');
    const store = classes.SqliteStore.open(path);
    await store.close();
    const empty = statSync(path).size;
    const again = classes.SqliteStore.open(path);
    const [id, save] = await ms(() => again.saveTopology(paper));
    const [loaded, load] = await ms(() => again.loadTopology(id));
    await again.close();
    const mb = (statSync(path).size - empty) / 1e6;
    if (!suffix) paperMb = mb;
    console.log(
      `paper network (${paper.edges.count} connections), sqlite${suffix}: ` +
        `save ${save.toFixed(0)} ms, load ${load.toFixed(0)} ms, ` +
        `reload exact: ${sameTopology(paper, loaded)}, disk ${mb.toFixed(2)} MB`,
    );
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- targets, on the rows measured with this tree's store classes ---------------------------------
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
console.log('\ntargets (medians; 5×100 topologies):');
for (const kind of ['sqlite', 'neo4j'] as const) {
  const mine = rows.filter((r) => r.label === kind);
  if (mine.length === 0) continue;
  const t = TARGETS[kind];
  const big = mine[mine.length - 1]!;
  const at100 = mine.find((r) => r.n === 100);
  console.log(
    `  ${kind} list at ${big.n}: ${big.list.toFixed(1)} ms ≤ ${t.list} ms: ${verdict(big.list <= t.list)}` +
      (at100 && big.n > 100
        ? `; vs 100 stored: ${(big.list / at100.list).toFixed(2)}× ≤ 1.5×: ${verdict(big.list <= 1.5 * at100.list)}` +
          (kind === 'sqlite'
            ? ` (by CPU time, immune to other jobs: ${(big.listCpu / at100.listCpu).toFixed(2)}×: ` +
              `${verdict(big.listCpu <= 1.5 * at100.listCpu)})`
            : '')
        : ''),
  );
  console.log(
    `  ${kind} disk per topology at ${big.n}: ${big.perTopologyMb.toFixed(3)} MB ≤ ${t.disk} MB ` +
      '(logs included): ' +
      verdict(big.perTopologyMb <= t.disk),
  );
  console.log(
    `  ${kind} save ${big.save.toFixed(1)} ms ≤ ${t.save} ms (today's figure): ` +
      `${verdict(big.save <= t.save)}; ` +
      `load ${big.load.toFixed(1)} ms ≤ ${t.load} ms: ${verdict(big.load <= t.load)}`,
  );
  const base = rows.filter((r) => r.label === `${kind} (baseline)`);
  for (const b of base) {
    const r = mine.find((x) => x.n === b.n);
    if (r) {
      console.log(
        `  ${kind} vs baseline at ${b.n} (same machine, same run): save ${(r.save / b.save).toFixed(2)}×, ` +
          `load ${(r.load / b.load).toFixed(2)}× (CPU ${(r.loadCpu / b.loadCpu).toFixed(2)}×), ` +
          `list ${(r.list / b.list).toFixed(3)}×`,
      );
    }
  }
}
if (paperMb !== null) {
  console.log(`  sqlite disk per paper network: ${paperMb.toFixed(2)} MB ≤ 5 MB: ${verdict(paperMb <= 5)}`);
}
