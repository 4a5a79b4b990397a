/**
 * The explorer's aggregates against counts made by hand on a small, hand-written topology.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Topology } from '../../graph/types.js';
import { graphView, neuronView } from '../../server/graph-view.js';
import { downsampleRates } from '../../server/rate-series.js';
import { buildIncidence } from '../../server/incidence.js';

// Layers: L0 = {0,1}, L1 = {2,3,4}, L2 = {5,6}, L3 = {7}. Kind codes: 0 adjacent, 1 intralayer, 2 skip.
const pairs: [number, number, number][] = [
  [0, 2, 0],
  [0, 3, 0],
  [1, 2, 0],
  [1, 4, 0], // L0–L1 adjacent: 4 of 6
  [2, 3, 1],
  [3, 4, 1], // L1 intralayer: 2 of 3
  [2, 5, 0],
  [3, 6, 0],
  [4, 5, 0], // L1–L2 adjacent: 3 of 6
  [5, 7, 0],
  [6, 7, 0], // L2–L3 adjacent: 2 of 2
  [0, 5, 2],
  [1, 7, 2],
  [0, 7, 2], // skips: L0–L2 1 of 4, L0–L3 2 of 2
  [2, 7, 2], // skip L1–L3: 1 of 3
];
const topology: Topology = {
  spec: { sizes: [2, 3, 2, 1], mode: 'add', n: 4, p: 0.1, seed: 0 },
  sizes: [2, 3, 2, 1],
  offsets: [0, 2, 5, 7, 8],
  N: 8,
  edges: {
    count: pairs.length,
    src: Int32Array.from(pairs.map((p) => p[0])),
    dst: Int32Array.from(pairs.map((p) => p[1])),
    weight: Float32Array.from(pairs.map((_, i) => i / 100)),
    kind: Uint8Array.from(pairs.map((p) => p[2])),
  },
  biases: new Float32Array(8),
};

test('one aggregate per connected layer pair with count, possible pairs and density', () => {
  const v = graphView(topology);
  const byKey = Object.fromEntries(v.blocks.map((b) => [`${b.from}-${b.to}`, b]));
  assert.deepEqual(Object.keys(byKey).sort(), ['0-1', '0-2', '0-3', '1-1', '1-2', '1-3', '2-3']);
  assert.deepEqual([byKey['0-1']!.kind, byKey['0-1']!.count, byKey['0-1']!.possible], ['adjacent', 4, 6]);
  assert.deepEqual([byKey['1-1']!.kind, byKey['1-1']!.count, byKey['1-1']!.possible], ['intralayer', 2, 3]);
  assert.deepEqual(
    [byKey['0-3']!.kind, byKey['0-3']!.count, byKey['0-3']!.possible, byKey['0-3']!.density],
    ['skip', 2, 2, 1],
  );
  assert.equal(byKey['1-3']!.density, 1 / 3);
  assert.equal(
    v.blocks.reduce((s, b) => s + b.count, 0),
    pairs.length,
  );
});

test('skip connections are listed individually; degrees by kind per neuron', () => {
  const v = graphView(topology);
  const skips = v.skip.src.map((s, i) => `${s}-${v.skip.dst[i]}`).sort();
  assert.deepEqual(skips, ['0-5', '0-7', '1-7', '2-7']);
  assert.deepEqual(v.degree.skip, [2, 1, 1, 0, 0, 1, 0, 3]);
  assert.deepEqual(v.degree.adjacent, [2, 2, 3, 2, 2, 3, 2, 2]);
  assert.deepEqual(v.degree.intralayer, [0, 0, 1, 2, 1, 0, 0, 0]);
});

test('a neuron view counts its connections per layer and lists skip neighbours', () => {
  const n = neuronView(topology, 7);
  assert.equal(n.layer, 3);
  assert.equal(n.index, 0);
  assert.deepEqual(n.degree, { adjacent: 2, intralayer: 0, skip: 3, total: 5 });
  assert.deepEqual(n.byLayer, [
    { layer: 0, kind: 'skip', count: 2 },
    { layer: 1, kind: 'skip', count: 1 },
    { layer: 2, kind: 'adjacent', count: 2 },
  ]);
  assert.deepEqual(n.skipNeighbours.map((s) => s.neuron).sort(), [0, 1, 2]);
  assert.equal(n.skipNeighbours.find((s) => s.neuron === 1)!.weight, Math.fround(0.12));
});

test('rate series are averaged in equal bins per pair', () => {
  const points = [];
  for (let batch = 0; batch < 10; batch++)
    for (const pair of [0, 1]) points.push({ batch, pair, rate: pair * 100 + batch });
  const raw = downsampleRates(points, 10);
  assert.equal(raw.binWidth, 1);
  assert.equal(raw.points.length, 20);
  const binned = downsampleRates(points, 4); // width ceil(10/4) = 3: bins {0,1,2} {3,4,5} {6,7,8} {9}
  assert.equal(binned.binWidth, 3);
  assert.deepEqual(
    binned.points.filter((p) => p.pair === 1).map((p) => [p.batch, p.rate]),
    [
      [1, 101],
      [4, 104],
      [7, 107],
      [9, 109],
    ],
  );
});

test('neuron views through the incidence lists equal the full scan, for every neuron', () => {
  const incidence = buildIncidence(topology.N, topology.edges);
  assert.equal(incidence.start[topology.N], 2 * pairs.length);
  for (let i = 0; i < topology.N; i++)
    assert.deepEqual(neuronView(topology, i, 500, incidence), neuronView(topology, i));
});

test('a slice far into a run keeps full resolution; bins start at its first batch', () => {
  const points = [];
  for (let batch = 1_000_000; batch < 1_000_010; batch++) points.push({ batch, pair: 0, rate: batch - 1_000_000 });
  assert.equal(downsampleRates(points, 10).binWidth, 1);
  const binned = downsampleRates(points, 5); // width 2: {0,1} {2,3} … relative to 1,000,000
  assert.deepEqual(
    binned.points.map((p) => p.rate),
    [0.5, 2.5, 4.5, 6.5, 8.5],
  );
});
