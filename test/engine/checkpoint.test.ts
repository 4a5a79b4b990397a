/**
 * Checkpoint integrity (engine/checkpoint.ts, format 2): every section and the header carry a
 * CRC-32, so a flipped byte anywhere that matters is an InputError naming the file and the part,
 * never a silent resume on damaged weights; version 1 files (no checksums) are still read.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrainConfig } from '../../engine/index.js';
import { Trainer } from '../../engine/trainer.js';
import { readCheckpointFile } from '../../engine/checkpoint.js';
import { InputError } from '../../lib/errors.js';
import { syntheticData, tinyTopology, useBackend } from './helpers.js';

const compiled = tinyTopology({ sizes: [12, 8, 8, 4], mode: 'replace', n: 20 });
const data = { train: syntheticData(48, 12, 4, 1), eval: syntheticData(16, 12, 4, 2) };
const config: TrainConfig = {
  epsilon: 0.5,
  beta: 1,
  freeSteps: 10,
  clampedSteps: 3,
  batchSize: 4,
  learningRates: [0.1, 0.05, 0.02],
  randomBetaSign: true,
  seed: 42,
  rateEvery: 1,
  checkpointEvery: 0,
};

interface Layout {
  headerStart: number;
  headerLength: number;
  dataStart: number;
  header: {
    version: number;
    sections: { name: string; type: string; offset: number; length: number; crc32?: number }[];
  } & Record<string, unknown>;
}

/** Parses the file layout independently of engine/checkpoint.ts (magic, lengths, JSON header). */
function layoutOf(bytes: Buffer): Layout {
  assert.equal(bytes.toString('ascii', 0, 8), 'EQPCKPT2');
  const headerLength = bytes.readUInt32LE(8);
  const header = JSON.parse(bytes.toString('utf8', 16, 16 + headerLength));
  return { headerStart: 16, headerLength, dataStart: Math.ceil((16 + headerLength) / 8) * 8, header };
}

const SIZE: Record<string, number> = { f32: 4, i32: 4, u8: 1, i8: 1 };

describe('checkpoint checksums', () => {
  let dir: string;
  let path: string;
  let bytes: Buffer;
  before(async () => {
    await useBackend('wasm');
    dir = mkdtempSync(join(tmpdir(), 'eqprop-ckpt-'));
    path = join(dir, 'good.ckpt');
    const t = await Trainer.create(compiled, config, data);
    await t.trainEpoch({ shouldStop: () => true }); // one batch: weights and particles away from their start
    t.saveCheckpoint(path);
    t.dispose();
    bytes = readFileSync(path);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the writer leaves only the checkpoint (no temporary file) and every section has a CRC', () => {
    assert.deepEqual(readdirSync(dir), ['good.ckpt']);
    const { header } = layoutOf(bytes);
    assert.equal(header.version, 2);
    assert.ok(header.sections.length > 8 && header.sections.every((s) => Number.isInteger(s.crc32)));
  });

  // Catches a reader that skips the check for any one section (each is flipped on its own).
  it('one flipped byte in any section is an InputError naming the file and the section', async () => {
    const { header, dataStart } = layoutOf(bytes);
    let flipped = 0;
    for (const section of header.sections) {
      const length = section.length * SIZE[section.type];
      if (length === 0) continue;
      const damaged = Buffer.from(bytes);
      damaged[dataStart + section.offset + Math.floor(length / 2)] ^= 0x10;
      const name = `flip-${section.name}.ckpt`;
      writeFileSync(join(dir, name), damaged);
      assert.throws(
        () => readCheckpointFile(join(dir, name)),
        (e: unknown) =>
          e instanceof InputError &&
          e.message.includes(name) &&
          e.message.includes(`section ${section.name} fails its CRC-32`),
      );
      flipped++;
    }
    assert.ok(flipped >= 8);
  });

  // Catches an unchecked header: a digit changed in the counters or the config would resume a
  // different run without any error. The probe: 64 flipped bytes trained on garbage.
  it('a flipped header byte or 64 random flipped bytes: Trainer.resume throws an InputError naming it', async () => {
    const { headerStart, headerLength } = layoutOf(bytes);
    const header = Buffer.from(bytes);
    const at = bytes.indexOf('"batchSize":4', headerStart) + '"batchSize":'.length;
    assert.ok(at > headerStart && at < headerStart + headerLength);
    header[at] = '5'.charCodeAt(0); // still valid JSON, a different run
    writeFileSync(join(dir, 'header.ckpt'), header);
    await assert.rejects(
      Trainer.resume(join(dir, 'header.ckpt'), data),
      (e: unknown) => e instanceof InputError && /header\.ckpt.*header fails its CRC-32/.test(e.message),
    );

    const random = Buffer.from(bytes);
    let seed = 12345;
    for (let k = 0; k < 64; k++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      random[16 + (seed % (random.length - 16))] ^= 0xff;
    }
    writeFileSync(join(dir, 'random.ckpt'), random);
    await assert.rejects(
      Trainer.resume(join(dir, 'random.ckpt'), data),
      (e: unknown) => e instanceof InputError && e.message.includes('random.ckpt'),
    );
    // The undamaged file still resumes.
    (await Trainer.resume(path, data)).dispose();
  });

  // Catches dropping version 1 support by accident (older runs' checkpoints would stop resuming).
  it('a version 1 checkpoint (no checksums) is still read, with the same sections', () => {
    const { header, dataStart } = layoutOf(bytes);
    const v1Header = Buffer.from(
      JSON.stringify({ ...header, version: 1, sections: header.sections.map(({ crc32: _c, ...s }) => s) }),
      'utf8',
    );
    const prefix = Buffer.alloc(Math.ceil((12 + v1Header.length) / 8) * 8);
    prefix.write('EQPCKPT1', 0, 'ascii');
    prefix.writeUInt32LE(v1Header.length, 8);
    v1Header.copy(prefix, 12);
    writeFileSync(join(dir, 'v1.ckpt'), Buffer.concat([prefix, bytes.subarray(dataStart)]));
    const v1 = readCheckpointFile(join(dir, 'v1.ckpt')),
      v2 = readCheckpointFile(path);
    assert.deepEqual(v1.meta, v2.meta);
    assert.deepEqual([...v1.sections.keys()], [...v2.sections.keys()]);
    for (const [name, array] of v2.sections) assert.deepEqual(v1.sections.get(name), array, name);
  });
});
