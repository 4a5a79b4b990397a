/**
 * Export by file extension: .graphml, .gexf, .json (graph/export/json.ts) and .npy (dense
 * weights; the mask goes beside it as <name>.mask.npy). Every file is written all-or-nothing.
 */
import { refuseKernelFileSystem } from '../../lib/index.js';
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { InputError } from '../../lib/index.js';
import type { Topology } from '../types.js';
import { writeFileAtomic, type Sink } from './sink.js';
import { writeGraphML } from './graphml.js';
import { writeGEXF } from './gexf.js';
import { writeTopologyJSON } from './json.js';
import { writeMaskNpy, writeWeightsNpy } from './npy.js';

export const EXPORT_FORMATS = ['graphml', 'gexf', 'json', 'npy'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const WRITERS: Record<ExportFormat, (t: Topology, write: Sink) => void> = {
  graphml: writeGraphML,
  gexf: writeGEXF,
  json: writeTopologyJSON,
  npy: writeWeightsNpy,
};

/** The format of an output path by its extension; InputError naming `field` otherwise. */
export function exportFormatOf(path: string, field = 'path'): ExportFormat {
  const ext = extname(path).slice(1).toLowerCase();
  if (!(EXPORT_FORMATS as readonly string[]).includes(ext)) {
    throw new InputError(
      'export',
      field,
      `unknown extension ${JSON.stringify(extname(path) || path)}`,
      `a file ending in ${EXPORT_FORMATS.map((f) => `.${f}`).join(', ')}`,
    );
  }
  return ext as ExportFormat;
}

/** The companion mask file of an .npy export. */
export function maskPathOf(npyPath: string): string {
  return npyPath.replace(/\.npy$/i, '.mask.npy');
}

/** Checks, before any work, that `path` can be written: known extension, existing writable directory. */
export function checkOutputPath(path: string, field = 'path'): ExportFormat {
  const format = exportFormatOf(path, field);
  refuseKernelFileSystem(path, field); // /proc looks like a writable directory to root, but is not
  const dir = dirname(resolve(path));
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    /* missing */
  }
  if (!isDir)
    throw new InputError(
      'export',
      field,
      `directory ${dir} does not exist`,
      'a path in an existing, writable directory',
    );
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new InputError(
      'export',
      field,
      `directory ${dir} is not writable`,
      'a path in an existing, writable directory',
    );
  }
  try {
    if (statSync(path).isDirectory()) throw new InputError('export', field, `${path} is a directory`, 'a file path');
  } catch (e) {
    if (e instanceof InputError) throw e;
  }
  return format;
}

/** Writes the topology to `path`; returns the files written. */
export function exportTopology(topology: Topology, path: string, field = 'path'): string[] {
  const format = checkOutputPath(path, field);
  writeFileAtomic(path, (write) => WRITERS[format](topology, write));
  if (format !== 'npy') return [path];
  const mask = maskPathOf(path);
  writeFileAtomic(mask, (write) => writeMaskNpy(topology, write));
  return [path, mask];
}
