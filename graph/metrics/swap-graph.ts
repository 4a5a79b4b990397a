/**
 * A degree-preserving mutable graph for double-edge swaps (Maslov–Sneppen), as networkx
 * random_reference and lattice_reference perform them. Fixed CSR offsets (swaps keep every
 * degree), neighbour lists edited in place, adjacency bitsets for O(1) "is (a, d) connected".
 *
 * One swap attempt, as networkx: pick a and c with probability ∝ degree (a uniform slot of the
 * CSR), b and d uniform neighbours of a and c; the four must differ; if a–d and c–b are both
 * absent (and the lattice rule allows it), replace a–b, c–d by a–d, c–b; with connectivity on,
 * undo it when a can no longer reach b.
 */
import type { Rng } from '../rng.js';
import { adjacencyBits, type Csr } from './csr.js';

export class SwapGraph {
  readonly N: number;
  readonly edges: number;
  readonly offsets: Int32Array;
  readonly neighbors: Int32Array;
  readonly words: number;
  readonly bits: Uint32Array;
  /** owner[k] = the neuron whose neighbour list holds slot k. */
  private readonly owner: Int32Array;
  private readonly visited: Uint32Array;
  private readonly frontier: Int32Array;

  constructor(csr: Csr) {
    this.N = csr.N;
    this.edges = csr.edges;
    this.offsets = csr.offsets;
    this.neighbors = csr.neighbors.slice();
    const adj = adjacencyBits(csr);
    this.words = adj.words;
    this.bits = adj.bits;
    this.owner = new Int32Array(this.neighbors.length);
    for (let v = 0; v < this.N; v++) this.owner.fill(v, csr.offsets[v], csr.offsets[v + 1]);
    this.visited = new Uint32Array(this.words);
    this.frontier = new Int32Array(this.N);
  }

  toCsr(): Csr {
    const neighbors = this.neighbors.slice();
    for (let v = 0; v < this.N; v++) neighbors.subarray(this.offsets[v], this.offsets[v + 1]).sort();
    return { N: this.N, edges: this.edges, offsets: this.offsets, neighbors };
  }

  has(a: number, b: number): boolean {
    return (this.bits[a * this.words + (b >>> 5)] & (1 << (b & 31))) !== 0;
  }

  private setBit(a: number, b: number, on: boolean): void {
    const k = a * this.words + (b >>> 5);
    if (on) this.bits[k] |= 1 << (b & 31);
    else this.bits[k] &= ~(1 << (b & 31));
  }

  private renameNeighbor(v: number, from: number, to: number): void {
    for (let k = this.offsets[v]; k < this.offsets[v + 1]; k++) {
      if (this.neighbors[k] === from) {
        this.neighbors[k] = to;
        return;
      }
    }
    throw new Error(`eqprop/metrics: ${from} is not a neighbour of ${v}; expected a consistent swap graph`);
  }

  /** A slot chosen with probability ∝ degree of its owner (networkx discrete_sequence on degrees). */
  randomSlot(rng: Rng): number {
    return rng.int(this.neighbors.length);
  }

  ownerOf(slot: number): number {
    return this.owner[slot];
  }

  randomNeighborSlot(v: number, rng: Rng): number {
    return this.offsets[v] + rng.int(this.offsets[v + 1] - this.offsets[v]);
  }

  /** a–b (b at slot ib of a), c–d (d at slot id of c) → a–d, c–b. */
  swap(a: number, ib: number, c: number, id: number): void {
    const b = this.neighbors[ib],
      d = this.neighbors[id];
    this.neighbors[ib] = d;
    this.neighbors[id] = b;
    this.renameNeighbor(b, a, c);
    this.renameNeighbor(d, c, a);
    this.setBit(a, b, false);
    this.setBit(b, a, false);
    this.setBit(c, d, false);
    this.setBit(d, c, false);
    this.setBit(a, d, true);
    this.setBit(d, a, true);
    this.setBit(c, b, true);
    this.setBit(b, c, true);
  }

  /**
   * Is there a path from a to b? Breadth-first over bitset rows with early exit as soon as a
   * neighbour of b is reached (one level before b itself); a common neighbour answers at once.
   */
  reaches(a: number, b: number): boolean {
    if (a === b || this.has(a, b)) return true;
    const { words, bits, visited, frontier } = this;
    const rowB = b * words;
    visited.fill(0);
    visited[a >>> 5] |= 1 << (a & 31);
    let size = 1;
    frontier[0] = a;
    while (size > 0) {
      let nextSize = 0;
      // Collect the next level into the tail of the frontier array, after the current level.
      const fresh: number[] = [];
      for (let f = 0; f < size; f++) {
        const row = frontier[f] * words;
        for (let w = 0; w < words; w++) {
          const add = (bits[row + w] & ~visited[w]) >>> 0;
          if (add === 0) continue;
          if ((add & bits[rowB + w]) !== 0) return true;
          visited[w] |= add;
          let x = add;
          while (x !== 0) {
            const low = x & -x;
            fresh.push(w * 32 + (31 - Math.clz32(low)));
            x ^= low;
          }
        }
      }
      for (const v of fresh) frontier[nextSize++] = v;
      size = nextSize;
    }
    return false;
  }
}

/** Rule deciding whether a candidate swap may proceed (the lattice reference's distance test). */
export type SwapRule = (a: number, b: number, c: number, d: number) => boolean;

/**
 * networkx's swap loop: niter · E rounds; each round makes up to `tries` attempts and stops at
 * the first accepted swap. Attempts rejected because the four neurons are not distinct do not
 * count as tries in networkx (it can spin forever on graphs with no valid swap); here they are
 * capped at 100 · tries + 1000 per round, after which the round ends.
 */
export function runSwaps(g: SwapGraph, niter: number, rng: Rng, connectivity: boolean, rule?: SwapRule): number {
  const rounds = niter * g.edges;
  const tries = Math.floor((g.N * g.edges) / ((g.N * (g.N - 1)) / 2));
  const spinCap = 100 * tries + 1000;
  let swaps = 0;
  for (let round = 0; round < rounds; round++) {
    let n = 0,
      spins = 0;
    while (n < tries) {
      const a = g.ownerOf(g.randomSlot(rng));
      const c = g.ownerOf(g.randomSlot(rng));
      if (a === c) {
        if (++spins > spinCap) break;
        continue;
      }
      const ib = g.randomNeighborSlot(a, rng);
      const id = g.randomNeighborSlot(c, rng);
      const b = g.neighbors[ib],
        d = g.neighbors[id];
      if (b === c || b === d || d === a) {
        if (++spins > spinCap) break;
        continue;
      }
      if (!g.has(a, d) && !g.has(c, b) && (rule === undefined || rule(a, b, c, d))) {
        g.swap(a, ib, c, id);
        if (connectivity && !g.reaches(a, b)) {
          g.swap(a, ib, c, id); // the same swap again restores a–b, c–d
        } else {
          swaps++;
          break;
        }
      }
      n++;
    }
  }
  return swaps;
}
