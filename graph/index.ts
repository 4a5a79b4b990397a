/**
 * The public surface of the topology layer. Other layers import from here only.
 */
export * from './types.js';
export { EqpropError, InputError, isInputError, type InputErrorKind } from '../lib/index.js';
export { Rng, type RngState } from './rng.js';
export { PAPER } from './paper.js';
export { buildTopology, glorotBound } from './build.js';
export {
  validateSpec,
  buildableSpec,
  checkTopologySpec,
  topologySpecFields,
  topologySpecSchema,
  MAX_LAYERS,
} from './spec.js';
export {
  skipRuleOf,
  isRestricted,
  rulePairCount,
  ruleAcceptsLayers,
  meanGlorotBound,
  type SkipRule,
} from './skip-rule.js';
export { familyKey, parseFamily, familySpecFields, type Family } from './family.js';
export { pToN, nToP, pToNForSizes, nToPForSizes } from './p-n.js';
export {
  makeLayout,
  connectionsWithIntralayer,
  allowedPairCount,
  freePairCount,
  adjacentCount,
  intralayerCount,
  type Layout,
} from './layout.js';
export { countEdges } from './counts.js';
export { compileTopology, denseWeights, denseMask, rateClassOf } from './compile.js';
export {
  computeMetrics,
  topologyCsr,
  DEFAULT_SMALL_WORLD,
  type Metrics,
  type MetricsOptions,
} from './metrics/index.js';
export { csrFromEdges, adjacencyBits, type Csr, type AdjacencyBits } from './metrics/csr.js';
export { characteristicPathLength } from './metrics/path-length.js';
export { clustering } from './metrics/clustering.js';
export { pathsToOutput } from './metrics/paths-to-output.js';
export { smallWorld, type SmallWorldOptions, type SmallWorldResult } from './metrics/small-world.js';
export { randomReference } from './metrics/random-reference.js';
export { latticeReference } from './metrics/lattice-reference.js';
export {
  toGraphology,
  fromGraphology,
  type TopologyGraph,
  type NodeAttributes,
  type EdgeAttributes,
  type GraphAttributes,
} from './graphology.js';
export {
  exportTopology,
  exportFormatOf,
  checkOutputPath,
  maskPathOf,
  EXPORT_FORMATS,
  type ExportFormat,
} from './export/index.js';
export { writeGraphML } from './export/graphml.js';
export { writeGEXF, GEXF_LIBRARY_MAX_EDGES } from './export/gexf.js';
export { writeGEXFStream } from './export/gexf-stream.js';
export { topologyToJSON, topologyFromJSON, writeTopologyJSON, JSON_FORMAT, type TopologyJSON } from './export/json.js';
export { npyHeader, parseNpyHeader, writeWeightsNpy, writeMaskNpy } from './export/npy.js';
export { writeFileAtomic, collectString, type Sink } from './export/sink.js';
export { removeStaleTempFiles, removeStaleTempFilesOf } from '../lib/index.js';
export { ensureDirectory } from '../lib/index.js';
export { crc32 } from '../lib/index.js';
export { isMetricName, metricNamesText } from './metrics/names.js';
export { describeRange, inRange, type NumberRange } from './ranges.js';
export { WHEN_FIELDS_VALID, addProblem, fieldProblem, parseInput, rangedNumber, showValue } from './schema.js';
export { resolvedSpecSchema } from './spec.js';
