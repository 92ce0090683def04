// A node:test reporter that says, once the tier has run, its ten slowest tests with their files
// (the README keeps that list), and with ORCH_TEST_TIMES=<file> writes every test's time as JSON
// lines ({ file, name, ms }) for whoever balances the tiers. Used beside the spec and TAP reporters.
import { appendFileSync } from 'node:fs';
import { relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

export default async function* slowest(source) {
  const times = [];
  for await (const event of source) {
    if ((event.type !== 'test:pass' && event.type !== 'test:fail') || event.data.details?.type === 'suite') continue;
    const { name, file, nesting, details } = event.data;
    // Top-level tests only: a subtest's time is inside its parent's. In a shard of run-node-tests.mjs
    // a file's top-level tests sit in a suite named by the file (test/support/testShard.ts).
    if (nesting !== (process.env.ORCH_SHARD_FILES ? 1 : 0) || !file || typeof details?.duration_ms !== 'number') continue;
    // With process isolation each file is also reported as a test named by its path: not a test.
    if (name === file || name.endsWith('.test.ts') || name.endsWith('.test.js')) continue;
    times.push({ file: relative(root, file), name, ms: Math.round(details.duration_ms) });
  }
  if (process.env.ORCH_TEST_TIMES) appendFileSync(process.env.ORCH_TEST_TIMES, times.map((t) => JSON.stringify(t)).join('\n') + (times.length ? '\n' : ''));
  // A shard of scripts/run-node-tests.mjs: the runner says the ten slowest of all its shards.
  if (process.env.ORCH_TEST_SLOWEST_SILENT === '1') return;
  yield* slowestLines(times);
}

/** The lines that say the ten slowest of `times` ({ file, name, ms }), or none. */
export function slowestLines(times) {
  const top = [...times].sort((a, b) => b.ms - a.ms).slice(0, 10);
  if (top.length === 0) return [];
  return ['the slowest tests:\n', ...top.map((t) => `  ${(t.ms / 1000).toFixed(1).padStart(6)} s  ${t.file}  ${t.name.length > 100 ? `${t.name.slice(0, 99)}…` : t.name}\n`)];
}
