// `npm run bench`: the setup (scripts/setup.mjs), the build, then bench/index.ts, all on the
// project's Node as `npm test` runs the tests (this Node when new enough, else the installer's
// Node 24): the queue's row needs node:sqlite, which an older system Node lacks.
//
//   npm run bench [-- <filters…>] [-- --strict]   (arguments go to bench/index.ts)
//   node scripts/bench.mjs --no-setup …           the same without the setup's installers and
//                                                 npm ci (when they are known done)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIN_NODE, envWithNode, projectNode, root, setup } from './setup.mjs';

const skipSetup = process.argv.includes('--no-setup');
const args = process.argv.slice(2).filter((a) => a !== '--no-setup');

const { node, failed } = skipSetup ? { node: projectNode(), failed: {} } : setup();
for (const [step, why] of Object.entries(failed)) process.stderr.write(`[bench] setup FAILED ${step}: ${why}\n`);
if (!node)
  process.stderr.write(
    `[bench] no Node ${MIN_NODE.range} (this is ${process.version}): run \`npm run e2e:install\` for the cached Node 24\n`,
  );
if (!node || Object.keys(failed).length > 0) process.exit(1);

// The data folders of the benches' throwaway workspaces (queue databases, approval journals): a
// throwaway folder, as the tests have, not the user's (each run's shops left one there for good).
const dataDir = process.env.ORCHESTRATOR_DATA_DIR ? undefined : mkdtempSync(join(tmpdir(), 'orch-bench-data-'));
// tsx keeps its compiled modules in <tmp>/tsx-<uid> and, at each process's start, walks that whole
// folder in the background to expire old entries: on a machine that runs the tests all day it holds
// tens of thousands (31,559 here), and the walk still ran during the timed burst of a case that
// starts early (91 ms of the webhook row's main thread, issue 63). The product runs from its bundles,
// without tsx: the benches' temporary folder is one of their own, so tsx's cache holds theirs only.
const benchTmp = join(tmpdir(), 'orchestrator-bench-tmp');
mkdirSync(benchTmp, { recursive: true });
const env = {
  ...envWithNode(node),
  TMPDIR: benchTmp,
  ...(dataDir ? { ORCHESTRATOR_DATA_DIR: dataDir } : {}),
};
let status = 0;
for (const command of [['scripts/build.mjs'], ['--import', 'tsx', 'bench/index.ts', ...args]]) {
  const r = spawnSync(node, command, { cwd: root, env, stdio: 'inherit' });
  status = r.status ?? 1;
  if (status !== 0) break;
}
if (dataDir) rmSync(dataDir, { recursive: true, force: true });
process.exit(status);
