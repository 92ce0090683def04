// `npm run bench`: the setup (scripts/setup.mjs), the build, then bench/index.ts, all on the
// project's Node as `npm test` runs the tests (this Node when new enough, else the installer's
// Node 24): the queue's row needs node:sqlite, which an older system Node lacks.
//
//   npm run bench [-- <filters…>] [-- --strict]     (arguments go to bench/index.ts)
import { spawnSync } from 'node:child_process';
import { envWithNode, root, setup } from './setup.mjs';

const { node, failed } = setup();
for (const [step, why] of Object.entries(failed)) process.stderr.write(`[bench] setup FAILED ${step}: ${why}\n`);
if (!node || Object.keys(failed).length > 0) process.exit(1);

const env = envWithNode(node);
for (const args of [['scripts/build.mjs'], ['--import', 'tsx', 'bench/index.ts', ...process.argv.slice(2)]]) {
  const r = spawnSync(node, args, { cwd: root, env, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
