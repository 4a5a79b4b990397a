/**
 * Small tabular sets as the journal version prepared them: every feature (and a regression
 * target) min–max scaled to [0, 1] over the WHOLE set, the examples shuffled once with a seed,
 * then a fixed number of them train and the next ones test. Computed in float64, stored float32.
 */
/** Columns of a row-major table scaled to [0, 1] by their min and max; a constant column becomes 0. */
export function minMaxScaleColumns(rows: number[][]): number[][] {
  const columns = rows[0]?.length ?? 0;
  const min = Array.from({ length: columns }, (_, c) => Math.min(...rows.map((r) => r[c])));
  const max = Array.from({ length: columns }, (_, c) => Math.max(...rows.map((r) => r[c])));
  return rows.map((r) => r.map((v, c) => (max[c] > min[c] ? (v - min[c]) / (max[c] - min[c]) : 0)));
}
