/**
 * Compressed sparse rows of the undirected connection graph: neighbours of v are
 * neighbors[offsets[v] … offsets[v+1]), ascending. Every metric runs on this (and on the
 * adjacency bitsets below), never on graphology: at 1.27 M edges typed arrays are what keep
 * exact L and C within seconds.
 */
export interface Csr {
  N: number;
  /** Undirected edge count. */
  edges: number;
  offsets: Int32Array;
  neighbors: Int32Array;
}

export function csrFromEdges(N: number, src: Int32Array, dst: Int32Array, count = src.length): Csr {
  const degree = new Int32Array(N);
  for (let e = 0; e < count; e++) {
    degree[src[e]]++;
    degree[dst[e]]++;
  }
  const offsets = new Int32Array(N + 1);
  for (let v = 0; v < N; v++) offsets[v + 1] = offsets[v] + degree[v];
  const fill = offsets.slice(0, N);
  const neighbors = new Int32Array(offsets[N]);
  for (let e = 0; e < count; e++) {
    neighbors[fill[src[e]]++] = dst[e];
    neighbors[fill[dst[e]]++] = src[e];
  }
  for (let v = 0; v < N; v++) neighbors.subarray(offsets[v], offsets[v + 1]).sort();
  return { N, edges: count, offsets, neighbors };
}

export function degreeOf(csr: Csr, v: number): number {
  return csr.offsets[v + 1] - csr.offsets[v];
}

/** Number of 1 bits of a 32-bit integer. */
export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** One bitset row per neuron: bit u of row v is set when u and v are connected. */
export interface AdjacencyBits {
  N: number;
  /** 32-bit words per row. */
  words: number;
  bits: Uint32Array;
}

export function adjacencyBits(csr: Csr): AdjacencyBits {
  const words = Math.ceil(csr.N / 32);
  const bits = new Uint32Array(csr.N * words);
  for (let v = 0; v < csr.N; v++) {
    const row = v * words;
    for (let k = csr.offsets[v]; k < csr.offsets[v + 1]; k++) {
      const u = csr.neighbors[k];
      bits[row + (u >>> 5)] |= 1 << (u & 31);
    }
  }
  return { N: csr.N, words, bits };
}
