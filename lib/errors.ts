/**
 * Errors every layer throws. Messages follow `eqprop/<module>: <field>: <what was wrong>; expected
 * <accepted>` so a user reads what to change without a stack trace.
 *
 * InputError is the user's fault (a configuration field, a file): the CLI exits 2, the API answers
 * 4xx. Anything else is ours and is reported as an internal error.
 *
 * Below the CLI and the API, `field` is a field path of the object that was checked
 * (`topology.spanMin`, `train.learningRates[2]`, `sqlitePath`), never a command-line flag. A
 * message may mention other fields (`mode replace needs n or p`); those mentions are kept as
 * references (`ref('n')`), so whoever shows the error to a person renames them all at once
 * (`renamed`): the CLI to its flags (`--n`), another reader to its own words.
 */
export class EqpropError extends Error {
  readonly module: string;
  constructor(module: string, message: string) {
    super(`eqprop/${module}: ${message}`);
    this.name = 'EqpropError';
    this.module = module;
  }
}

/** A mention of another field inside a message; rendered as that field's name by whoever reports it. */
export interface FieldRef {
  readonly ref: string;
}

/** Message text: plain, or parts of text and field references. */
export type MessageText = string | readonly (string | FieldRef)[];

export function ref(field: string): FieldRef {
  return { ref: field };
}

/** A tagged template: `` text`${ref('n')} or ${ref('p')}` `` keeps the references, stringifies the rest. */
export function text(strings: TemplateStringsArray, ...values: unknown[]): MessageText {
  const parts: (string | FieldRef)[] = [];
  strings.forEach((s, i) => {
    if (s !== '') parts.push(s);
    if (i < values.length) {
      const v = values[i];
      parts.push(isFieldRef(v) ? v : String(v));
    }
  });
  return parts;
}

function isFieldRef(value: unknown): value is FieldRef {
  return typeof value === 'object' && value !== null && typeof (value as FieldRef).ref === 'string';
}

/** Message texts one after another, as one (to keep a long message within the line length). */
export function joinText(...messages: MessageText[]): MessageText {
  return messages.flatMap((m) => (typeof m === 'string' ? [m] : m));
}

/** Renders a message, each reference named by `name` (default: the field path itself). */
export function renderText(message: MessageText, name: (field: string) => string = (f) => f): string {
  if (typeof message === 'string') return message;
  return message.map((part) => (typeof part === 'string' ? part : name(part.ref))).join('');
}

/** Every reference of a message resolved against a base path (`n` under `topology` is `topology.n`). */
export function rebaseText(message: MessageText, base: string): MessageText {
  if (typeof message === 'string' || base === '') return message;
  return message.map((part) => (typeof part === 'string' ? part : ref(joinField(base, part.ref))));
}

/** A field path as text: `topology.spanMin`, `train.learningRates[2]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out === '' ? String(key) : `${out}.${String(key)}`),
    '',
  );
}

/** `base` + `field` as one path (`topology` + `n` → `topology.n`, `p` + `[1]` → `p[1]`). */
export function joinField(base: string, field: string): string {
  if (base === '') return field;
  if (field === '') return base;
  return field.startsWith('[') ? `${base}${field}` : `${base}.${field}`;
}

/**
 * What kind of input error: 'invalid' input will not get better by trying again; 'busy' means
 * the thing asked for is held by someone else right now (a run another process is training), so
 * the same request may succeed later (the queue retries those).
 */
export type InputErrorKind = 'invalid' | 'busy';

export class InputError extends EqpropError {
  /** The field path, file or setting that was wrong (e.g. `p`, `train.beta`, `train-images-idx3-ubyte`). */
  readonly field: string;
  /** What would have been accepted, in words (e.g. `a number in [0, 1]`). */
  readonly expected: string;
  /** What was wrong, in words. */
  readonly problem: string;
  readonly kind: InputErrorKind;
  /** The message with its field references, for `renamed`. */
  readonly parts: { readonly problem: MessageText; readonly expected: MessageText };
  constructor(
    module: string,
    field: string,
    problem: MessageText,
    expected: MessageText,
    options: { kind?: InputErrorKind } = {},
  ) {
    const p = renderText(problem);
    const x = renderText(expected);
    super(module, `${field}: ${p}; expected ${x}`);
    this.name = 'InputError';
    this.field = field;
    this.problem = p;
    this.expected = x;
    this.kind = options.kind ?? 'invalid';
    this.parts = { problem, expected };
  }

  /**
   * The same error with its field and every field it mentions named by `name` (a field without
   * a name keeps its path). The CLI shows flags this way, a nested check its parent's paths.
   */
  renamed(name: (field: string) => string | undefined, module = this.module): InputError {
    const as = (field: string) => name(field) ?? field;
    return new InputError(
      module,
      as(this.field),
      renderNamed(this.parts.problem, as),
      renderNamed(this.parts.expected, as),
      { kind: this.kind },
    );
  }
}

/** The references renamed, still references (so an error renamed twice renames from the first names). */
function renderNamed(message: MessageText, name: (field: string) => string): MessageText {
  if (typeof message === 'string') return message;
  return message.map((part) => (typeof part === 'string' ? part : ref(name(part.ref))));
}

/** Returned instead of thrown by validators that collect several problems. */
export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError;
}

/**
 * A name lookup for `InputError.renamed` from a table of field paths. A field not in the table is
 * named by its closest parent that is: `topology.sizes[1]` by the entry of `topology.sizes`,
 * `train.targetFeedback.layers` by `train.targetFeedback` (so one entry names a field and all
 * inside it). A key ending in `.*` keeps the rest of the path: `topology.spec.*` → `topology`
 * names `topology.spec.sizes[1]` `topology.sizes[1]`.
 */
export function nameFromTable(table: ReadonlyMap<string, string>): (field: string) => string | undefined {
  return (field) => {
    for (let f: string | null = field; f !== null; f = parentField(f)) {
      const within = f === field ? undefined : table.get(`${f}.*`);
      if (within !== undefined) return joinField(within, field.slice(f.length).replace(/^\./, ''));
      const exact = table.get(f);
      if (exact !== undefined) return exact;
    }
    return undefined;
  };
}

/** `a.b[2]` → `a.b`, `a.b` → `a`, `a` → null. */
export function parentField(field: string): string | null {
  const cut = Math.max(field.lastIndexOf('.'), field.lastIndexOf('['));
  return cut <= 0 ? null : field.slice(0, cut);
}
