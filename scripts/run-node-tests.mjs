// Runs node:test files (or those under the given folders) on a Node >= engines.node: this one
// when new enough, else the e2e installer's Node 24 (see scripts/setup.mjs). Node 20's --test
// does not expand globs, so the files are listed here. Arguments starting with `--` go to node,
// except `--provider=openai`: the engine tests then run against the OpenAI-compatible test
// server instead of the Messages-API one (ORCH_TEST_PROVIDER, test/support/modelServer.ts).
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { MIN_NODE, envWithNode, projectNode } from './setup.mjs';

const roots = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const provider = process.argv.slice(2).find((a) => a.startsWith('--provider='))?.slice('--provider='.length);
const passThrough = process.argv.slice(2).filter((a) => a.startsWith('--') && !a.startsWith('--provider='));
const files = [];
const walk = (dir) => {
  if (!statSync(dir).isDirectory()) {
    files.push(dir);
    return;
  }
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full);
    else if (name.endsWith('.test.ts')) files.push(full);
  }
};
roots.forEach(walk);
if (files.length === 0) {
  console.error(`no test files under ${roots.join(', ')}`);
  process.exit(1);
}
const node = projectNode();
if (!node) {
  console.error(`the tests need Node ${MIN_NODE.range} (this is ${process.version}): run \`npm test\`, or \`npm run e2e:install\` for the cached Node 24`);
  process.exit(1);
}
// A test that hangs fails by name after 10 minutes (the slowest take about one on a loaded machine) instead of holding the tier.
// The repositories' data folders (queue databases, approval journals) of every test workspace: a throwaway folder, not the user's.
const dataDir = process.env.ORCHESTRATOR_DATA_DIR ? undefined : mkdtempSync(join(tmpdir(), 'orch-test-data-'));
const result = spawnSync(node, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=600000', ...passThrough, ...files], {
  stdio: 'inherit',
  env: { ...(node === process.execPath ? process.env : envWithNode(node)), ...(provider ? { ORCH_TEST_PROVIDER: provider } : {}), ...(dataDir ? { ORCHESTRATOR_DATA_DIR: dataDir } : {}) },
});
if (dataDir) rmSync(dataDir, { recursive: true, force: true });
process.exit(result.status ?? 1);
