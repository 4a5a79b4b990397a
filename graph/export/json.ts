/**
 * Our JSON format: reloads into exactly the same Topology (float32 weights survive because a
 * float32 printed as the shortest float64 string parses back to the same float32).
 *
 *   {
 *     "format": "eqprop-topology", "version": 1,
 *     "spec":  { "sizes": [...], "mode": "replace", "n": 99933, "p": 0.0756, "seed": 0 },
 *     "sizes": [784, 500, 500, 500, 10],
 *     "N": 2294,
 *     "edges": { "src": [...], "dst": [...], "weight": [...], "kind": [...] },
 *     "biases": [...]
 *   }
 *
 * The edges are parallel arrays with src < dst; kind is 0 adjacent, 1 intralayer, 2 skip. The
 * biases are N numbers.
 */
import { InputError } from '../../lib/index.js';
import { TOPOLOGY_MODES, type Topology, type TopologyMode } from '../types.js';
import { makeLayout } from '../layout.js';
import type { Sink } from './sink.js';

export const JSON_FORMAT = 'eqprop-topology';
export const JSON_VERSION = 1;

export interface TopologyJSON {
  format: typeof JSON_FORMAT;
  version: number;
  spec: Topology['spec'];
  sizes: number[];
  N: number;
  edges: { src: number[]; dst: number[]; weight: number[]; kind: number[] };
  biases: number[];
}

export function topologyToJSON(topology: Topology): TopologyJSON {
  const { edges } = topology;
  return {
    format: JSON_FORMAT,
    version: JSON_VERSION,
    spec: { ...topology.spec, sizes: [...topology.spec.sizes] },
    sizes: [...topology.sizes],
    N: topology.N,
    edges: {
      src: Array.from(edges.src),
      dst: Array.from(edges.dst),
      weight: Array.from(edges.weight),
      kind: Array.from(edges.kind),
    },
    biases: Array.from(topology.biases),
  };
}

/** Streams the same document as JSON.stringify(topologyToJSON(t)) without one giant string. */
export function writeTopologyJSON(topology: Topology, write: Sink): void {
  const { edges } = topology;
  write(
    `{"format":"${JSON_FORMAT}","version":${JSON_VERSION},"spec":${JSON.stringify(topology.spec)},"sizes":` +
      `${JSON.stringify(topology.sizes)},"N":${topology.N},"edges":{`,
  );
  const arrays: [string, ArrayLike<number>][] = [
    ['src', edges.src],
    ['dst', edges.dst],
    ['weight', edges.weight],
    ['kind', edges.kind],
  ];
  arrays.forEach(([name, values], i) => {
    write(`${i ? ',' : ''}"${name}":[`);
    for (let start = 0; start < edges.count; start += 65536) {
      const parts: string[] = [];
      for (let e = start; e < Math.min(edges.count, start + 65536); e++) parts.push(String(values[e]));
      write((start ? ',' : '') + parts.join(','));
    }
    write(']');
  });
  write(`},"biases":[${Array.from(topology.biases).join(',')}]}`);
}

const MODULE = 'topology-json';

function numberArray(value: unknown, field: string, length: number | null): number[] {
  if (!Array.isArray(value) || value.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
    throw new InputError(MODULE, field, 'not an array of numbers', 'an array of finite numbers');
  }
  if (length !== null && value.length !== length)
    throw new InputError(MODULE, field, `${value.length} entries`, `${length} entries`);
  return value as number[];
}

export function topologyFromJSON(value: unknown): Topology {
  const doc = value as Partial<TopologyJSON> | null;
  if (typeof doc !== 'object' || doc === null || doc.format !== JSON_FORMAT) {
    throw new InputError(
      MODULE,
      'format',
      'not an eqprop topology document',
      `an object with "format": "${JSON_FORMAT}"`,
    );
  }
  if (doc.version !== JSON_VERSION)
    throw new InputError(MODULE, 'version', `version ${JSON.stringify(doc.version)}`, `${JSON_VERSION}`);
  const sizes = numberArray(doc.sizes, 'sizes', null);
  if (sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1))
    throw new InputError(MODULE, 'sizes', 'not layer sizes', 'at least 2 positive integers');
  const layout = makeLayout(sizes);
  const spec = doc.spec;
  if (typeof spec !== 'object' || spec === null || !TOPOLOGY_MODES.includes(spec.mode as TopologyMode)) {
    throw new InputError(
      MODULE,
      'spec',
      'missing or unknown mode',
      `an object with mode one of ${TOPOLOGY_MODES.join(', ')}`,
    );
  }
  const e = doc.edges;
  if (typeof e !== 'object' || e === null)
    throw new InputError(MODULE, 'edges', 'missing', 'an object with src, dst, weight, kind arrays');
  const src = numberArray(e.src, 'edges.src', null);
  const count = src.length;
  const dst = numberArray(e.dst, 'edges.dst', count);
  const weight = numberArray(e.weight, 'edges.weight', count);
  const kind = numberArray(e.kind, 'edges.kind', count);
  for (let k = 0; k < count; k++) {
    if (
      !Number.isInteger(src[k]) ||
      !Number.isInteger(dst[k]) ||
      src[k] < 0 ||
      src[k] >= dst[k] ||
      dst[k] >= layout.N
    ) {
      throw new InputError(MODULE, `edges[${k}]`, `pair ${src[k]}-${dst[k]}`, `integers 0 ≤ src < dst < ${layout.N}`);
    }
    if (kind[k] !== 0 && kind[k] !== 1 && kind[k] !== 2)
      throw new InputError(MODULE, `edges.kind[${k}]`, `${kind[k]}`, '0, 1 or 2');
  }
  const biases = numberArray(doc.biases, 'biases', layout.N);
  return {
    spec: { sizes: [...spec.sizes], mode: spec.mode, n: spec.n, p: spec.p, seed: spec.seed },
    sizes,
    offsets: layout.offsets,
    N: layout.N,
    edges: {
      count,
      src: Int32Array.from(src),
      dst: Int32Array.from(dst),
      weight: Float32Array.from(weight),
      kind: Uint8Array.from(kind),
    },
    biases: Float32Array.from(biases),
  };
}
