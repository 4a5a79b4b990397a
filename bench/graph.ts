/**
 * Topology-layer timings on the paper's network (784-500-500-500-10, p = 7.56 %):
 * build per mode, compile, exact L and C, the full metric set, σ/ω with a small sample
 * count, and exports. Prints one line per figure.
 *
 *   npm run build && node dist/bench/graph.js [--samples 1] [--niter 0.05] [--exports]
 *
 * σ/ω on the paper net are expensive: each reference graph is niter · 1.27 M swap rounds
 * (networkx's default niter would be minutes per sample), so the default here is niter 0.05.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PAPER,
  TOPOLOGY_MODES,
  buildTopology,
  compileTopology,
  countEdges,
  computeMetrics,
  topologyCsr,
  characteristicPathLength,
  clustering,
  adjacencyBits,
  smallWorld,
  exportTopology,
  type TopologySpec,
} from '../graph/index.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const samples = flag('--samples', 1);
const niter = flag('--niter', 0.05);

function timed<T>(label: string, fn: () => T): T {
  const t0 = performance.now();
  const out = fn();
  console.log(`${label.padEnd(44)} ${((performance.now() - t0) / 1000).toFixed(2)} s`);
  return out;
}

console.log(`paper network ${PAPER.sizes.join('-')}, p = ${PAPER.p}, node ${process.version}`);
for (const mode of TOPOLOGY_MODES) {
  const spec: TopologySpec = { sizes: [...PAPER.sizes], mode, seed: 0, ...(mode === 'layered' ? {} : { p: PAPER.p }) };
  const t = timed(`build ${mode}`, () => buildTopology(spec));
  const c = countEdges(t);
  console.log(
    `  connections ${c.total} (adjacent ${c.adjacent}, intralayer ${c.intralayer}, skip ${c.skip}), n ${t.spec.n}`,
  );
}
const topology = buildTopology({ sizes: [...PAPER.sizes], mode: 'replace', p: PAPER.p, seed: 0 });
timed('compile (replace)', () => compileTopology(topology));
const csr = timed('CSR', () => topologyCsr(topology));
const pl = timed('exact L (bit-parallel BFS)', () => characteristicPathLength(csr));
const cl = timed('exact C (bitset triangles)', () => clustering(csr, adjacencyBits(csr)));
console.log(`  L = ${pl.L}, C = ${cl.averageClustering}, transitivity = ${cl.transitivity}`);
timed('computeMetrics (no σ/ω)', () => computeMetrics(topology));
if (samples > 0) {
  const sw = timed(`σ and ω (${samples} sample(s), niter ${niter})`, () =>
    smallWorld(
      csr,
      { L: pl.L, averageClustering: cl.averageClustering, transitivity: cl.transitivity },
      { samples, randomNiter: niter, latticeNiter: niter, seed: 0 },
    ),
  );
  console.log(
    `  σ = ${sw.sigma}, ω = ${sw.omega}, L_rand = ${sw.Lrand}, C_rand = ${sw.Crand}, C_latt = ${sw.Clattice}`,
  );
}
if (args.includes('--exports')) {
  const dir = mkdtempSync(join(tmpdir(), 'eqprop-bench-'));
  try {
    for (const ext of ['json', 'graphml', 'npy', 'gexf']) {
      const files = timed(`export .${ext}`, () => exportTopology(topology, join(dir, `paper.${ext}`)));
      console.log(
        `  ${files.map((f) => `${f.split('/').pop()} ${(statSync(f).size / 1e6).toFixed(1)} MB`).join(', ')}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
