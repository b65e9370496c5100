/**
 * `npm run web`: serves the browser build against a local workspace and prints the address to open.
 *
 *   node main/web/cli.ts [--port N] [--workspace DIR] [--static DIR]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startWebHost } from './host.ts';

const projectRoot = resolve(import.meta.dirname, '..', '..');

/** Reads the command line, starts the host and keeps it running until SIGINT or SIGTERM. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      workspace: { type: 'string', default: join('.penholder-dev', 'workspace') },
      static: { type: 'string', default: join(projectRoot, 'dist-web') },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log('Usage: node main/web/cli.ts [--port N] [--workspace DIR] [--static DIR]');
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a number from 0 to 65535, not "${values.port}".`);
  const staticDir = resolve(values.static);
  if (!existsSync(join(staticDir, 'index.html'))) {
    throw new Error(`No web build in ${staticDir}: run "npm run build:web" first (npm run web does it for you).`);
  }
  const version = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0-dev';
  const host = await startWebHost({ workspaceDir: resolve(values.workspace), port, staticDir, version });
  console.log(`Penholder web: ${host.url}`);
  console.log(`Workspace: ${resolve(values.workspace)}`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: closing Penholder web.`);
    host.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`Penholder web could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
