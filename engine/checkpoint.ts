/**
 * Checkpoint file format (version 1), written atomically (temp file in the same directory,
 * fsync, rename), so a crash leaves either the old checkpoint or the new one, never half of one.
 *
 *     bytes 0–7   ASCII "EQPCKPT1"
 *     bytes 8–11  uint32 LE: length H of the JSON header
 *     12 … 12+H   UTF-8 JSON header: { format, version, meta, sections: [{ name, type, offset, length }] }
 *     then        the sections' raw little-endian arrays, each starting on a multiple of 8 bytes
 *                 (offsets are relative to the start of the data area, which is itself aligned).
 *
 * The engine decides what goes in `meta` and in the sections (engine/trainer.ts); this module only
 * knows how to put named typed arrays and a JSON object in a file and get them back, checking
 * every length so a truncated or foreign file is an InputError naming it.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { InputError } from '../graph/errors.js';

export type TypedArray = Float32Array | Int32Array | Uint8Array | Int8Array;
type SectionType = 'f32' | 'i32' | 'u8' | 'i8';

interface SectionEntry {
  name: string;
  type: SectionType;
  offset: number;
  length: number;
}

const MAGIC = 'EQPCKPT1';
const FORMAT = 'eqprop-checkpoint';
const VERSION = 1;

function typeOf(array: TypedArray): SectionType {
  if (array instanceof Float32Array) return 'f32';
  if (array instanceof Int32Array) return 'i32';
  if (array instanceof Uint8Array) return 'u8';
  return 'i8';
}

const BYTES: Record<SectionType, number> = { f32: 4, i32: 4, u8: 1, i8: 1 };
const align8 = (n: number) => Math.ceil(n / 8) * 8;

export function writeCheckpointFile(path: string, meta: unknown, sections: Map<string, TypedArray>): void {
  const entries: SectionEntry[] = [];
  let offset = 0;
  for (const [name, array] of sections) {
    entries.push({ name, type: typeOf(array), offset, length: array.length });
    offset = align8(offset + array.byteLength);
  }
  const header = Buffer.from(JSON.stringify({ format: FORMAT, version: VERSION, meta, sections: entries }), 'utf8');
  const prefix = Buffer.alloc(align8(12 + header.length));
  prefix.write(MAGIC, 0, 'ascii');
  prefix.writeUInt32LE(header.length, 8);
  header.copy(prefix, 12);
  const temp = `${path}.tmp-${process.pid}`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, prefix);
    let written = 0;
    const zeros = Buffer.alloc(8);
    for (const [i, array] of [...sections.values()].entries()) {
      const bytes = Buffer.from(array.buffer, array.byteOffset, array.byteLength);
      for (let at = 0; at < bytes.length; at += 1 << 26) writeSync(fd, bytes, at, Math.min(1 << 26, bytes.length - at));
      written = entries[i].offset + array.byteLength;
      const pad = align8(written) - written;
      if (pad > 0) writeSync(fd, zeros, 0, pad);
    }
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(temp);
    throw e;
  }
  closeSync(fd);
  renameSync(temp, path);
}

export interface CheckpointContents {
  meta: unknown;
  sections: Map<string, TypedArray>;
}

export function readCheckpointFile(path: string): CheckpointContents {
  const bad = (problem: string) => new InputError('engine/checkpoint', path, problem, `an eqprop checkpoint file (format ${FORMAT} version ${VERSION})`);
  let buffer: Buffer;
  try {
    buffer = readFileSync(path);
  } catch (e) {
    throw bad(`cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (buffer.length < 12 || buffer.toString('ascii', 0, 8) !== MAGIC) throw bad('not a checkpoint (wrong magic bytes)');
  const headerLength = buffer.readUInt32LE(8);
  if (12 + headerLength > buffer.length) throw bad('truncated header');
  let header: { format?: string; version?: number; meta?: unknown; sections?: SectionEntry[] };
  try {
    header = JSON.parse(buffer.toString('utf8', 12, 12 + headerLength));
  } catch {
    throw bad('header is not valid JSON');
  }
  if (header.format !== FORMAT || header.version !== VERSION || !Array.isArray(header.sections)) throw bad(`unsupported format ${header.format} version ${header.version}`);
  const dataStart = align8(12 + headerLength);
  const sections = new Map<string, TypedArray>();
  for (const entry of header.sections) {
    const bytes = BYTES[entry.type];
    if (!bytes) throw bad(`section ${entry.name} has unknown type ${entry.type}`);
    const start = dataStart + entry.offset, end = start + entry.length * bytes;
    if (!(Number.isInteger(start) && end <= buffer.length)) throw bad(`truncated: section ${entry.name} ends at byte ${end}, file has ${buffer.length}`);
    // A view into the file's memory when aligned (a paper-sized checkpoint is ≈ 370 MB: copying
    // would double the peak), else a copy into a fresh, aligned ArrayBuffer.
    const aligned = (buffer.byteOffset + start) % bytes === 0;
    const source = aligned ? buffer.buffer : buffer.buffer.slice(buffer.byteOffset + start, buffer.byteOffset + end);
    const offset = aligned ? buffer.byteOffset + start : 0;
    const array =
      entry.type === 'f32' ? new Float32Array(source, offset, entry.length)
      : entry.type === 'i32' ? new Int32Array(source, offset, entry.length)
      : entry.type === 'u8' ? new Uint8Array(source, offset, entry.length)
      : new Int8Array(source, offset, entry.length);
    sections.set(entry.name, array);
  }
  return { meta: header.meta, sections };
}
