/**
 * Errors every layer throws. Messages follow `eqprop/<module>: <what was wrong>; expected <accepted>`
 * so a user reads what to change without a stack trace.
 *
 * InputError is the user's fault (a flag, an API body, a file): the CLI exits 2, the API answers 4xx.
 * Anything else is ours and is reported as an internal error.
 */
export class EqpropError extends Error {
  readonly module: string;
  constructor(module: string, message: string) {
    super(`eqprop/${module}: ${message}`);
    this.name = 'EqpropError';
    this.module = module;
  }
}

export class InputError extends EqpropError {
  /** The flag, body field or file that was wrong (e.g. `--p`, `sizes`, `train-images-idx3-ubyte`). */
  readonly field: string;
  /** What would have been accepted, in words (e.g. `a number in [0, 1]`). */
  readonly expected: string;
  constructor(module: string, field: string, problem: string, expected: string) {
    super(module, `${field}: ${problem}; expected ${expected}`);
    this.name = 'InputError';
    this.field = field;
    this.expected = expected;
  }
}

/** Returned instead of thrown by validators that collect several problems. */
export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError;
}
