// `npm run test:ui`: runs test/e2e/ui/*.test.ts (playwright-core through the real workbench, or
// Chromium on the portal) with node:test via tsx, in ORCH_UI_SHARDS processes (default 2), each
// running its share of the files one after another (scripts/run-node-tests.mjs --shards, node's
// --test-isolation=none): a process's code-servers (one per server profile) and its Chromium
// (test/e2e/harness/shared.ts) then serve every test it runs, each test still in a window of its
// own; starting them cost each test seconds of CPU. It is CPU-bound: on 2 cores two at once take a
// little over half the time one at a time took, three at once starve the workbenches of CPU.
// The files are dealt to the shards by their time (WEIGHTS), so the shards end together. The
// pool's and the portal team's PostgreSQL is one server for the tier (--postgres).
// Arguments: node:test options (reporters), and test files to run instead of all.
// Fails when there is no such file: a UI tier that ran nothing must not pass.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

/**
 * Seconds each file took in a whole tier run here (one at a time, a code-server each, alone on 2 cores);
 * only the shares' balance depends on them. A file not listed weighs the median.
 */
const WEIGHTS = {
  'audit.test.ts': 46, 'benchHostFailure.test.ts': 21, 'cancel.test.ts': 38, 'changeRequest.test.ts': 48, 'chat.test.ts': 59,
  'chatAudit.test.ts': 52, 'chatPool.test.ts': 59, 'chatToolConfirmation.test.ts': 39, 'feature.test.ts': 50, 'firstHour.test.ts': 146,
  'foreignFolders.test.ts': 38, 'githubRun.test.ts': 36, 'githubRunElsewhere.test.ts': 35, 'initWorkspace.test.ts': 33, 'layerPick.test.ts': 29,
  'layerProposal.test.ts': 32, 'mustard.test.ts': 45, 'pool.test.ts': 56, 'poolDispatch.test.ts': 48, 'poolStop.test.ts': 27,
  'portal.test.ts': 11, 'portalLayerPicks.test.ts': 9, 'portalPages.test.ts': 8, 'portalPhaseGate.test.ts': 11, 'portalPool.test.ts': 17,
  'portalTeam.test.ts': 11, 'queue.test.ts': 41, 'reload.test.ts': 83, 'restricted.test.ts': 53, 'runnerPick.test.ts': 47,
  'workflowPortalGate.test.ts': 60, 'workflowSlice.test.ts': 64, 'workflowSteps.test.ts': 82, 'workflowWaiver.test.ts': 46, 'worktrees.test.ts': 39,
};

const root = new URL('../..', import.meta.url).pathname;
const dir = join('test', 'e2e', 'ui');
const args = process.argv.slice(2);
const named = args.filter((a) => !a.startsWith('--'));
const all = existsSync(join(root, dir)) ? readdirSync(join(root, dir)).filter((f) => f.endsWith('.test.ts')).map((f) => join(dir, f)) : [];
const files = named.length > 0 ? named : all;
if (files.length === 0) {
  console.error('test:ui: no test/e2e/ui/*.test.ts: nothing ran');
  process.exit(1);
}
const shards = Number(process.env.ORCH_UI_SHARDS ?? 2);
const weights = Object.fromEntries(Object.entries(WEIGHTS).map(([f, s]) => [join(dir, f), s]));
const result = spawnSync(
  process.execPath,
  [join(root, 'scripts', 'run-node-tests.mjs'), `--shards=${shards}`, `--weights=${JSON.stringify(weights)}`, '--postgres', ...args.filter((a) => a.startsWith('--')), ...files],
  { stdio: 'inherit', cwd: root },
);
process.exit(result.status ?? 1);
