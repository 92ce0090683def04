/**
 * Issue 38: `@orchestrator /audit server backend 90` typed in the real Chat view runs the audit
 * loop to its target as Audit to Target does (the same run controller): the scripted auditor scores
 * 75, 82, 91 while the fixer works, and the chat's response shows the run to its end, while the
 * status bar and the sidebar show the same audit → test-output/ui/chat-audit.png.
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditor, fixer } from '../../support/auditScript';
import { openChatOnScriptedModel, scriptedLmExtension, sendInChat } from '../harness';
import { openSidebar, shot, withSession } from './support/session';
import { UI_TIMEOUT_MS } from './support/limits';

test(
  '@orchestrator /audit in the Chat view: the audit loop to its target, its outcome in the chat and the sidebar',
  { timeout: UI_TIMEOUT_MS },
  async () => {
    await withSession(
      'chat-audit',
      {
        agents: { audit: auditor(), backend: fixer() },
        latencyMs: 150,
        userSettings: { 'chat.disableAIFeatures': false },
        copyExtensions: [scriptedLmExtension],
      },
      async (s) => {
        const { page, sidebar, status } = s;
        await openChatOnScriptedModel(page);
        await sendInChat(page, '@orchestrator /audit server backend 90', 'server backend 90');

        const response = page.locator('.interactive-response').last();
        await status.filter({ hasText: /AUDIT 2\/10 · 91\/100/ }).waitFor({ timeout: 90_000 });
        await response
          .locator('.monaco-button', { hasText: /^Show Changes$/ })
          .waitFor({ state: 'visible', timeout: 60_000 });
        // The chat folds what streamed into "Completed N steps": unfold it to read every audit's score.
        await response
          .getByText(/^Completed \d+ steps/)
          .first()
          .click();
        await response.getByText('Audit 0: 75/100', { exact: false }).first().waitFor({ timeout: 10_000 });
        const text = (await response.innerText()).replace(/[ \t]+/g, ' ');
        for (const line of [
          /Audit 0: 75\/100, \d+ finding\(s\)/,
          /Audit 1: 82\/100, \d+ finding\(s\)/,
          /Audit 2: 91\/100, \d+ finding\(s\)/,
        ])
          assert.match(text, line);
        assert.match(text, /Audit ended: the target score is reached\. Report: \S+\.md/);
        assert.match(text, /Run \S+ completed: \d+ file\(s\) changed/);
        await shot(page, 'chat-audit');
        // The same audit in the sidebar, ended at its target.
        await openSidebar(s);
        await sidebar.locator('[data-testid="audit-panel"][data-reason="target"]').waitFor({ timeout: 20_000 });
      },
    );
  },
);
