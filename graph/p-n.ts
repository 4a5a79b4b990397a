/**
 * p ↔ n (SPEC §4): after n rewirings, each of the N_o original connections has been picked at
 * least once with probability p = 1 − ((N_o − 1)/N_o)^n. Computed with log1p/expm1 so that
 * N_o in the millions loses no digits. pToN rounds to the nearest whole rewiring.
 */
import { connectionsWithIntralayer } from './layout.js';

/** p for n rewirings among N_o connections. */
export function nToP(n: number, connections: number): number {
  if (n === 0) return 0;
  if (connections <= 1) return 1;
  return -Math.expm1(n * Math.log1p(-1 / connections));
}

/** The whole number of rewirings n whose p is nearest the given p (Infinity for p = 1). */
export function pToN(p: number, connections: number): number {
  if (p === 0) return 0;
  if (p >= 1) return Infinity;
  if (connections <= 1) return 1;
  return Math.round(Math.log1p(-p) / Math.log1p(-1 / connections));
}

/** nToP on a net given by its layer sizes. */
export function nToPForSizes(n: number, sizes: readonly number[]): number {
  return nToP(n, connectionsWithIntralayer(sizes));
}

/** pToN on a net given by its layer sizes. */
export function pToNForSizes(p: number, sizes: readonly number[]): number {
  return pToN(p, connectionsWithIntralayer(sizes));
}
