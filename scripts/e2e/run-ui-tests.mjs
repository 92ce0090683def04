// `npm run test:ui`: runs test/e2e/ui/*.test.ts (playwright-core through the real workbench, or
// Chromium on the portal; the portal team test starts a PostgreSQL of its own: test/support/postgres.ts)
// with node:test via tsx, two files at a time (ORCH_UI_CONCURRENCY): each drives its own
// code-server + Chromium on its own ports and folders, and spends most of its time waiting on the
// workbench: on 2 cores two at once take a little over half the time one at a time took (three
// at once starve the workbenches of CPU: waits of 30 s time out).
// Fails when there is no such file: a UI tier that ran nothing must not pass.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('../..', import.meta.url).pathname;
const dir = join(root, 'test', 'e2e', 'ui');
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort().map((f) => join(dir, f)) : [];
if (files.length === 0) {
  console.error('test:ui: no test/e2e/ui/*.test.ts: nothing ran');
  process.exit(1);
}
const extra = process.argv.slice(2);
const concurrency = Number(process.env.ORCH_UI_CONCURRENCY ?? 2);
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...extra, ...files], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(result.status ?? 1);
