/**
 * compileTopology: the topology in the engine's weight format (CompiledTopology, graph/types.ts).
 *
 * Block order: one adjacent block per layer pair (a, a+1), a = 0 … K−1, always present (the
 * training-rate measurement of SPEC §5 needs every adjacent block, even one left empty by
 * rewiring); then one intralayer block per layer that has at least one intralayer connection,
 * in layer order. Skip connections (span ≥ 2) stay a sparse list in canonical edge order.
 * Learning-rate class of a connection between layers a ≤ b: min(a, b − 1).
 *
 * denseWeights: the N × N symmetric matrix W of SPEC §1 rebuilt from the compiled form.
 */
import type { CompiledTopology, DenseBlock, SparseConnections, Topology } from './types.js';
import { makeLayout } from './layout.js';

export function rateClassOf(a: number, b: number): number {
  return Math.min(Math.min(a, b), Math.max(a, b) - 1);
}

export function compileTopology(topology: Topology): CompiledTopology {
  const { sizes, offsets, N, edges } = topology;
  const layout = makeLayout(sizes);
  const K = sizes.length - 1;
  const adjacent: DenseBlock[] = [];
  for (let a = 0; a < K; a++) {
    const rows = sizes[a],
      cols = sizes[a + 1];
    adjacent.push({
      kind: 'adjacent',
      from: a,
      to: a + 1,
      rows,
      cols,
      weights: new Float32Array(rows * cols),
      mask: new Uint8Array(rows * cols),
      rateClass: a,
    });
  }
  const intralayer = new Map<number, DenseBlock>();
  let skipCount = 0;
  for (let e = 0; e < edges.count; e++) {
    const span = layout.layerOf[edges.dst[e]] - layout.layerOf[edges.src[e]];
    if (span >= 2) skipCount++;
  }
  const skip: SparseConnections = {
    count: skipCount,
    src: new Int32Array(skipCount),
    dst: new Int32Array(skipCount),
    srcLayer: new Uint8Array(skipCount),
    dstLayer: new Uint8Array(skipCount),
    weight: new Float32Array(skipCount),
    rateClass: new Uint8Array(skipCount),
  };
  let s = 0;
  for (let e = 0; e < edges.count; e++) {
    // Canonical edges have src < dst, so the src layer is never above the dst layer.
    const i = edges.src[e],
      j = edges.dst[e],
      w = edges.weight[e];
    const a = layout.layerOf[i],
      b = layout.layerOf[j];
    if (b === a + 1) {
      const block = adjacent[a];
      const k = (i - offsets[a]) * block.cols + (j - offsets[b]);
      block.weights[k] = w;
      block.mask[k] = 1;
    } else if (b === a) {
      let block = intralayer.get(a);
      if (!block) {
        const n = sizes[a];
        block = {
          kind: 'intralayer',
          from: a,
          to: a,
          rows: n,
          cols: n,
          weights: new Float32Array(n * n),
          mask: new Uint8Array(n * n),
          rateClass: rateClassOf(a, a),
        };
        intralayer.set(a, block);
      }
      const r = i - offsets[a],
        c = j - offsets[a];
      block.weights[r * block.cols + c] = w;
      block.weights[c * block.cols + r] = w;
      block.mask[r * block.cols + c] = 1;
      block.mask[c * block.cols + r] = 1;
    } else {
      skip.src[s] = i;
      skip.dst[s] = j;
      skip.srcLayer[s] = a;
      skip.dstLayer[s] = b;
      skip.weight[s] = w;
      skip.rateClass[s] = rateClassOf(a, b);
      s++;
    }
  }
  const biasRateClass = new Int8Array(N);
  for (let v = 0; v < N; v++) biasRateClass[v] = layout.layerOf[v] - 1;
  return {
    sizes: [...sizes],
    offsets: [...offsets],
    N,
    blocks: [...adjacent, ...[...intralayer.keys()].sort((x, y) => x - y).map((l) => intralayer.get(l)!)],
    skip,
    biases: Float32Array.from(topology.biases),
    biasRateClass,
  };
}

/** The dense N × N weight matrix (row-major, symmetric, zero diagonal) of a compiled topology. */
export function denseWeights(compiled: CompiledTopology): Float32Array {
  const { N, offsets } = compiled;
  const W = new Float32Array(N * N);
  for (const block of compiled.blocks) {
    const r0 = offsets[block.from],
      c0 = offsets[block.to];
    for (let r = 0; r < block.rows; r++) {
      for (let c = 0; c < block.cols; c++) {
        const k = r * block.cols + c;
        if (!block.mask[k]) continue;
        W[(r0 + r) * N + (c0 + c)] = block.weights[k];
        W[(c0 + c) * N + (r0 + r)] = block.weights[k];
      }
    }
  }
  const { skip } = compiled;
  for (let e = 0; e < skip.count; e++) {
    W[skip.src[e] * N + skip.dst[e]] = skip.weight[e];
    W[skip.dst[e] * N + skip.src[e]] = skip.weight[e];
  }
  return W;
}

/** The dense N × N 0/1 connection mask of a topology (symmetric, zero diagonal). */
export function denseMask(topology: Pick<Topology, 'N' | 'edges'>): Uint8Array {
  const { N, edges } = topology;
  const M = new Uint8Array(N * N);
  for (let e = 0; e < edges.count; e++) {
    M[edges.src[e] * N + edges.dst[e]] = 1;
    M[edges.dst[e] * N + edges.src[e]] = 1;
  }
  return M;
}
