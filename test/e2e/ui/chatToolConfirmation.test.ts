/**
 * Issue 38 in the real workbench: `orchestrator_startFeature` called as a chat agent calls it
 * (vscode.lm.invokeTool, here from the scripted test extension, with no chat request), so VS Code
 * shows its prepareInvocation confirmation as a modal dialog. What the user reads before anything
 * runs: what the tool will do (a spec for this request, in this folder) and that nothing is
 * implemented until a person approves. Cancel starts nothing (no model call, no spec); allowed, the
 * run goes up to its spec and waits for a person, approved by no one → test-output/ui/chat-tool-*.png.
 */
import * as assert from 'node:assert/strict';
import { basename } from 'node:path';
import { test } from 'node:test';
import { PRODUCT_REQUEST, productAgents } from '../../../bench/support/productFeature';
import { SCRIPTED_LM_EXTENSION_ID, SCRIPTED_TOOL_STATUS_ID } from '../../extension/fixtures/scripted-lm/protocol';
import { answerInput, runCommand, scriptedLmExtension, statusBarItem } from '../harness';
import { openSidebar, shot, withSession } from './support/session';
import { UI_TIMEOUT_MS } from './support/limits';

test(
  "orchestrator_startFeature's confirmation names the request and the folder; Cancel starts nothing, Allow stops at the spec",
  { timeout: UI_TIMEOUT_MS },
  async () => {
    await withSession(
      'chat-tool',
      {
        agents: productAgents(),
        latencyMs: 100,
        userSettings: { 'chat.disableAIFeatures': false },
        copyExtensions: [scriptedLmExtension],
      },
      async (s) => {
        const { page, status, sidebar } = s;
        const outcome = statusBarItem(page, SCRIPTED_TOOL_STATUS_ID, SCRIPTED_LM_EXTENSION_ID);
        const call = async () => {
          await runCommand(page, 'Scripted LM: Invoke a Tool');
          await answerInput(page, `orchestrator_startFeature ${JSON.stringify({ request: PRODUCT_REQUEST })}`);
          const dialog = page.locator('.monaco-dialog-box', { hasText: 'Start an Orchestrator feature run?' });
          await dialog.waitFor({ state: 'visible', timeout: 60_000 });
          return dialog;
        };
        const press = async (dialog: Awaited<ReturnType<typeof call>>, label: RegExp) => {
          await dialog.locator('.dialog-buttons .monaco-button', { hasText: label }).first().click();
          await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
        };

        // The confirmation, before anything runs.
        const first = await call();
        const text = (await first.innerText()).replace(/\s+/g, ' ');
        assert.match(text, /Start an Orchestrator feature run\?/);
        assert.ok(text.includes(`"${PRODUCT_REQUEST}"`), `the request is not named: ${text}`);
        assert.ok(text.includes(basename(s.shop.dir)), `the folder is not named: ${text}`);
        assert.match(
          text,
          /then the run waits for your approval\. Nothing is implemented until a person approves the spec\./,
        );
        assert.equal(s.calls.length, 0, 'a model call before the confirmation was answered');
        await shot(page, 'chat-tool-confirmation');

        // Cancel: the tool does not run; no model call, no spec, no run.
        await press(first, /^Cancel$/);
        await outcome.filter({ hasText: /failed/ }).waitFor({ state: 'attached', timeout: 30_000 });
        assert.equal(s.calls.length, 0, 'the spec agent ran after Cancel');
        assert.doesNotMatch(await status.innerText(), /spec awaiting approval/);

        // Allowed: the run writes its spec and waits at the gate for a person; the tool returns it unapproved.
        const second = await call();
        await press(second, /^Yes$/);
        const done = outcome.filter({ hasText: /awaiting-approval \S+-product-entity/ });
        await done.waitFor({ state: 'attached', timeout: 90_000 });
        await status.filter({ hasText: 'spec awaiting approval' }).waitFor({ timeout: 10_000 });
        assert.deepEqual(
          [...new Set(s.calls.map((c) => c.agent))],
          ['spec'],
          'only the spec agent runs before a person approves',
        );
        await openSidebar(s);
        await sidebar.getByText('awaiting approval', { exact: true }).first().waitFor({ timeout: 20_000 });
        await shot(page, 'chat-tool-at-gate');
      },
    );
  },
);
