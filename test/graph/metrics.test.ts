/**
 * Metrics against networkx (scripts/fixtures/graph_metrics.py wrote test/fixtures/graph/expected.json
 * from the edge lists beside it). L, C, transitivity, distances and path counts must agree exactly
 * (1e-9); σ, ω and the reference-graph statistics are random, so they are compared within a
 * sampling tolerance built from networkx's own spread (see `withinSampling`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import {
  buildTopology,
  csrFromEdges,
  characteristicPathLength,
  clustering,
  pathsToOutput,
  smallWorld,
  computeMetrics,
  type TopologyMode,
} from '../../graph/index.js';

// dist/test/graph → repo root is three levels up; the fixtures are not compiled, read them in place.
const dir = new URL('../../../test/fixtures/graph/', import.meta.url);
interface Expected {
  L: number;
  C: number;
  transitivity: number;
  dist: number[];
  shortest: number[];
  walks: number[];
  random: { L: number[]; C: number[]; niter: number };
  lattice: { C: number[]; niter: number };
  sigma: number;
  omega: number;
}
const expected = JSON.parse(readFileSync(new URL('expected.json', dir), 'utf8')) as {
  graphs: Record<string, Expected>;
  randomNiter: number;
  latticeNiter: number;
};

function readEdgeList(name: string) {
  const header: Record<string, string> = {};
  const src: number[] = [],
    dst: number[] = [];
  for (const line of readFileSync(new URL(`${name}.edgelist`, dir), 'utf8').split('\n')) {
    if (line.startsWith('#')) {
      const [k, ...v] = line.slice(1).trim().split(' ');
      header[k] = v.join(' ');
    } else if (line.trim()) {
      const [a, b] = line.split(' ').map(Number);
      src.push(a);
      dst.push(b);
    }
  }
  return {
    header,
    N: Number(header.N),
    outputStart: Number(header.outputStart),
    src: Int32Array.from(src),
    dst: Int32Array.from(dst),
  };
}

const names = readdirSync(dir)
  .filter((f) => f.endsWith('.edgelist'))
  .map((f) => f.slice(0, -'.edgelist'.length))
  .sort();

test('fixtures cover at least 5 topologies of every mode', () => {
  for (const mode of ['layered', 'replace', 'add', 'per-connection']) {
    assert.ok(names.filter((n) => n.startsWith(`${mode}-`)).length >= 5, mode);
  }
  assert.deepEqual(Object.keys(expected.graphs).sort(), names);
});

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};
const OUR_SAMPLES = 20;
/**
 * Two sample means of the same distribution (networkx's n_nx samples, our OUR_SAMPLES with a
 * different PRNG) differ by at most 4 standard errors of the difference except with
 * probability < 1e-4 (normal approximation); sd is networkx's sample standard deviation.
 */
const samplingTolerance = (s: number, nNx: number) => 4 * s * Math.sqrt(1 / nNx + 1 / OUR_SAMPLES) + 1e-9;

for (const name of names) {
  test(`${name}: exact metrics equal networkx`, () => {
    const g = readEdgeList(name);
    const e = expected.graphs[name];
    const csr = csrFromEdges(g.N, g.src, g.dst);
    const pl = characteristicPathLength(csr);
    assert.ok(pl.connected);
    assert.ok(Math.abs(pl.L - e.L) < 1e-9, `L ${pl.L} vs ${e.L}`);
    const cl = clustering(csr);
    assert.ok(Math.abs(cl.averageClustering - e.C) < 1e-9, `C ${cl.averageClustering} vs ${e.C}`);
    assert.ok(
      Math.abs(cl.transitivity - e.transitivity) < 1e-9,
      `transitivity ${cl.transitivity} vs ${e.transitivity}`,
    );
    const K = g.header.sizes.split(',').length - 1;
    const paths = pathsToOutput(csr, g.outputStart, K);
    assert.deepEqual([...paths.dist], e.dist);
    assert.deepEqual([...paths.shortest], e.shortest);
    for (let v = 0; v < g.N; v++)
      assert.ok(Math.abs(paths.walks[v] - e.walks[v]) <= 1e-9 * Math.max(1, e.walks[v]), `walks of ${v}`);
  });

  test(`${name}: the builder still writes this edge list (same seed, same graph, across versions)`, () => {
    const g = readEdgeList(name);
    const mode = g.header.mode as TopologyMode;
    const sizes = g.header.sizes.split(',').map(Number);
    const seed = Number(g.header.seed);
    const t = buildTopology(
      mode === 'layered'
        ? { sizes, mode, seed }
        : mode === 'per-connection'
          ? { sizes, mode, seed, p: Number(g.header.p) }
          : { sizes, mode, seed, n: Number(g.header.n) },
    );
    assert.deepEqual([...t.edges.src], [...g.src]);
    assert.deepEqual([...t.edges.dst], [...g.dst]);
  });
}

// σ/ω: a subset keeps the suite fast (each is OUR_SAMPLES random + lattice references).
for (const name of names.filter((n) => /-(6_5_4_3|5_4_4_4_2)-/.test(n))) {
  test(`${name}: σ and ω within sampling tolerance of networkx`, () => {
    const g = readEdgeList(name);
    const e = expected.graphs[name];
    const csr = csrFromEdges(g.N, g.src, g.dst);
    const base = { L: e.L, averageClustering: e.C, transitivity: e.transitivity };
    const sw = smallWorld(csr, base, {
      samples: OUR_SAMPLES,
      randomNiter: expected.randomNiter,
      latticeNiter: expected.latticeNiter,
      seed: 7,
    });
    const nNx = e.random.L.length;
    const tolL = samplingTolerance(sd(e.random.L), nNx);
    const tolC = samplingTolerance(sd(e.random.C), nNx);
    assert.ok(Math.abs(sw.Lrand - mean(e.random.L)) <= tolL, `Lrand ${sw.Lrand} vs ${mean(e.random.L)} ± ${tolL}`);
    assert.ok(Math.abs(sw.Crand - mean(e.random.C)) <= tolC, `Crand ${sw.Crand} vs ${mean(e.random.C)} ± ${tolC}`);
    // σ from networkx's sample means, error propagated to first order from the two ratios.
    const Crn = mean(e.random.C),
      Lrn = mean(e.random.L);
    if (e.transitivity === 0) {
      assert.equal(e.sigma, 0);
      assert.ok(sw.sigma === 0 || Number.isNaN(sw.sigma));
    } else {
      const sigmaRef = e.transitivity / Crn / (e.L / Lrn);
      const rel = Math.hypot(tolC / Crn, tolL / Lrn);
      assert.ok(
        Math.abs(sw.sigma - sigmaRef) <= rel * sigmaRef * 1.05,
        `σ ${sw.sigma} vs ${sigmaRef} (networkx σ ${e.sigma})`,
      );
    }
    // C_latt is a maximum: with 20 samples it exceeds networkx's median sample except with
    // probability 2^-20, and stays below networkx's largest sample plus two of its SDs.
    const latt = [...e.lattice.C].sort((a, b) => a - b);
    const median = latt[Math.floor(latt.length / 2)];
    const lo = Math.max(e.C, median) - 1e-9;
    const hi = Math.max(e.C, latt[latt.length - 1]) + 2 * sd(latt) + 1e-9;
    assert.ok(sw.Clattice >= lo && sw.Clattice <= hi, `C_latt ${sw.Clattice} in [${lo}, ${hi}]`);
    const omegaRef = Lrn / e.L - e.C / Math.max(e.C, latt[latt.length - 1]);
    const tolOmega = tolL / e.L + e.C * (1 / lo - 1 / hi);
    assert.ok(
      Math.abs(sw.omega - omegaRef) <= tolOmega,
      `ω ${sw.omega} vs ${omegaRef} ± ${tolOmega} (networkx ω ${e.omega})`,
    );
  });
}

test('computeMetrics: flat finite numbers; layered net has one distance per layer and the layered path count', () => {
  const t = buildTopology({ sizes: [4, 3, 3, 2], mode: 'layered', seed: 0 });
  const m = computeMetrics(t);
  for (const [k, v] of Object.entries(m)) assert.ok(typeof v === 'number' && Number.isFinite(v), k);
  assert.equal(m['distToOutput.mean.l0'], 3);
  assert.equal(m['distToOutput.frac.l1.d2'], 1);
  assert.equal(m['pair.l0.l1'], 12);
  assert.equal(m['edges.skip'], 0);
  // Every input neuron has 3·3·2 = 18 shortest (= layered) paths; walks of length ≤ 3 are just those.
  assert.ok(Math.abs(m['log10ShortestPaths.l0'] - Math.log10(18)) < 1e-12);
  assert.ok(Math.abs(m['log10Walks.l0'] - Math.log10(18)) < 1e-12);
  const sw = computeMetrics(buildTopology({ sizes: [4, 3, 3, 2], mode: 'replace', n: 4, seed: 0 }), {
    smallWorld: { samples: 2 },
  });
  assert.ok(Number.isFinite(sw.sigma) && Number.isFinite(sw.omega));
  assert.deepEqual(
    computeMetrics(buildTopology({ sizes: [4, 3, 3, 2], mode: 'replace', n: 4, seed: 0 }), {
      smallWorld: { samples: 2 },
    }),
    sw,
  );
});
