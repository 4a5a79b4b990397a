/**
 * Topology codec: a topology's connections and biases as one compact, self-describing binary
 * blob, and back. Both stores keep the connections this way (SQLite: the whole edge list; Neo4j:
 * the adjacent-layer blocks), so a reload yields exactly the typed arrays that were saved.
 *
 * Layout (little-endian, every section 4-byte aligned so a decoder may view it directly):
 *   0  magic  "EQTC" (4 bytes)
 *   4  version u8 (CODEC_VERSION), 3 bytes reserved (0)
 *   8  count  u32   number of connections
 *  12  N      u32   number of biases (neurons)
 *  16  src    i32 × count
 *      dst    i32 × count
 *      weight f32 × count
 *      bias   f32 × N
 *      kind   u8  × count
 *
 * Why one fixed layout instead of JSON: the paper network has 1.27 M connections; as JSON that is
 * ~40 MB and seconds to parse, as this blob it is 16.5 MB and a memcpy.
 */
import type { EdgeList } from '../../graph/types.js';
import { EqpropError } from '../../graph/errors.js';

export const CODEC_VERSION = 1;
const MAGIC = [0x45, 0x51, 0x54, 0x43]; // "EQTC"
const HEADER_BYTES = 16;
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export interface Connections {
  edges: EdgeList;
  biases: Float32Array;
}

export function encodedSize(count: number, N: number): number {
  return HEADER_BYTES + count * 13 + N * 4;
}

export function encodeConnections({ edges, biases }: Connections): Uint8Array {
  const { count } = edges;
  const N = biases.length;
  const out = new Uint8Array(encodedSize(count, N));
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint8(4, CODEC_VERSION);
  view.setUint32(8, count, true);
  view.setUint32(12, N, true);
  let at = HEADER_BYTES;
  at = put32(out, at, edges.src.subarray(0, count));
  at = put32(out, at, edges.dst.subarray(0, count));
  at = put32(out, at, edges.weight.subarray(0, count));
  at = put32(out, at, biases);
  out.set(edges.kind.subarray(0, count), at);
  return out;
}

export function decodeConnections(bytes: Uint8Array): Connections {
  if (bytes.length < HEADER_BYTES || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new EqpropError('store', 'stored connections are not an eqprop topology blob; expected the "EQTC" codec format');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint8(4);
  if (version !== CODEC_VERSION) {
    throw new EqpropError('store', `stored connections use codec version ${version}; expected version ${CODEC_VERSION} (upgrade eqprop-lab)`);
  }
  const count = view.getUint32(8, true);
  const N = view.getUint32(12, true);
  if (bytes.length !== encodedSize(count, N)) {
    throw new EqpropError('store', `stored connections are truncated (${bytes.length} bytes for ${count} connections and ${N} neurons); expected ${encodedSize(count, N)} bytes`);
  }
  let at = HEADER_BYTES;
  const src = new Int32Array(count);
  const dst = new Int32Array(count);
  const weight = new Float32Array(count);
  const biases = new Float32Array(N);
  at = get32(bytes, at, src);
  at = get32(bytes, at, dst);
  at = get32(bytes, at, weight);
  at = get32(bytes, at, biases);
  // Copied into a plain Uint8Array: the input may be a Node Buffer, and callers compare types.
  const kind = new Uint8Array(count);
  kind.set(bytes.subarray(at, at + count));
  return { edges: { count, src, dst, weight, kind }, biases };
}

/** Copies a 32-bit typed array into `out` at byte `at` as little-endian; returns the next offset. */
function put32(out: Uint8Array, at: number, values: Int32Array | Float32Array): number {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  out.set(bytes, at);
  if (!LITTLE_ENDIAN_HOST) swap32(out, at, values.byteLength);
  return at + values.byteLength;
}

/** Fills a 32-bit typed array from little-endian bytes at `at`; returns the next offset. */
function get32(bytes: Uint8Array, at: number, into: Int32Array | Float32Array): number {
  const target = new Uint8Array(into.buffer, into.byteOffset, into.byteLength);
  // A copy rather than a view: stored blobs need not start on a 4-byte boundary.
  target.set(bytes.subarray(at, at + into.byteLength));
  if (!LITTLE_ENDIAN_HOST) swap32(target, 0, target.length);
  return at + into.byteLength;
}

function swap32(bytes: Uint8Array, at: number, length: number): void {
  for (let i = at; i < at + length; i += 4) {
    const a = bytes[i]!, b = bytes[i + 1]!;
    bytes[i] = bytes[i + 3]!; bytes[i + 1] = bytes[i + 2]!; bytes[i + 2] = b; bytes[i + 3] = a;
  }
}

/** An Int32Array as little-endian bytes (the Neo4j blocks' edge positions). */
export function int32ToBytes(values: Int32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  put32(out, 0, values);
  return out;
}

export function bytesToInt32(bytes: Uint8Array): Int32Array {
  if (bytes.length % 4 !== 0) throw new EqpropError('store', `int32 array of ${bytes.length} bytes; expected a multiple of 4`);
  const out = new Int32Array(bytes.length / 4);
  get32(bytes, 0, out);
  return out;
}
