// `npm run test:extension`: runs out/test/extension (built by scripts/e2e/build-tests.mjs)
// inside code-server's real extension host. Exit code: 0 only when every session passed.
//
// The sessions (trusted main suite, Restricted Mode, the packaged .vsix), the workspace (a
// fresh git copy of examples/shop) and the scripted Messages API test server they talk to
// through extensionEnvironment are in test/extension/runner/sessions.ts.
//
// The extension under test is the repo itself (dist/extension.js, from `npm run build`). Until
// src/extension/extension.ts exists, a stand-in with the same id (test/e2e/fixtures/
// minimal-extension) proves the harness. ORCH_EXTENSION_PATH overrides both.
// Also: ORCH_TEST_SESSIONS, ORCH_TEST_GREP, ORCH_TEST_WORKSPACE (a folder to copy as the
// workspace), ORCH_E2E_TIMEOUT_MS, ORCH_E2E_VERBOSE=1, ORCH_E2E_KEEP=1.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from './harness/paths';
import { runSessions } from '../extension/runner/sessions';

function extensionPath(): string {
  if (process.env.ORCH_EXTENSION_PATH) return resolve(process.env.ORCH_EXTENSION_PATH);
  if (existsSync(join(repoRoot, 'src', 'extension', 'extension.ts'))) {
    if (!existsSync(join(repoRoot, 'dist', 'extension.js')))
      throw new Error('dist/extension.js missing: run `npm run build`');
    return repoRoot;
  }
  const fixture = join(repoRoot, 'test', 'e2e', 'fixtures', 'minimal-extension');
  console.log(`[e2e] src/extension/extension.ts does not exist yet: testing the stand-in ${fixture}`);
  return fixture;
}

runSessions(extensionPath()).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
