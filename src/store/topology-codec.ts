/**
 * Topology codec: a topology's connections and biases as one compact, self-describing binary
 * blob, and back. Both stores keep the connections this way (SQLite: the whole edge list; Neo4j:
 * the blocks), so a reload yields exactly the typed arrays that were saved (order included).
 *
 * Version 2 (what the stores write; see docs/stores.md for the measurements behind it):
 *   0  magic  "EQTC" (4 bytes)
 *   4  version u8 = 2, 3 bytes reserved (0)
 *   8  count  u32   number of connections
 *  12  N      u32   number of biases (neurons)
 *  16  runs   u32   length of the deflated runs
 *  20  rawRuns u32  their length once inflated
 *  24  top    u32   length of the deflated top bytes
 *  28  runs, raw deflate (node:zlib), which inflate to:
 *        src   runs of equal deltas: (zigzag varint delta, varint run length) pairs, where the
 *              deltas are each src minus the previous one (the first minus 0), in stored order
 *        dst   the same for dst
 *        kind  runs of equal kinds: (varint kind, varint run length) pairs
 *      top bytes, raw deflate with Huffman coding only: the top byte (sign and 7 exponent bits)
 *        of each weight, then of each bias (count + N bytes once inflated)
 *      then, uncompressed: the low three bytes of each f32 as planes (every weight's byte 0, then
 *      every byte 1, then every byte 2; the biases' likewise).
 * Why: builders emit connections row by row, so src deltas are almost all 0 and dst deltas almost
 * all 1 (adjacent blocks are nearly complete): a few runs per neuron, a few kB once deflated, and
 * a decoder that fills runs instead of parsing one varint per connection (≈ 5× faster). The top
 * bytes are independent draws, so Huffman coding alone compresses them as well as full deflate
 * (0.43 byte each) at a fraction of its time. Initial weights
 * are uniform random: their top byte deflates to ~0.43 bytes, the mantissa bytes do not compress
 * at all (measured: 1.000 and 0.986), so deflating them would only cost time. Any connection
 * order round-trips, since the deltas are signed.
 *
 * Version 1 (read only, stores written before version 2): the fixed layout
 *   header as above up to byte 16, then src i32 × count, dst i32 × count, weight f32 × count,
 *   bias f32 × N, kind u8 × count, little-endian, uncompressed (13 bytes per connection).
 */
import { deflateRawSync, inflateRawSync, constants as zlib } from 'node:zlib';
import type { EdgeList } from '../../graph/index.js';
import { EqpropError } from '../../lib/index.js';

/** The version encodeConnections writes; decodeConnections reads it and every older one. */
export const CODEC_VERSION = 2;
const MAGIC = [0x45, 0x51, 0x54, 0x43]; // "EQTC"
const HEADER_BYTES = 16;
const V2_HEADER_BYTES = 28;
/**
 * Deflate level for the runs (a few kB) and the top bytes (Huffman only, where the level does not
 * matter): measured, level 6 saved < 1 % over level 1 at several times the time.
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
  const runs: RunWriter = { bytes: new Uint8Array(64 * 1024), at: 0 }; // grows; a layered topology needs ~25 kB
  putDeltaRuns(runs, edges.src, count);
  putDeltaRuns(runs, edges.dst, count);
  putKindRuns(runs, edges.kind, count);
  const at = runs.at;
  const packedRuns = deflateRawSync(runs.bytes.subarray(0, at), { level: DEFLATE_LEVEL });
  const planes = new Uint8Array(4 * (count + N)); // top bytes of weights and biases, then their low planes
  putPlanes(weight, planes, 0, count + N);
  putPlanes(biases, planes, count, count + N + 3 * count);
  const top = planes.subarray(0, count + N);
  const packedTop = deflateRawSync(top, { level: DEFLATE_LEVEL, strategy: zlib.Z_HUFFMAN_ONLY });
  const lowBytes = planes.subarray(count + N);
  const out = new Uint8Array(V2_HEADER_BYTES + packedRuns.length + packedTop.length + lowBytes.length);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint8(4, 2);
  view.setUint32(8, count, true);
  view.setUint32(12, N, true);
  view.setUint32(16, packedRuns.length, true);
  view.setUint32(20, at, true);
  view.setUint32(24, packedTop.length, true);
  out.set(packedRuns, V2_HEADER_BYTES);
  out.set(packedTop, V2_HEADER_BYTES + packedRuns.length);
  out.set(lowBytes, V2_HEADER_BYTES + packedRuns.length + packedTop.length);
  return out;
}

/** The format version of a stored blob (1 or 2), or an error when it is not a topology blob. */
export function codecVersionOf(bytes: Uint8Array): number {
  if (bytes.length < HEADER_BYTES || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new EqpropError(
      'store',
      'stored connections are not an eqprop topology blob; expected the "EQTC" codec format',
    );
  }
  return bytes[4]!;
}

export function decodeConnections(bytes: Uint8Array): Connections {
  const version = codecVersionOf(bytes);
  if (version === 1) return decodeV1(bytes);
  if (version !== 2) {
    throw new EqpropError(
      'store',
      `stored connections use codec version ${version}; expected version 1 or ${CODEC_VERSION} (upgrade eqprop-lab)`,
    );
  }
  if (bytes.length < V2_HEADER_BYTES) throw damaged(`${bytes.length} bytes, shorter than the header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(8, true);
  const N = view.getUint32(12, true);
  const packedRuns = view.getUint32(16, true);
  const rawRuns = view.getUint32(20, true);
  const packedTop = view.getUint32(24, true);
  const topAt = V2_HEADER_BYTES + packedRuns;
  const lowAt = topAt + packedTop;
  if (bytes.length !== lowAt + 3 * (count + N)) {
    const expected = lowAt + 3 * (count + N);
    throw damaged(`${bytes.length} bytes for ${count} connections and ${N} neurons; expected ${expected}`);
  }
  const runs = inflate(bytes.subarray(V2_HEADER_BYTES, topAt), rawRuns, 'connection runs');
  const top = inflate(bytes.subarray(topAt, lowAt), count + N, 'weight exponents');
  const src = new Int32Array(count);
  const dst = new Int32Array(count);
  const kind = new Uint8Array(count);
  let at = getDeltaRuns(runs, 0, src);
  at = getDeltaRuns(runs, at, dst);
  at = getKindRuns(runs, at, kind);
  if (at !== rawRuns) throw damaged(`${rawRuns - at} bytes left after the runs of ${count} connections`);
  const weight = new Float32Array(count);
  const biases = new Float32Array(N);
  const low = plain(bytes);
  getPlanes(weight, top, 0, low, lowAt);
  getPlanes(biases, top, count, low, lowAt + 3 * count);
  return { edges: { count, src, dst, weight, kind }, biases };
}

/** Inflates a section that must come out exactly `length` bytes long. */
function inflate(packed: Uint8Array, length: number, what: string): Uint8Array {
  let out: Uint8Array;
  try {
    out = inflateRawSync(packed, { maxOutputLength: Math.max(length, 1) });
  } catch (e) {
    throw damaged(`its ${what} do not inflate (${(e as Error).message})`);
  }
  if (out.length !== length) throw damaged(`its ${what} inflate to ${out.length} bytes; expected ${length}`);
  return plain(out);
}

/** A plain Uint8Array view (stores hand in Node Buffers): one array type keeps the loops monomorphic. */
function plain(bytes: Uint8Array): Uint8Array {
  if (Object.getPrototypeOf(bytes) === Uint8Array.prototype) return bytes;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function damaged(what: string): EqpropError {
  return new EqpropError(
    'store',
    `stored connections are damaged: ${what}; expected a blob written by encodeConnections`,
  );
}

/** A byte buffer that grows as runs are appended. */
interface RunWriter {
  bytes: Uint8Array;
  at: number;
}

/** Appends one (item, run length) pair: two varints of at most 5 bytes each. */
function putRun(w: RunWriter, zigzagItem: number, length: number): void {
  if (w.at + 10 > w.bytes.length) {
    const grown = new Uint8Array(w.bytes.length * 2);
    grown.set(w.bytes.subarray(0, w.at));
    w.bytes = grown;
  }
  w.at = putVarint(w.bytes, putVarint(w.bytes, w.at, zigzagItem), length);
}

/**
 * Runs of equal deltas between consecutive values (values[-1] = 0) as (zigzag varint delta, varint
 * run length) pairs. The deltas are exact in doubles (|d| < 2^32).
 */
function putDeltaRuns(w: RunWriter, values: Int32Array, count: number): void {
  let i = 0;
  let previous = 0;
  while (i < count) {
    const item = values[i]! - previous;
    let j = i + 1;
    while (j < count && values[j]! - values[j - 1]! === item) j++;
    putRun(w, item >= 0 ? item * 2 : -item * 2 - 1, j - i);
    previous = values[j - 1]!;
    i = j;
  }
}

/** Runs of equal kinds as (varint 2 × kind, varint run length) pairs (zigzag of a kind ≥ 0). */
function putKindRuns(w: RunWriter, kinds: Uint8Array, count: number): void {
  let i = 0;
  while (i < count) {
    const kind = kinds[i]!;
    let j = i + 1;
    while (j < count && kinds[j] === kind) j++;
    putRun(w, kind * 2, j - i);
    i = j;
  }
}

function putVarint(out: Uint8Array, at: number, z: number): number {
  while (z >= 0x80) {
    out[at++] = (z % 0x80) | 0x80;
    z = Math.floor(z / 0x80);
  }
  out[at++] = z;
  return at;
}

/**
 * Decodes what putDeltaRuns wrote into `into` (filling it exactly); returns the next offset. Two
 * copies, one per array type: V8 compiles each for one element kind (a shared one ran 3× slower).
 */
function getDeltaRuns(raw: Uint8Array, at: number, into: Int32Array): number {
  let previous = 0;
  let i = 0;
  while (i < into.length) {
    const z = getVarint(raw, at);
    const run = getVarint(raw, varintEnd);
    at = varintEnd;
    if (run < 1 || i + run > into.length) throw damaged(`a run of ${run} overflows ${into.length} connections`);
    // int32 arithmetic: wrapping mod 2^32 is exact here, since every value and result is an int32.
    const item = (z % 2 === 0 ? z / 2 : -(z + 1) / 2) | 0;
    const end = i + run;
    if (item === 0) {
      into.fill(previous, i, end);
      i = end;
    } else {
      for (; i < end; i++) into[i] = previous = (previous + item) | 0;
    }
  }
  return at;
}

function getKindRuns(raw: Uint8Array, at: number, into: Uint8Array): number {
  let i = 0;
  while (i < into.length) {
    const z = getVarint(raw, at);
    const run = getVarint(raw, varintEnd);
    at = varintEnd;
    if (run < 1 || i + run > into.length) throw damaged(`a run of ${run} overflows ${into.length} connections`);
    into.fill(z / 2, i, i + run); // kinds are ≥ 0: zigzag z = 2 × kind
    i += run;
  }
  return at;
}

/** Where the varint read last ended (a module variable: returning pairs would allocate per run). */
let varintEnd = 0;

function getVarint(raw: Uint8Array, at: number): number {
  if (at >= raw.length) throw damaged('the connection runs end early');
  let b = raw[at++]!;
  let z = b & 0x7f;
  for (let scale = 0x80; b & 0x80; scale *= 0x80) {
    if (at >= raw.length || scale > 2 ** 35) throw damaged('a varint runs past the connection runs');
    b = raw[at++]!;
    z += (b & 0x7f) * scale;
  }
  varintEnd = at;
  return z;
}

/**
 * Splits f32s into planes of `out`: each one's top byte (sign, 7 exponent bits) at topAt + i, its
 * low three bytes at lowAt + i, lowAt + n + i and lowAt + 2n + i (n = values.length).
 */
function putPlanes(values: Float32Array, out: Uint8Array, topAt: number, lowAt: number): void {
  const n = values.length;
  const words = wordsOf(values);
  // Views per plane keep the loop's indexing trivial (measured ≈ 2× faster than offsets).
  const b3 = out.subarray(topAt, topAt + n);
  const b0 = out.subarray(lowAt, lowAt + n),
    b1 = out.subarray(lowAt + n, lowAt + 2 * n);
  const b2 = out.subarray(lowAt + 2 * n, lowAt + 3 * n);
  for (let i = 0; i < n; i++) {
    const w = words[i]!;
    b0[i] = w;
    b1[i] = w >>> 8;
    b2[i] = w >>> 16;
    b3[i] = w >>> 24; // a Uint8Array store keeps the low 8 bits
  }
}

/** Reassembles f32s from their top bytes (top at topAt) and low planes (low at lowAt). */
function getPlanes(into: Float32Array, top: Uint8Array, topAt: number, low: Uint8Array, lowAt: number): void {
  const n = into.length;
  const words = wordsOf(into); // same host order in both views: the bits, on any host
  // Views per plane keep the loop's indexing trivial (measured ≈ 2× faster than offsets).
  const b3 = top.subarray(topAt, topAt + n);
  const b0 = low.subarray(lowAt, lowAt + n),
    b1 = low.subarray(lowAt + n, lowAt + 2 * n);
  const b2 = low.subarray(lowAt + 2 * n, lowAt + 3 * n);
  for (let i = 0; i < n; i++) words[i] = b0[i]! | (b1[i]! << 8) | (b2[i]! << 16) | (b3[i]! << 24);
}

/** The f32s' IEEE bit patterns as numbers (both views use host order: on any host, w >>> 24 is sign and exponent). */
function wordsOf(values: Float32Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, values.length);
}

/**
 * The version-1 layout. Stores read it so that topologies saved in it stay readable; only tests
 * write it (to build such a store).
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
    throw new EqpropError(
      'store',
      `stored connections are truncated (${bytes.length} bytes for ${count} connections and ${N} neurons); ` +
        `expected ${encodedSize(count, N)} bytes`,
    );
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
    const a = bytes[i]!,
      b = bytes[i + 1]!;
    bytes[i] = bytes[i + 3]!;
    bytes[i + 1] = bytes[i + 2]!;
    bytes[i + 2] = b;
    bytes[i + 3] = a;
  }
}

/** An Int32Array as little-endian bytes (the Neo4j blocks' edge positions). */
export function int32ToBytes(values: Int32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  put32(out, 0, values);
  return out;
}

export function bytesToInt32(bytes: Uint8Array): Int32Array {
  if (bytes.length % 4 !== 0)
    throw new EqpropError('store', `int32 array of ${bytes.length} bytes; expected a multiple of 4`);
  const out = new Int32Array(bytes.length / 4);
  get32(bytes, 0, out);
  return out;
}
