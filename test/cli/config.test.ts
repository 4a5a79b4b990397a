/** Configuration precedence through the CLI: flags > environment > config file > defaults. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliEnv, runCli, tempDir } from '../experiments/helpers.js';

test('the store location comes from --db, else EQPROP_DB, else the config file', async () => {
  const dir = tempDir();
  try {
    const file = join(dir, 'eqprop.config.json');
    writeFileSync(file, JSON.stringify({ sqlitePath: join(dir, 'from-file.db') }));
    const env = cliEnv(dir, { EQPROP_CONFIG: file });
    delete env.EQPROP_DB;

    assert.equal((await runCli(['runs', 'list', '--json'], env)).code, 0);
    assert.ok(existsSync(join(dir, 'from-file.db')), 'config file used');

    assert.equal((await runCli(['runs', 'list', '--json'], { ...env, EQPROP_DB: join(dir, 'from-env.db') })).code, 0);
    assert.ok(existsSync(join(dir, 'from-env.db')), 'environment beats the file');

    assert.equal(
      (
        await runCli(['runs', 'list', '--json', '--db', join(dir, 'from-flag.db')], {
          ...env,
          EQPROP_DB: join(dir, 'from-env2.db'),
        })
      ).code,
      0,
    );
    assert.ok(existsSync(join(dir, 'from-flag.db')), 'flag beats the environment');
    assert.ok(!existsSync(join(dir, 'from-env2.db')));

    writeFileSync(file, JSON.stringify({ sqlitePth: 'typo.db' }));
    const bad = await runCli(['runs', 'list'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /sqlitePth.*unknown key.*expected one of/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
