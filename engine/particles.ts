/**
 * Persistent particles (SPEC §3): one stored free-phase state of the non-input neurons per batch
 * index, starting at zeros. Loaded before a batch's free phase, overwritten with its free
 * equilibrium afterwards. Kept host-side so the number of live tensors does not grow with the
 * dataset, so phase workers can be handed their rows, and so checkpoints can write them as they are.
 */
export class ParticleStore {
  /** batches × batchSize × width, row-major (width = non-input neurons, layer 1 first). */
  readonly data: Float32Array;

  constructor(
    readonly batches: number,
    readonly batchSize: number,
    /** Sizes of layers 1 … K. */
    readonly layerSizes: number[],
    data?: Float32Array,
  ) {
    const length = batches * batchSize * this.width;
    if (data && data.length !== length)
      throw new RangeError(`eqprop/engine: particle data has ${data.length} values; expected ${length}`);
    this.data = data ?? new Float32Array(length);
  }

  get width(): number {
    return this.layerSizes.reduce((a, b) => a + b, 0);
  }
}
