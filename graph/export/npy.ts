/**
 * NumPy .npy files (format version 1.0) of the dense N × N weight matrix (float32, '<f4') and
 * connection mask (uint8, '|u1'), row-major: `np.load('w.npy')` in Python gives W of SPEC §1.
 * Header: magic \x93NUMPY, version 1 0, little-endian uint16 header length, then a Python dict
 * literal padded with spaces and ending in \n so data starts at a multiple of 64 bytes.
 */
import type { Topology } from '../types.js';
import { compileTopology, denseMask, denseWeights } from '../compile.js';
import type { Sink } from './sink.js';

export type NpyDtype = '<f4' | '|u1';

export function npyHeader(dtype: NpyDtype, shape: readonly number[]): Uint8Array {
  // A one-element shape is a Python 1-tuple, written with its trailing comma: (n,).
  const tuple = `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
  const dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${tuple}, }`;
  const unpadded = 10 + dict.length + 1;
  const total = Math.ceil(unpadded / 64) * 64;
  const headerText = `${dict}${' '.repeat(total - unpadded)}\n`;
  const out = new Uint8Array(total);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0); // \x93NUMPY v1.0
  new DataView(out.buffer).setUint16(8, headerText.length, true);
  for (let i = 0; i < headerText.length; i++) out[10 + i] = headerText.charCodeAt(i);
  return out;
}

/** Little-endian bytes of a typed array (this machine's order may differ; .npy says '<'). */
function littleEndian(data: Float32Array): Uint8Array {
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  return out;
}

export function writeWeightsNpy(topology: Topology, write: Sink): void {
  const W = denseWeights(compileTopology(topology));
  write(npyHeader('<f4', [topology.N, topology.N]));
  write(littleEndian(W));
}

export function writeMaskNpy(topology: Topology, write: Sink): void {
  write(npyHeader('|u1', [topology.N, topology.N]));
  write(denseMask(topology));
}

/** Parses an .npy header (for tests and for reading our own files back). */
export function parseNpyHeader(bytes: Uint8Array): {
  dtype: string;
  fortranOrder: boolean;
  shape: number[];
  dataOffset: number;
} {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (!magic.every((b, i) => bytes[i] === b))
    throw new Error('eqprop/npy: not an .npy file; expected the \\x93NUMPY magic');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const text = new TextDecoder('latin1').decode(bytes.subarray(start, start + headerLength));
  const dtype = /'descr':\s*'([^']+)'/.exec(text)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(text)?.[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(text)?.[1];
  if (!dtype || !fortran || shape === undefined)
    throw new Error(`eqprop/npy: header ${JSON.stringify(text)} is malformed; expected descr, fortran_order and shape`);
  return {
    dtype,
    fortranOrder: fortran === 'True',
    shape: shape
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map(Number),
    dataOffset: start + headerLength,
  };
}
