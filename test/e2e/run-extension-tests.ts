// `npm run test:extension`: runs out/test/extension (built by scripts/e2e/build-tests.mjs)
// inside code-server's real extension host. Exit code: the runner's.
//
// The extension under test is the repo itself (dist/extension.js, from `npm run build`). Until
// src/extension/extension.ts exists, a stand-in with the same id (test/e2e/fixtures/
// minimal-extension) proves the harness. ORCH_EXTENSION_PATH overrides both.
// Also: ORCH_TEST_GREP, ORCH_TEST_WORKSPACE (a folder to copy as the workspace),
// ORCH_E2E_TIMEOUT_MS, ORCH_E2E_VERBOSE=1, ORCH_E2E_KEEP=1.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runExtensionTests } from './harness/extensionTests';
import { repoRoot, testOutputDir } from './harness/paths';

function extensionPath(): string {
  if (process.env.ORCH_EXTENSION_PATH) return resolve(process.env.ORCH_EXTENSION_PATH);
  if (existsSync(join(repoRoot, 'src', 'extension', 'extension.ts'))) {
    if (!existsSync(join(repoRoot, 'dist', 'extension.js'))) throw new Error('dist/extension.js missing: run `npm run build`');
    return repoRoot;
  }
  const fixture = join(repoRoot, 'test', 'e2e', 'fixtures', 'minimal-extension');
  console.log(`[e2e] src/extension/extension.ts does not exist yet: testing the stand-in ${fixture}`);
  return fixture;
}

async function main(): Promise<number> {
  const testsPath = join(repoRoot, 'out', 'test', 'extension', 'index.js');
  if (!existsSync(testsPath)) throw new Error(`${testsPath} missing: run node scripts/e2e/build-tests.mjs`);
  const workspace = mkdtempSync(join(tmpdir(), 'orch-ext-ws-'));
  cpSync(process.env.ORCH_TEST_WORKSPACE ?? join(repoRoot, 'test', 'e2e', 'fixtures', 'workspace'), workspace, { recursive: true });
  const resultFile = join(workspace, '..', `${workspace.split('/').pop()}-result.json`);
  try {
    const env: Record<string, string> = { ORCH_TEST_RESULT_FILE: resultFile, ORCH_TEST_WORKSPACE: workspace, ORCH_TEST_OUTPUT: testOutputDir };
    if (process.env.ORCH_TEST_GREP) env.ORCH_TEST_GREP = process.env.ORCH_TEST_GREP;
    const code = await runExtensionTests({ extensionPath: extensionPath(), testsPath, workspace, env });
    if (!existsSync(resultFile)) {
      console.log('[e2e] the runner wrote no result (a suite failed to load, or the run timed out)');
      return code === 0 ? 1 : code;
    }
    const r = JSON.parse(readFileSync(resultFile, 'utf8')) as { passes: number; failures: number; failed: string[] };
    for (const t of r.failed) console.log(`[e2e] FAILED: ${t}`);
    return code;
  } finally {
    rmSync(workspace, { recursive: true, force: true });
    rmSync(resultFile, { force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
