/**
 * Issue 37 point 8: a bench row that cannot run says why, in the extension host's own words.
 * The activation bench (bench/support/extensionActivation.ts) is given a bundle that throws as
 * it loads, in a real code-server extension host: its error names the host and carries the
 * thrown error, not only "failed in extension host 1 (exit 1)".
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { measureActivation } from '../../../bench/support/extensionActivation';
import { UI_TIMEOUT_MS } from './support/limits';

test("a bench row whose extension host fails says the host's own error", { timeout: UI_TIMEOUT_MS }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'orch-bench-host-'));
  try {
    const bundle = join(dir, 'extension.js');
    writeFileSync(bundle, "throw new Error('the bundle under test broke while loading (bench host failure test)');\n");
    const engine = join(dir, 'engine.js');
    writeFileSync(engine, 'module.exports = {};\n');
    await assert.rejects(
      measureActivation(bundle, engine, dir, 1, 1, () => undefined),
      (error: Error) => {
        assert.match(
          error.message,
          /^the activation runner failed in extension host 1 of 1 \(exit 1\): .*the bundle under test broke while loading \(bench host failure test\)/,
        );
        assert.equal(error.message.includes('\n'), false, 'one line: it is a table cell');
        return true;
      },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
