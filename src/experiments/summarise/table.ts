/** Plain-text tables for terminal output (left-aligned text, right-aligned numbers). */
import { escapeForTerminal } from '../../../lib/index.js';

/** Cells are escaped for the terminal: they hold names, errors and other text users supplied. */
export function textTable(header: string[], rows: (string | number | null)[][]): string {
  const cells = rows.map((r) => r.map((c) => (c === null ? '-' : escapeForTerminal(String(c)))));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const numeric = header.map(
    (_, i) =>
      rows.length > 0 &&
      rows.every((r) => r[i] === null || typeof r[i] === 'number' || /^[-+]?[\d.]+%?$/.test(String(r[i]))),
  );
  const line = (r: string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const lines = [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)];
  return `${lines.join('\n')}\n`;
}

export function percent(x: number | null | undefined, digits = 2): string | null {
  return x === null || x === undefined || Number.isNaN(x) ? null : `${(x * 100).toFixed(digits)}%`;
}
