// `npm run lint`'s second half: dependency-cruiser's no-circular rule (.dependency-cruiser.cjs)
// over the project's TypeScript, type-only imports included. dependency-cruiser needs Node >= 22,
// so it runs on the project's Node (scripts/setup.mjs), whatever Node started npm.
//
//   node scripts/lint-cycles.mjs [folders…]   # default: src webview bench test scripts
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { MIN_NODE, envWithNode, projectNode, root } from './setup.mjs';

const folders = process.argv.slice(2);
const node = projectNode();
if (!node) {
  console.error(
    `lint-cycles: needs Node ${MIN_NODE.range} (this is ${process.version}); run \`npm run e2e:install\` for the cached Node 24`,
  );
  process.exit(1);
}
const cli = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs');
const args = [
  cli,
  '--config',
  join(root, '.dependency-cruiser.cjs'),
  '--output-type',
  'err',
  ...(folders.length ? folders : ['src', 'webview', 'bench', 'test', 'scripts']),
];
const result = spawnSync(node, args, {
  cwd: process.cwd(),
  stdio: 'inherit',
  env: node === process.execPath ? process.env : envWithNode(node),
});
process.exit(result.status ?? 1);
