/**
 * One PostgreSQL server for a whole test tier: `node scripts/run-node-tests.mjs --postgres …` starts
 * this file as a process before the tier's first file, reads the URL it prints, hands it to every
 * test process (startPostgres() in postgres.ts then gives each file and world a database of its
 * own on it) and closes its stdin after the last file, when it stops and deletes the server.
 */
import { startPostgres } from './postgres';

async function main(): Promise<void> {
  // Four files at once, each with workers, serve and the CLI holding pools of connections.
  const server = await startPostgres({ own: true, maxConnections: 600 });
  const stop = (): void => {
    server.stop();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.stdin.on('end', stop).on('error', stop).resume();
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `the tier's PostgreSQL server did not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
