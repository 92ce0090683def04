/**
 * Initialize Workspace in the real workbench: New Feature on a workspace without a config
 * offers it first; the census's proposal appears in the sidebar (a row per layer with its
 * owns, commands and verification results); the user renames a layer, edits its owns, drops
 * another and accepts; .claude/orchestrator.yaml is written with exactly that.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { runCommand } from '../harness';
import { answerModal, openSidebar, sidebarShot, sleep, withSession } from './support/session';
import { UI_TIMEOUT_MS } from './support/limits';

test(
  'Initialize Workspace: the proposal in the sidebar, a layer edited and one dropped, accepted and written',
  { timeout: UI_TIMEOUT_MS },
  async () => {
    await withSession('init-workspace', { agents: {}, sidebarWidth: 560 }, async (s) => {
      const { page, sidebar, shop } = s;
      const config = join(shop.dir, '.claude/orchestrator.yaml');
      rmSync(config);
      await openSidebar(s);

      // New Feature without a config offers Initialize Workspace first.
      await runCommand(page, 'Orchestrator: New Feature');
      const question = await answerModal(page, /has no \.claude\/orchestrator\.yaml/, 'Initialize Workspace');
      assert.match(question, /census in memory/i);

      const summary = sidebar.getByTestId('init-summary');
      await summary.waitFor({ timeout: 60_000 });
      assert.match(await summary.innerText(), /\d+ of \d+ source files owned by 3 layers/);
      const backend = sidebar.getByTestId('init-layer-backend');
      const passed = backend.locator('[data-testid="init-command"][data-status="passed"]');
      await passed.first().waitFor({ timeout: 10_000 });
      assert.match(await passed.first().innerText(), /npm run check/);
      assert.match(await passed.first().innerText(), /from package\.json/);
      await sidebarShot(page, 'init-workspace-proposal');

      // Rename the frontend layer and narrow its owns; drop the database layer.
      const name = sidebar.getByTestId('init-name-frontend').locator('input');
      await name.fill('webapp');
      const owns = sidebar.getByTestId('init-owns-frontend').locator('textarea');
      await owns.fill('web/src/**\nweb/index.html');
      const validate = sidebar.getByTestId('init-validate-frontend').locator('textarea');
      await validate.fill('node --check web/src/main.js');
      await sidebar.getByTestId('btn-init-drop-database').click();
      await sleep(200);
      await sidebar.getByTestId('btn-init-accept').click();

      const deadline = Date.now() + 30_000;
      while (!existsSync(config) && Date.now() < deadline) await sleep(200);
      assert.ok(existsSync(config), 'the config is written');
      const written = parse(readFileSync(config, 'utf8')) as {
        layers: Record<string, { owns: string[]; validate: string[] }>;
      };
      assert.deepEqual(Object.keys(written.layers), ['backend', 'webapp']);
      assert.deepEqual(written.layers.webapp!.owns, ['web/src/**', 'web/index.html']);
      assert.deepEqual(written.layers.webapp!.validate, ['node --check web/src/main.js']);
      assert.deepEqual(written.layers.backend!.validate, ['npm run check']);
      assert.match(readFileSync(config, 'utf8'), /- npm run check # from package\.json; passed in/);
      // The context files are written after the config: the proposal leaves the sidebar once init is done.
      await summary.waitFor({ state: 'detached', timeout: 10_000 });
      assert.ok(
        existsSync(join(shop.dir, '.claude/context/webapp.context.md')),
        'the renamed layer gets its context file',
      );
    });
  },
);
