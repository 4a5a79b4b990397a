/**
 * The run page's configuration line for the options beyond the paper and its epoch table, where
 * add-train-remove's switch is noted on the first epoch trained without the removed connections.
 * The words and the epoch come from src/experiments/plan/beyond-paper.ts, as in `eqprop runs show`.
 */
import type { EpochResult, RunRecord } from '../api.js';
import { fmtPct, h } from '../dom.js';
import { errorKindOf, formatError } from '../../../src/experiments/summarise/error-kind.js';
import {
  describeBeyondPaper,
  epochNote,
  removalBatch,
  removalEpoch,
  type RemovalRunConfig,
} from '../../../src/experiments/plan/beyond-paper.js';
import type { RateSwitch } from '../../../src/reports/specs.js';

const configOf = (run: RunRecord): RemovalRunConfig => run.config as RemovalRunConfig;

/** "Beyond the paper: nudging symmetric; …", or nothing for a run with the paper's behaviour. */
function optionsLine(run: RunRecord): HTMLElement | null {
  const options = describeBeyondPaper(configOf(run).train);
  if (options.length === 0) return null;
  return h('p', { 'data-testid': 'run-options' }, `Beyond the paper: ${options.join('; ')}`);
}

function epochTable(run: RunRecord, epochs: readonly EpochResult[]): HTMLElement {
  const config = configOf(run);
  // A regression run (Diabetes) reports mean squared errors, not percentages: the headers say which.
  const mse = errorKindOf(run.config) === 'mse';
  const show = (x: number | null | undefined) => (mse ? formatError(x, 'mse') : fmtPct(x));
  const name = mse ? 'MSE' : 'error';
  const notes = removalEpoch(config) !== null;
  const tests = epochs.some((e) => typeof e.testError === 'number');
  const sorted = [...epochs].sort((a, b) => a.epoch - b.epoch);
  const th = (text: string) => h('th', { class: 'num' }, text);
  return h(
    'table',
    { class: 'data small', 'data-testid': 'epoch-table' },
    h(
      'tr',
      {},
      th('epoch'),
      th(`train ${name}`),
      th(`eval ${name}`),
      tests ? th(`test ${name}`) : null,
      notes ? h('th', {}, 'note') : null,
    ),
    ...sorted.map((e) =>
      h(
        'tr',
        { 'data-epoch': e.epoch },
        h('td', { class: 'num' }, String(e.epoch)),
        h('td', { class: 'num' }, show(e.trainError)),
        h('td', { class: 'num' }, show(e.evalError)),
        tests ? h('td', { class: 'num' }, show(e.testError)) : null,
        notes ? h('td', { 'data-testid': 'epoch-note' }, epochNote(config, e.epoch) ?? '') : null,
      ),
    ),
  );
}

/** The options line (when any is set) and the epoch table (once an epoch has finished). */
export function runEpochsElement(run: RunRecord, epochs: readonly EpochResult[]): HTMLElement {
  return h(
    'div',
    { 'data-testid': 'run-epochs' },
    optionsLine(run),
    epochs.length > 0 ? epochTable(run, epochs) : null,
  );
}

/** Add-train-remove's switch as a rule on the run's rate panel (none when nothing is removed). */
export function rateSwitches(run: RunRecord, label: string): RateSwitch[] {
  const config = configOf(run);
  const batch = removalBatch(config);
  const what = epochNote(config, removalEpoch(config) ?? 0);
  return batch === null || what === null ? [] : [{ label, batch, what }];
}
