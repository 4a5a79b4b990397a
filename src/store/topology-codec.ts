/**
 * Topology codec: a topology's connections and biases as one compact, self-describing binary
 * blob, and back. Both stores keep the connections this way (SQLite: the whole edge list; Neo4j:
 * the blocks), so a reload yields exactly the typed arrays that were saved (order included).
 *
 * Version 2 (written now; see docs/stores.md for the measurements behind it):
 *   0  magic  "EQTC" (4 bytes)
 *   4  version u8 = 2, 3 bytes reserved (0)
 *   8  count  u32   number of connections
 *  12  N      u32   number of biases (neurons)
 *  16  packed u32   length of the deflated section
 *  20  raw    u32   length of that section once inflated
 *  24  deflated (node:zlib, raw deflate), which inflates to:
 *        src   zigzag varint of each src minus the previous src (the first minus 0), stored order
 *        dst   the same for dst
 *        kind  u8 × count
 *        the top byte (sign, 7 exponent bits) of each weight, then of each bias
 *      then, uncompressed: the low three bytes of each f32 as planes (every weight's byte 0, then
 *      every byte 1, then every byte 2; the biases' likewise).
 * Why: builders emit connections row by row, so src deltas are almost all 0 and dst deltas almost
 * all 1 (adjacent blocks are nearly complete): the indices deflate to a few kB. Initial weights
 * are uniform random: their top byte deflates to ~0.43 bytes, the mantissa bytes do not compress
 * at all (measured: 1.000 and 0.986), so deflating them would only cost time. Any connection
 * order round-trips, since the deltas are signed.
 *
 * Version 1 (read only, stores written before version 2): the fixed layout
 *   header as above up to byte 16, then src i32 × count, dst i32 × count, weight f32 × count,
 *   bias f32 × N, kind u8 × count, little-endian, uncompressed (13 bytes per connection).
 */
import { deflateRawSync, inflateRawSync, constants as zlib } from 'node:zlib';
import type { EdgeList } from '../../graph/types.js';
import { EqpropError } from '../../graph/errors.js';

/** The version encodeConnections writes; decodeConnections reads it and every older one. */
export const CODEC_VERSION = 2;
const MAGIC = [0x45, 0x51, 0x54, 0x43]; // "EQTC"
const HEADER_BYTES = 16;
const V2_HEADER_BYTES = 24;
/**
 * Deflate level: measured on 5×100 topologies (docs/stores.md), level 1 keeps a save under the
 * time of the version-1 store while compressing within a few percent of level 6.
 */
const DEFLATE_LEVEL = 1;
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export interface Connections {
  edges: EdgeList;
  biases: Float32Array;
}

/** Size of a version-1 blob (kept for reading stores written before version 2). */
export function encodedSize(count: number, N: number): number {
  return HEADER_BYTES + count * 13 + N * 4;
}

export function encodeConnections({ edges, biases }: Connections): Uint8Array {
  const { count } = edges;
  const N = biases.length;
  const weight = edges.weight.subarray(0, count);
  // Worst case per varint: 5 bytes (a delta of two int32 needs 33 bits after zigzag).
  const head = new Uint8Array(count * 10 + count + count + N);
  let at = putDeltas(head, 0, edges.src, count);
  at = putDeltas(head, at, edges.dst, count);
  head.set(edges.kind.subarray(0, count), at);
  at += count;
  at = putPlanes(weight, head, at, null, 0);
  at = putPlanes(biases, head, at, null, 0);
  const packed = deflateRawSync(head.subarray(0, at), { level: DEFLATE_LEVEL });
  const out = new Uint8Array(V2_HEADER_BYTES + packed.length + 3 * (count + N));
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint8(4, 2);
  view.setUint32(8, count, true);
  view.setUint32(12, N, true);
  view.setUint32(16, packed.length, true);
  view.setUint32(20, at, true);
  out.set(packed, V2_HEADER_BYTES);
  const low = V2_HEADER_BYTES + packed.length;
  putPlanes(weight, out, -1, out, low);
  putPlanes(biases, out, -1, out, low + 3 * count);
  return out;
}

/** The format version of a stored blob (1 or 2), or an error when it is not a topology blob. */
export function codecVersionOf(bytes: Uint8Array): number {
  if (bytes.length < HEADER_BYTES || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new EqpropError('store', 'stored connections are not an eqprop topology blob; expected the "EQTC" codec format');
  }
  return bytes[4]!;
}

export function decodeConnections(bytes: Uint8Array): Connections {
  const version = codecVersionOf(bytes);
  if (version === 1) return decodeV1(bytes);
  if (version !== 2) {
    throw new EqpropError('store', `stored connections use codec version ${version}; expected version 1 or ${CODEC_VERSION} (upgrade eqprop-lab)`);
  }
  if (bytes.length < V2_HEADER_BYTES) throw damaged(`${bytes.length} bytes, shorter than the header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(8, true);
  const N = view.getUint32(12, true);
  const packedLength = view.getUint32(16, true);
  const rawLength = view.getUint32(20, true);
  const low = V2_HEADER_BYTES + packedLength;
  if (bytes.length !== low + 3 * (count + N)) {
    throw damaged(`${bytes.length} bytes for ${count} connections and ${N} neurons; expected ${low + 3 * (count + N)}`);
  }
  let head: Uint8Array;
  try {
    head = inflateRawSync(bytes.subarray(V2_HEADER_BYTES, low), { maxOutputLength: Math.max(rawLength, 1) });
  } catch (e) {
    throw damaged(`its indices do not inflate (${(e as Error).message})`);
  }
  if (head.length !== rawLength) throw damaged(`${head.length} inflated bytes; expected ${rawLength}`);
  const src = new Int32Array(count);
  const dst = new Int32Array(count);
  let at = getDeltas(head, 0, src);
  at = getDeltas(head, at, dst);
  if (at + 2 * count + N !== rawLength) throw damaged(`the inflated section does not fit ${count} connections and ${N} neurons`);
  // Copied into a plain Uint8Array: inflate returns a Node Buffer, and callers compare types.
  const kind = new Uint8Array(count);
  kind.set(head.subarray(at, at + count));
  at += count;
  const weight = new Float32Array(count);
  const biases = new Float32Array(N);
  getPlanes(weight, head, at, bytes, low);
  getPlanes(biases, head, at + count, bytes, low + 3 * count);
  return { edges: { count, src, dst, weight, kind }, biases };
}

function damaged(what: string): EqpropError {
  return new EqpropError('store', `stored connections are damaged: ${what}; expected a blob written by encodeConnections`);
}

/** Zigzag varints of values[i] - values[i - 1] (values[-1] = 0); returns the next offset. */
function putDeltas(out: Uint8Array, at: number, values: Int32Array, count: number): number {
  let previous = 0;
  for (let i = 0; i < count; i++) {
    const v = values[i]!;
    const d = v - previous; // exact in doubles: |d| < 2^32
    previous = v;
    let z = d >= 0 ? d * 2 : -d * 2 - 1;
    if (z < 0x80) { out[at++] = z; continue; } // the common case: 0 or 1 apart
    while (z >= 0x80) {
      out[at++] = (z % 0x80) | 0x80;
      z = Math.floor(z / 0x80);
    }
    out[at++] = z;
  }
  return at;
}

function getDeltas(raw: Uint8Array, at: number, into: Int32Array): number {
  let previous = 0;
  const end = raw.length;
  for (let i = 0; i < into.length; i++) {
    if (at >= end) throw damaged('the connection indices run past their section');
    const b = raw[at++]!;
    if (b < 0x80) { // the common case, in int32 arithmetic
      previous = (previous + ((b >>> 1) ^ -(b & 1))) | 0;
      into[i] = previous;
      continue;
    }
    [previous, at] = longDelta(raw, at, b, previous);
    into[i] = previous;
  }
  return at;
}

/** A varint of several bytes (its first byte already read), added to previous; doubles, since it may exceed 2^31. */
function longDelta(raw: Uint8Array, at: number, first: number, previous: number): [number, number] {
  let b = first;
  let z = b & 0x7f;
  for (let scale = 0x80; b & 0x80; scale *= 0x80) {
    if (at >= raw.length || scale > 2 ** 35) throw damaged('a connection index runs past its section');
    b = raw[at++]!;
    z += (b & 0x7f) * scale;
  }
  return [previous + (z % 2 === 0 ? z / 2 : -(z + 1) / 2), at];
}

/**
 * Splits little-endian f32s: the top byte of each into `top` at topAt (when topAt >= 0), the low
 * three bytes as planes into `low` at lowAt (when low is given). Returns topAt + values.length.
 */
function putPlanes(values: Float32Array, top: Uint8Array, topAt: number, low: Uint8Array | null, lowAt: number): number {
  const n = values.length;
  const words = wordsOf(values);
  for (let i = 0; i < n; i++) {
    const w = words[i]!;
    if (topAt >= 0) top[topAt + i] = w >>> 24;
    if (low) {
      low[lowAt + i] = w & 0xff;
      low[lowAt + n + i] = (w >>> 8) & 0xff;
      low[lowAt + 2 * n + i] = (w >>> 16) & 0xff;
    }
  }
  return topAt + n;
}

/** Reassembles f32s from their top bytes (top at topAt) and low planes (low at lowAt). */
function getPlanes(into: Float32Array, top: Uint8Array, topAt: number, low: Uint8Array, lowAt: number): void {
  const n = into.length;
  const words = wordsOf(into); // same host order in both views: the bits, on any host
  for (let i = 0; i < n; i++) {
    words[i] = low[lowAt + i]! | (low[lowAt + n + i]! << 8) | (low[lowAt + 2 * n + i]! << 16) | (top[topAt + i]! << 24);
  }
}

/** The f32s' IEEE bit patterns as numbers (both views use host order, so on any host w >>> 24 is the sign and exponent). */
function wordsOf(values: Float32Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, values.length);
}

/**
 * The version-1 layout, written by stores before version 2. Only tests write it now (to build a
 * store "written by older code"); the stores read it forever.
 */
export function encodeConnectionsV1({ edges, biases }: Connections): Uint8Array {
  const { count } = edges;
  const N = biases.length;
  const out = new Uint8Array(encodedSize(count, N));
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint8(4, 1);
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

function decodeV1(bytes: Uint8Array): Connections {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
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
