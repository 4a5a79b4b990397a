/**
 * Small topologies for the store tests, built by the real topology builder, with non-zero biases
 * (the builder's are all 0, which would not show a codec that dropped them).
 */
import { buildTopology, Rng, type Topology, type TopologySpec } from '../../graph/index.js';

export function smallTopology(spec: Partial<TopologySpec> = {}): Topology {
  const topology = buildTopology({ sizes: [6, 5, 5, 3], mode: 'replace', n: 12, seed: 7, ...spec } as TopologySpec);
  const rng = new Rng(topology.spec.seed + 1000);
  for (let i = topology.sizes[0]!; i < topology.N; i++) topology.biases[i] = rng.uniform(-0.5, 0.5);
  return topology;
}

/** A deep copy, so a test can corrupt one without touching the original. */
export function cloneTopology(t: Topology): Topology {
  return {
    spec: { ...t.spec, sizes: [...t.spec.sizes] },
    sizes: [...t.sizes],
    offsets: [...t.offsets],
    N: t.N,
    edges: {
      count: t.edges.count,
      src: t.edges.src.slice(),
      dst: t.edges.dst.slice(),
      weight: t.edges.weight.slice(),
      kind: t.edges.kind.slice(),
    },
    biases: t.biases.slice(),
  };
}

/** Epoch e's values as written by the concurrency test's writers (both sides use this). */
export function concurrentEpoch(e: number) {
  return { epoch: e, trainError: 1 / (e + 1), evalError: 1 / (e + 2), durationMs: e };
}

/** The same connections in a shuffled order (seeded), to check that stores keep the order. */
export function shuffledTopology(t: Topology, seed: number): Topology {
  const out = cloneTopology(t);
  const rng = new Rng(seed);
  const order = Array.from({ length: t.edges.count }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform(0, i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  order.forEach((from, to) => {
    out.edges.src[to] = t.edges.src[from]!;
    out.edges.dst[to] = t.edges.dst[from]!;
    out.edges.weight[to] = t.edges.weight[from]!;
    out.edges.kind[to] = t.edges.kind[from]!;
  });
  return out;
}
