/**
 * Every number that comes from the paper (Gammell, Nam, McCaughan 2020) or SPEC.md, named once.
 * Use these by name; do not repeat the literals elsewhere.
 */
export const PAPER = Object.freeze({
  /** §2 / SPEC §6: 784-500-500-500-10. */
  sizes: Object.freeze([784, 500, 500, 500, 10]) as readonly number[],
  /** SPEC §4: layer-skipping connections of the paper's net (replace mode). */
  n: 100_000,
  /** SPEC §4: p for n = 100,000 on the paper's net. */
  p: 0.0756,
  /** SPEC §4: connections after intralayer edges are added, 784-500-500-500-10. */
  connectionsWithIntralayer: 1_271_250,
  /** SPEC §4: intralayer and layer-skipping initial weights ~ U[−0.05, 0.05]. */
  nonAdjacentInitMagnitude: 0.05,
  /** SPEC §6. */
  batchSize: 20,
  epsilon: 0.5,
  beta: 1.0,
  freeSteps: 500,
  clampedSteps: 8,
  epochs: 250,
  /** SPEC §3: one rate for every weight and bias (sections 3.2, 3.3). */
  singleRate: 0.02,
  /** SPEC §3: per-layer rates, pair l = (layer l, layer l+1); input–h1 first (section 3.1). */
  perLayerRates: Object.freeze([0.128, 0.032, 0.008, 0.002]) as readonly number[],
  /** SPEC §6: first 50,000 training images train; the last 10,000 of the training file evaluate. */
  trainExamples: 50_000,
  evalExamples: 10_000,
  /** SPEC §6 Fig. 5: the authors' n sweep, 0 … 200,000 in steps of 500. */
  sweepNMax: 200_000,
  sweepNStep: 500,
});
