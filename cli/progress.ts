/**
 * A one-line progress bar for long work. On a TTY it redraws in place on stderr; otherwise it
 * stays quiet except for occasional plain lines (at most one every `quietIntervalMs`), so logs
 * and pipes do not fill with carriage returns. `--json` callers pass `enabled: false`.
 */
export interface ProgressOptions {
  total: number;
  label?: string;
  enabled?: boolean;
  stream?: NodeJS.WriteStream;
  quietIntervalMs?: number;
}

export class ProgressBar {
  private readonly start = Date.now();
  private lastQuiet = 0;
  private done = 0;
  private readonly stream: NodeJS.WriteStream;
  private readonly tty: boolean;
  private readonly enabled: boolean;

  constructor(private readonly options: ProgressOptions) {
    this.stream = options.stream ?? process.stderr;
    this.tty = Boolean(this.stream.isTTY);
    this.enabled = options.enabled ?? true;
  }

  /** Set progress to `done` of total, with extra text (e.g. "epoch 2/5 train err 3.1%"). */
  update(done: number, extra = ''): void {
    this.done = done;
    if (!this.enabled) return;
    const line = this.render(extra);
    if (this.tty) {
      this.stream.write(`\r${line}\x1b[K`);
    } else if (Date.now() - this.lastQuiet >= (this.options.quietIntervalMs ?? 30_000) || done >= this.options.total) {
      this.lastQuiet = Date.now();
      this.stream.write(`${line}\n`);
    }
  }

  finish(extra = ''): void {
    if (!this.enabled) return;
    if (this.tty) this.stream.write(`\r${this.render(extra)}\x1b[K\n`);
  }

  private render(extra: string): string {
    const { total, label = '' } = this.options;
    const frac = total > 0 ? Math.min(1, this.done / total) : 1;
    const width = 24;
    const filled = Math.round(frac * width);
    const elapsed = (Date.now() - this.start) / 1000;
    const eta = frac > 0 && frac < 1 ? (elapsed / frac) * (1 - frac) : 0;
    return (
      `${label ? `${label} ` : ''}[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.done}/${total} ` +
      `${formatSeconds(elapsed)} elapsed${eta > 0 ? `, ETA ${formatSeconds(eta)}` : ''}${extra ? `  ${extra}` : ''}`
    );
  }
}

export function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(1)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
