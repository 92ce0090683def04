// `npm run realworld -- [--repos DIR] [filter]` (issue 58): the loop on real public repositories,
// never part of `npm test` (it installs real projects from the npm registry). Each fix of
// test/realworld/fixes.json is cloned at its parent, installed from its lockfile, `init` run with
// its verification, then a feature replaying the fix against a scripted model: its tests as the
// proof (red on the base), a wrong fix stopped naming the criterion, the fix proven
// (test/realworld/fixes.ts). One line per fix and a total; exit 0 only when every fix passed.
//
// --repos DIR: a folder of git clones (`owner+name`, or `owner+name/repo`, or `name`); without it
// each repository is cloned from GitHub. docs/realworld.md keeps the table.
import { spawnSync } from 'node:child_process';
import { envWithNode, projectNode, root } from './setup.mjs';

const node = projectNode();
if (!node) {
  process.stderr.write('realworld: no Node >= 22.13 here: run npm test or npm start once (they fetch it)\n');
  process.exit(2);
}
const env = { ...envWithNode(node), ANTHROPIC_API_KEY: 'sk-test-not-a-real-key-0000' };
const build = spawnSync(node, ['scripts/build.mjs'], { cwd: root, env, stdio: 'inherit' });
if (build.status !== 0) process.exit(1);
const driver = spawnSync(node, ['--import', 'tsx', 'test/realworld/fixes.ts', ...process.argv.slice(2)], {
  cwd: root,
  env,
  stdio: 'inherit',
});
process.exit(driver.status ?? 1);
