/**
 * GEXF export through graphology-gexf (Gephi's native format): the graphology view
 * (graph/graphology.ts) written with node label = global index, attributes layer, index, bias;
 * edge attributes kind, span, weight; GEXF's own edge weight = the connection's weight.
 * graphology-gexf builds the whole document in memory: fine for nets up to a few hundred
 * thousand edges; the paper net works but takes a while and ~1 GB.
 */
import { write as writeGexfString } from 'graphology-gexf';
import type { Topology } from '../types.js';
import { toGraphology } from '../graphology.js';
import type { Sink } from './sink.js';

export function writeGEXF(topology: Topology, write: Sink): void {
  const graph = toGraphology(topology);
  write(writeGexfString(graph, {
    version: '1.3',
    formatNode: (key, attributes) => ({ label: key, attributes: { ...attributes } }),
    formatEdge: (_key, attributes) => ({ weight: attributes.weight as number, attributes: { ...attributes } }),
  }));
}
