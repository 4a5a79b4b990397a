#!/usr/bin/env node
// Fails, listing file:line, for every line longer than 120 characters in the git-tracked
// .ts/.tsx/.mjs/.js files outside docs/. Biome's formatter keeps code within 120 columns but
// leaves comments and string literals as written, so this check covers what it cannot.
// Usage: node scripts/check-line-length.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const MAX = 120;
const root = new URL('..', import.meta.url).pathname;
const tracked = execFileSync('git', ['ls-files', '-z', '--', '*.ts', '*.tsx', '*.mjs', '*.js'], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\0')
  .filter((path) => path !== '' && !path.startsWith('docs/'));

const long = [];
for (const path of tracked) {
  const lines = readFileSync(new URL(path, `file://${root}`), 'utf8').split('\n');
  for (const [i, line] of lines.entries()) {
    // Code points, not UTF-16 units: a line of "≤" or "→" is as wide as one of ASCII.
    const width = [...line.replace(/\r$/, '')].length;
    if (width > MAX) long.push(`${path}:${i + 1}: ${width} characters`);
  }
}
if (long.length > 0) {
  console.error(long.join('\n'));
  console.error(`check-line-length: ${long.length} line(s) longer than ${MAX} characters`);
  process.exit(1);
}
console.log(`check-line-length: ${tracked.length} files, every line at most ${MAX} characters`);
