/**
 * How the rows of a batch are shared between the main thread (part 0) and the phase workers.
 *
 * Some backends' matrix products work on groups of rows (the backend's rowAlignment trait,
 * engine/backend.ts) and handle a remainder with slower kernels. So when every part can get
 * whole groups of `align` rows, shares are multiples of `align`, and the main thread — which also
 * does the update and sends the weights — gets the smallest one (20 rows on two threads: 8 + 12).
 * Otherwise (align 1, or too few rows) the rows are split as evenly as possible.
 *
 * Returns parts + 1 increasing bounds from 0 to rows; part k holds rows bounds[k] … bounds[k+1] − 1.
 */
export function splitRows(rows: number, parts: number, align = 1): number[] {
  const groups = rows / align;
  if (align <= 1 || !Number.isInteger(groups) || groups < parts) {
    return Array.from({ length: parts + 1 }, (_, k) => Math.round((k * rows) / parts));
  }
  // Whole groups per part; the groups left over go to the last parts (the workers).
  const base = Math.floor(groups / parts),
    extra = groups % parts;
  const bounds = [0];
  for (let k = 0; k < parts; k++) bounds.push(bounds[k] + align * (base + (k >= parts - extra ? 1 : 0)));
  return bounds;
}
