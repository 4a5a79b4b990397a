import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UndirectedGraph } from 'graphology';
import { parse as parseGraphML } from 'graphology-graphml';
import { parse as parseGEXF } from 'graphology-gexf';
import {
  buildTopology,
  toGraphology,
  fromGraphology,
  writeGraphML,
  writeGEXF,
  writeGEXFStream,
  collectString,
  topologyToJSON,
  topologyFromJSON,
  exportTopology,
  parseNpyHeader,
  npyHeader,
  maskPathOf,
  InputError,
  type Topology,
} from '../../graph/index.js';

const topology = buildTopology({ sizes: [5, 4, 4, 3], mode: 'replace', n: 9, seed: 4 });
const kindName = (code: number) => ['adjacent', 'intralayer', 'skip'][code];

function assertSameTopology(a: Topology, b: Topology) {
  assert.deepEqual(b.sizes, a.sizes);
  assert.equal(b.N, a.N);
  assert.deepEqual([...b.edges.src], [...a.edges.src]);
  assert.deepEqual([...b.edges.dst], [...a.edges.dst]);
  assert.deepEqual([...b.edges.weight], [...a.edges.weight]);
  assert.deepEqual([...b.edges.kind], [...a.edges.kind]);
  assert.deepEqual([...b.biases], [...a.biases]);
  assert.equal(b.spec.mode, a.spec.mode);
  assert.equal(b.spec.seed, a.spec.seed);
  assert.equal(b.spec.n, a.spec.n);
}

test('graphology view: nodes keyed by index with layer/index/bias, edges with kind/span/weight; round trip', () => {
  const g = toGraphology(topology);
  assert.equal(g.order, topology.N);
  assert.equal(g.size, topology.edges.count);
  assert.deepEqual(g.getNodeAttributes('6'), { layer: 1, index: 1, bias: 0 });
  const e = 3;
  const attrs = g.getEdgeAttributes(g.edge(String(topology.edges.src[e]), String(topology.edges.dst[e]))!);
  assert.equal(attrs.kind, kindName(topology.edges.kind[e]));
  assert.equal(attrs.weight, topology.edges.weight[e]);
  assertSameTopology(topology, fromGraphology(g));
});

test('GraphML round trip through graphology-graphml', () => {
  const xml = collectString((w) => writeGraphML(topology, w));
  const g = parseGraphML(UndirectedGraph, xml);
  assert.equal(g.order, topology.N);
  assert.equal(g.size, topology.edges.count);
  assert.equal(g.getNodeAttribute('13', 'layer'), 3);
  assert.equal(g.getNodeAttribute('13', 'index'), 0);
  const counts: Record<string, number> = {};
  g.forEachEdge((_k, a) => {
    counts[a.kind as string] = (counts[a.kind as string] ?? 0) + 1;
  });
  const expected: Record<string, number> = {};
  for (const k of topology.edges.kind) expected[kindName(k)] = (expected[kindName(k)] ?? 0) + 1;
  assert.deepEqual(counts, expected);
  assert.equal(g.getAttribute('mode'), 'replace');
  assertSameTopology(topology, fromGraphology(g));
});

test('GEXF round trip through graphology-gexf', () => {
  const xml = collectString((w) => writeGEXF(topology, w));
  const g = parseGEXF(UndirectedGraph, xml);
  assert.equal(g.order, topology.N);
  assert.equal(g.size, topology.edges.count);
  assert.equal(Number(g.getNodeAttribute('13', 'layer')), 3);
  let skip = 0;
  g.forEachEdge((_k, a) => {
    if (a.kind === 'skip') skip++;
  });
  assert.equal(skip, [...topology.edges.kind].filter((k) => k === 2).length);
  // graphology-gexf carries the graph attributes too, so the whole topology comes back.
  assertSameTopology(topology, fromGraphology(g));
});

test('streamed GEXF (used above GEXF_LIBRARY_MAX_EDGES) parses back via graphology-gexf to the same topology', () => {
  const xml = collectString((w) => writeGEXFStream(topology, w));
  const g = parseGEXF(UndirectedGraph, xml);
  assert.equal(g.order, topology.N);
  assert.equal(g.size, topology.edges.count);
  assert.equal(g.getNodeAttribute('13', 'layer'), 3);
  assert.equal(g.getEdgeAttribute(g.edge('0', '5')!, 'kind'), 'adjacent');
  assertSameTopology(topology, fromGraphology(g));
  // same node/edge attributes as the library writer
  const lib = parseGEXF(
    UndirectedGraph,
    collectString((w) => writeGEXF(topology, w)),
  );
  g.forEachEdge((key, a) => assert.deepEqual(lib.getEdgeAttributes(key), a));
});

test('JSON round trip reloads into the same topology; malformed documents are InputErrors', () => {
  const text = JSON.stringify(topologyToJSON(topology));
  assertSameTopology(topology, topologyFromJSON(JSON.parse(text)));
  assert.throws(() => topologyFromJSON({ format: 'other' }), InputError);
  const bad = JSON.parse(text);
  bad.edges.dst[0] = bad.edges.src[0];
  assert.throws(
    () => topologyFromJSON(bad),
    (e: unknown) => e instanceof InputError && e.field === 'edges[0]',
  );
});

test('files: json (streamed) equals topologyToJSON; npy header and bytes; no temp files left', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eqprop-export-'));
  try {
    const [json] = exportTopology(topology, join(dir, 't.json'));
    assert.deepEqual(JSON.parse(readFileSync(json, 'utf8')), topologyToJSON(topology));
    const files = exportTopology(topology, join(dir, 'w.npy'));
    assert.deepEqual(files, [join(dir, 'w.npy'), maskPathOf(join(dir, 'w.npy'))]);
    const bytes = new Uint8Array(readFileSync(files[0]));
    const h = parseNpyHeader(bytes);
    assert.deepEqual(h, {
      dtype: '<f4',
      fortranOrder: false,
      shape: [topology.N, topology.N],
      dataOffset: h.dataOffset,
    });
    assert.equal(h.dataOffset % 64, 0);
    assert.equal(bytes.length, h.dataOffset + topology.N * topology.N * 4);
    const view = new DataView(bytes.buffer, bytes.byteOffset + h.dataOffset);
    const N = topology.N;
    for (let e = 0; e < topology.edges.count; e++) {
      const i = topology.edges.src[e],
        j = topology.edges.dst[e];
      assert.equal(view.getFloat32((i * N + j) * 4, true), topology.edges.weight[e]);
      assert.equal(view.getFloat32((j * N + i) * 4, true), topology.edges.weight[e]);
    }
    const mask = new Uint8Array(readFileSync(files[1]));
    const mh = parseNpyHeader(mask);
    assert.equal(mh.dtype, '|u1');
    const ones = mask.subarray(mh.dataOffset).reduce((a, b) => a + b, 0);
    assert.equal(ones, 2 * topology.edges.count);
    assert.deepEqual(readdirSync(dir).sort(), ['t.json', 'w.mask.npy', 'w.npy']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('npy header layout: magic, version 1.0, length, 64-byte aligned, newline-terminated', () => {
  const h = npyHeader('|u1', [3, 7]);
  assert.deepEqual([...h.subarray(0, 8)], [0x93, 78, 85, 77, 80, 89, 1, 0]);
  assert.equal(h.length % 64, 0);
  assert.equal(h[h.length - 1], 0x0a);
  assert.equal(new DataView(h.buffer).getUint16(8, true), h.length - 10);
  assert.match(
    new TextDecoder().decode(h.subarray(10)),
    /^\{'descr': '\|u1', 'fortran_order': False, 'shape': \(3, 7\), \} *\n$/,
  );
});

// graph/ names the path it was given (issue 24: field names below the CLI; the CLI passes --out).
test('export to an unknown extension or a missing directory is an InputError naming the path, nothing written', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eqprop-export-'));
  try {
    assert.throws(
      () => exportTopology(topology, join(dir, 'x.csv')),
      (e: unknown) => e instanceof InputError && e.field === 'path',
    );
    assert.throws(
      () => exportTopology(topology, join(dir, 'missing', 'x.json')),
      (e: unknown) => e instanceof InputError && e.field === 'path',
    );
    assert.deepEqual(readdirSync(dir), []);
    assert.ok(!existsSync(join(dir, 'missing')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
