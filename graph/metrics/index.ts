/**
 * computeMetrics: every graph metric of a topology as ONE FLAT Record<string, number>, so the
 * store and the web can filter and plot any of them by name. All keys, l/a/b layer numbers
 * (0 = input, K = output):
 *
 *   N, edges                          neurons, connections
 *   edges.adjacent|intralayer|skip    connections by kind
 *   pair.l{a}.l{b}                    connections between layers a ≤ b (a = b: intralayer;
 *                                     b = a+1: adjacent; b ≥ a+2: skip). Every pair is listed,
 *                                     zeros included, so columns are stable across topologies.
 *   L                                 characteristic path length (metrics/path-length.ts); over
 *                                     connected pairs only when connected = 0
 *   connected                         1 if every neuron reaches every other, else 0
 *   diameter                          largest shortest-path distance
 *   C                                 average clustering (metrics/clustering.ts)
 *   transitivity                      3 · triangles / connected triples
 *   degree.mean                       mean degree over all neurons
 *   degree.{mean,min,max,std}.l{l}    degree statistics of layer l
 *   distToOutput.mean.l{l}            mean shortest distance from layer l to the output layer
 *   distToOutput.max.l{l}             its maximum (−1 when some neuron cannot reach the output)
 *   distToOutput.frac.l{l}.d{d}       fraction of layer l at distance d, d = 1 … K+1 (layered: all at K − l)
 *   log10ShortestPaths.l{l}           log10 of the mean number of shortest paths to the output
 *   walkLength                        k used below (default K)
 *   log10Walks.l{l}                   log10 of the mean number of walks of length ≤ k from a
 *                                     neuron of layer l that end in the output layer
 *                                     (metrics/paths-to-output.ts defines both counts)
 * Only when options.smallWorld.samples > 0 (metrics/small-world.ts; networkx definitions):
 *   sigma, omega, Lrand, Crand, Clattice, smallWorld.samples, smallWorld.randomNiter,
 *   smallWorld.latticeNiter (sigma only when transitivity and Crand > 0, omega only when C and
 *   Clattice > 0: small-worldness is undefined without triangles, e.g. for a layered net)
 * Output-layer rows (l = K) are left out of the distance, path and walk keys: they are trivially 0.
 */
import type { Topology } from '../types.js';
import { countEdges } from '../counts.js';
import { csrFromEdges, adjacencyBits, type Csr } from './csr.js';
import { characteristicPathLength } from './path-length.js';
import { clustering } from './clustering.js';
import { degreeStatsPerLayer } from './degree.js';
import { connectionsPerLayerPair } from './layer-pairs.js';
import { pathsToOutput } from './paths-to-output.js';
import { smallWorld, type SmallWorldOptions } from './small-world.js';

export type Metrics = Record<string, number>;

export interface MetricsOptions {
  /** σ and ω reference graphs; omitted or samples = 0 skips them (they dominate the cost). */
  smallWorld?: Partial<SmallWorldOptions>;
  /** Longest walk counted by log10Walks.* (default: K, the number of layers − 1). */
  walkLength?: number;
}

export const DEFAULT_SMALL_WORLD: Omit<SmallWorldOptions, 'seed'> = { samples: 0, randomNiter: 1, latticeNiter: 1 };

export function topologyCsr(topology: Pick<Topology, 'N' | 'edges'>): Csr {
  return csrFromEdges(topology.N, topology.edges.src, topology.edges.dst, topology.edges.count);
}

export function computeMetrics(topology: Topology, options: MetricsOptions = {}): Metrics {
  const { sizes, offsets, N } = topology;
  const K = sizes.length - 1;
  const out: Metrics = {};
  const counts = countEdges(topology);
  out.N = N;
  out.edges = counts.total;
  out['edges.adjacent'] = counts.adjacent;
  out['edges.intralayer'] = counts.intralayer;
  out['edges.skip'] = counts.skip;
  const pairs = connectionsPerLayerPair(topology);
  for (let a = 0; a <= K; a++) for (let b = a; b <= K; b++) out[`pair.l${a}.l${b}`] = pairs[a][b];

  const csr = topologyCsr(topology);
  const pl = characteristicPathLength(csr);
  out.L = pl.L;
  out.connected = pl.connected ? 1 : 0;
  out.diameter = pl.diameter;
  const cl = clustering(csr, adjacencyBits(csr));
  out.C = cl.averageClustering;
  out.transitivity = cl.transitivity;

  out['degree.mean'] = N === 0 ? 0 : (2 * counts.total) / N;
  degreeStatsPerLayer(csr, offsets).forEach((s, l) => {
    out[`degree.mean.l${l}`] = s.mean;
    out[`degree.min.l${l}`] = s.min;
    out[`degree.max.l${l}`] = s.max;
    out[`degree.std.l${l}`] = s.std;
  });

  const k = options.walkLength ?? K;
  const paths = pathsToOutput(csr, offsets[K], k);
  out.walkLength = k;
  for (let l = 0; l < K; l++) {
    const n = sizes[l];
    let sum = 0,
      max = 0,
      unreachable = false,
      sp = 0,
      walks = 0;
    const hist = new Array<number>(K + 2).fill(0);
    for (let v = offsets[l]; v < offsets[l + 1]; v++) {
      const d = paths.dist[v];
      if (d < 0) {
        unreachable = true;
        continue;
      }
      sum += d;
      if (d > max) max = d;
      if (d < hist.length) hist[d]++;
      sp += paths.shortest[v];
      walks += paths.walks[v];
    }
    out[`distToOutput.mean.l${l}`] = sum / n;
    out[`distToOutput.max.l${l}`] = unreachable ? -1 : max;
    for (let d = 1; d <= K + 1; d++) out[`distToOutput.frac.l${l}.d${d}`] = hist[d] / n;
    out[`log10ShortestPaths.l${l}`] = Math.log10(sp / n);
    out[`log10Walks.l${l}`] = Math.log10(walks / n);
  }

  const sw = { ...DEFAULT_SMALL_WORLD, seed: topology.spec.seed, ...options.smallWorld };
  if (sw.samples > 0) {
    const r = smallWorld(csr, { L: pl.L, averageClustering: cl.averageClustering, transitivity: cl.transitivity }, sw);
    // Small-worldness is undefined for a graph without triangles (a layered net: C = 0) or against
    // references without them: σ and ω are then left out (null in JSON), not reported as 0.
    if (cl.transitivity > 0 && r.Crand > 0) out.sigma = r.sigma;
    if (cl.averageClustering > 0 && r.Clattice > 0) out.omega = r.omega;
    out.Lrand = r.Lrand;
    out.Crand = r.Crand;
    out.Clattice = r.Clattice;
    out['smallWorld.samples'] = sw.samples;
    out['smallWorld.randomNiter'] = sw.randomNiter;
    out['smallWorld.latticeNiter'] = sw.latticeNiter;
  }
  // JSON has no Infinity/NaN: a quantity that does not exist (log10 of 0 paths) is left out.
  for (const key of Object.keys(out)) if (!Number.isFinite(out[key])) delete out[key];
  return out;
}
