/**
 * The paper's Fig. 4 and Fig. 5 claims (SPEC §6) judged on measured runs, seed by seed: what the
 * paper says, what was measured (mean ± sd over seeds, with the seed count), and a verdict from a
 * rule fixed here before any run was looked at. The rules only ask what the paper's words ask —
 * a direction, an order of magnitude, a crossover near a p — and say "cannot be told apart" when
 * the seeds' spread is as large as the effect.
 *
 * Rates are each pair's eq. 2 rate averaged over the run's last 50 batches (pair 0 = input–h1, the
 * deepest; the last pair feeds the output). Errors are the training error counted during epoch 1.
 */
import { seedStatistic } from '../../stats/index.js';

export type Verdict = 'holds' | 'holds in part' | 'does not hold' | 'cannot be told apart' | 'not tested';

export interface ClaimRow {
  figure: 'Fig. 4' | 'Fig. 5';
  claim: string;
  paper: string;
  measured: string;
  verdict: Verdict;
  /** Seeds the measurement pools (the most any of its points has). */
  seeds: number;
  /** The fewest seeds of any of its points, where the points have different counts (a partly seeded sweep). */
  fewestSeeds?: number;
}

export type Fig4Network = 'layered-one-rate' | 'layered-per-layer' | 'skipping-one-rate';

export interface Fig4Run {
  network: Fig4Network;
  seed: number;
  /** Mean eq. 2 rate of each adjacent pair over the last 50 batches, deepest pair first. */
  meanRates: number[];
}

export interface Fig5Run {
  /** Rewired connections; 0 with `layered` true is the layered baseline. */
  n: number;
  p: number;
  layered: boolean;
  seed: number;
  trainError: number;
}

const percent = (x: number, digits = 1) => `${(100 * x).toFixed(digits)} %`;
const times = (x: number) => `${x >= 10 ? x.toFixed(0) : x.toFixed(1)}×`;

function meanSd(values: readonly number[], format: (x: number) => string): string {
  const s = seedStatistic(values);
  if (s.mean === null) return '–';
  return s.sd === null ? format(s.mean) : `${format(s.mean)} ± ${format(s.sd)}`;
}

/** Geometric mean: rate ratios multiply, so they average on a log scale. */
function geometricMean(xs: readonly number[]): number {
  return Math.exp(xs.reduce((s, x) => s + Math.log(x), 0) / xs.length);
}

function notTested(figure: ClaimRow['figure'], claim: string, paper: string, why: string): ClaimRow {
  return { figure, claim, paper, measured: why, verdict: 'not tested', seeds: 0 };
}

/** Each deeper pair's slowdown: rate of pair l+1 over pair l, for every adjacent pair. */
function slowdowns(rates: readonly number[]): number[] {
  return rates.slice(0, -1).map((r, l) => rates[l + 1] / r);
}

/** Largest over smallest rate of the pairs below the output pair. */
function deepSpread(rates: readonly number[]): number {
  const deep = rates.slice(0, -1);
  return Math.max(...deep) / Math.min(...deep);
}

const usable = (r: Fig4Run) => r.meanRates.length >= 3 && r.meanRates.every((x) => Number.isFinite(x) && x > 0);

export function fig4Claims(runs: readonly Fig4Run[]): ClaimRow[] {
  const of = (network: Fig4Network) => runs.filter((r) => r.network === network && usable(r));
  const layered = of('layered-one-rate');
  const perLayer = of('layered-per-layer');
  const skipping = of('skipping-one-rate');
  const rows: ClaimRow[] = [];

  const slowdownClaim = 'layered, one rate: each pair deeper trains ≈ 4× slower';
  if (layered.length === 0) rows.push(notTested('Fig. 4', slowdownClaim, '≈ 4× a pair', 'no finished run'));
  else {
    const perSeed = layered.map((r) => slowdowns(r.meanRates));
    const factors = perSeed.map(geometricMean);
    const pairs = perSeed[0]
      .map((_, l) =>
        meanSd(
          perSeed.map((f) => f[l]),
          times,
        ),
      )
      .join(', ');
    const everyFalls = perSeed.every((f) => f.every((x) => x > 1));
    const nearFour = factors.every((g) => g >= 2 && g <= 8);
    rows.push({
      figure: 'Fig. 4',
      claim: slowdownClaim,
      paper: '≈ 4× a pair',
      measured: `${meanSd(factors, times)} a pair (geometric mean); by pair, deepest first: ${pairs}`,
      verdict: everyFalls ? (nearFour ? 'holds' : 'holds in part') : 'does not hold',
      seeds: layered.length,
    });
  }

  const deepestClaim = 'layered, one rate: the deepest pair at ≈ 1 % of the output pair';
  if (layered.length === 0) rows.push(notTested('Fig. 4', deepestClaim, '≈ 1 %', 'no finished run'));
  else {
    const ratios = layered.map((r) => r.meanRates[0] / r.meanRates[r.meanRates.length - 1]);
    const orderOfMagnitude = ratios.every((x) => x >= 0.001 && x <= 0.1);
    rows.push({
      figure: 'Fig. 4',
      claim: deepestClaim,
      paper: '≈ 1 %',
      measured: meanSd(ratios, (x) => percent(x, 2)),
      verdict: orderOfMagnitude ? 'holds' : ratios.every((x) => x < 1) ? 'holds in part' : 'does not hold',
      seeds: layered.length,
    });
  }

  const uniformClaim = 'per-layer rates: the pairs train uniformly';
  if (perLayer.length === 0) rows.push(notTested('Fig. 4', uniformClaim, 'uniform', 'no finished run'));
  else {
    const spreads = perLayer.map((r) => deepSpread(r.meanRates));
    const outputAhead = perLayer.map(
      (r) => r.meanRates[r.meanRates.length - 1] / Math.max(...r.meanRates.slice(0, -1)),
    );
    rows.push({
      figure: 'Fig. 4',
      claim: uniformClaim,
      paper: 'uniform',
      measured:
        `deep pairs within ${meanSd(spreads, times)} of each other; ` +
        `output pair ${meanSd(outputAhead, times)} the fastest deep pair`,
      verdict: spreads.every((s) => s < 2)
        ? outputAhead.every((o) => o < 2)
          ? 'holds'
          : 'holds in part'
        : 'does not hold',
      seeds: perLayer.length,
    });
  }

  const skipUniformClaim = 'layer-skipping: the three deepest pairs train uniformly';
  if (skipping.length === 0) rows.push(notTested('Fig. 4', skipUniformClaim, 'uniform', 'no finished run'));
  else {
    const spreads = skipping.map((r) => deepSpread(r.meanRates));
    const layeredSpreads = layered.map((r) => deepSpread(r.meanRates));
    const against = layered.length > 0 ? ` (layered one rate: ${meanSd(layeredSpreads, times)})` : '';
    const narrower = layered.length > 0 && Math.max(...spreads) < Math.min(...layeredSpreads);
    rows.push({
      figure: 'Fig. 4',
      claim: skipUniformClaim,
      paper: 'uniform deep pairs',
      measured: `deep pairs within ${meanSd(spreads, times)} of each other${against}`,
      verdict: spreads.every((s) => s < 2) ? 'holds' : narrower ? 'holds in part' : 'does not hold',
      seeds: skipping.length,
    });
  }

  const outputClaim = 'layer-skipping: the output pair still trains faster';
  if (skipping.length === 0) rows.push(notTested('Fig. 4', outputClaim, 'faster', 'no finished run'));
  else {
    const ahead = skipping.map((r) => r.meanRates[r.meanRates.length - 1] / Math.max(...r.meanRates.slice(0, -1)));
    rows.push({
      figure: 'Fig. 4',
      claim: outputClaim,
      paper: 'faster than the deep pairs',
      measured: `output pair ${meanSd(ahead, times)} the fastest deep pair`,
      verdict: ahead.every((x) => x > 1) ? 'holds' : 'does not hold',
      seeds: skipping.length,
    });
  }
  return rows;
}

interface PPoint {
  p: number;
  n: number;
  errors: number[];
  mean: number;
  sd: number;
}

function pointsByP(runs: readonly Fig5Run[]): PPoint[] {
  const byN = new Map<number, Fig5Run[]>();
  for (const r of runs) byN.set(r.n, [...(byN.get(r.n) ?? []), r]);
  return [...byN.values()]
    .map((list) => {
      const errors = list.map((r) => r.trainError);
      const s = seedStatistic(errors);
      return { p: list[0].p, n: list[0].n, errors, mean: s.mean!, sd: s.sd ?? 0 };
    })
    .sort((a, b) => a.p - b.p);
}

const pLabel = (p: number) => (p === 0 ? 'p = 0' : `p = ${(100 * p).toPrecision(3)} %`);
const seedCount = (n: number) => ` (${n} seed${n === 1 ? '' : 's'})`;
const errorAt = (q: PPoint, uneven = false) =>
  `${percent(q.mean)}${q.errors.length > 1 ? ` ± ${percent(q.sd)}` : ''}${uneven ? seedCount(q.errors.length) : ''}`;

/** A row's seed counts: the most and, where its points differ (a partly seeded sweep), the fewest. */
function seedCounts(counts: readonly number[]): Pick<ClaimRow, 'seeds' | 'fewestSeeds'> {
  const most = Math.max(...counts);
  const fewest = Math.min(...counts);
  return fewest === most ? { seeds: most } : { seeds: most, fewestSeeds: fewest };
}

/** Each point as `p = …: error`, with its seed count where the row's points have different counts. */
function pointList(points: readonly PPoint[], uneven: boolean): string {
  return points.map((q) => `${pLabel(q.p)}: ${errorAt(q, uneven)}`).join('; ');
}

/** Two means are told apart when they differ by more than the larger of their seed sds (and by something). */
function apart(a: PPoint, b: { mean: number; sd: number }): boolean {
  return Math.abs(a.mean - b.mean) > Math.max(a.sd, b.sd, 1e-9);
}

export function fig5Claims(runs: readonly Fig5Run[]): ClaimRow[] {
  const swept = pointsByP(runs.filter((r) => !r.layered));
  const baselineErrors = runs.filter((r) => r.layered).map((r) => r.trainError);
  const rows: ClaimRow[] = [];

  const flatClaim = 'little change in the error for p < 0.1 %';
  const zero = swept.find((q) => q.p === 0);
  const below = swept.filter((q) => q.p > 0 && q.p < 0.001);
  if (!zero || below.length === 0) {
    const nearest = swept.find((q) => q.p > 0);
    const shown = zero && nearest ? `; ${pLabel(0)}: ${errorAt(zero)}, ${pLabel(nearest.p)}: ${errorAt(nearest)}` : '';
    rows.push(notTested('Fig. 5', flatClaim, 'flat below 0.1 %', `no p between 0 and 0.1 % was run${shown}`));
  } else {
    const changed = below.filter((q) => apart(q, zero));
    const counts = seedCounts([zero, ...below].map((q) => q.errors.length));
    rows.push({
      figure: 'Fig. 5',
      claim: flatClaim,
      paper: 'flat below 0.1 %',
      measured: pointList([zero, ...below], counts.fewestSeeds !== undefined),
      verdict: changed.length === 0 ? 'holds' : 'does not hold',
      ...counts,
    });
  }

  const fallClaim = 'then the error falls as p grows';
  const rising = swept.filter((q) => q.p >= 0.001);
  if (rising.length < 2) rows.push(notTested('Fig. 5', fallClaim, 'falls', 'fewer than two p ≥ 0.1 % were run'));
  else {
    const steps = rising.slice(1).map((q, k) => q.mean - rising[k].mean);
    const first = rising[0];
    const last = rising[rising.length - 1];
    const monotone = steps.every((d) => d < 0);
    const counts = seedCounts(rising.map((q) => q.errors.length));
    rows.push({
      figure: 'Fig. 5',
      claim: fallClaim,
      paper: 'falls, somewhat slower than exponentially',
      measured: pointList(rising, counts.fewestSeeds !== undefined),
      verdict: !apart(last, first)
        ? 'cannot be told apart'
        : monotone
          ? 'holds'
          : last.mean < first.mean
            ? 'holds in part'
            : 'does not hold',
      ...counts,
    });
  }

  const crossClaim = 'the layer-skipping net is worse than layered one-rate until p ≈ 7 %';
  const base = seedStatistic(baselineErrors);
  const positive = swept.filter((q) => q.p > 0);
  if (base.mean === null || positive.length === 0) {
    rows.push(notTested('Fig. 5', crossClaim, 'crossover ≈ 7 %', 'no finished baseline or no p > 0'));
  } else {
    const baseline = { mean: base.mean, sd: base.sd ?? 0 };
    const worse = positive.filter((q) => q.mean > baseline.mean);
    const better = positive.filter((q) => q.mean <= baseline.mean);
    const lastWorse = worse.at(-1)?.p ?? 0;
    const firstBetter = better[0]?.p ?? Number.POSITIVE_INFINITY;
    const crossing =
      better.length === 0
        ? `worse at every p up to ${pLabel(positive.at(-1)!.p)}`
        : worse.length === 0
          ? `better at every p from ${pLabel(positive[0].p)}`
          : `crossover between ${pLabel(lastWorse)} and ${pLabel(firstBetter)}`;
    // The crossing must be clean (worse below it, better above) and bracket a p within a factor 2 of 7 %.
    const clean = worse.every((q) => q.p < firstBetter) && better.every((q) => q.p > lastWorse);
    const near = lastWorse < 0.14 && firstBetter > 0.035;
    const told = [...worse.slice(-1), ...better.slice(0, 1)].every((q) => apart(q, baseline));
    const counts = seedCounts([baselineErrors.length, ...positive.map((q) => q.errors.length)]);
    const uneven = counts.fewestSeeds !== undefined;
    const baselineSeeds = uneven ? seedCount(baselineErrors.length) : '';
    const measured =
      `layered one rate ${percent(baseline.mean)}${baselineErrors.length > 1 ? ` ± ${percent(baseline.sd)}` : ''}` +
      `${baselineSeeds}; ${crossing}; ${pointList(positive, uneven)}`;
    rows.push({
      figure: 'Fig. 5',
      claim: crossClaim,
      paper: 'crossover ≈ 7 %',
      measured,
      verdict: !told ? 'cannot be told apart' : clean && near ? 'holds' : 'does not hold',
      ...counts,
    });
  }
  return rows;
}

/** The claims as a Markdown table, one scale per call. */
export function claimsMarkdown(rows: readonly ClaimRow[], heading: string): string {
  const cell = (s: string) => s.replaceAll('|', '\\|');
  return [
    `### ${heading}`,
    '',
    '| figure | claim | paper | measured (mean ± sd over seeds) | seeds | verdict |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.figure} | ${cell(r.claim)} | ${cell(r.paper)} | ${cell(r.measured)} ` +
        `| ${r.fewestSeeds === undefined ? r.seeds : `${r.fewestSeeds}–${r.seeds}`} ` +
        `| **${r.verdict}** |`,
    ),
    '',
  ].join('\n');
}
