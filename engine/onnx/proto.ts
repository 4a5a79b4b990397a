/**
 * A minimal protobuf writer for the few ONNX messages the engine's phase graphs need (ModelProto,
 * GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto), field numbers from
 * onnx/onnx.proto. Writing only (ORT parses), no dependency: an npm protobuf runtime plus ONNX's
 * generated classes would be far larger than these ~150 lines.
 *
 * Messages are built bottom-up: a nested message's length is known once it is built, so each
 * field is written once. A nested message is kept as its list of chunks, not copied, so the
 * megabytes of a baked weight matrix are copied once, into the final model bytes. Repeated
 * scalars are written unpacked (ONNX is proto2).
 */

/** An encoded message under construction: byte chunks, protobuf's wire encodings. */
export class Writer {
  private chunks: Uint8Array[] = [];
  private scratch: number[] = [];
  private done = 0;

  private flushScratch(): void {
    if (this.scratch.length) this.push(Uint8Array.from(this.scratch));
    this.scratch = [];
  }

  private push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.done += chunk.length;
  }

  /** Bytes written so far. */
  get length(): number {
    return this.done + this.scratch.length;
  }

  /** Non-negative integers up to 2^53 (sizes, counts, enum values). */
  varint(value: number): this {
    if (!(Number.isInteger(value) && value >= 0)) throw new RangeError(`protobuf varint: ${value}`);
    while (value >= 0x80) {
      this.scratch.push((value % 0x80) | 0x80);
      value = Math.floor(value / 0x80);
    }
    this.scratch.push(value);
    return this;
  }

  tag(field: number, wireType: 0 | 1 | 2 | 5): this {
    return this.varint(field * 8 + wireType);
  }

  /** A length-delimited field: raw bytes, or a nested message (its chunks are shared, not copied). */
  bytes(field: number, data: Uint8Array | Writer): this {
    this.tag(field, 2).varint(data.length);
    this.flushScratch();
    if (data instanceof Writer) {
      data.flushScratch();
      for (const c of data.chunks) this.push(c);
    } else this.push(data);
    return this;
  }

  string(field: number, text: string): this {
    return this.bytes(field, new TextEncoder().encode(text));
  }

  int(field: number, value: number): this {
    return this.tag(field, 0).varint(value);
  }

  finish(): Uint8Array {
    this.flushScratch();
    const out = new Uint8Array(this.done);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

/** TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, INT64: 7, BOOL: 9 } as const;
export type ElemType = (typeof DataType)[keyof typeof DataType];

export type Attribute =
  | { name: string; int: number }
  | { name: string; ints: number[] }
  | { name: string; graph: Writer }
  | { name: string; tensor: Writer };

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: Attribute[];
}

/** NodeProto: input 1, output 2, name 3, op_type 4, attribute 5. */
export function node(spec: NodeSpec, name: string): Writer {
  const w = new Writer();
  for (const i of spec.inputs) w.string(1, i);
  for (const o of spec.outputs) w.string(2, o);
  w.string(3, name).string(4, spec.op);
  // AttributeProto: name 1, i 3, t 5, g 6, ints 8, type 20 (INT 2, TENSOR 4, GRAPH 5, INTS 7).
  for (const a of spec.attributes ?? []) {
    const aw = new Writer().string(1, a.name);
    if ('int' in a) aw.int(3, a.int).int(20, 2);
    else if ('ints' in a) {
      for (const v of a.ints) aw.int(8, v);
      aw.int(20, 7);
    } else if ('tensor' in a) aw.bytes(5, a.tensor).int(20, 4);
    else aw.bytes(6, a.graph).int(20, 5);
    w.bytes(5, aw);
  }
  return w;
}

/** TensorProto: dims 1, data_type 2, name 8, raw_data 9 (little-endian, as ONNX requires). */
export function tensor(
  name: string,
  type: ElemType,
  dims: number[],
  data: Float32Array | BigInt64Array | Uint8Array,
): Writer {
  const w = new Writer();
  for (const d of dims) w.int(1, d);
  w.int(2, type).string(8, name);
  // Node and every platform ORT ships for are little-endian, so the typed array's bytes are raw_data.
  w.bytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return w;
}

/**
 * ValueInfoProto (name 1, type 2) with TypeProto.tensor_type (1): elem_type 1, shape 2.
 * `dims`: a number is a fixed size, a string a symbolic one (dim_param), undefined = shape unknown.
 */
export function valueInfo(name: string, type: ElemType, dims?: (number | string)[]): Writer {
  const tensorType = new Writer().int(1, type);
  if (dims) {
    const shape = new Writer();
    for (const d of dims) shape.bytes(1, typeof d === 'number' ? new Writer().int(1, d) : new Writer().string(2, d));
    tensorType.bytes(2, shape);
  }
  return new Writer().string(1, name).bytes(2, new Writer().bytes(1, tensorType));
}

export interface GraphSpec {
  name: string;
  nodes: Writer[];
  initializers: Writer[];
  inputs: Writer[];
  outputs: Writer[];
}

/** GraphProto: node 1, name 2, initializer 5, input 11, output 12. */
export function graph(spec: GraphSpec): Writer {
  const w = new Writer();
  for (const n of spec.nodes) w.bytes(1, n);
  w.string(2, spec.name);
  for (const t of spec.initializers) w.bytes(5, t);
  for (const i of spec.inputs) w.bytes(11, i);
  for (const o of spec.outputs) w.bytes(12, o);
  return w;
}

/**
 * ModelProto: ir_version 1, producer_name 2, graph 7, opset_import 8 (OperatorSetIdProto: domain 1,
 * version 2). IR version 8 goes with opset 17.
 */
export function model(graphMessage: Writer, opset = 17): Uint8Array {
  return new Writer()
    .int(1, 8)
    .string(2, 'eqprop-lab')
    .bytes(7, graphMessage)
    .bytes(8, new Writer().string(1, '').int(2, opset))
    .finish();
}
