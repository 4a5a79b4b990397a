/**
 * Partial Spearman correlation: Pearson's r of the ranks of x and y after each has been
 * regressed (linearly, on ranks) on the ranks of the covariates. With one covariate this equals
 * (ρxy − ρxz ρyz) / √((1 − ρxz²)(1 − ρyz²)), the usual definition (pingouin's partial_corr with
 * method="spearman"). Categorical covariates (an architecture) enter as 0/1 indicator columns.
 */
import { averageRanks, MIN_PAIRS, pearsonRaw } from './correlation.js';
import { residuals } from './regression.js';

export interface Covariates {
  /** Ranked, like x and y. */
  numeric: readonly (readonly number[])[];
  /** Category labels, one indicator column per category after the first. */
  categorical?: readonly (readonly string[])[];
}

export function indicatorColumns(labels: readonly string[]): number[][] {
  const levels = [...new Set(labels)].sort();
  return levels.slice(1).map((level) => labels.map((l) => (l === level ? 1 : 0)));
}

export function partialSpearman(x: readonly number[], y: readonly number[], covariates: Covariates): number | null {
  const columns = [
    ...covariates.numeric.map((c) => averageRanks(c)),
    ...(covariates.categorical ?? []).flatMap((labels) => indicatorColumns(labels)),
  ];
  // Each covariate costs a degree of freedom: keep at least MIN_PAIRS beyond them.
  if (x.length < MIN_PAIRS + columns.length) return null;
  const rx = residuals(averageRanks(x), columns);
  const ry = residuals(averageRanks(y), columns);
  // Residuals that are all (numerically) zero mean the covariates explain x or y entirely.
  const tiny = (r: number[], scale: number) => r.every((v) => Math.abs(v) <= 1e-9 * scale);
  if (tiny(rx, x.length) || tiny(ry, y.length)) return null;
  return pearsonRaw(rx, ry);
}
