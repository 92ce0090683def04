/**
 * Runs in worktrees through the real workbench (issue 22): with `orchestrator.isolation:
 * worktree`, two features started from the sidebar's New Feature go at once, side by side
 * (a lane each, the status bar summing them); then Apply on one brings its files into the
 * checkout and Discard on the other drops its worktree, the checkout never touched by it.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { say } from '../../../bench/support/scriptedAgents';
import { entityModule, entitySpec, featureRequest } from '../../support/engine/worktreeFeatures';
import {
  answerModal,
  openSidebar,
  recordStatusTexts,
  scrollSidebarTo,
  sidebarShot,
  withSession,
  type Session,
} from './support/session';
import { UI_TIMEOUT_MS } from './support/limits';

const agents = {
  spec: ({ task }: { task: string }) => {
    const entity = /Add an? (\w+) entity/.exec(task)?.[1] ?? 'Unknown';
    return say.spec(`${entity} API`, `${entity.toLowerCase()}-api`, entitySpec(entity));
  },
  backend: ({ turn, task }: { turn: number; task: string }) => {
    const entity = /the spec "(\w+) API"/.exec(task)?.[1] ?? 'Unknown';
    return turn === 0
      ? say.write({ [`server/entities/${entity.toLowerCase()}.js`]: entityModule(entity) })
      : say.done(`${entity} module written.`);
  },
  review: () => say.approve(),
};

/** New Feature from the sidebar's button, the request typed into its input box. */
async function newFeatureFromSidebar(s: Session, request: string): Promise<void> {
  await s.sidebar.getByTestId('btn-new-feature').click();
  const input = s.page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await s.page.locator('.quick-input-widget', { hasText: 'in its own worktree' }).waitFor({ timeout: 5000 });
  await input.pressSequentially(request, { delay: 5 });
  await input.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: 5000 });
}

async function approvePending(s: Session, title: string): Promise<void> {
  await s.sidebar.locator('[data-testid="spec-body"]', { hasText: `Spec: ${title}` }).waitFor({ timeout: 30_000 });
  await s.sidebar.getByTestId('btn-approve').click();
}

const lane = (s: Session, entity: string) =>
  s.sidebar.locator('[data-testid="lane"]', { hasText: featureRequest(entity) });

async function laneRunId(s: Session, entity: string): Promise<string> {
  const id = await lane(s, entity).getAttribute('data-run-id');
  assert.ok(id, `the ${entity} lane has its run id`);
  return id;
}

const gitOut = (dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });

async function clickIn(page: Page, locator: ReturnType<Session['sidebar']['locator']>): Promise<void> {
  await locator.scrollIntoViewIfNeeded().catch(() => undefined);
  await locator.click();
  await page.waitForTimeout(50);
}

test(
  'two features at once in worktrees from the sidebar; Apply one, Discard the other',
  { timeout: UI_TIMEOUT_MS },
  async () => {
    // Each backend agent's first reply waits until the test has seen both runs in IMPLEMENT at once
    // (a fixed 5 s was not enough on a loaded machine: the first run could end before the second began).
    let seenSideBySide!: () => void;
    const sideBySide = new Promise<void>((resolve) => (seenSideBySide = resolve));
    await withSession(
      'worktrees',
      {
        agents,
        latencyMs: 300,
        hold: (call) => (call.agent === 'backend' && call.turn === 0 ? sideBySide : undefined),
        userSettings: { 'orchestrator.isolation': 'worktree' },
        shop: { config: (yaml) => `${yaml}\nworktree:\n  dir: ../worktrees\n` },
      },
      async (s) => {
        await openSidebar(s);
        const statusTexts = await recordStatusTexts(s.page);
        const head = gitOut(s.shop.dir, 'rev-parse', 'HEAD');
        const index = readFileSync(join(s.shop.dir, '.git', 'index'));

        await newFeatureFromSidebar(s, featureRequest('Address'));
        await approvePending(s, 'Address API');
        await newFeatureFromSidebar(s, featureRequest('Invoice'));
        await approvePending(s, 'Invoice API');

        // Side by side: two lanes running at once, the status bar summing them.
        await s.sidebar.locator('[data-testid="lane"][data-status="running"]').nth(1).waitFor({ timeout: 20_000 });
        await s.status.filter({ hasText: /2 runs · \$\d+\.\d\d/ }).waitFor({ timeout: 20_000 });
        for (const entity of ['Address', 'Invoice'])
          await lane(s, entity).locator('[data-testid="layer-row"][data-layer="backend"]').waitFor({ timeout: 20_000 });
        seenSideBySide();

        for (const entity of ['Address', 'Invoice'])
          await lane(s, entity).and(s.sidebar.locator('[data-status="completed"]')).waitFor({ timeout: 60_000 });
        await scrollSidebarTo(s, 'lanes').catch(() => undefined);
        await sidebarShot(s.page, 'worktrees-side-by-side').catch(() => undefined);
        const texts = await statusTexts();
        assert.ok(
          texts.some((t) => /2 runs/.test(t)),
          `the status bar summed two runs: ${JSON.stringify(texts)}`,
        );
        // Nothing of either run in the checkout yet.
        for (const entity of ['address', 'invoice'])
          assert.ok(!existsSync(join(s.shop.dir, `server/entities/${entity}.js`)));

        const applied = await laneRunId(s, 'Address');
        const discarded = await laneRunId(s, 'Invoice');
        await clickIn(s.page, lane(s, 'Address').getByTestId(`btn-lane-apply-${applied}`));
        await lane(s, 'Address').waitFor({ state: 'detached', timeout: 20_000 });
        assert.equal(readFileSync(join(s.shop.dir, 'server/entities/address.js'), 'utf8'), entityModule('Address'));

        await clickIn(s.page, lane(s, 'Invoice').getByTestId(`btn-lane-discard-${discarded}`));
        await answerModal(s.page, /Discard run/, 'Discard');
        await lane(s, 'Invoice').waitFor({ state: 'detached', timeout: 20_000 });
        assert.ok(
          !existsSync(join(s.shop.dir, 'server/entities/invoice.js')),
          'the discarded run left nothing in the checkout',
        );

        // The runs list (folded) says what became of each; no worktree is left; HEAD and the index untouched.
        await s.sidebar
          .locator(`[data-testid="run-item"][data-run-id="${applied}"]`, { hasText: 'worktree applied' })
          .waitFor({ state: 'attached', timeout: 10_000 });
        await s.sidebar
          .locator(`[data-testid="run-item"][data-run-id="${discarded}"]`, { hasText: 'worktree discarded' })
          .waitFor({ state: 'attached', timeout: 10_000 });
        assert.equal(gitOut(s.shop.dir, 'worktree', 'list', '--porcelain').match(/^worktree /gm)?.length, 1);
        assert.equal(gitOut(s.shop.dir, 'rev-parse', 'HEAD'), head);
        assert.ok(readFileSync(join(s.shop.dir, '.git', 'index')).equals(index), '.git/index byte-identical');
        assert.deepEqual(s.api.scriptErrors, []);
      },
    );
  },
);
