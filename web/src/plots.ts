/**
 * Embeds Vega-Lite specs with vega-embed. The specs themselves come from src/reports/specs.ts —
 * the same functions the CLI's `eqprop report` renders — so the browser and the reports agree.
 */
import embed, { type Result } from 'vega-embed';
import type { VegaLiteSpec } from '../../src/reports/specs.js';

const views = new WeakMap<HTMLElement, Result>();

/**
 * Replace the plot in `container`; `points` is recorded as data-points (tests read it). `onPoint`
 * gets the data row of a clicked mark (a scatter point opens its run).
 */
export async function showPlot(
  container: HTMLElement,
  spec: VegaLiteSpec,
  points: number,
  onPoint?: (datum: Record<string, unknown>) => void,
): Promise<void> {
  views.get(container)?.finalize();
  const result = await embed(container, spec as never, {
    actions: { export: true, source: false, compiled: false, editor: false },
    renderer: 'svg',
  });
  views.set(container, result);
  if (onPoint) {
    result.view.addEventListener('click', (_event, item) => {
      const datum = (item as { datum?: Record<string, unknown> } | null | undefined)?.datum;
      if (datum) onPoint(datum);
    });
  }
  container.dataset.points = String(points);
}

export function clearPlot(container: HTMLElement, message: string): void {
  views.get(container)?.finalize();
  views.delete(container);
  container.replaceChildren(message);
  container.dataset.points = '0';
}
