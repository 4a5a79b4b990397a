/**
 * engine/row-split.ts: how a batch's rows are shared between threads. Expected bounds are written
 * out by hand from the rule (whole groups of 4 on wasm, the main thread's share the smallest).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { splitRows } from '../../engine/row-split.js';
import { rowAlignment } from '../../engine/backend.js';

describe('splitRows', () => {
  it('splits evenly without alignment', () => {
    assert.deepEqual(splitRows(20, 2), [0, 10, 20]);
    assert.deepEqual(splitRows(5, 2), [0, 3, 5]);
    assert.deepEqual(splitRows(7, 3), [0, 2, 5, 7]);
  });

  it('gives every thread whole groups of 4 rows on wasm, the main thread the fewest', () => {
    assert.deepEqual(splitRows(20, 2, 4), [0, 8, 20]);
    assert.deepEqual(splitRows(24, 2, 4), [0, 12, 24]);
    assert.deepEqual(splitRows(20, 3, 4), [0, 4, 12, 20]);
    assert.deepEqual(splitRows(12, 2, 4), [0, 4, 12]);
  });

  it('falls back to an even split when the rows are not whole groups or too few', () => {
    assert.deepEqual(splitRows(10, 2, 4), [0, 5, 10]);
    assert.deepEqual(splitRows(4, 2, 4), [0, 2, 4]);
  });

  it('covers every row exactly once', () => {
    for (const align of [1, 4]) {
      for (let rows = 1; rows <= 64; rows++) {
        for (let parts = 1; parts <= Math.min(rows, 4); parts++) {
          const b = splitRows(rows, parts, align);
          assert.equal(b.length, parts + 1);
          assert.equal(b[0], 0);
          assert.equal(b[parts], rows, `rows ${rows}, parts ${parts}, align ${align}`);
          for (let k = 0; k < parts; k++)
            assert.ok(b[k + 1] > b[k], `empty share: rows ${rows}, parts ${parts}, align ${align}: ${b}`);
        }
      }
    }
  });

  it('aligns only on wasm', () => {
    assert.equal(rowAlignment('wasm'), 4);
    assert.equal(rowAlignment('cpu'), 1);
    assert.equal(rowAlignment('tensorflow'), 1);
  });
});
