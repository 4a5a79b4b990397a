/** `eqprop reproduce` — not implemented yet; the owning issue fills this module in. */
import type { Command } from 'commander';

export function register(_program: Command): void {}
