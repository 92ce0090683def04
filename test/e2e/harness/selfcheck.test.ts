// Proves the harness's UI helpers against the stand-in extension (test/e2e/fixtures/
// minimal-extension): `npm run e2e:selfcheck`. Not part of test:ui, which tests the real one.
import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { answerInput, openWorkbench, repoRoot, runCommand, sidebarFrame, statusBarItem } from './index';

test('command palette -> input box -> sidebar webview -> status bar -> screenshot', { timeout: 120_000 }, async () => {
  const workspace = mkdtempSync(join(tmpdir(), 'orch-selfcheck-'));
  cpSync(join(repoRoot, 'test', 'e2e', 'fixtures', 'workspace'), workspace, { recursive: true });
  const wb = await openWorkbench({
    workspace,
    extensionPath: join(repoRoot, 'test', 'e2e', 'fixtures', 'minimal-extension'),
  });
  let shot: string | undefined = 'harness-selfcheck-failed';
  try {
    console.log(`workbench ready in ${(wb.readyMs / 1000).toFixed(1)} s`);
    await runCommand(wb.page, 'Orchestrator: New Feature');
    await answerInput(wb.page, 'add a wishlist');
    const view = sidebarFrame(wb.page);
    await view.locator('#request', { hasText: 'add a wishlist' }).waitFor({ timeout: 15_000 });
    await view.locator('#approve').click();
    const status = statusBarItem(wb.page, 'status');
    await status.filter({ hasText: 'approved' }).waitFor({ timeout: 15_000 });
    assert.match(await status.innerText(), /Orchestrator: approved/);
    shot = 'harness-selfcheck';
  } finally {
    await wb.close(shot);
    rmSync(workspace, { recursive: true, force: true });
  }
});
