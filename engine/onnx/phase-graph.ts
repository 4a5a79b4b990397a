/**
 * Compiles the step's layout description (engine/dynamics/operators.ts Operators, as a host-side
 * PhasePlan) into one ONNX graph that runs a batch's whole free phase, and its weakly-clamped phase(s), as
 * `Loop`s: one session.run per batch. The arithmetic is the tfjs step's, unit by unit:
 *
 *     free:    h_u ← clip( concat(h_sources(u)) · W_u + drive_u [+ (1 − ε) h_u] , 0, 1 )
 *     clamped: h_u ← clip((concat(h_sources(u)) · Wc_u + drive_u [+ (1 − ε) h_u]) ⊙ factor_u + offset_u, 0, 1)
 *
 * A unit is the whole non-input state (the 'fused' layout: one unit of width M, W its M × M matrix)
 * or one layer (the 'blocks' layout: W_u stacks ε W_{a,l} of its source layers, (1 − ε) I folded in
 * where the layer has intralayer connections). factor / offset / band are the clamped step's general
 * form over all M columns (clampColumns, engine/dynamics/clamp.ts): target feedback's G band joins the
 * matrix rows that multiply the output layer (Wc = W + band there), computed once per phase outside the Loop,
 * so feedback adds nothing per step; a unit that does not read the output layer gets one small
 * extra product s_out · G_u instead. No arithmetic here is written twice: the plan's matrices,
 * drive, factor, offset and band all come from the tfjs code that defines them.
 */
import {
  DataType,
  graph,
  model,
  node,
  tensor,
  valueInfo,
  type Attribute,
  type NodeSpec,
  type Writer,
} from './proto.js';

/** The `axis` attribute of Concat and Split. */
const axis = (a: number): Attribute[] => [{ name: 'axis', int: a }];

export interface PhasePlan {
  /** Column width of each unit (layer 1 first); they sum to M, the output layer ends the last unit. */
  widths: number[];
  /** sources[u]: the units whose states feed unit u, ascending. */
  sources: number[][];
  /** folded[u]: the (1 − ε) h_u term is inside matrices[u]. */
  folded: boolean[];
  /** matrices[u]: (Σ widths of its sources) × widths[u], row-major; null when it has no sources. */
  matrices: (Float32Array | null)[];
  /** 1 − ε. */
  keep: number;
  /** Size of the output layer. */
  nOut: number;
}

export interface GraphVariant {
  /** Also weakly-clamped phase(s) after the free phase (training); false = free phase only. */
  clamped: boolean;
  /** A second clamped phase from the same free state (symmetric nudging; inputs factor_m, offset_m, band_m). */
  mirror: boolean;
  /** Target feedback: the clamped phases take a band input (n_K × M). */
  feedback: boolean;
  /**
   * 'initializers': the matrices are baked into the model (ORT pre-packs them for its GEMM; a new
   * session per set of weights). 'inputs': fed per run as W0, W1, … (one session for a whole run).
   */
  weights: 'initializers' | 'inputs';
  /** Steps per Loop iteration (default UNROLL). */
  unroll?: number;
}

/**
 * Graph inputs: state (R × M), drive (R × M), free_steps and clamped_steps (int64 scalars), and per
 * clamped phase factor (1 × M), offset (R × M) and, with feedback, band (n_K × M); suffix _m for the
 * mirror phase. Outputs: free, and clamped / clamped_m (R × M).
 */
export function phaseModel(plan: PhasePlan, variant: GraphVariant): Uint8Array {
  const M = plan.widths.reduce((a, b) => a + b, 0);
  const U = plan.widths.length;
  const nodes: NodeSpec[] = [];
  const initializers: Writer[] = [];
  const inputs: Writer[] = [];
  const scalar = (name: string, v: number) => initializers.push(tensor(name, DataType.FLOAT, [], Float32Array.of(v)));
  const ints = (name: string, v: number[]) =>
    initializers.push(tensor(name, DataType.INT64, [v.length], BigInt64Array.from(v.map(BigInt))));
  scalar('zero', 0);
  scalar('one', 1);
  // Only what the graph reads: ORT warns about (and drops) unused initializers.
  if (plan.folded.some((f) => !f)) scalar('keep', plan.keep);
  initializers.push(tensor('cond', DataType.BOOL, [], Uint8Array.of(1)));
  if (U > 1) ints('unit_widths', plan.widths);
  const rowsOf = (u: number) => plan.sources[u].reduce((n, a) => n + plan.widths[a], 0);
  plan.matrices.forEach((m, u) => {
    if (!m) return;
    const dims = [rowsOf(u), plan.widths[u]];
    if (variant.weights === 'initializers') initializers.push(tensor(`W${u}`, DataType.FLOAT, dims, m));
    else inputs.push(valueInfo(`W${u}`, DataType.FLOAT, dims));
  });
  inputs.push(
    valueInfo('state', DataType.FLOAT, ['R', M]),
    valueInfo('drive', DataType.FLOAT, ['R', M]),
    valueInfo('free_steps', DataType.INT64, []),
  );

  /** Splits an R × M (or 1 × M, n_K × M) input by unit columns; one unit needs no split. */
  const byUnit = (name: string): string[] => {
    if (U === 1) return [name];
    const parts = plan.widths.map((_, u) => `${name}_${u}`);
    nodes.push({ op: 'Split', inputs: [name, 'unit_widths'], outputs: parts, attributes: axis(1) });
    return parts;
  };
  const joined = (parts: string[], name: string): void => {
    nodes.push(
      U === 1
        ? { op: 'Identity', inputs: parts, outputs: [name] }
        : { op: 'Concat', inputs: parts, outputs: [name], attributes: axis(1) },
    );
  };

  const drive = byUnit('drive');
  const unroll = variant.unroll ?? UNROLL;
  const free = phaseLoop(
    plan,
    nodes,
    'f',
    'free_steps',
    byUnit('state'),
    { drive, matrices: plan.matrices.map((m, u) => (m ? `W${u}` : null)) },
    unroll,
  );
  joined(free, 'free');
  const outputs = [valueInfo('free', DataType.FLOAT, ['R', M])];
  if (variant.clamped) {
    inputs.push(valueInfo('clamped_steps', DataType.INT64, []));
    for (const suffix of variant.mirror ? ['', '_m'] : ['']) {
      inputs.push(
        valueInfo(`factor${suffix}`, DataType.FLOAT, [1, M]),
        valueInfo(`offset${suffix}`, DataType.FLOAT, ['R', M]),
      );
      if (variant.feedback) inputs.push(valueInfo(`band${suffix}`, DataType.FLOAT, [plan.nOut, M]));
      const prefix = `c${suffix}`;
      const clamp = {
        factor: byUnit(`factor${suffix}`),
        offset: byUnit(`offset${suffix}`),
        extra: [] as (string | null)[],
      };
      let matrices = plan.matrices.map((m, u) => (m ? `W${u}` : null));
      if (variant.feedback) {
        ({ matrices, extra: clamp.extra } = withFeedback(plan, nodes, `band${suffix}`, prefix, matrices, ints));
      }
      const out = phaseLoop(plan, nodes, prefix, 'clamped_steps', free, { drive, matrices, ...clamp }, unroll);
      joined(out, `clamped${suffix}`);
      outputs.push(valueInfo(`clamped${suffix}`, DataType.FLOAT, ['R', M]));
    }
  }
  const g = graph({
    name: 'eqprop_phases',
    nodes: nodes.map((n, i) => node(n, `n${i}`)),
    initializers,
    inputs,
    outputs,
  });
  return model(g);
}

/**
 * Target feedback in a clamped phase: where unit u reads the output layer, the band's columns of u
 * are added to the matrix rows that multiply the output layer (Wc_u, built once per phase); other
 * units get the band columns as an extra n_K × widths[u] matrix for a product with the output layer.
 */
function withFeedback(
  plan: PhasePlan,
  nodes: NodeSpec[],
  band: string,
  prefix: string,
  matrices: (string | null)[],
  ints: (name: string, v: number[]) => void,
): { matrices: (string | null)[]; extra: (string | null)[] } {
  const U = plan.widths.length,
    last = U - 1,
    nOut = plan.nOut;
  const bands = U === 1 ? [band] : plan.widths.map((_, u) => `${prefix}_band_${u}`);
  if (U > 1) nodes.push({ op: 'Split', inputs: [band, 'unit_widths'], outputs: bands, attributes: axis(1) });
  const extra: (string | null)[] = [];
  const folded = matrices.map((W, u) => {
    const at = plan.sources[u].indexOf(last);
    if (W === null || at < 0) {
      extra.push(bands[u]);
      return W;
    }
    extra.push(null);
    // Rows of W_u: the sources' widths in order; the output layer is the last nOut rows of unit `last`.
    const start = plan.sources[u].slice(0, at + 1).reduce((n, a) => n + plan.widths[a], 0) - nOut;
    // Empty pieces are left out (the output layer's rows may start or end the matrix).
    const pieces = [
      [start, 'above'],
      [nOut, 'out'],
      [rowsTotal(plan, u) - start - nOut, 'below'],
    ]
      .filter(([size]) => size !== 0)
      .map(([size, part]) => ({ size: size as number, name: `${prefix}_W${u}_${part}` }));
    const name = `${prefix}_split_${u}`;
    ints(
      name,
      pieces.map((p) => p.size),
    );
    nodes.push({ op: 'Split', inputs: [W, name], outputs: pieces.map((p) => p.name), attributes: axis(0) });
    const out = `${prefix}_W${u}_out`;
    nodes.push({ op: 'Add', inputs: [out, bands[u]], outputs: [`${out}_fb`] });
    const rows = pieces.map((p) => (p.name === out ? `${out}_fb` : p.name));
    nodes.push({ op: 'Concat', inputs: rows, outputs: [`${prefix}_Wc${u}`], attributes: axis(0) });
    return `${prefix}_Wc${u}`;
  });
  return { matrices: folded, extra };
}

function rowsTotal(plan: PhasePlan, u: number): number {
  return plan.sources[u].reduce((n, a) => n + plan.widths[a], 0);
}

interface LoopTerms {
  drive: string[];
  matrices: (string | null)[];
  factor?: string[];
  offset?: string[];
  /** Per unit: an n_K × width matrix to multiply the output layer by (feedback), or null. */
  extra?: (string | null)[];
}

/**
 * Steps per Loop iteration. Each iteration of an ORT Loop has a fixed cost (a subgraph frame, the
 * loop-carried values handed over) on top of its ops; chaining u steps in one body would pay it
 * once per u steps: a phase of n steps runs floor(n / u) iterations of the unrolled body, then
 * n mod u iterations of a one-step body. Measured on the paper nets (bench/engine.ts, 1 thread,
 * CPU time), 4 steps per iteration saved nothing (0.33 → 0.38 s layered, 0.55 → 0.59 s at
 * p = 7.56 %, within the noise of a shared machine), so the default is one step per iteration.
 */
export const UNROLL = 1;

/**
 * One phase of `trip` steps (an int64 graph value) from the unit states `initial`, as ONNX Loops;
 * returns the names of the final unit states. The bodies read the matrices, drive, factor and
 * offset from the outer graph.
 */
function phaseLoop(
  plan: PhasePlan,
  nodes: NodeSpec[],
  prefix: string,
  trip: string,
  initial: string[],
  terms: LoopTerms,
  unroll = UNROLL,
): string[] {
  if (unroll <= 1) return loopOf(plan, nodes, prefix, trip, initial, terms, 1);
  const block = `${prefix}_unroll`,
    major = `${prefix}_major`,
    minor = `${prefix}_minor`;
  const value = tensor(`${block}_value`, DataType.INT64, [], BigInt64Array.of(BigInt(unroll)));
  nodes.push({ op: 'Constant', inputs: [], outputs: [block], attributes: [{ name: 'value', tensor: value }] });
  nodes.push({ op: 'Div', inputs: [trip, block], outputs: [major] });
  nodes.push({ op: 'Mod', inputs: [trip, block], outputs: [minor] });
  const mid = loopOf(plan, nodes, `${prefix}u`, major, initial, terms, unroll);
  return loopOf(plan, nodes, `${prefix}r`, minor, mid, terms, 1);
}

/** A Loop of `trip` iterations whose body chains `steps` steps. */
function loopOf(
  plan: PhasePlan,
  nodes: NodeSpec[],
  prefix: string,
  trip: string,
  initial: string[],
  terms: LoopTerms,
  steps: number,
): string[] {
  const body: NodeSpec[] = [];
  const initializers: Writer[] = [];
  const h = plan.widths.map((_, u) => `${prefix}_h${u}`);
  let state = h;
  for (let k = 0; k < steps; k++) {
    const next = plan.widths.map((_, u) => `${prefix}_s${k}_next${u}`);
    stepNodes(plan, body, initializers, `${prefix}_s${k}`, state, next, terms);
    state = next;
  }
  body.push({ op: 'Identity', inputs: [`${prefix}_cond_in`], outputs: [`${prefix}_cond_out`] });
  const bodyGraph = graph({
    name: `${prefix}_body`,
    nodes: body.map((n, i) => node(n, `${prefix}_b${i}`)),
    initializers,
    inputs: [
      valueInfo(`${prefix}_iter`, DataType.INT64, []),
      valueInfo(`${prefix}_cond_in`, DataType.BOOL, []),
      ...h.map((name, u) => valueInfo(name, DataType.FLOAT, ['R', plan.widths[u]])),
    ],
    outputs: [
      valueInfo(`${prefix}_cond_out`, DataType.BOOL, []),
      ...state.map((name, u) => valueInfo(name, DataType.FLOAT, ['R', plan.widths[u]])),
    ],
  });
  const outputs = plan.widths.map((_, u) => `${prefix}_final${u}`);
  nodes.push({
    op: 'Loop',
    inputs: [trip, 'cond', ...initial],
    outputs,
    attributes: [{ name: 'body', graph: bodyGraph }],
  });
  return outputs;
}

/** One step of every unit, from states `h` to states `next` (node names start with `prefix`). */
function stepNodes(
  plan: PhasePlan,
  body: NodeSpec[],
  initializers: Writer[],
  prefix: string,
  h: string[],
  next: string[],
  terms: LoopTerms,
): void {
  const U = plan.widths.length,
    nOut = plan.nOut,
    last = plan.widths[U - 1];
  let outputLayer: string | null = null;
  const readOutput = () => {
    if (outputLayer) return outputLayer;
    if (last === nOut) {
      outputLayer = h[U - 1];
      return outputLayer;
    }
    outputLayer = `${prefix}_out`;
    const sizes = BigInt64Array.of(BigInt(last - nOut), BigInt(nOut));
    initializers.push(tensor(`${prefix}_out_split`, DataType.INT64, [2], sizes));
    body.push({
      op: 'Split',
      inputs: [h[U - 1], `${prefix}_out_split`],
      outputs: [`${prefix}_hidden_cols`, outputLayer],
      attributes: axis(1),
    });
    return outputLayer;
  };
  const concatenated = new Map<string, string>();
  for (let u = 0; u < U; u++) {
    const t = (what: string) => `${prefix}_${what}${u}`;
    const summands: string[] = [];
    const W = terms.matrices[u];
    if (W) {
      const src = plan.sources[u];
      const key = src.join(',');
      let X = concatenated.get(key);
      if (!X) {
        X = src.length === 1 ? h[src[0]] : `${prefix}_x${concatenated.size}`;
        if (src.length > 1) {
          body.push({ op: 'Concat', inputs: src.map((a) => h[a]), outputs: [X], attributes: axis(1) });
        }
        concatenated.set(key, X);
      }
      body.push({ op: 'MatMul', inputs: [X, W], outputs: [t('mm')] });
      summands.push(t('mm'));
    }
    summands.push(terms.drive[u]);
    if (!plan.folded[u]) {
      body.push({ op: 'Mul', inputs: [h[u], 'keep'], outputs: [t('kept')] });
      summands.push(t('kept'));
    }
    const G = terms.extra?.[u];
    if (G) {
      body.push({ op: 'MatMul', inputs: [readOutput(), G], outputs: [t('fb')] });
      summands.push(t('fb'));
    }
    let pre = t('pre');
    body.push({ op: summands.length === 2 ? 'Add' : 'Sum', inputs: summands, outputs: [pre] });
    if (terms.factor && terms.offset) {
      // SPEC §2: the nudge acts on the unclipped energy step; one clip follows.
      body.push({ op: 'Mul', inputs: [pre, terms.factor[u]], outputs: [t('scaled')] });
      body.push({ op: 'Add', inputs: [t('scaled'), terms.offset[u]], outputs: [t('nudged')] });
      pre = t('nudged');
    }
    body.push({ op: 'Clip', inputs: [pre, 'zero', 'one'], outputs: [next[u]] });
  }
}
