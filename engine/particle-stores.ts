/**
 * A run's persistent particle stores by name (engine/particles.ts): 'train' and 'eval' from the
 * start, and one per other dataset evaluated. The insertion order is the order a checkpoint
 * writes them in, so it is part of the checkpoint's bytes.
 */
import { InputError } from '../lib/index.js';
import { batchCount } from './batches.js';
import type { Dataset } from './mnist.js';
import { ParticleStore } from './particles.js';

export class ParticleStores {
  readonly byName = new Map<string, ParticleStore>();

  constructor(
    private readonly batchSize: number,
    /** Sizes of layers 0 … K. */
    private readonly sizes: number[],
  ) {}

  /** A store of zeros with one particle per batch of `d`. */
  fresh(d: Dataset): ParticleStore {
    return new ParticleStore(batchCount(d, this.batchSize), this.batchSize, this.sizes.slice(1));
  }

  get(name: string): ParticleStore {
    const store = this.byName.get(name);
    if (!store) throw new RangeError(`eqprop/engine: no particle store ${name}`);
    return store;
  }

  /** A copy of the stored free state of batch i of store `name`. */
  copy(name: string, batch: number): Float32Array {
    const store = this.get(name);
    const size = store.batchSize * store.width;
    return store.data.slice(batch * size, (batch + 1) * size);
  }

  set(name: string, store: ParticleStore): void {
    this.byName.set(name, store);
  }

  /** The store `name` for evaluating `d`, fresh when there is none yet or it was made for other data. */
  forDataset(name: string, d: Dataset): ParticleStore {
    const batches = batchCount(d, this.batchSize);
    if (batches < 1 || d.dims !== this.sizes[0]) {
      throw new InputError(
        'engine',
        'dataset',
        `${d.count} examples of ${d.dims} pixels`,
        `at least ${this.batchSize} examples of ${this.sizes[0]} pixels`,
      );
    }
    let store = this.byName.get(name);
    if (!store || store.batches !== batches) {
      store = this.fresh(d);
      this.byName.set(name, store);
    }
    return store;
  }
}
