import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateSpec, pToN, nToP, InputError, PAPER, freePairCount, type TopologySpec } from '../../graph/index.js';

test("the paper's numbers: N_o = 1,271,250 and n = 100,000 ↔ p ≈ 7.56 %", () => {
  assert.equal(Number(nToP(PAPER.n, PAPER.connectionsWithIntralayer).toFixed(4)), PAPER.p);
  // The direct power loses ~1e-11 to the rounding of its base; log1p/expm1 agree within that.
  assert.ok(Math.abs(nToP(100_000, 1_271_250) - (1 - (1_271_249 / 1_271_250) ** 100_000)) < 1e-9);
  const spec = validateSpec({ sizes: [...PAPER.sizes], mode: 'replace', n: PAPER.n, seed: 0 });
  assert.ok(Math.abs(spec.p - 0.0756) < 5e-5);
});

test('p ↔ n round trip', () => {
  for (const No of [10, 78, 1000, 1_271_250]) {
    for (const n of [0, 1, 2, 5, 9, 100, 777].filter((n) => n <= 10 * No)) {
      assert.equal(pToN(nToP(n, No), No), n, `N_o=${No} n=${n}`);
    }
  }
  for (const p of [0, 0.001, 0.0756, 0.5, 0.9]) {
    const n = pToN(p, 1_271_250);
    assert.ok(Math.abs(nToP(n, 1_271_250) - p) < 1e-6, `p=${p}`);
  }
});

test('resolution: layered has n = p = 0; replace fills p from n and n from p; per-connection n = p·N_o', () => {
  assert.deepEqual(validateSpec({ sizes: [3, 2], mode: 'layered', seed: 1 }), {
    sizes: [3, 2],
    mode: 'layered',
    n: 0,
    p: 0,
    seed: 1,
  });
  const r = validateSpec({ sizes: [6, 5, 4, 3], mode: 'replace', n: 10, seed: 0 });
  assert.ok(Math.abs(r.p - (1 - (77 / 78) ** 10)) < 1e-14);
  assert.equal(validateSpec({ sizes: [6, 5, 4, 3], mode: 'add', p: r.p, seed: 0 }).n, 10);
  const pc = validateSpec({ sizes: [6, 5, 4, 3], mode: 'per-connection', p: 0.25, seed: 0 });
  assert.equal(pc.n, 0.25 * 78);
});

function rejects(spec: Partial<TopologySpec>, field: string) {
  assert.throws(
    () => validateSpec(spec as TopologySpec),
    (e: unknown) => {
      assert.ok(e instanceof InputError, String(e));
      assert.equal(e.field, field);
      assert.match(e.message, /^eqprop\/topology: .*; expected /);
      return true;
    },
  );
}

test('bad specs name the field path and the accepted range', () => {
  rejects({ sizes: [5], mode: 'layered', seed: 0 }, 'sizes');
  rejects({ sizes: [5, 0, 2], mode: 'layered', seed: 0 }, 'sizes[1]');
  rejects({ sizes: [5, 2.5], mode: 'layered', seed: 0 }, 'sizes[1]');
  rejects({ sizes: [5, 3], mode: 'wild' as never, seed: 0 }, 'mode');
  rejects({ sizes: [5, 3, 2], mode: 'replace', p: 1.5, seed: 0 }, 'p');
  rejects({ sizes: [5, 3, 2], mode: 'replace', p: -0.1, seed: 0 }, 'p');
  rejects({ sizes: [5, 3, 2], mode: 'replace', seed: 0 }, 'n');
  rejects({ sizes: [5, 3, 2], mode: 'add', n: freePairCount([5, 3, 2]) + 1, seed: 0 }, 'n');
  rejects({ sizes: [5, 3, 2], mode: 'replace', p: 1, seed: 0 }, 'p');
  rejects({ sizes: [5, 3, 2], mode: 'replace', n: -1, seed: 0 }, 'n');
  rejects({ sizes: [5, 3, 2], mode: 'replace', n: 1, p: 0.1, seed: 0 }, 'n');
  rejects({ sizes: [5, 3, 2], mode: 'layered', n: 3, seed: 0 }, 'n');
  rejects({ sizes: [5, 3, 2], mode: 'replace', n: 1, seed: -1 }, 'seed');
  assert.doesNotThrow(() => validateSpec({ sizes: [5, 3, 2], mode: 'add', n: freePairCount([5, 3, 2]), seed: 0 }));
});

test('a resolved spec validates as itself (buildTopology accepts a ResolvedSpec); inconsistent n and p fail', () => {
  for (const spec of [
    { sizes: [6, 5, 4, 3], mode: 'replace' as const, p: 0.1, seed: 2 },
    { sizes: [6, 5, 4, 3], mode: 'add' as const, n: 7, seed: 2 },
    { sizes: [6, 5, 4, 3], mode: 'per-connection' as const, p: 0.3, seed: 2 },
    { sizes: [6, 5, 4, 3], mode: 'layered' as const, seed: 2 },
  ]) {
    const resolved = validateSpec(spec);
    assert.deepEqual(validateSpec(resolved), resolved);
  }
  rejects({ sizes: [6, 5, 4, 3], mode: 'replace', n: 7, p: 0.5, seed: 0 }, 'n');
});
