/**
 * The topology codec on its own: exact round trips in any order (version 2), blobs written by
 * older code (version 1) still read, and damaged blobs refused with the module's error format.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EqpropError, type Topology } from '../../graph/index.js';
import {
  codecVersionOf,
  CODEC_VERSION,
  decodeConnections,
  encodeConnections,
  encodeConnectionsV1,
} from '../../src/store/topology-codec.js';
import { shuffledTopology, smallTopology } from './fixtures.js';

function assertSame(actual: ReturnType<typeof decodeConnections>, t: Pick<Topology, 'edges' | 'biases'>): void {
  const { count } = t.edges;
  assert.equal(actual.edges.count, count);
  assert.deepEqual(actual.edges.src, t.edges.src.subarray(0, count));
  assert.deepEqual(actual.edges.dst, t.edges.dst.subarray(0, count));
  assert.deepEqual(actual.edges.weight, t.edges.weight.subarray(0, count));
  assert.deepEqual(actual.edges.kind, t.edges.kind.subarray(0, count));
  assert.deepEqual(actual.biases, t.biases);
}

const small = smallTopology({ sizes: [20, 8, 8, 8, 4], mode: 'replace', n: 60, seed: 5 });

for (const [label, t] of [
  ['canonical order', small],
  ['shuffled order', shuffledTopology(small, 4)],
] as const) {
  test(`codec: version ${CODEC_VERSION} round-trips exactly (${label})`, () => {
    const blob = encodeConnections(t);
    assert.equal(codecVersionOf(blob), CODEC_VERSION);
    assertSame(decodeConnections(blob), t);
  });
}

test('codec: unusual values survive (negative zero, subnormals, extremes, large index jumps)', () => {
  const weight = new Float32Array([-0, 0, 1e-45, -3.4e38, 3.4e38, 0.1, -0.1]);
  const src = new Int32Array([0, 2_000_000_000, 5, 2_147_483_647, 0, 1, 1]);
  const dst = new Int32Array([2_147_483_647, 0, 6, 1, 3, 2, 3]);
  const kind = new Uint8Array([0, 1, 2, 0, 1, 2, 0]);
  const t = { edges: { count: 7, src, dst, weight, kind }, biases: new Float32Array([-0, 2.5e-40, 7]) };
  const decoded = decodeConnections(encodeConnections(t));
  assertSame(decoded, t);
  assert.ok(Object.is(decoded.edges.weight[0], -0), 'the sign of zero is kept');
});

test('codec: no connections, no biases (an empty block)', () => {
  const edges = {
    count: 0,
    src: new Int32Array(0),
    dst: new Int32Array(0),
    weight: new Float32Array(0),
    kind: new Uint8Array(0),
  };
  const t = { edges, biases: new Float32Array(0) };
  assertSame(decodeConnections(encodeConnections(t)), t);
});

test('codec: version 1 blobs (stores written before version 2) still decode', () => {
  const t = shuffledTopology(small, 9);
  const old = encodeConnectionsV1(t);
  assert.equal(codecVersionOf(old), 1);
  assertSame(decodeConnections(old), t);
});

test('codec: version 2 is several times smaller than version 1 for a layered topology', () => {
  const t = smallTopology({ sizes: [100, 50, 50, 10], mode: 'replace', n: 200, seed: 2 });
  // Fixed bound, not a timing: 13 bytes per connection before, about 3.5 now.
  assert.ok(encodeConnections(t).length * 3 < encodeConnectionsV1(t).length);
});

test('codec: damaged blobs are refused with an eqprop/store error', () => {
  const blob = encodeConnections(small);
  const cases: [string, Uint8Array][] = [
    ['not a blob', new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16])],
    ['truncated', blob.subarray(0, blob.length - 1)],
    [
      'unknown version',
      (() => {
        const b = blob.slice();
        b[4] = 9;
        return b;
      })(),
    ],
    [
      'corrupt deflate data',
      (() => {
        const b = blob.slice();
        b.fill(0xff, 24, 40);
        return b;
      })(),
    ],
  ];
  for (const [label, bytes] of cases) {
    assert.throws(
      () => decodeConnections(bytes),
      (e: unknown) => {
        assert.ok(e instanceof EqpropError, label);
        assert.match(e.message, /^eqprop\/store: .*; expected /, label);
        return true;
      },
      label,
    );
  }
});
