/**
 * Pearson's r and Spearman's ρ (ties get their average rank, as scipy.stats.spearmanr does).
 * A coefficient is null where it is undefined: fewer than 3 pairs, or a constant series (checked
 * on the values themselves, so rounding never turns "constant" into r = −4.5e-16).
 * Pure, without Node imports: the CLI, the server and the web app all run this code.
 */

/** Fewest pairs for a coefficient worth reporting: with 2 points r is always ±1. */
export const MIN_PAIRS = 3;

export function isConstant(values: readonly number[]): boolean {
  return values.every((v) => v === values[0]);
}

export function mean(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return values.length === 0 ? NaN : s / values.length;
}

/** Sample standard deviation (n − 1); null for fewer than 2 values. */
export function sampleSd(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) ** 2;
  return Math.sqrt(ss / (values.length - 1));
}

function checkPaired(x: readonly unknown[], y: readonly unknown[]): void {
  if (x.length !== y.length)
    throw new RangeError(`eqprop/stats: paired samples of lengths ${x.length} and ${y.length}; expected equal lengths`);
}

/** Pearson's r without the minimum-size rule (the partial correlation and the bootstrap use it). */
export function pearsonRaw(x: readonly number[], y: readonly number[]): number | null {
  checkPaired(x, y);
  const n = x.length;
  if (n < 2 || isConstant(x) || isConstant(y)) return null;
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0,
    sxx = 0,
    syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  // Rounding can push |r| a hair above 1 for perfectly linear data.
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

export function pearson(x: readonly number[], y: readonly number[]): number | null {
  if (x.length >= MIN_PAIRS) return pearsonRaw(x, y);
  checkPaired(x, y);
  return null;
}

/** 1-based ranks; tied values share the mean of the ranks they occupy. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k][1]] = rank;
    i = j + 1;
  }
  return ranks;
}

export function spearman(x: readonly number[], y: readonly number[]): number | null {
  checkPaired(x, y);
  return pearson(averageRanks(x), averageRanks(y));
}
