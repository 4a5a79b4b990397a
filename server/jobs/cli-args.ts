/**
 * Validated API bodies → `eqprop train` / `eqprop sweep` arguments. The one place that knows the
 * CLI's flag names, so the API follows the CLI rather than re-implementing it.
 */
import type { SweepJobBody, TrainJobBody } from '../schemas.js';

type TrainingFlags = Pick<TrainJobBody, 'epochs' | 'train' | 'eval' | 'batchSize' | 'freeSteps' | 'clampedSteps' | 'epsilon' | 'beta' | 'rates' | 'rate' | 'ratesAs' | 'backend'>;

function trainingArgs(b: TrainingFlags): string[] {
  const args = ['--epochs', String(b.epochs), '--train', String(b.train), '--eval', String(b.eval)];
  const optional: [string, unknown][] = [
    ['--batch-size', b.batchSize], ['--free-steps', b.freeSteps], ['--clamped-steps', b.clampedSteps],
    ['--epsilon', b.epsilon], ['--beta', b.beta], ['--lr', b.rate], ['--rates-as', b.ratesAs], ['--backend', b.backend],
  ];
  for (const [flag, value] of optional) if (value !== undefined) args.push(flag, String(value));
  if (b.rates === 'per-layer') args.push('--per-layer');
  return args;
}

export function trainArgs(b: TrainJobBody): string[] {
  const args: string[] = [];
  if (b.topologyId !== undefined) args.push('--topology', b.topologyId);
  if (b.topology !== undefined) {
    args.push('--sizes', b.topology.sizes.join(','), '--mode', b.topology.mode, '--topology-seed', String(b.topology.seed));
    if (b.topology.n !== undefined) args.push('--n', String(b.topology.n));
    if (b.topology.p !== undefined) args.push('--p', String(b.topology.p));
  }
  if (b.seed !== undefined) args.push('--seed', String(b.seed));
  return [...args, ...trainingArgs(b)];
}

export function sweepArgs(b: SweepJobBody): string[] {
  const args = ['--sizes', b.sizes.join(','), '--mode', b.mode, '--seeds', b.seeds.join(',')];
  if (b.p !== undefined) args.push('--p', b.p.join(','));
  if (b.n !== undefined) args.push('--n', b.n.join(','));
  if (b.workers !== undefined) args.push('--workers', String(b.workers));
  if (b.name !== undefined) args.push('--name', b.name);
  if (b.baseline) args.push('--baseline');
  return [...args, ...trainingArgs(b)];
}
