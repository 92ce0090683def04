/**
 * Child process for the UNDERSTAND bench: one cold prepareRun + understand() in a fresh
 * process, as a CLI invocation does it (modules already imported, nothing JIT-compiled or
 * cached yet). Prints {"ms", "prepareMs", "understandMs"} on stdout.
 *
 *   node --import tsx bench/support/coldUnderstand.ts <workspace> <request>
 */
import { performance } from 'node:perf_hooks';
import { prepareRun } from '../../src/core/pipeline/run/runSetup';
import { understand } from '../../src/core/pipeline/phases/understand';
import { BenchHost } from './benchHost';

async function main(): Promise<void> {
  const [workspace, request] = process.argv.slice(2);
  if (!workspace || !request) throw new Error('usage: coldUnderstand.ts <workspace> <request>');
  const t0 = performance.now();
  const prepared = await prepareRun({ workspace, host: new BenchHost() }, 'feature');
  const t1 = performance.now();
  understand(request, prepared.project);
  const t2 = performance.now();
  process.stdout.write(`${JSON.stringify({ ms: t2 - t0, prepareMs: t1 - t0, understandMs: t2 - t1 })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
