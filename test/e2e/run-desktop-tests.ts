// `npm run test:desktop`: the same mocha suite (out/test/extension) in desktop VS Code, through
// @vscode/test-electron. For contributors with internet and hosted CI: it downloads VS Code
// (stable, or ORCH_VSCODE_VERSION) into .vscode-test/ on first use. It cannot run on the
// offline project machines; there `npm run test:extension` runs the suite in code-server.
// On Linux without a display it re-runs itself under xvfb-run (apt-get install xvfb).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot, scriptedLmExtension } from './harness/paths';

if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.ORCH_UNDER_XVFB) {
  const r = spawnSync('xvfb-run', ['-a', process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, ORCH_UNDER_XVFB: '1' },
  });
  if (r.error) {
    console.error('no DISPLAY and no xvfb-run: apt-get install xvfb (or run under a display)');
    process.exit(1);
  }
  process.exit(r.status ?? 1);
}

async function main(): Promise<number> {
  const extensionDevelopmentPath = process.env.ORCH_EXTENSION_PATH
    ? resolve(process.env.ORCH_EXTENSION_PATH)
    : repoRoot;
  if (!existsSync(join(extensionDevelopmentPath, 'dist', 'extension.js')) && extensionDevelopmentPath === repoRoot) {
    throw new Error('dist/extension.js missing: run `npm run build`');
  }
  const extensionTestsPath = join(repoRoot, 'out', 'test', 'extension', 'index.js');
  const workspace = mkdtempSync(join(tmpdir(), 'orch-desktop-ws-'));
  cpSync(process.env.ORCH_TEST_WORKSPACE ?? join(repoRoot, 'test', 'e2e', 'fixtures', 'workspace'), workspace, {
    recursive: true,
  });
  try {
    return await runTests({
      version: process.env.ORCH_VSCODE_VERSION ?? 'stable',
      // The scripted chat-model provider beside ours: the vscode-lm suites select its models.
      extensionDevelopmentPath: [extensionDevelopmentPath, scriptedLmExtension],
      extensionTestsPath,
      extensionTestsEnv: {
        ORCH_TEST_WORKSPACE: workspace,
        ...(process.env.ORCH_TEST_GREP ? { ORCH_TEST_GREP: process.env.ORCH_TEST_GREP } : {}),
      },
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
      ],
    });
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
