/**
 * The public surface of the topology layer. Other layers import from here only.
 */
export * from './types.js';
export { EqpropError, InputError, isInputError } from './errors.js';
export { Rng, type RngState } from './rng.js';
export { PAPER } from './paper.js';
export { buildTopology, glorotBound } from './build.js';
export { validateSpec } from './spec.js';
export { pToN, nToP, pToNForSizes, nToPForSizes } from './p-n.js';
export { makeLayout, connectionsWithIntralayer, allowedPairCount, freePairCount, adjacentCount, intralayerCount, type Layout } from './layout.js';
export { countEdges } from './counts.js';
export { compileTopology, denseWeights, denseMask, rateClassOf } from './compile.js';
