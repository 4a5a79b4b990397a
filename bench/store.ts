/**
 * Save / load / delete times of the paper's full topology (784-500-500-500-10, replace,
 * n = 100,000: ~1.27 M connections) on both stores. Figures only; no assertions.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/store.js [--sqlite-only | --neo4j-only]
 *
 * SQLite: a temporary file. Neo4j: NEO4J_URI (user/password from NEO4J_USER / NEO4J_PASSWORD),
 * otherwise a fresh server started with the project's launcher on a free port.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTopology, countEdges, PAPER, type Topology } from '../graph/index.js';
import type { Store } from '../src/store/contract.js';
import { SqliteStore } from '../src/store/sqlite/store.js';
import { Neo4jStore } from '../src/store/neo4j/store.js';
import { startTestNeo4j } from '../test/store/neo4j-server.js';

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await fn();
  return [value, (performance.now() - t0) / 1000];
}

function sameTopology(a: Topology, b: Topology): boolean {
  const n = a.edges.count;
  if (n !== b.edges.count || a.N !== b.N) return false;
  for (let i = 0; i < n; i++) {
    if (a.edges.src[i] !== b.edges.src[i] || a.edges.dst[i] !== b.edges.dst[i] || a.edges.weight[i] !== b.edges.weight[i] || a.edges.kind[i] !== b.edges.kind[i]) return false;
  }
  return a.biases.every((v, i) => v === b.biases[i]);
}

/** Save, load (checked equal) and delete once; the first round also pays for a cold JVM / page cache. */
async function measure(label: string, store: Store, topology: Topology, extra = ''): Promise<void> {
  const [id, save] = await timed(() => store.saveTopology(topology, { name: 'paper (bench)' }));
  const [loaded, load] = await timed(() => store.loadTopology(id));
  const [, remove] = await timed(() => store.deleteTopology(id));
  const equal = sameTopology(topology, loaded);
  console.log(`${label.padEnd(7)} save ${save.toFixed(2)} s   load ${load.toFixed(2)} s   delete ${remove.toFixed(2)} s   reload equal: ${equal}${extra}`);
}

const args = process.argv.slice(2);
const load = (await import('node:os')).loadavg()[0]!;
console.log(`load average (1 min) at start: ${load.toFixed(1)} on ${(await import('node:os')).cpus().length} cores`);
const [topology, build] = await timed(async () => buildTopology({ sizes: [...PAPER.sizes], mode: 'replace', n: PAPER.n, seed: 1 }));
const counts = countEdges(topology);
console.log(`paper topology: N = ${topology.N}, ${counts.total} connections (adjacent ${counts.adjacent}, intralayer ${counts.intralayer}, skip ${counts.skip}); built in ${build.toFixed(2)} s`);

if (!args.includes('--neo4j-only')) {
  const dir = mkdtempSync(join(tmpdir(), 'eqprop-bench-'));
  const path = join(dir, 'bench.db');
  const store = SqliteStore.open(path);
  try {
    await measure('sqlite', store, topology, ' (round 1)');
    await measure('sqlite', store, topology, ' (round 2)');
    await store.saveTopology(topology);
    console.log(`sqlite  file size with the topology: ${(statSync(path).size / 1e6).toFixed(1)} MB`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!args.includes('--sqlite-only')) {
  const server = await startTestNeo4j({ heap: '2g', pageCache: '512m' });
  const store = await Neo4jStore.connect({ uri: server.uri, user: server.user, password: server.password });
  try {
    const where = process.env.NEO4J_URI ? `server ${server.uri}` : `fresh server ${server.uri}`;
    // A fresh JVM compiles Neo4j's write path during the first rounds; the last is the steady state.
    for (let round = 1; round <= 3; round++) await measure('neo4j', store, topology, ` (round ${round}, ${where})`);
  } finally {
    await store.close();
    await server.stop();
  }
}
