/**
 * Issue 38 in the real workbench: the Chat view (Chat on, a chat model from the scripted test
 * extension so the chat can send), `@orchestrator /feature …` typed like a user, the spec
 * rendered in the response with its three buttons, Approve clicked in the chat, the run streamed
 * to its end (the review per criterion, the file tree, Show Changes and Rollback) in the chat,
 * while the sidebar and the status bar show the same run → test-output/ui/chat-*.png.
 */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PRODUCT_REQUEST, productAgents } from '../../../bench/support/productFeature';
import { openChatOnScriptedModel, scriptedLmExtension, sendInChat } from '../harness';
import { openSidebar, shot, withSession } from './support/session';

test('@orchestrator /feature in the Chat view: approve in the chat, the run finishes in the chat and the sidebar', { timeout: 180_000 }, async () => {
  assert.ok(existsSync(join(scriptedLmExtension, 'extension.js')), 'the scripted chat models are not built: node scripts/e2e/build-tests.mjs');
  const settings = { 'chat.disableAIFeatures': false };
  await withSession('chat', { agents: productAgents(), latencyMs: 100, userSettings: settings, copyExtensions: [scriptedLmExtension] }, async (s) => {
    const { page, sidebar, status } = s;
    // The Chat view, on a chat model (without one the chat answers "Language model unavailable").
    // Its new chat in place before typing (else the request goes to the chat it replaces: the Approve never shown).
    await openChatOnScriptedModel(page);
    await page.locator('.interactive-input-part', { hasText: 'Scripted scripted' }).waitFor({ timeout: 10_000 });

    // Typed like a user.
    await sendInChat(page, `@orchestrator /feature ${PRODUCT_REQUEST}`, 'Product entity');

    // The spec in the response, with its buttons, while the status bar says a spec waits.
    const response = page.locator('.interactive-response').last();
    const approve = response.locator('.chat-command-button .monaco-button, a.monaco-button, .monaco-button', { hasText: /^Approve$/ }).first();
    await approve.waitFor({ state: 'visible', timeout: 60_000 });
    const atGate = await response.innerText();
    assert.match(atGate, /Spec: Product entity/);
    assert.match(atGate, /awaits your approval/);
    for (const label of ['Request changes', 'Save for later']) assert.equal(await response.locator('.monaco-button', { hasText: new RegExp(`^${label}$`) }).count(), 1, label);
    await status.filter({ hasText: 'spec awaiting approval' }).waitFor({ timeout: 10_000 });
    await shot(page, 'chat-gate');

    // Approve in the chat. The spec names the database agent's migration: its approval is the
    // confirmation of that schema change (issue 44), so no modal asks it again.
    await approve.click();

    // The end, in the chat: the review per criterion, the file tree, Show Changes and Rollback.
    await response.locator('.monaco-button', { hasText: /^Show Changes$/ }).waitFor({ state: 'visible', timeout: 90_000 });
    // (The workbench folds what streamed before the end into "Completed N steps".)
    const done = await response.innerText();
    assert.match(done, /Completed \d+ steps/);
    assert.match(done, /Review \(round 1\): approved/);
    assert.match(done, /REQ-1\.1: met/);
    assert.match(done, /Traceability/);
    assert.match(done, /completed: 3 file\(s\) changed/);
    assert.equal(await response.locator('.monaco-button', { hasText: /^Rollback$/ }).count(), 1);
    const tree = response.getByRole('tree').filter({ hasText: 'product.js' }).first();
    await tree.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await tree.innerText(), /server\/entities\s+product\.js/);
    await status.filter({ hasText: 'done' }).waitFor({ timeout: 20_000 });
    await shot(page, 'chat-done');

    // The sidebar shows the same run, completed.
    await openSidebar(s);
    await sidebar.locator('[data-testid="run-panel"][data-status="completed"]').waitFor({ timeout: 20_000 });
    await shot(page, 'chat-and-sidebar');
  });
});
