/**
 * Issue 38 with `runs.dispatch: pool` (issue 28), on a real PostgreSQL with a bare git repository
 * as the team's remote: `@orchestrator /feature …` typed in the Chat view and
 * `orchestrator_startFeature` called as a chat agent calls it both put the run in the pool, by the
 * path New Feature takes (sendToPool), instead of running it here: the chat says "Sent to the pool
 * as <runId>", the tool's confirmation says it goes to the pool and its result is `{runId, status:
 * "queued", dispatch: "pool"}`; both runs are queued in PostgreSQL as `runs --pool` reads them,
 * with no local journal and no model called from VS Code → test-output/ui/chat-pool-*.png.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PRODUCT_REQUEST, productAgents } from '../../../bench/support/productFeature';
import { SCRIPTED_LM_EXTENSION_ID, SCRIPTED_TOOL_STATUS_ID } from '../../extension/fixtures/scripted-lm/protocol';
import {
  answerInput,
  openChatOnScriptedModel,
  runCommand,
  scriptedLmExtension,
  sendInChat,
  statusBarItem,
} from '../harness';
import { shot, withSession } from './support/session';
import { pooledRows, teamRemote, uiPool } from './support/uiPool';
import { UI_TIMEOUT_MS } from './support/limits';

const pool = uiPool('chat_pool');

test(
  'with runs.dispatch: pool, /feature and /audit in the chat and orchestrator_startFeature put the run in the pool instead of running it here',
  { timeout: UI_TIMEOUT_MS },
  async () => {
    await withSession(
      'chat-pool',
      {
        agents: productAgents(),
        latencyMs: 100,
        userSettings: { 'chat.disableAIFeatures': false },
        copyExtensions: [scriptedLmExtension],
        shop: { config: (yaml) => `${yaml}\nqueue:\n  url: ${pool.url}\n  leaseSec: 10\nruns:\n  dispatch: pool\n` },
      },
      async (s) => {
        const { page, shop } = s;
        teamRemote(pool, shop.dir);

        // Typed in the Chat view.
        await openChatOnScriptedModel(page);
        await sendInChat(page, `@orchestrator /feature ${PRODUCT_REQUEST}`, 'Product entity');
        const response = page.locator('.interactive-response', { hasText: /Sent to the pool as / }).last();
        await response.waitFor({ state: 'visible', timeout: 60_000 });
        const chatRunId = /Sent to the pool as (\S+) \(/.exec(await response.innerText())?.[1];
        assert.ok(chatRunId, 'the chat names the pooled run');
        assert.match(await response.innerText(), /runs\.dispatch: pool/);
        await shot(page, 'chat-pool-sent');

        // /audit goes to the pool too, as Audit to Target does.
        await sendInChat(page, '@orchestrator /audit server backend 90', 'server backend 90');
        const auditResponse = page.locator('.interactive-response', { hasText: /Sent to the pool as / }).nth(1);
        await auditResponse.waitFor({ state: 'visible', timeout: 60_000 });
        const auditRunId = /Sent to the pool as (\S+) \(/.exec(await auditResponse.innerText())?.[1];
        assert.ok(auditRunId && auditRunId !== chatRunId, `the audit's run: ${auditRunId}`);

        // Called as a chat agent calls the tool: the confirmation says where the run goes.
        await runCommand(page, 'Scripted LM: Invoke a Tool');
        await answerInput(page, `orchestrator_startFeature ${JSON.stringify({ request: PRODUCT_REQUEST })}`);
        const dialog = page.locator('.monaco-dialog-box', { hasText: 'Send an Orchestrator feature run to the pool?' });
        await dialog.waitFor({ state: 'visible', timeout: 60_000 });
        assert.match(
          (await dialog.innerText()).replace(/\s+/g, ' '),
          /sends its runs to the pool \(runs\.dispatch: pool\): ".+" is queued with your uncommitted changes for a worker, .*Nothing is implemented until a person approves the spec\./,
        );
        await shot(page, 'chat-pool-tool-confirmation');
        await dialog.locator('.dialog-buttons .monaco-button', { hasText: /^Yes$/ }).first().click();
        const outcome = statusBarItem(page, SCRIPTED_TOOL_STATUS_ID, SCRIPTED_LM_EXTENSION_ID).filter({
          hasText: /queued \S+/,
        });
        await outcome.waitFor({ state: 'attached', timeout: 60_000 });
        const toolRunId = /queued (\S+)/.exec(await outcome.innerText())?.[1];
        assert.ok(toolRunId && toolRunId !== chatRunId, `the tool's run: ${toolRunId}`);

        // In PostgreSQL, as the CLI reads it: both queued, the request as typed; nothing ran here.
        const rows = pooledRows(shop.dir);
        for (const runId of [chatRunId, toolRunId]) {
          const row = rows.find((r) => r.runId === runId);
          assert.deepEqual(
            row && { status: row.status, kind: row.kind, request: row.request },
            { status: 'queued', kind: 'feature', request: PRODUCT_REQUEST },
            runId,
          );
        }
        assert.deepEqual(
          rows
            .filter((r) => r.runId === auditRunId)
            .map((r) => ({ status: r.status, kind: r.kind, request: r.request })),
          [{ status: 'queued', kind: 'audit', request: 'audit server' }],
        );
        const runs = join(shop.dir, '.claude', 'runs');
        assert.deepEqual(existsSync(runs) ? readdirSync(runs) : [], [], 'no local run journal');
        assert.equal(s.calls.length, 0, 'no model called from VS Code');
      },
    );
  },
);
