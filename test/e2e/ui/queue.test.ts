/**
 * The task queue in the real workbench: an outside agent (the MCP SDK's client, launching our
 * CLI's `mcp` over stdio, as Claude Code or Copilot would) creates, claims and submits a module
 * for the backend; the sidebar shows it with its thread and the status bar counts it; the user
 * approves it in the sidebar, and the file lands in the shop and passes the backend's validation.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { PRODUCT_MODULE } from '../../../bench/support/productFeature';
import { openSidebar, scrollSidebarTo, sidebarShot, withSession } from './support/session';
import { UI_TIMEOUT_MS } from './support/limits';

// The CLI the extension's MCP registration launches too (built by the tier before it runs).
const CLI = resolve(__dirname, '../../../dist/cli.js');

test(
  'an artifact from an outside agent is approved in the sidebar, lands and passes validation',
  { timeout: UI_TIMEOUT_MS },
  async () => {
    await withSession('queue', { agents: {}, sidebarWidth: 560 }, async (s) => {
      const { page, sidebar, shop } = s;
      await openSidebar(s);

      const client = new Client({ name: 'claude-code', version: '1.0.0' });
      // The SDK gives the server only HOME, PATH and the like: the data folder the window's extension host has (the test tier's, ORCHESTRATOR_DATA_DIR) is passed on, or the two would open different queues.
      const dataDir: Record<string, string> = process.env.ORCHESTRATOR_DATA_DIR
        ? { ORCHESTRATOR_DATA_DIR: process.env.ORCHESTRATOR_DATA_DIR }
        : {};
      await client.connect(
        new StdioClientTransport({
          command: process.execPath,
          args: [CLI, 'mcp', '--workspace', shop.dir],
          env: { ...getDefaultEnvironment(), ...dataDir },
          stderr: 'pipe',
        }),
      );
      const call = async (name: string, args: Record<string, unknown>) => {
        const result = (await client.callTool({ name, arguments: args })) as {
          isError?: boolean;
          content: { text: string }[];
        };
        assert.ok(!result.isError, `${name}: ${result.content[0]?.text}`);
        return JSON.parse(result.content[0]!.text) as { id: string };
      };
      try {
        const task = await call('create_task', {
          title: 'Product entity module',
          description: 'server/entities/product.js, following customer.js',
        });
        await call('claim_ticket', { task_id: task.id });
        await call('send_message', { task_id: task.id, text: 'Following the simple pattern of customer.js.' });
        await call('submit_artifact', {
          task_id: task.id,
          type: 'code',
          path: 'server/entities/product.js',
          content: PRODUCT_MODULE,
        });
        assert.equal(existsSync(join(shop.dir, 'server/entities/product.js')), false, 'nothing lands before approval');

        const item = sidebar.locator(`[data-testid="queue-task"][data-task-id="${task.id}"]`);
        await item.and(sidebar.locator('[data-status="review_pending"]')).waitFor({ timeout: 20_000 });
        await page.locator('.statusbar-item', { hasText: '1 to review' }).waitFor({ timeout: 10_000 });
        assert.match(
          await item.getByTestId('queue-thread').innerText(),
          /claude-code#[0-9a-f]{8}: Following the simple pattern/,
        );
        // A diff against the workspace (a new file: every line added), its first lines only, the rest in the diff editor.
        assert.match(
          await item.getByTestId('queue-artifact-diff').innerText(),
          /\+\d+ −0 · server\/entities\/product\.js \(added\)/,
        );
        assert.match(await item.getByTestId('queue-artifact-content').innerText(), /^\+function list\(\) \{$/m);
        await item.getByTestId('btn-queue-show-diff').click();
        await page.locator('.tab', { hasText: 'product.js: workspace ↔ artifact' }).waitFor({ timeout: 15_000 });
        await scrollSidebarTo(s, 'queue-panel');
        await sidebarShot(page, 'queue');

        await item.getByTestId('btn-queue-approve').click();
        await item.and(sidebar.locator('[data-status="done"]')).waitFor({ timeout: 30_000 });
        assert.equal(readFileSync(join(shop.dir, 'server/entities/product.js'), 'utf8'), PRODUCT_MODULE);
        const decision = JSON.parse(
          readFileSync(join(shop.dir, '.claude/runs/queue-decisions.jsonl'), 'utf8').trim(),
        ) as Record<string, unknown>;
        assert.equal(decision.verdict, 'approved');
        assert.deepEqual(decision.files, ['server/entities/product.js']);
        await page.locator('.statusbar-item', { hasText: 'to review' }).waitFor({ state: 'detached', timeout: 10_000 });
      } finally {
        await client.close();
      }
    });
  },
);
