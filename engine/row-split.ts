/**
 * How the rows of a batch are shared between the main thread (part 0) and the phase workers.
 *
 * On the wasm backend the step's product runs in XNNPACK's GEMM, which works on 4 rows at a time
 * and handles a remainder with slower kernels: measured on the paper net's 1510 × 1510 step
 * matrix, 10 rows take 2.03 ms, 12 rows 1.90 ms and 8 rows 1.37 ms. So when every part can get
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
  const base = Math.floor(groups / parts), extra = groups % parts;
  const bounds = [0];
  for (let k = 0; k < parts; k++) bounds.push(bounds[k] + align * (base + (k >= parts - extra ? 1 : 0)));
  return bounds;
}

/** Row groups of the backend's matrix product (XNNPACK on wasm: 4). */
export function rowAlignment(backend: string): number {
  return backend === 'wasm' ? 4 : 1;
}
