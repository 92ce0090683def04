// Bundles the extension-host test runner and its suites for `npm run test:extension` and
// `npm run test:desktop`: test/extension/index.ts -> out/test/extension/index.js and each
// test/extension/suite/**/*.test.ts -> out/test/extension/suite/**/*.test.js (vscode external,
// mocha bundled into the runner). The output folder is wiped first so no deleted suite lingers.
//
// Also the test extensions the sessions load beside ours (test/extension/fixtures/<name>/:
// package.json + extension.ts -> out/test/fixtures/<name>/{package.json, extension.js}).
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const src = join(root, 'test', 'extension');
const out = join(root, 'out', 'test', 'extension');
const fixturesSrc = join(src, 'fixtures');
const fixturesOut = join(root, 'out', 'test', 'fixtures');

const suites = [];
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) walk(full);
    else if (e.name.endsWith('.test.ts')) suites.push(full);
  }
};
walk(join(src, 'suite'));
if (suites.length === 0) {
  console.error('no test/extension/suite/**/*.test.ts');
  process.exit(1);
}

rmSync(out, { recursive: true, force: true });
rmSync(fixturesOut, { recursive: true, force: true });
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  sourcemap: 'inline',
  logLevel: 'warning',
  absWorkingDir: root,
};
const fixtures = readdirSync(fixturesSrc, { withFileTypes: true }).filter(
  (e) => e.isDirectory() && existsSync(join(fixturesSrc, e.name, 'package.json')),
);
for (const fixture of fixtures) {
  const dir = join(fixturesOut, fixture.name);
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(fixturesSrc, fixture.name, 'package.json'), join(dir, 'package.json'));
  await build({
    ...common,
    entryPoints: [join(fixturesSrc, fixture.name, 'extension.ts')],
    outfile: join(dir, 'extension.js'),
  });
}
await build({
  entryPoints: [join(src, 'index.ts'), ...suites],
  outdir: out,
  outbase: src,
  ...common,
  // mocha's parallel mode (unused here) require.resolve()s its worker files.
  logOverride: { 'require-resolve-not-external': 'silent' },
});
console.log(
  `built ${relative(root, join(out, 'index.js'))} + ${suites.length} suite file(s) + ${fixtures.length} test extension(s)`,
);
