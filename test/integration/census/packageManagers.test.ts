// A project's scripts run by its real package manager inside the sandbox as outside: pnpm 10 and 11
// and Yarn 4, each reached through a global prefix in the home folder whose `bin/pnpm` links to
// `../lib/node_modules/…` (the link's target is not in the PATH entry's folder), run the project's
// `test` script at init's verification (in its throwaway worktree, with the node_modules linked
// from the checkout) and in a run's command sandbox, with no terminal, no network and no install:
// pnpm's check before `pnpm run` (`verifyDepsBeforeRun: install`) would otherwise reinstall and stop
// (ERR_PNPM_ABORTED_REMOVE_MODULES_DIR_NO_TTY), and Yarn's gitignored `.pnp.cjs` would be missing.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, test } from 'node:test';
import { verifyCommand } from '../../../src/core/census/verify/verify';
import { confined } from '../../../src/core/census/verify/verifyHidden';
import { verifySandbox } from '../../../src/core/census/verify/verifySandbox';
import { commandSandbox, runCommand } from '../../../src/core/process';
import { commitAll, json, makeRepo } from '../../support/census';
import { PACKAGE_MANAGERS, type PackageManager, packageManagerBin } from '../../support/packageManagers';

const saved = { HOME: process.env.HOME, PATH: process.env.PATH };
// Where pnpm's installs of the fixtures keep their store.
const installHome = mkdtempSync(join(tmpdir(), 'pm-install-home-'));
before(() => {
  // The prefixes are folders of the home folder, as ~/.npm-global is: the sandbox hides HOME.
  process.env.HOME = PACKAGE_MANAGERS;
});
after(() => {
  process.env.HOME = saved.HOME;
  process.env.PATH = saved.PATH;
  rmSync(installHome, { recursive: true, force: true });
});

const config = { sandbox: { mode: 'required' as const, network: [] }, worktree: { link: [] }, layers: {} };

/** Two workspace packages, `a`'s test requiring `b`: installed offline, nothing from a registry. */
function workspaceFiles(manager: PackageManager): Record<string, string> {
  const pnpm = manager.startsWith('pnpm');
  return {
    '.gitignore': 'node_modules/\n.pnp.*\n.yarn/*\n',
    'package.json': json({
      name: 'shop',
      private: true,
      ...(pnpm ? {} : { packageManager: 'yarn@4.18.1', workspaces: ['packages/*'] }),
      scripts: { test: pnpm ? 'pnpm -r test' : 'yarn workspaces foreach -A run test' },
    }),
    ...(pnpm
      ? { 'pnpm-workspace.yaml': 'packages:\n  - packages/*\nverifyDepsBeforeRun: install\n' }
      : { '.yarnrc.yml': 'nodeLinker: pnp\nenableTelemetry: false\n' }),
    'packages/b/package.json': json({ name: 'b', version: '1.0.0', main: 'index.js' }),
    'packages/b/index.js': 'module.exports = 2;\n',
    'packages/a/package.json': json({
      name: 'a',
      version: '1.0.0',
      scripts: { test: 'node test.js' },
      // A package from a tarball goes through the store, as one from the registry does.
      dependencies: { b: pnpm ? 'workspace:*' : 'workspace:^', c: 'file:../../vendor/c-1.0.0.tgz' },
    }),
    'packages/a/test.js': "if (require('b') + require('c') !== 5) process.exit(1);\nconsole.log('a: 1 passing');\n",
    'c/package.json': json({ name: 'c', version: '1.0.0', main: 'index.js' }),
    'c/index.js': 'module.exports = 3;\n',
  };
}

async function checkManager(manager: PackageManager): Promise<void> {
  const bin = packageManagerBin(manager);
  const program = manager.startsWith('pnpm') ? 'pnpm' : 'yarn';
  const repo = await makeRepo({ ...workspaceFiles(manager), 'vendor/.keep': '' });
  try {
    // Yarn keeps packages in its global cache in the home folder, and `.pnp.cjs` reads them there: the sandbox's user's.
    const home = program === 'yarn' ? PACKAGE_MANAGERS : installHome;
    // On CI (CI=true) Yarn 4 refuses to write a lockfile unless told: the fixture has none yet.
    const env = {
      ...process.env,
      HOME: home,
      PATH: `${bin}${delimiter}${saved.PATH ?? ''}`,
      YARN_ENABLE_IMMUTABLE_INSTALLS: 'false',
    };
    execFileSync('npm', ['pack', '--quiet', '--pack-destination', '../vendor'], {
      cwd: join(repo.dir, 'c'),
      env,
      stdio: 'pipe',
    });
    execFileSync(join(bin, program), program === 'pnpm' ? ['install', '--offline'] : ['install'], {
      cwd: repo.dir,
      env,
      stdio: 'pipe',
    });
    commitAll(repo.dir);
    process.env.PATH = env.PATH;
    const command = `${program} test`;

    const place = await verifySandbox(repo.dir, ['packages/a', 'packages/b']);
    try {
      assert.ok(place.sandbox, 'init verifies in the sandbox a run gets (bubblewrap is installed here)');
      const verified = await verifyCommand(place.cwd, command, { timeoutSec: 60, ...confined(place) });
      assert.equal(verified.status, 'passed', `${manager} at init: ${JSON.stringify(verified)}`);
    } finally {
      await place.dispose();
    }

    const sandbox = commandSandbox(config, { workspace: repo.dir, command });
    const ran = await runCommand(command, { cwd: repo.dir, timeoutSec: 60, sandbox: sandbox! });
    assert.equal(ran.exitCode, 0, `${manager} in a run: ${ran.output}`);
    assert.match(ran.output, /a: 1 passing/);
  } finally {
    process.env.PATH = saved.PATH;
    await repo.cleanup();
  }
}

test('pnpm 10 through a global prefix in the home folder: the workspace test script passes at init and in a run, without installing', () =>
  checkManager('pnpm-10'));

test('pnpm 11 through a global prefix in the home folder: the workspace test script passes at init and in a run, without installing', () =>
  checkManager('pnpm-11'));

test("Yarn 4 with Plug'n'Play: its gitignored .pnp.cjs comes along to init's worktree; the test script passes there and in a run", () =>
  checkManager('yarn-4'));
