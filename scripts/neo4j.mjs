#!/usr/bin/env node
// A real Neo4j 5 (community, embedded DBMS + Bolt) without Docker: builds the tiny Maven launcher
// in tools/neo4j when needed (jar + resolved classpath cached in tools/neo4j/target) and runs it.
//
//   node scripts/neo4j.mjs [--port 7687] [--data ./data/neo4j] [--heap 1g] [--page-cache 256m]
//
// Defaults sized for the shared 2-core machine (docs/stores.md, "Neo4j settings"); transaction-log
// retention and checkpoints are set in the launcher (tools/neo4j).
//   node scripts/neo4j.mjs --build-only
//
// Prints "READY bolt://127.0.0.1:<port>" when clients may connect; Ctrl-C / SIGTERM stop it
// cleanly. Tests import { ensureBuilt, javaArgs } and spawn the JVM themselves.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const toolDir = join(root, 'tools', 'neo4j');
const jar = join(toolDir, 'target', 'neo4j-launcher-1.0.0.jar');
const classpathFile = join(toolDir, 'target', 'classpath.txt');
const pom = join(toolDir, 'pom.xml');
const sources = [pom, join(toolDir, 'src', 'main', 'java', 'lab', 'eqprop', 'Neo4jLauncher.java')];

function upToDate() {
  if (!existsSync(jar) || !existsSync(classpathFile)) return false;
  const mtime = (path) => statSync(path).mtimeMs;
  // Maven leaves an unchanged classpath file untouched, so each output is compared with its own inputs.
  if (sources.some((s) => mtime(s) > mtime(jar)) || mtime(pom) > mtime(classpathFile)) return false;
  // The classpath points into ~/.m2; a cleaned Maven cache means resolving again.
  return readFileSync(classpathFile, 'utf8')
    .trim()
    .split(':')
    .every((p) => existsSync(p));
}

function mvn(args) {
  const result = spawnSync('mvn', ['-q', '-B', '-Dstyle.color=never', ...args], { cwd: toolDir, stdio: 'inherit' });
  if (result.error)
    throw new Error(
      `eqprop/neo4j: cannot run Maven (${result.error.message}); expected \`mvn\` (Maven 3) and Java 17 on PATH`,
    );
  if (result.status !== 0)
    throw new Error(
      `eqprop/neo4j: \`mvn ${args.join(' ')}\` failed in ${toolDir} (exit ${result.status}); expected Maven ` +
        `Central to be reachable`,
    );
}

/** Builds the launcher jar and resolves its classpath unless both are current. */
export function ensureBuilt({ quiet = false } = {}) {
  if (upToDate()) return;
  if (!quiet)
    console.error('neo4j: building the launcher with Maven (the first build downloads Neo4j 5 from Maven Central)…');
  mvn(['package', '-DskipTests']);
  mvn(['dependency:build-classpath', `-Dmdep.outputFile=${classpathFile}`]);
  const now = new Date();
  utimesSync(classpathFile, now, now); // Maven skips rewriting an unchanged file; mark it current
}

/** The `java` arguments that start a Neo4j on 127.0.0.1:port with its data under dataDir. */
export function javaArgs({ port, dataDir, heap = '1g', pageCache = '256m', exitOnStdinEof = false }) {
  const classpath = `${jar}:${readFileSync(classpathFile, 'utf8').trim()}`;
  return [
    `-Xmx${heap}`,
    '-XX:+UseG1GC',
    ...(exitOnStdinEof ? ['-Deqprop.exitOnStdinEof=true'] : []),
    '-cp',
    classpath,
    'lab.eqprop.Neo4jLauncher',
    String(port),
    resolve(dataDir),
    pageCache,
  ];
}

function parseArgs(argv) {
  const options = { port: 7687, dataDir: join(root, 'data', 'neo4j'), heap: '1g', pageCache: '256m', buildOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`eqprop/neo4j: ${flag} needs a value`);
      return v;
    };
    if (flag === '--port') options.port = Number(value());
    else if (flag === '--data') options.dataDir = resolve(value());
    else if (flag === '--heap') options.heap = value();
    else if (flag === '--page-cache') options.pageCache = value();
    else if (flag === '--build-only') options.buildOnly = true;
    else
      throw new Error(
        `eqprop/neo4j: unknown option ${flag}; expected --port, --data, --heap, --page-cache or --build-only`,
      );
  }
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
    throw new Error(`eqprop/neo4j: --port ${options.port}; expected an integer in [1, 65535]`);
  }
  return options;
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  ensureBuilt();
  if (options.buildOnly) {
    console.error(`neo4j: launcher ready (${jar})`);
    return;
  }
  const java = spawn('java', javaArgs(options), { stdio: 'inherit' });
  java.on('error', (e) => {
    console.error(`eqprop/neo4j: cannot start java (${e.message}); expected Java 17 on PATH`);
    process.exit(1);
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => java.kill('SIGTERM'));
  java.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
