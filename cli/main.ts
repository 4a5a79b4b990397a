/**
 * The `eqprop` command line. Each command group lives in its own module with a `register`
 * function; this file only wires them together and turns errors into exit codes:
 * bad input (InputError, commander usage errors) → message on stderr, exit 2;
 * anything else → message on stderr, exit 1 (stack only with EQPROP_DEBUG=1).
 */
import { CommanderError } from 'commander';
import { InputError, EqpropError } from '../lib/index.js';
import { escapeForTerminal } from '../lib/index.js';
import { SETTING_FLAGS, withFlags } from './flag-names.js';
import { buildProgram } from './program.js';

export { buildProgram } from './program.js';

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    return reportError(e);
  }
}

export function reportError(e: unknown): number {
  if (e instanceof CommanderError) {
    // help and version print themselves and exit 0; usage errors were already printed by commander
    return e.exitCode === 0 ? 0 : 2;
  }
  // Messages quote what the user typed or stored: escaped, they cannot drive the terminal.
  const safe = (text: string) => escapeForTerminal(text, { keepNewlines: true });
  if (e instanceof InputError) {
    // The stores and the queue name the settings they were given (sqlitePath): the CLI's users set them by flag.
    process.stderr.write(`${safe((withFlags(e, SETTING_FLAGS) as InputError).message)}\n`);
    return 2;
  }
  const message =
    e instanceof EqpropError ? e.message : `eqprop: internal error: ${e instanceof Error ? e.message : String(e)}`;
  process.stderr.write(`${safe(message)}\n`);
  if (process.env.EQPROP_DEBUG === '1' && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  return 1;
}

// Run when executed (bin/eqprop.js imports this module).
const code = await main(process.argv.slice(2));
// Let pending stdout writes flush; long-lived commands (serve, worker) never return here.
process.exitCode = code;
