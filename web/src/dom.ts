/** Tiny DOM helpers: the app is vanilla TypeScript, these keep page code readable. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | undefined | ((e: Event) => void)> = {},
  ...children: (Node | string | null | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(key.replace(/^on/, '').toLowerCase(), value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) el.append(child);
  return el;
}

export function $(selector: string, root: ParentNode = document): HTMLElement {
  const el = root.querySelector<HTMLElement>(selector);
  if (!el) throw new Error(`eqprop/web: no element ${selector}`);
  return el;
}

/** UUIDs shortened to their first 8 characters; readable ids (e.g. sweep run ids) kept whole. */
export function shortId(id: string): string {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(id) ? id.slice(0, 8) : id;
}

export function fmtPct(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(digits)} %`;
}

export function fmtNum(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  return Math.abs(x) >= 1000 || Math.abs(x) < 1e-3 ? x.toExponential(2) : x.toFixed(digits);
}

/** Show an error (ApiError messages name the field and what is accepted) in the banner. */
export function showError(e: unknown): void {
  const banner = $('#error-banner');
  banner.textContent = e instanceof Error ? e.message : String(e);
  banner.hidden = false;
  window.clearTimeout(Number(banner.dataset.timer));
  banner.dataset.timer = String(
    window.setTimeout(() => {
      banner.hidden = true;
    }, 10_000),
  );
}

/** Reads a form's named inputs as strings. */
export function formValues(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {};
  new FormData(form).forEach((v, k) => {
    out[k] = String(v).trim();
  });
  return out;
}

export function numberOrUndefined(s: string | undefined): number | undefined {
  if (s === undefined || s.trim() === '') return undefined;
  return Number(s);
}
