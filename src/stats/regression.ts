/**
 * Ordinary least squares for the few columns the predictor statistics need (an intercept, one
 * predictor, a handful of covariates), by the normal equations solved with Gaussian elimination
 * and partial pivoting. Columns that are linear combinations of others are dropped, so a
 * covariate that is constant within the data never makes the system singular.
 */

/** Residuals of y after regressing it on the columns (an intercept is always included). */
export function residuals(y: readonly number[], columns: readonly (readonly number[])[]): number[] {
  const beta = fit(y, columns);
  return y.map(
    (v, i) =>
      v -
      predictRow(
        beta,
        columns.map((c) => c[i]),
      ),
  );
}

/** Coefficients [intercept, one per column] (0 for a dropped column). */
export function fit(y: readonly number[], columns: readonly (readonly number[])[]): number[] {
  const n = y.length;
  const X = Array.from({ length: n }, (_, i) => [1, ...columns.map((c) => c[i])]);
  const p = X[0]?.length ?? 1;
  const A = Array.from({ length: p }, (_, a) =>
    Array.from({ length: p }, (_, b) => X.reduce((s, row) => s + row[a] * row[b], 0)),
  );
  const v = Array.from({ length: p }, (_, a) => X.reduce((s, row, i) => s + row[a] * y[i], 0));
  return solveDroppingDependent(A, v);
}

export function predictRow(beta: readonly number[], row: readonly number[]): number {
  return beta[0] + row.reduce((s, x, j) => s + beta[j + 1] * x, 0);
}

function solveDroppingDependent(A: number[][], v: number[]): number[] {
  const p = v.length;
  const M = A.map((row, i) => [...row, v[i]]);
  const scale = Math.max(1e-300, ...A.map((row, i) => Math.abs(row[i])));
  const pivotOf: number[] = new Array<number>(p).fill(-1);
  let r = 0;
  for (let c = 0; c < p && r < p; c++) {
    let best = r;
    for (let i = r + 1; i < p; i++) if (Math.abs(M[i][c]) > Math.abs(M[best][c])) best = i;
    if (Math.abs(M[best][c]) <= 1e-10 * scale) continue; // dependent column: its coefficient stays 0
    [M[r], M[best]] = [M[best], M[r]];
    for (let i = 0; i < p; i++) {
      if (i === r) continue;
      const f = M[i][c] / M[r][c];
      if (f !== 0) for (let k = c; k <= p; k++) M[i][k] -= f * M[r][k];
    }
    pivotOf[c] = r;
    r++;
  }
  return pivotOf.map((row, c) => (row < 0 ? 0 : M[row][p] / M[row][c]));
}
