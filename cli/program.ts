/**
 * The `eqprop` command tree: every command group registered from its own module, and the
 * package's version (lib/package-files.ts). Free of side effects, so tests can read the commands
 * and their flags.
 */
import { Command } from 'commander';
import { register as registerTopology } from './topology.js';
import { register as registerTrain } from './train.js';
import { register as registerRuns } from './runs.js';
import { register as registerSweep } from './sweep.js';
import { register as registerReproduce } from './reproduce.js';
import { register as registerReport } from './report.js';
import { register as registerPredictors } from './predictors.js';
import { register as registerServe } from './serve.js';
import { register as registerWorker } from './worker.js';
import { packageVersion } from '../lib/index.js';

export function buildProgram(): Command {
  const program = new Command('eqprop')
    .description('eqprop-lab: equilibrium propagation on layered and layer-skipping topologies')
    .version(packageVersion(), '-V, --version', 'print the eqprop-lab version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of [
    registerTopology,
    registerTrain,
    registerRuns,
    registerSweep,
    registerReproduce,
    registerReport,
    registerPredictors,
    registerServe,
    registerWorker,
  ]) {
    register(program);
  }
  // Every subcommand inherits exitOverride so usage errors reach our handler.
  const override = (cmd: Command) => {
    cmd.exitOverride();
    cmd.commands.forEach(override);
  };
  override(program);
  return program;
}
