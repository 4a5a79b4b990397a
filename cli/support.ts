/**
 * Pieces every experiment command shares: the store/config flags, turning them into a Config
 * (flags > environment > config file, src/config.ts; configEnv there hands it to child
 * processes), and stop signals.
 */
import { Option, type Command } from 'commander';
import { existsSync } from 'node:fs';
import { InputError } from '../lib/index.js';
import { loadConfig, type Config } from '../src/config.js';
import { EXIT_ORPHANED } from '../src/experiments/index.js';

export interface StoreFlags {
  config?: string;
  store?: string;
  db?: string;
  checkpointDir?: string;
  backend?: string;
}

/** --config, --store, --db, --checkpoint-dir (each also settable by environment or config file). */
export function addStoreOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--config <file>', 'JSON config file (default ./eqprop.config.json if present; env EQPROP_CONFIG)'),
    )
    .addOption(new Option('--store <kind>', 'store: sqlite or neo4j (env EQPROP_STORE)'))
    .addOption(new Option('--db <file>', 'SQLite database file (env EQPROP_DB; default data/eqprop.db)'))
    .addOption(
      new Option(
        '--checkpoint-dir <dir>',
        'where run checkpoints go (env EQPROP_CHECKPOINT_DIR; default data/checkpoints)',
      ),
    );
}

export function configFromFlags(flags: StoreFlags): Config {
  return loadConfig({
    configFile: flags.config,
    store: flags.store,
    sqlitePath: flags.db,
    checkpointDir: flags.checkpointDir,
    backend: flags.backend,
  });
}

/**
 * SIGTERM/SIGINT set a flag the training loop polls (it then checkpoints and marks the run
 * cancelled); a second signal exits at once. Signals within the first 2 s count as one: Ctrl-C
 * in a terminal reaches a sweep's workers directly AND through the sweep forwarding SIGTERM,
 * and that must still be a clean stop. Returns the flag reader and a remover.
 */
export function onStopSignals(onFirst?: () => void): { stopped: () => boolean; dispose: () => void } {
  let firstAt: number | null = null;
  const handler = (signal: NodeJS.Signals) => {
    if (firstAt !== null) {
      if (Date.now() - firstAt > 2000) process.exit(signal === 'SIGINT' ? 130 : 143);
      return;
    }
    firstAt = Date.now();
    onFirst?.();
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return {
    stopped: () => firstAt !== null,
    dispose: () => {
      process.off('SIGTERM', handler);
      process.off('SIGINT', handler);
    },
  };
}

/**
 * `eqprop train --parent-pid <pid>` (how queue workers start their training processes): when that
 * process is no longer this one's parent (the worker died, and its job goes to another worker,
 * which resumes the run from its checkpoint), this process must not write another batch. Returns
 * the check the training loop makes between batches: it exits at once with EXIT_ORPHANED. A stdout
 * whose reader is gone (EPIPE: the worker's end of the pipe closed) means the same.
 */
export function exitWithParent(parentPid: number): () => void {
  const check = () => {
    if (process.ppid !== parentPid) process.exit(EXIT_ORPHANED);
  };
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(EXIT_ORPHANED);
    throw e;
  });
  check();
  return check;
}

/**
 * Commands that look something up must not create an empty SQLite file as a side effect of a
 * mistyped id: when the database does not exist yet, nothing can be found in it.
 */
export function requireExistingStore(config: Config, field: string, id: string, expected: string): void {
  if (config.store === 'sqlite' && !existsSync(config.sqlitePath)) {
    throw new InputError(
      'cli',
      field,
      `no ${JSON.stringify(id)}: the database ${config.sqlitePath} does not exist yet`,
      expected,
    );
  }
}

/** An unknown id typed by the user is bad input (exit 2), not an internal error. */
export async function asInputError<T>(field: string, expected: string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof Error && e.name === 'NotFoundError')
      throw new InputError(
        'cli',
        field,
        e.message.replace(/^eqprop\/store: /, '').replace(/; expected .*$/, ''),
        expected,
      );
    throw e;
  }
}

/** Help text block of examples, appended after the options. */
export function examples(cmd: Command, lines: string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
}
