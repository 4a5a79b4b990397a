/**
 * Every `eqprop` command starts by loading the CLI's modules; the trainer (phases, dynamics, every
 * backend) is loaded only when a command trains (engine/index.ts `loadTrainer`). A re-export of the
 * class on a surface, or a static import of it on the way from the CLI, would load it on every start
 * (27 modules); the modules actually loaded are recorded by a resolve hook.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoPath, tempDir } from '../experiments/helpers.js';

/** The repository modules that importing `module` (a path under dist/) loads. */
function loadedModules(dir: string, module: string): string[] {
  const log = join(dir, `loaded-${module.replaceAll('/', '-')}.txt`);
  const hooks = join(dir, 'hooks.mjs');
  writeFileSync(
    hooks,
    "import { appendFileSync } from 'node:fs';\n" +
      'export async function resolve(specifier, context, next) {\n' +
      '  const result = await next(specifier, context);\n' +
      "  appendFileSync(process.env.LOADED_LOG, result.url + '\\n');\n" +
      '  return result;\n' +
      '}\n',
  );
  const register = join(dir, 'register.mjs');
  writeFileSync(
    register,
    `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  writeFileSync(log, '');
  const target = pathToFileURL(repoPath(join('dist', module))).href;
  execFileSync(process.execPath, ['--import', pathToFileURL(register).href, '-e', `await import('${target}')`], {
    env: { ...process.env, LOADED_LOG: log },
    stdio: 'pipe',
  });
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((url) => url.includes('/dist/'));
}

test('the CLI starts without loading the trainer; training code still finds it', () => {
  const dir = tempDir();
  try {
    const cli = loadedModules(dir, 'cli/program.js');
    assert.ok(
      cli.some((url) => url.endsWith('/dist/engine/index.js')),
      'the engine surface is loaded',
    );
    assert.deepEqual(
      cli.filter((url) => /\/dist\/engine\/(trainer|phases|phase-runtime)\.js$/.test(url)),
      [],
      'trainer modules on the CLI start-up path',
    );
    // The hook sees the trainer where it is imported, so the check above can fail.
    const trainer = loadedModules(dir, 'engine/trainer.js');
    assert.ok(trainer.some((url) => url.endsWith('/dist/engine/trainer.js')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
