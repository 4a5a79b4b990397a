/**
 * The mutable edge store the random builders work on: parallel src/dst arrays (so a uniformly
 * random existing connection is one rng.int) kept in step with a PairSet (so "is this pair
 * connected" is O(1)). Replacing connection r writes the new pair into slot r: removal and
 * addition in one step, and the new connection can itself be picked later (SPEC §4).
 */
import type { Layout } from '../layout.js';
import { PairSet } from './pair-set.js';

export class WorkingEdges {
  readonly pairs: PairSet;
  src: Int32Array;
  dst: Int32Array;
  count = 0;

  constructor(layout: Layout, capacity: number) {
    this.pairs = new PairSet(layout);
    this.src = new Int32Array(capacity);
    this.dst = new Int32Array(capacity);
  }

  /** Appends a pair (lo < hi) that is not yet connected. */
  push(lo: number, hi: number): void {
    this.src[this.count] = lo;
    this.dst[this.count] = hi;
    this.count++;
    this.pairs.add(lo, hi);
  }

  /** Replaces connection r by the pair (lo, hi); the old pair becomes a candidate again. */
  replace(r: number, lo: number, hi: number): void {
    this.pairs.delete(this.src[r], this.dst[r]);
    this.src[r] = lo;
    this.dst[r] = hi;
    this.pairs.add(lo, hi);
  }
}

/** Adjacent-layer connections of every layer pair (the layered net), in layer order. */
export function pushAdjacent(edges: WorkingEdges, layout: Layout): void {
  const { offsets } = layout;
  for (let l = 0; l + 1 < layout.sizes.length; l++) {
    for (let i = offsets[l]; i < offsets[l + 1]; i++) {
      for (let j = offsets[l + 1]; j < offsets[l + 2]; j++) edges.push(i, j);
    }
  }
}

/** Every pair within each hidden layer (not input, not output: SPEC §4). */
export function pushIntralayer(edges: WorkingEdges, layout: Layout): void {
  const { offsets } = layout;
  for (let l = 1; l < layout.outputLayer; l++) {
    for (let i = offsets[l]; i < offsets[l + 1]; i++) {
      for (let j = i + 1; j < offsets[l + 1]; j++) edges.push(i, j);
    }
  }
}
