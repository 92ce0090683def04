// A node:test reporter that says, once the tier has run, its ten slowest tests with their files
// (CONTRIBUTING.md keeps that list), and with ORCH_TEST_TIMES=<file> writes every test's time as JSON
// lines ({ file, name, ms }) for whoever balances the tiers. Used beside the spec and TAP reporters.
import { appendFileSync } from 'node:fs';
import { relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

export default async function* slowest(source) {
  const times = [];
  for await (const event of source) {
    if ((event.type !== 'test:pass' && event.type !== 'test:fail') || event.data.details?.type === 'suite') continue;
    const { name, file, nesting, details } = event.data;
    if (!file || typeof details?.duration_ms !== 'number') continue;
    // With process isolation each file is also reported as a test named by its path: not a test.
    if (name === file || name.endsWith('.test.ts') || name.endsWith('.test.js')) continue;
    // The outermost tests, whatever suites hold them (a shard of run-node-tests.mjs puts each file
    // in one): a subtest ends before its parent, and its time is inside the parent's.
    const own = relative(root, file);
    for (let i = times.length - 1; i >= 0; i--)
      if (times[i].file === own && times[i].nesting > nesting) times.splice(i, 1);
    times.push({ file: own, name, ms: Math.round(details.duration_ms), nesting });
  }
  if (process.env.ORCH_TEST_TIMES)
    appendFileSync(
      process.env.ORCH_TEST_TIMES,
      times.map(({ file, name, ms }) => JSON.stringify({ file, name, ms })).join('\n') + (times.length ? '\n' : ''),
    );
  // A shard of scripts/run-node-tests.mjs: the runner says the ten slowest of all its shards.
  if (process.env.ORCH_TEST_SLOWEST_SILENT === '1') return;
  yield* slowestLines(times);
}

/** The lines that say the ten slowest of `times` ({ file, name, ms }), or none. */
export function slowestLines(times) {
  const top = [...times].sort((a, b) => b.ms - a.ms).slice(0, 10);
  if (top.length === 0) return [];
  return [
    'the slowest tests:\n',
    ...top.map(
      (t) =>
        `  ${(t.ms / 1000).toFixed(1).padStart(6)} s  ${t.file}  ${t.name.length > 100 ? `${t.name.slice(0, 99)}…` : t.name}\n`,
    ),
  ];
}
