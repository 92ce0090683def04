// `npm run test:ui`: runs test/e2e/ui/*.test.ts (playwright-core through the real workbench, or
// Chromium on the portal) with node:test via tsx, in ORCH_UI_SHARDS processes (default 2), each
// running its share of the files one after another (scripts/run-node-tests.mjs --shards, node's
// --test-isolation=none): a process's code-servers (one per server profile) and its Chromium
// (test/e2e/harness/shared.ts) then serve every test it runs, each test still in a window of its
// own; starting them cost each test seconds of CPU. It is CPU-bound: on 2 cores two at once take a
// little over half the time one at a time took, three at once starve the workbenches of CPU.
// The files are dealt to the shards by their time (test/weights/ui.json), so the shards end together. The
// pool's and the portal team's PostgreSQL is one server for the tier (--postgres).
// Arguments: node:test options (reporters), and test files to run instead of all.
// Fails when there is no such file: a UI tier that ran nothing must not pass.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('../..', import.meta.url).pathname;
const dir = join('test', 'e2e', 'ui');
const args = process.argv.slice(2);
const named = args.filter((a) => !a.startsWith('--'));
const all = existsSync(join(root, dir))
  ? readdirSync(join(root, dir))
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => join(dir, f))
  : [];
const files = named.length > 0 ? named : all;
if (files.length === 0) {
  console.error('test:ui: no test/e2e/ui/*.test.ts: nothing ran');
  process.exit(1);
}
const shards = Number(process.env.ORCH_UI_SHARDS ?? 2);
const result = spawnSync(
  process.execPath,
  [
    join(root, 'scripts', 'run-node-tests.mjs'),
    `--shards=${shards}`,
    '--weights=test/weights/ui.json',
    '--postgres',
    ...args.filter((a) => a.startsWith('--')),
    ...files,
  ],
  { stdio: 'inherit', cwd: root },
);
process.exit(result.status ?? 1);
