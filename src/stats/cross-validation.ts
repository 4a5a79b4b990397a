/**
 * Out-of-sample R² of outcome ~ a + b·metric. Folds are the families (leave one family out: does
 * the metric's relation, fitted on the other families, predict a family it has not seen?); with
 * fewer than 3 families, leave one configuration out. R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)², ȳ over all
 * configurations: 0 is no better than the mean, negative is worse.
 */
import { isConstant, mean } from './correlation.js';
import { fit, predictRow } from './regression.js';

export function crossValidatedR2(x: readonly number[], y: readonly number[], groups: readonly string[]): number | null {
  const n = x.length;
  if (n < 4 || isConstant(y)) return null;
  const families = [...new Set(groups)];
  const folds = families.length >= 3 ? groups : x.map((_, i) => String(i));
  const my = mean(y);
  let ssRes = 0,
    ssTot = 0;
  for (const fold of new Set(folds)) {
    const train = x.map((_, i) => i).filter((i) => folds[i] !== fold);
    const trainX = train.map((i) => x[i]);
    // A fold whose training part has one distinct metric value cannot fit a slope: no score.
    if (train.length < 2 || isConstant(trainX)) return null;
    const beta = fit(
      train.map((i) => y[i]),
      [trainX],
    );
    for (let i = 0; i < n; i++) if (folds[i] === fold) ssRes += (y[i] - predictRow(beta, [x[i]])) ** 2;
  }
  for (const v of y) ssTot += (v - my) ** 2;
  return 1 - ssRes / ssTot;
}
