/**
 * Checkpoint file format (version 2), written atomically by lib/fs/atomic-write.ts (temp file in
 * the same directory, fsync, rename, fsync of the directory), so a crash leaves either the old
 * checkpoint or the new one, never half of one.
 *
 *     bytes 0–7    ASCII "EQPCKPT2"
 *     bytes 8–11   uint32 LE: length H of the JSON header
 *     bytes 12–15  uint32 LE: CRC-32 of the JSON header's bytes
 *     16 … 16+H    UTF-8 JSON header: { format, version, meta, sections: [{ name, type, offset, length, crc32 }] }
 *     then         the sections' raw little-endian arrays, each starting on a multiple of 8 bytes
 *                  (offsets are relative to the start of the data area, which is itself aligned).
 *
 * Every section and the header carry a CRC-32 (lib/fs/crc32.ts), checked on every read: a
 * flipped or torn byte is an InputError naming the file, never a silent resume on garbage.
 * Version 1 files ("EQPCKPT1", 12-byte prefix, no checksums) are still read, unchecked.
 *
 * The engine decides what goes in `meta` and in the sections (engine/trainer-checkpoint.ts); this module only
 * knows how to put named typed arrays and a JSON object in a file and get them back, checking
 * every length and checksum so a truncated, damaged or foreign file is an InputError naming it.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { InputError } from '../lib/index.js';
import { crc32 } from '../lib/index.js';
import { writeFileAtomic } from '../lib/index.js';

export type TypedArray = Float32Array | Int32Array | Uint8Array | Int8Array;
type SectionType = 'f32' | 'i32' | 'u8' | 'i8';

interface SectionEntry {
  name: string;
  type: SectionType;
  offset: number;
  length: number;
  /** CRC-32 of the section's bytes (version 2). */
  crc32?: number;
}

const FORMAT = 'eqprop-checkpoint';
const VERSION = 2;
/** Magic bytes and prefix length (magic, header length, header CRC in v2) per version. */
const LAYOUTS: Record<number, { magic: string; prefix: number }> = {
  1: { magic: 'EQPCKPT1', prefix: 12 },
  2: { magic: 'EQPCKPT2', prefix: 16 },
};

function typeOf(array: TypedArray): SectionType {
  if (array instanceof Float32Array) return 'f32';
  if (array instanceof Int32Array) return 'i32';
  if (array instanceof Uint8Array) return 'u8';
  return 'i8';
}

const BYTES: Record<SectionType, number> = { f32: 4, i32: 4, u8: 1, i8: 1 };
const align8 = (n: number) => Math.ceil(n / 8) * 8;
const bytesOf = (array: TypedArray) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

export function writeCheckpointFile(path: string, meta: unknown, sections: Map<string, TypedArray>): void {
  const entries: SectionEntry[] = [];
  let offset = 0;
  for (const [name, array] of sections) {
    entries.push({ name, type: typeOf(array), offset, length: array.length, crc32: crc32(bytesOf(array)) });
    offset = align8(offset + array.byteLength);
  }
  const { magic, prefix: prefixLength } = LAYOUTS[VERSION];
  const header = Buffer.from(JSON.stringify({ format: FORMAT, version: VERSION, meta, sections: entries }), 'utf8');
  const prefix = Buffer.alloc(align8(prefixLength + header.length));
  prefix.write(magic, 0, 'ascii');
  prefix.writeUInt32LE(header.length, 8);
  prefix.writeUInt32LE(crc32(header), 12);
  header.copy(prefix, prefixLength);
  const zeros = new Uint8Array(8);
  writeFileAtomic(path, (write) => {
    write(prefix);
    [...sections.values()].forEach((array, i) => {
      write(bytesOf(array));
      const end = entries[i].offset + array.byteLength;
      if (align8(end) > end) write(zeros.subarray(0, align8(end) - end));
    });
  });
}

export interface CheckpointContents {
  meta: unknown;
  sections: Map<string, TypedArray>;
}

export function readCheckpointFile(path: string): CheckpointContents {
  const bad = (problem: string) =>
    new InputError(
      'engine/checkpoint',
      path,
      problem,
      `an intact eqprop checkpoint file (format ${FORMAT} version ${VERSION}); delete it to restart the run from ` +
        `its beginning, or restore a copy`,
    );
  let buffer: Buffer;
  try {
    buffer = readFileSync(path);
  } catch (e) {
    throw bad(`cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const magic = buffer.length >= 8 ? buffer.toString('ascii', 0, 8) : '';
  const version = Number(Object.keys(LAYOUTS).find((v) => LAYOUTS[Number(v)].magic === magic));
  if (!version) throw bad('not a checkpoint (wrong magic bytes)');
  const prefixLength = LAYOUTS[version].prefix;
  if (buffer.length < prefixLength) throw bad('truncated header');
  const headerLength = buffer.readUInt32LE(8);
  if (prefixLength + headerLength > buffer.length) throw bad('truncated header');
  const headerBytes = buffer.subarray(prefixLength, prefixLength + headerLength);
  if (version >= 2 && crc32(headerBytes) !== buffer.readUInt32LE(12))
    throw bad('damaged: the header fails its CRC-32 check');
  let header: { format?: string; version?: number; meta?: unknown; sections?: SectionEntry[] };
  try {
    header = JSON.parse(headerBytes.toString('utf8'));
  } catch {
    throw bad('header is not valid JSON');
  }
  if (header.format !== FORMAT || header.version !== version || !Array.isArray(header.sections))
    throw bad(`unsupported format ${header.format} version ${header.version}`);
  const dataStart = align8(prefixLength + headerLength);
  const sections = new Map<string, TypedArray>();
  for (const entry of header.sections) {
    const bytes = BYTES[entry.type];
    if (!bytes) throw bad(`section ${entry.name} has unknown type ${entry.type}`);
    const start = dataStart + entry.offset,
      end = start + entry.length * bytes;
    if (!(Number.isInteger(start) && end <= buffer.length))
      throw bad(`truncated: section ${entry.name} ends at byte ${end}, file has ${buffer.length}`);
    if (version >= 2 && crc32(buffer.subarray(start, end)) !== entry.crc32)
      throw bad(`damaged: section ${entry.name} fails its CRC-32 check`);
    sections.set(entry.name, viewOf(buffer, entry, start, end));
  }
  return { meta: header.meta, sections };
}

/**
 * A view into the file's memory when aligned (a paper-sized checkpoint is ≈ 370 MB: copying
 * would double the peak), else a copy into a fresh, aligned ArrayBuffer.
 */
function viewOf(buffer: Buffer, entry: SectionEntry, start: number, end: number): TypedArray {
  const aligned = (buffer.byteOffset + start) % BYTES[entry.type] === 0;
  const source = aligned ? buffer.buffer : buffer.buffer.slice(buffer.byteOffset + start, buffer.byteOffset + end);
  const offset = aligned ? buffer.byteOffset + start : 0;
  return entry.type === 'f32'
    ? new Float32Array(source, offset, entry.length)
    : entry.type === 'i32'
      ? new Int32Array(source, offset, entry.length)
      : entry.type === 'u8'
        ? new Uint8Array(source, offset, entry.length)
        : new Int8Array(source, offset, entry.length);
}

/**
 * Only the header's `meta` (the header CRC checked), without reading the sections: what a resume
 * compares with its run before it claims the run — a paper-sized checkpoint is ≈ 370 MB.
 */
export function readCheckpointMeta(path: string): unknown {
  const bad = (problem: string) =>
    new InputError(
      'engine/checkpoint',
      path,
      problem,
      `an intact eqprop checkpoint file (format ${FORMAT}); delete it to restart the run from its beginning, ` +
        'or restore a copy',
    );
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw bad(`cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    const prefix = Buffer.alloc(16);
    const got = readSync(fd, prefix, 0, 16, 0);
    const magic = got >= 8 ? prefix.toString('ascii', 0, 8) : '';
    const version = Number(Object.keys(LAYOUTS).find((v) => LAYOUTS[Number(v)].magic === magic));
    if (!version) throw bad('not a checkpoint (wrong magic bytes)');
    const prefixLength = LAYOUTS[version].prefix;
    if (got < prefixLength) throw bad('truncated header');
    const headerLength = prefix.readUInt32LE(8);
    const header = Buffer.alloc(headerLength);
    if (readSync(fd, header, 0, headerLength, prefixLength) !== headerLength) throw bad('truncated header');
    if (version >= 2 && crc32(header) !== prefix.readUInt32LE(12)) {
      throw bad('damaged: the header fails its CRC-32 check');
    }
    try {
      return (JSON.parse(header.toString('utf8')) as { meta?: unknown }).meta;
    } catch {
      throw bad('header is not valid JSON');
    }
  } finally {
    closeSync(fd);
  }
}
