/**
 * GEXF export through graphology-gexf (Gephi's native format): the graphology view
 * (graph/graphology.ts) written with node label = global index, attributes layer, index, bias;
 * edge attributes kind, span, weight; GEXF's own edge weight = the connection's weight.
 * graphology-gexf builds a graphology graph and the whole document in memory: measured 146 s
 * and 6 GB for the paper net. Above GEXF_LIBRARY_MAX_EDGES connections the same document shape
 * is streamed by graph/export/gexf-stream.ts instead.
 */
import { write as writeGexfString } from 'graphology-gexf';
import type { Topology } from '../types.js';
import { toGraphology } from '../graphology.js';
import type { Sink } from './sink.js';
import { writeGEXFStream } from './gexf-stream.js';

export const GEXF_LIBRARY_MAX_EDGES = 100_000;

export function writeGEXF(topology: Topology, write: Sink): void {
  if (topology.edges.count > GEXF_LIBRARY_MAX_EDGES) {
    writeGEXFStream(topology, write);
    return;
  }
  const graph = toGraphology(topology);
  write(
    writeGexfString(graph, {
      version: '1.3',
      formatNode: (key, attributes) => ({ label: key, attributes: { ...attributes } }),
      formatEdge: (_key, attributes) => ({ weight: attributes.weight as number, attributes: { ...attributes } }),
    }),
  );
}
