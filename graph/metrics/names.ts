/**
 * Every metric name computeMetrics (graph/metrics/index.ts) can write, as patterns: what a metric
 * filter or a ranking may ask for. An unknown name is refused with this list, everywhere (CLI
 * flags, API query strings, the web's query form), instead of silently matching nothing.
 */
const FIXED = [
  'N',
  'edges',
  'edges.adjacent',
  'edges.intralayer',
  'edges.skip',
  'L',
  'connected',
  'diameter',
  'C',
  'transitivity',
  'degree.mean',
  'walkLength',
  'sigma',
  'omega',
  'Lrand',
  'Crand',
  'Clattice',
  'smallWorld.samples',
  'smallWorld.randomNiter',
  'smallWorld.latticeNiter',
];
const PATTERNS: { pattern: RegExp; shown: string }[] = [
  { pattern: /^pair\.l\d+\.l\d+$/, shown: 'pair.l<a>.l<b>' },
  { pattern: /^degree\.(mean|min|max|std)\.l\d+$/, shown: 'degree.mean|min|max|std.l<k>' },
  { pattern: /^distToOutput\.(mean|max)\.l\d+$/, shown: 'distToOutput.mean|max.l<k>' },
  { pattern: /^distToOutput\.frac\.l\d+\.d\d+$/, shown: 'distToOutput.frac.l<k>.d<d>' },
  { pattern: /^log10ShortestPaths\.l\d+$/, shown: 'log10ShortestPaths.l<k>' },
  { pattern: /^log10Walks\.l\d+$/, shown: 'log10Walks.l<k>' },
];

export function isMetricName(name: string): boolean {
  return FIXED.includes(name) || PATTERNS.some((p) => p.pattern.test(name));
}

/** The valid names in words, for error messages. */
export function metricNamesText(): string {
  return [...FIXED, ...PATTERNS.map((p) => p.shown)].join(', ');
}
