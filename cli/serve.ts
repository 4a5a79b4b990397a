/**
 * `eqprop serve` — the API and the web app. The CLI is the outermost edge, so it may reach up to
 * server/ (everything else in src/ points down the layer chain).
 */
import type { Command } from 'commander';
import { loadConfig } from '../src/config.js';

export function register(program: Command): void {
  program
    .command('serve')
    .description('Serve the web app at / and the JSON API at /api (store from config: SQLite by default)')
    .option('--host <host>', 'interface to bind (default 127.0.0.1; anything else needs --token)')
    .option('--port <port>', 'port (default 8080; 0 picks a free one)')
    .option('--token <token>', 'bearer token required on every /api request (required off loopback)')
    .option('--store <kind>', 'sqlite or neo4j')
    .option('--db <file>', 'SQLite file (default data/eqprop.db)')
    .option('--config <file>', 'JSON config file')
    .addHelpText(
      'after',
      '\nExamples:\n  eqprop serve\n  eqprop serve --port 9000\n  EQPROP_TOKEN=$(openssl rand -hex 16) eqprop ' +
        'serve --host 0.0.0.0\n',
    )
    .action(
      async (opts: { host?: string; port?: string; token?: string; store?: string; db?: string; config?: string }) => {
        const config = loadConfig({
          host: opts.host,
          port: opts.port,
          token: opts.token,
          store: opts.store,
          sqlitePath: opts.db,
          configFile: opts.config,
        });
        const { startServer } = await import('../server/index.js');
        const server = await startServer(config);
        process.stderr.write(
          `eqprop: serving ${server.url}/ (API at ${server.url}/api, store ${server.context.store.kind} ` +
            `${server.context.store.location})\n`,
        );
        await new Promise<void>((resolve) => {
          const stop = (signal: string) => {
            process.stderr.write(`eqprop: ${signal}, stopping (cancelling running jobs)\n`);
            void server.close().then(resolve);
          };
          process.once('SIGINT', () => stop('SIGINT'));
          process.once('SIGTERM', () => stop('SIGTERM'));
        });
      },
    );
}
