/**
 * GraphML export (opens in Gephi, yEd, networkx read_graphml; graphology-graphml parses it).
 * graphology-graphml 0.5 only parses, so the writer is ours; it streams, since the paper
 * network has 1.27 M edges. Keys: graph sizes/mode/n/p/seed; node layer, index, bias; edge
 * kind, span, weight (same names as the graphology view, graph/graphology.ts).
 */
import type { Topology } from '../types.js';
import { EDGE_KIND_CODE } from '../types.js';
import { makeLayout } from '../layout.js';
import type { Sink } from './sink.js';

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function writeGraphML(topology: Topology, write: Sink): void {
  const layout = makeLayout(topology.sizes);
  const { spec } = topology;
  write('<?xml version="1.0" encoding="UTF-8"?>\n');
  write(
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" ' +
      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
      'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns ' +
      'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n',
  );
  write('<key id="g_sizes" for="graph" attr.name="sizes" attr.type="string"/>\n');
  write('<key id="g_mode" for="graph" attr.name="mode" attr.type="string"/>\n');
  write('<key id="g_n" for="graph" attr.name="n" attr.type="double"/>\n');
  write('<key id="g_p" for="graph" attr.name="p" attr.type="double"/>\n');
  write('<key id="g_seed" for="graph" attr.name="seed" attr.type="long"/>\n');
  write('<key id="layer" for="node" attr.name="layer" attr.type="int"/>\n');
  write('<key id="index" for="node" attr.name="index" attr.type="int"/>\n');
  write('<key id="bias" for="node" attr.name="bias" attr.type="double"/>\n');
  write('<key id="kind" for="edge" attr.name="kind" attr.type="string"/>\n');
  write('<key id="span" for="edge" attr.name="span" attr.type="int"/>\n');
  write('<key id="weight" for="edge" attr.name="weight" attr.type="double"/>\n');
  write('<graph id="G" edgedefault="undirected">\n');
  write(
    `<data key="g_sizes">${topology.sizes.join(',')}</data><data ` +
      `key="g_mode">${escapeXml(spec.mode)}</data><data key="g_n">${spec.n}</data><data ` +
      `key="g_p">${spec.p}</data><data key="g_seed">${spec.seed}</data>\n`,
  );
  const lines: string[] = [];
  const flush = () => {
    write(lines.join(''));
    lines.length = 0;
  };
  for (let v = 0; v < topology.N; v++) {
    const l = layout.layerOf[v];
    lines.push(
      `<node id="${v}"><data key="layer">${l}</data><data key="index">${v - layout.offsets[l]}</data><data ` +
        `key="bias">${topology.biases[v]}</data></node>\n`,
    );
    if (lines.length >= 4096) flush();
  }
  const kinds = ['adjacent', 'intralayer', 'skip'];
  const { src, dst, weight, kind } = topology.edges;
  for (let e = 0; e < topology.edges.count; e++) {
    const span = layout.layerOf[dst[e]] - layout.layerOf[src[e]];
    const k =
      kind[e] === EDGE_KIND_CODE.adjacent ? kinds[0] : kind[e] === EDGE_KIND_CODE.intralayer ? kinds[1] : kinds[2];
    lines.push(
      `<edge source="${src[e]}" target="${dst[e]}"><data key="kind">${k}</data><data ` +
        `key="span">${span}</data><data key="weight">${weight[e]}</data></edge>\n`,
    );
    if (lines.length >= 4096) flush();
  }
  flush();
  write('</graph>\n</graphml>\n');
}
