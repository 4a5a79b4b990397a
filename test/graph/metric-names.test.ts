/** Every key computeMetrics writes is a name the metric filters accept (graph/metrics/names.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTopology, computeMetrics } from '../../graph/index.js';
import { isMetricName } from '../../graph/metrics/names.js';

test('the metric-name list knows every metric computeMetrics writes', () => {
  for (const spec of [
    { sizes: [6, 5, 4, 3], mode: 'replace' as const, n: 8, seed: 1 },
    { sizes: [6, 4, 4, 4, 3], mode: 'no-intralayer' as const, p: 0.3, seed: 2 },
    { sizes: [5, 4, 3], mode: 'layered' as const, seed: 0 },
  ]) {
    const metrics = computeMetrics(buildTopology(spec), {
      smallWorld: { samples: 1, randomNiter: 1, latticeNiter: 1 },
    });
    const unknown = Object.keys(metrics).filter((name) => !isMetricName(name));
    assert.deepEqual(unknown, [], `${spec.mode}: names the filters would refuse`);
  }
  assert.equal(isMetricName('sigmaa'), false);
});
