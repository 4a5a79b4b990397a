/**
 * The surface of src/reports/: reports, their series and figure specifications. Other layers import
 * from here only (test/architecture/layers.test.ts).
 */
export type { ReportOptions } from './report.js';

/**
 * The report writer, loaded when it is needed: it brings the plotting and rendering libraries (Vega,
 * resvg), which every other importer of this surface (the CLI at start-up) should not pay for.
 */
export const loadReportWriter = () => import('./report.js');
export { DEFAULT_SMOOTH } from './series.js';
