/**
 * Issue 38 in the real workbench: the Chat view (Chat on, a chat model from the scripted test
 * extension so the chat can send), `@orchestrator /feature …` typed like a user, the spec
 * rendered in the response with its three buttons, Approve clicked in the chat, the run streamed
 * to its end (the review per criterion, the file tree, Show Changes and Rollback) in the chat,
 * while the sidebar and the status bar show the same run → test-output/ui/chat-*.png.
 *
 * The request, the spec and an agent's summary carry a command link, images on a listener of the
 * test's and raw HTML (issue 44): nothing of it renders live, and neither the listener nor the
 * page's own request log sees a request for those images.
 */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { PRODUCT_REQUEST, productAgents } from '../../../bench/support/productFeature';
import { openChatOnScriptedModel, scriptedLmExtension, sendInChat } from '../harness';
import type { Locator } from 'playwright-core';
import { openSidebar, shot, withSession } from './support/session';
import { UI_TIMEOUT_MS } from './support/limits';

test(
  '@orchestrator /feature in the Chat view: approve in the chat, the run finishes in the chat and the sidebar',
  { timeout: UI_TIMEOUT_MS },
  async (t) => {
    assert.ok(
      existsSync(join(scriptedLmExtension, 'extension.js')),
      'the scripted chat models are not built: node scripts/e2e/build-tests.mjs',
    );
    const settings = { 'chat.disableAIFeatures': false };
    const bait = await baitListener();
    t.after(() => bait.server.close());
    // Images over http and https (the workbench's CSP allows https images: only the rendering stops those).
    const injection = (where: string) =>
      `[x](command:workbench.action.quit) <img src=${bait.url}/${where}-img.png> ![p](${bait.url}/${where}-md.png) ![q](${bait.tls}/${where}-md.png) <b>raw-${where}</b>`;
    const agents = productAgents({ hostile: injection('agent') });
    await withSession(
      'chat',
      { agents, latencyMs: 100, userSettings: settings, copyExtensions: [scriptedLmExtension] },
      async (s) => {
        const { page, sidebar, status } = s;
        const seen: string[] = [];
        page.on('request', (r) => {
          if (r.url().startsWith(bait.url) || r.url().startsWith(bait.tls)) seen.push(r.url());
        });
        // The Chat view, on a chat model (without one the chat answers "Language model unavailable").
        // Its new chat in place before typing (else the request goes to the chat it replaces: the Approve never shown).
        await openChatOnScriptedModel(page);
        await page.locator('.interactive-input-part', { hasText: 'Scripted scripted' }).waitFor({ timeout: 10_000 });

        // Typed like a user.
        await sendInChat(page, `@orchestrator /feature ${PRODUCT_REQUEST} ${injection('typed')}`, 'Product entity');

        // The spec in the response, with its buttons, while the status bar says a spec waits.
        const response = page.locator('.interactive-response').last();
        const approve = response
          .locator('.chat-command-button .monaco-button, a.monaco-button, .monaco-button', { hasText: /^Approve$/ })
          .first();
        await approve.waitFor({ state: 'visible', timeout: 60_000 });
        const atGate = await response.innerText();
        assert.match(atGate, /Spec: Product entity/);
        assert.match(atGate, /awaits your approval/);
        for (const label of ['Request changes', 'Save for later'])
          assert.equal(
            await response.locator('.monaco-button', { hasText: new RegExp(`^${label}$`) }).count(),
            1,
            label,
          );
        await status.filter({ hasText: 'spec awaiting approval' }).waitFor({ timeout: 10_000 });
        // The spec's summary is shown with its hostile text as text.
        assert.match(atGate, /raw-agent/);
        await assertInert(response);
        await shot(page, 'chat-gate');

        // Approve in the chat. The spec names the database agent's migration: its approval is the
        // confirmation of that schema change (issue 44), so no modal asks it again.
        await approve.click();

        // The end, in the chat: the review per criterion, the file tree, Show Changes and Rollback.
        await response
          .locator('.monaco-button', { hasText: /^Show Changes$/ })
          .waitFor({ state: 'visible', timeout: 90_000 });
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
        await assertInert(response);
        await shot(page, 'chat-done');

        // The sidebar shows the same run, completed.
        await openSidebar(s);
        await sidebar.locator('[data-testid="run-panel"][data-status="completed"]').waitFor({ timeout: 20_000 });
        await shot(page, 'chat-and-sidebar');
        await assertInert(page.locator('body'));
        await assertInert(sidebar.locator('body'));
        assert.deepEqual(seen, [], 'the page requested none of the images');
        assert.equal(bait.connections(), 0, 'the listener received no connection');
      },
    );
  },
);

/** No live command link, no image and no element of the raw HTML in what the chat rendered. */
async function assertInert(area: Locator): Promise<void> {
  assert.equal(
    await area.locator('[href*="workbench.action.quit"], [data-href*="workbench.action.quit"]').count(),
    0,
    'a live command link from the text',
  );
  assert.equal(await area.locator('img[src*="-img.png"], img[src*="-md.png"]').count(), 0, 'an image from the text');
  assert.equal(await area.locator('b', { hasText: /^raw-/ }).count(), 0, 'raw HTML rendered');
}

/** A listener the injected images point at (as http and as https: a TLS hello is a connection too): any connection is a failure. */
async function baitListener(): Promise<{ server: Server; url: string; tls: string; connections(): number }> {
  let connections = 0;
  const server = createServer((_req, res) => void res.writeHead(404).end());
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { server, url: `http://127.0.0.1:${port}`, tls: `https://127.0.0.1:${port}`, connections: () => connections };
}
