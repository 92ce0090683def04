/**
 * Restricted Mode (workspace trust on, the folder not trusted): a spec can still be written,
 * but neither approving it from the pending decision nor approving it later as a saved spec
 * runs anything from the workspace. Every sync/validate command of the shop's config is
 * prefixed with a command that writes a marker file; no marker may ever appear, and the user
 * is told clearly why nothing was implemented.
 */
import * as assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PRODUCT_REQUEST, productAgents } from '../../../bench/support/productFeature';
import {
  findNotification,
  newFeatureFromPalette,
  notificationTexts,
  openSidebar,
  shot,
  sleep,
  withSession,
} from './support/session';
import { UI_TIMEOUT_MS } from './support/limits';

/** Writes <markers>/<name> when executed: the proof that a workspace command ran. */
function markerScript(markers: string): string {
  const script = join(markers, 'mark.js');
  writeFileSync(
    script,
    `require('node:fs').writeFileSync(require('node:path').join(${JSON.stringify(markers)}, process.argv[2]), new Date().toISOString());\n`,
  );
  return script;
}

/** Every validate list and the sync list of the shop's config get the marker command first. */
function withMarkers(script: string) {
  return (yaml: string): string => {
    let layers = 0;
    let next = yaml.replace(
      /^(\s+)validate: \[/gm,
      (_m, indent: string) => `${indent}validate: ["node ${script} validate-${++layers}", `,
    );
    next = next.replace(/^sync: \[/m, `sync: ["node ${script} sync", `);
    if (layers !== 3 || !next.includes(`node ${script} sync`))
      throw new Error(`the shop's config changed: ${layers} validate lists`);
    return next;
  };
}

const TRUST_MESSAGE =
  /runs commands from this workspace \(sync and validate in \.claude\/orchestrator\.yaml\), which Restricted Mode does not allow\. Trust the workspace to continue\./;

test('Restricted Mode: approving runs no workspace command and says why', { timeout: UI_TIMEOUT_MS }, async () => {
  const markers = mkdtempSync(join(tmpdir(), 'orch-ui-markers-'));
  const script = markerScript(markers);
  try {
    // The marker command works: run as a workspace command, it leaves its file.
    execSync(`node ${script} self-check`);
    assert.ok(existsSync(join(markers, 'self-check')));
    rmSync(join(markers, 'self-check'));

    await withSession(
      'restricted',
      {
        agents: productAgents(),
        latencyMs: 150,
        trust: false,
        // Untrusted without the startup dialog: the folder opens straight in Restricted Mode.
        userSettings: {
          'security.workspace.trust.startupPrompt': 'never',
          'security.workspace.trust.banner': 'always',
        },
        shop: { config: withMarkers(script) },
      },
      async (s) => {
        const { page, sidebar, status, shop, calls } = s;
        await openSidebar(s);
        await sidebar.getByTestId('restricted-banner').waitFor({ timeout: 15_000 });
        assert.match(
          await sidebar.getByTestId('restricted-banner').innerText(),
          /Restricted Mode: specs can be written, but nothing from this workspace is run/,
        );

        // Writing the spec is allowed (no workspace command runs for it).
        await newFeatureFromPalette(page, PRODUCT_REQUEST);
        await sidebar.locator('[data-testid="spec-detail"][data-pending]').waitFor({ timeout: 30_000 });
        assert.match(await sidebar.getByTestId('decision').innerText(), /Implementing needs a trusted workspace/);

        // 1. Approve the pending spec: refused with the trust message, the decision stays open.
        await sidebar.getByTestId('btn-approve').click();
        const message = await findNotification(page, 'Approve and implement runs commands from this workspace');
        assert.match(await message.innerText(), TRUST_MESSAGE);
        assert.match(await message.innerText(), /Manage Workspace Trust/);
        await shot(page, 'restricted');
        await sleep(1000);
        await sidebar.locator('[data-testid="spec-detail"][data-pending]').waitFor({ timeout: 2000 });
        await status.filter({ hasText: 'spec awaiting approval' }).waitFor({ timeout: 2000 });

        // 2. Save it, then approve the saved spec: refused the same way, no run starts.
        await sidebar.getByTestId('btn-save').click();
        await sidebar.locator('[data-testid="run-panel"][data-status="spec-saved"]').waitFor({ timeout: 15_000 });
        await sidebar.locator('[data-testid="spec-detail"]:not([data-pending])').getByTestId('btn-approve').click();
        assert.match(
          await (await findNotification(page, 'Approve Spec runs commands from this workspace')).innerText(),
          TRUST_MESSAGE,
        );
        await sleep(2000);
        await sidebar.locator('[data-testid="run-panel"][data-status="spec-saved"]').waitFor({ timeout: 2000 });

        // Nothing from the workspace ran, no layer was called, no file was written.
        assert.deepEqual(
          readdirSync(markers).filter((f) => f !== 'mark.js'),
          [],
          'a workspace command ran',
        );
        assert.deepEqual([...new Set(calls.map((c) => c.agent))], ['spec'], 'only the spec agent was called');
        for (const p of ['db/migrations/003_create_product.sql', 'server/entities/product.js', 'web/src/products.js'])
          assert.ok(!existsSync(join(shop.dir, p)), `${p} written`);
        console.log(`notifications: ${JSON.stringify(await notificationTexts(page))}`);
      },
    );
  } finally {
    rmSync(markers, { recursive: true, force: true });
  }
});
