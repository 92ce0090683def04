/**
 * A run whose change nothing checked, in the real workbench (issue 70): the shop's frontend has no
 * validate command and the feature has no proof, so the frontend's screen is checked by nothing. The
 * run ends `unchecked` before COMPLETE: the run panel says so, its report names the layer and file,
 * the activity never says "validation passed" for it; Accept unchecked… confirms the file by name
 * and completes the run, journaled `run.unchecked` accepted, as `orchestrator resume
 * --allow-unchecked` does → test-output/ui/unchecked.png.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PRODUCT_REQUEST, productAgents } from '../../../bench/support/productFeature';
import { answerModal, newFeatureFromPalette, scrollSidebarTo, shot, withSession } from './support/session';
import { UI_TIMEOUT_MS } from './support/limits';

const FRONTEND_VALIDATE = /\n\s+# ES module syntax[^\n]*\n\s+validate: \[[^\n]*\]\n/;

test(
  'a run nothing checked part of ends unchecked in the sidebar, names the file, and Accept unchecked… completes it',
  { timeout: UI_TIMEOUT_MS },
  async () => {
    await withSession(
      'unchecked',
      {
        agents: productAgents(),
        latencyMs: 100,
        shop: { config: (yaml) => yaml.replace(FRONTEND_VALIDATE, '\n') },
      },
      async (s) => {
        const { page, sidebar } = s;
        assert.doesNotMatch(readFileSync(join(s.shop.dir, '.claude/orchestrator.yaml'), 'utf8'), /check-web/);
        await newFeatureFromPalette(page, PRODUCT_REQUEST);
        await sidebar.locator('[data-testid="spec-detail"][data-pending]').waitFor({ timeout: 30_000 });
        await sidebar.getByTestId('btn-approve').click();

        await sidebar.locator('[data-testid="run-panel"][data-status="unchecked"]').waitFor({ timeout: 120_000 });
        const report = sidebar.getByTestId('stop-report');
        assert.equal(await report.getAttribute('data-unchecked'), 'frontend: web/src/products.js');
        const body = await sidebar.getByTestId('stop-report-body').innerText();
        assert.match(body, /Run ended unchecked/);
        assert.match(body, /frontend: web\/src\/products\.js/);
        assert.match(body, /--allow-unchecked/);
        await scrollSidebarTo(s, 'stop-report');
        await page.mouse.move(0, 0);
        await shot(page, 'unchecked');

        await sidebar.getByTestId('btn-accept-unchecked').click();
        const question = await answerModal(
          page,
          /Complete run \S+ with 1 file nothing checked\?/,
          'Accept Unchecked and Complete',
        );
        assert.match(question, /frontend: web\/src\/products\.js/);
        await sidebar.locator('[data-testid="run-panel"][data-status="completed"]').waitFor({ timeout: 90_000 });

        const runs = readdirSync(join(s.shop.dir, '.claude/runs')).filter((name) => /^\d{8}-/.test(name));
        assert.equal(runs.length, 1, runs.join(', '));
        const journal = readFileSync(join(s.shop.dir, '.claude/runs', runs[0]!, 'events.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as Record<string, unknown>);
        assert.deepEqual(
          journal.filter((e) => e.type === 'run.unchecked').map((e) => e.accepted),
          [false, true],
        );
        assert.deepEqual(
          journal.filter((e) => e.type === 'run.started').map((e) => e.allowUnchecked),
          [undefined, true],
        );
        const frontend = journal.filter((e) => e.type === 'validation.passed' && e.layer === 'frontend');
        assert.ok(frontend.length > 0 && frontend.every((e) => e.commands === 0 && e.proofTests === 0));
        assert.equal(journal.filter((e) => e.type === 'spec.completed').length, 1);
      },
    );
  },
);
