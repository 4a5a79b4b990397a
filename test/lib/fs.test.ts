/**
 * The file helpers every layer shares (graph/fs): CRC-32 against published vectors, atomic writes,
 * the clean-up of temporary files left by dead processes, and directories that cannot exist.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildTopology,
  crc32,
  ensureDirectory,
  exportTopology,
  InputError,
  removeStaleTempFilesOf,
  writeFileAtomic,
} from '../../graph/index.js';

const ascii = (s: string) => new TextEncoder().encode(s);

// Catches a wrong polynomial, a missing final inversion or a non-reflected table.
test('crc32: the published check values, and a CRC continued over a split input', () => {
  assert.equal(crc32(ascii('')), 0);
  assert.equal(crc32(ascii('123456789')), 0xcbf43926);
  assert.equal(crc32(ascii('The quick brown fox jumps over the lazy dog')), 0x414fa339);
  assert.equal(crc32(ascii('a')), 0xe8b7be43);
  assert.equal(crc32(ascii('56789'), crc32(ascii('1234'))), 0xcbf43926);
  const bytes = new Uint8Array(1000).map((_, i) => (i * 7919) & 0xff);
  const flipped = bytes.slice();
  flipped[500] ^= 0x01;
  assert.notEqual(crc32(flipped), crc32(bytes), 'one flipped bit changes the CRC');
});

// Catches a slicing-by-8 mistake (a table built wrong, the tail of < 8 bytes, misaligned starts):
// every length 0…64 and a megabyte against the textbook bit-by-bit definition.
test('crc32: equals the bit-by-bit definition for every length and offset', () => {
  const bitwise = (bytes: Uint8Array) => {
    let c = 0xffffffff;
    for (const byte of bytes) {
      c ^= byte;
      for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
    }
    return (c ^ 0xffffffff) >>> 0;
  };
  const data = new Uint8Array(1 << 20).map((_, i) => (i * 2654435761) >>> 24);
  for (let length = 0; length <= 64; length++) {
    for (const offset of [0, 1, 3]) {
      const part = data.subarray(offset, offset + length);
      assert.equal(crc32(part), bitwise(part), `length ${length} at offset ${offset}`);
    }
  }
  assert.equal(crc32(data), bitwise(data));
});

/** The pid of a process that has exited (its temp files are stale). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

// Catches a write straight into the target (a failed producer would leave half a file) and
// temporary files left behind after success or failure.
test('writeFileAtomic: the new content or the old, never half; no temporary file stays', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eqprop-fs-'));
  try {
    const path = join(dir, 'out.txt');
    writeFileAtomic(path, (write) => {
      write('hello ');
      write(ascii('world'));
    });
    assert.equal(readFileSync(path, 'utf8'), 'hello world');
    assert.throws(
      () =>
        writeFileAtomic(path, (write) => {
          write('half of a new');
          throw new Error('producer died');
        }),
      /producer died/,
    );
    assert.equal(readFileSync(path, 'utf8'), 'hello world', 'a failed write keeps the old file');
    assert.deepEqual(readdirSync(dir), ['out.txt']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Catches a clean-up that deletes a live writer's temporary file, or misses dead ones
// (including the old `<file>.tmp-<pid>` names), or touches other files.
test('removeStaleTempFilesOf: removes the temporary files of dead processes only', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eqprop-fs-'));
  try {
    const path = join(dir, 'run.ckpt');
    const dead = deadPid();
    const names = {
      deadNew: `run.ckpt.tmp-${dead}-0`,
      deadOld: `run.ckpt.tmp-${dead}`,
      live: `run.ckpt.tmp-${process.ppid}-3`,
      mine: `run.ckpt.tmp-${process.pid}-1`,
      other: `other.ckpt.tmp-${dead}-0`,
      target: 'run.ckpt',
    };
    for (const name of Object.values(names)) writeFileSync(join(dir, name), 'x');
    const removed = removeStaleTempFilesOf(path)
      .map((p) => p.slice(dir.length + 1))
      .sort();
    assert.deepEqual(removed, [names.deadOld, names.deadNew].sort());
    assert.deepEqual(readdirSync(dir).sort(), [names.live, names.mine, names.other, names.target].sort());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Catches mkdirSync(recursive) under /proc (it spins at 100 % CPU and never returns: this test would
// not end) and raw ENOTDIR errors.
test('ensureDirectory: creates nested folders; under /proc or below a file it is an InputError at once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eqprop-fs-'));
  try {
    const nested = join(dir, 'a', 'b', 'c');
    assert.equal(ensureDirectory(nested, '--checkpoint-dir'), nested);
    assert.ok(existsSync(nested));
    assert.equal(ensureDirectory(nested, '--checkpoint-dir'), nested, 'an existing directory is fine');
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'x');
    assert.throws(
      () => ensureDirectory(join(file, 'x', 'y'), '--checkpoint-dir'),
      (e: unknown) =>
        e instanceof InputError && e.field === '--checkpoint-dir' && e.message.includes(`${file} is a file`),
    );
    assert.throws(
      () => ensureDirectory(file, '--out'),
      (e: unknown) => e instanceof InputError && /not a directory/.test(e.message),
    );
    if (process.platform === 'linux') {
      assert.throws(
        () => ensureDirectory('/proc/x', '--checkpoint-dir'),
        (e: unknown) => e instanceof InputError && /kernel file system/.test(e.message),
      );
      assert.throws(
        () => ensureDirectory('/etc/passwd/x', '--checkpoint-dir'),
        (e: unknown) => e instanceof InputError && /\/etc\/passwd is a file/.test(e.message),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Catches an export into /proc: root sees a writable directory there, and the write failed later
// as an "internal error" (ENOENT on the temporary file).
test('exportTopology under /proc is an InputError naming the flag', {
  skip: process.platform !== 'linux' && 'skipped: /proc is Linux-only',
}, () => {
  const topology = buildTopology({ sizes: [3, 2], mode: 'layered', seed: 1 });
  assert.throws(
    () => exportTopology(topology, '/proc/x.json', '--out'),
    (e: unknown) => e instanceof InputError && e.field === '--out' && /kernel file system/.test(e.message),
  );
});
