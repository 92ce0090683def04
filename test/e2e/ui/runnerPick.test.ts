/**
 * Bring your own agent, in the real workbench (issue 27): the sidebar's Runners section lists the
 * CLI agents on this machine; the user picks Claude Code for the backend layer (written into
 * .claude/orchestrator.yaml), runs a feature, and the real Claude Code (the Agent SDK's binary,
 * pointed at the scripted Messages API server through the extension's environment) does the
 * backend's work: its tool calls appear in the run's activity, its file comes back; the section's
 * runners' record (issue 47) then shows the run, each layer on its runner.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PRODUCT_MODULE, PRODUCT_REQUEST, productAgents } from '../../../bench/support/productFeature';
import { cc, CLAUDE_BINARY } from '../../support/runners/claudeCode';
import { newFeatureFromPalette, openSidebar, scrollSidebarTo, shot, sidebarShot, withSession } from './support/session';
import { UI_TIMEOUT_MS } from './support/limits';

const CONFIG = join('.claude', 'orchestrator.yaml');

test(
  'pick Claude Code for the backend in the sidebar, run, and watch its tool calls',
  { timeout: UI_TIMEOUT_MS },
  async () => {
    const agents = {
      ...productAgents(),
      // Claude Code's own tools: Write into its worktree, then the structured answer.
      backend: (call: Parameters<typeof cc.write>[0]) =>
        call.turn === 0
          ? cc.write(call, { 'server/entities/product.js': PRODUCT_MODULE })
          : cc.done('server/entities/product.js written by Claude Code.'),
    };
    await withSession(
      'runner-pick',
      {
        agents,
        latencyMs: 150,
        sidebarWidth: 600,
        shop: {
          config: (yaml) => `${yaml}\nagentCli:\n  claude-code: { command: ${JSON.stringify(CLAUDE_BINARY)} }\n`,
        },
      },
      async (s) => {
        const { page, sidebar, status, shop } = s;
        await openSidebar(s);

        // The Runners section: Claude Code is there (configured command, its version); pick it.
        await sidebar.getByTestId('section-runners').click();
        const claude = sidebar.locator('[data-testid="cli-status"][data-runner="claude-code"]');
        await claude.waitFor({ timeout: 30_000 });
        assert.match(await claude.innerText(), /Claude Code\s+2\.\d+\.\d+/);
        const picker = sidebar.locator('[data-testid="runner-select"][data-agent="backend"]');
        assert.equal(await picker.inputValue(), 'agent');
        assert.equal(
          await picker.locator('option[value="auto"]').count(),
          1,
          'auto (best record) is offered for a layer',
        );
        await picker.selectOption('claude-code');
        for (let i = 0; i < 100 && !/runner: claude-code/.test(readFileSync(join(shop.dir, CONFIG), 'utf8')); i++)
          await page.waitForTimeout(100);
        const config = readFileSync(join(shop.dir, CONFIG), 'utf8');
        assert.match(config, /backend:\n(?:.*\n)*? {4}runner: claude-code/);
        assert.match(config, /# Orchestrator configuration for the shop example\./, 'the file keeps its comments');
        await sidebarShot(page, 'runner-pick').catch(() => undefined);

        // Run: the spec, approved; database and frontend on our agent, backend on Claude Code.
        await newFeatureFromPalette(page, PRODUCT_REQUEST);
        await sidebar.getByTestId('btn-approve').waitFor({ timeout: 30_000 });
        await sidebar.getByTestId('btn-approve').click();
        await status.filter({ hasText: 'done' }).waitFor({ timeout: 150_000 });

        // Claude Code's tool calls in the run's activity, sanitized one-liners; its file in the checkout.
        await scrollSidebarTo(s, 'activity').catch(() => undefined);
        const activity = await sidebar.getByTestId('activity').innerText();
        assert.match(activity, /backend · Write server\/entities\/product\.js/);
        assert.equal(readFileSync(join(shop.dir, 'server/entities/product.js'), 'utf8'), PRODUCT_MODULE);

        // The run's end wrote the runners' record; the section shows it, a table per layer.
        const backendRow = sidebar.locator(
          '[data-testid="record-table"][data-layer="backend"] [data-testid="record-row"]',
        );
        await backendRow.waitFor({ timeout: 30_000 });
        assert.equal(await backendRow.getAttribute('data-runner'), 'claude-code');
        assert.match(await backendRow.innerText(), /^claude-code\s+1\s+100 %/);
        assert.equal(
          await sidebar
            .locator('[data-testid="record-table"][data-layer="database"] [data-testid="record-row"]')
            .getAttribute('data-runner'),
          'agent:claude-sonnet-5-5',
        );
        await shot(page, 'runner-pick-run').catch(() => undefined);
        await sidebarShot(page, 'runner-pick-activity').catch(() => undefined);
      },
    );
  },
);
