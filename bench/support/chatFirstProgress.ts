/**
 * `@orchestrator /feature …` sent from the real Chat view: code-server + headless Chromium with
 * the repo's extension and the scripted chat models (test/extension/fixtures/scripted-lm, so the
 * chat can send), the request typed into the chat input, and timed in the page from the Enter
 * keydown (a capturing listener) to the first DOM mutation showing the participant's first
 * progress part. No model call comes before it (the spec agent's model is held 60 s, and the run
 * is cancelled after each sample), so the figure is the chat's and the extension's own time.
 * Each sample in a new chat; the first one also activates the extension (the chat participant's
 * implicit activation event).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  openWorkbench,
  repoRoot,
  runCommand,
  scriptedLmExtension,
  useScriptedModelInChat,
} from '../../test/e2e/harness';
import { startMessagesApiServer } from '../../test/support/messagesApiServer';
import { productAgents } from './productFeature';
import { scriptedAgents } from './scriptedAgents';
import { makeShop } from './shop';

const MARKER = 'Starting the feature run';

// A string, not a function: tsx's keepNames would put a `__name` helper into the page.
const INSTRUMENT = `(() => {
  const b = (window.__chatBench = { sent: 0, progress: 0 });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !b.sent && document.activeElement && document.activeElement.closest && document.activeElement.closest('.interactive-input-part')) b.sent = performance.now();
  }, true);
  const has = (node) => (node.textContent || '').includes(${JSON.stringify(MARKER)});
  new MutationObserver((records) => {
    if (!b.sent || b.progress) return;
    for (const r of records) {
      if ((r.type === 'characterData' && has(r.target)) || [...r.addedNodes].some(has)) {
        b.progress = performance.now();
        return;
      }
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
})()`;

async function sample(page: Page, i: number): Promise<number> {
  await useScriptedModelInChat(page);
  await page.locator('.interactive-response').first().waitFor({ state: 'detached', timeout: 20_000 });
  await page.locator('.interactive-input-part', { hasText: 'Scripted scri' }).waitFor({ timeout: 20_000 });
  const input = page.locator('.interactive-input-part .monaco-editor').first();
  await input.click({ force: true });
  // The participant is sticky: a new chat may start with `@orchestrator ` already in the input.
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(`@orchestrator /feature Add a Product entity, sample ${i}`, { delay: 2 });
  await page.evaluate('Object.assign(window.__chatBench, { sent: 0, progress: 0 })');
  await page.keyboard.press('Enter');
  for (const end = Date.now() + 30_000; !(await page.evaluate('window.__chatBench.progress > 0'));) {
    if (Date.now() > end) {
      await page.screenshot({ path: join(repoRoot, 'test-output', 'bench-chat-failed.png') });
      throw new Error(
        `no progress part in the chat within 30 s (${JSON.stringify(await page.evaluate('window.__chatBench'))})`,
      );
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const b = (await page.evaluate('({ ...window.__chatBench })')) as { sent: number; progress: number };
  // End the run (its spec agent waits on the held model call) before the next sample.
  await runCommand(page, 'Orchestrator: Cancel Run');
  await page
    .locator('.interactive-response', { hasText: /Run \S+ cancelled\./ })
    .last()
    .waitFor({ timeout: 30_000 })
    .catch(async (e: unknown) => {
      await page.screenshot({ path: join(repoRoot, 'test-output', 'bench-chat-failed.png') });
      throw e;
    });
  return b.progress - b.sent;
}

export async function measureChatFirstProgress(runs: number, log: (m: string) => void): Promise<number[]> {
  if (!existsSync(join(scriptedLmExtension, 'extension.js'))) {
    const built = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'e2e', 'build-tests.mjs')], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    if (built.status !== 0) throw new Error(`scripts/e2e/build-tests.mjs failed: ${built.stderr}`);
  }
  const shop = makeShop();
  const api = await startMessagesApiServer(scriptedAgents(productAgents(), 60_000).script);
  try {
    const wb = await openWorkbench({
      workspace: shop.dir,
      trust: true,
      userSettings: { 'chat.disableAIFeatures': false },
      copyExtensions: [scriptedLmExtension],
      extensionEnv: { ANTHROPIC_BASE_URL: api.url, ANTHROPIC_API_KEY: 'bench-key' },
      viewport: { width: 1440, height: 960 },
    });
    try {
      const { page } = wb;
      await page.keyboard.press('Control+Alt+KeyI');
      await page
        .locator('.interactive-input-part .monaco-editor')
        .first()
        .waitFor({ state: 'visible', timeout: 20_000 });
      await page.evaluate(INSTRUMENT);
      const samples: number[] = [];
      for (let i = 1; i <= runs; i++) {
        samples.push(await sample(page, i));
        log(`  sample ${i}: Enter → first progress ${samples[i - 1]!.toFixed(0)} ms`);
      }
      return samples;
    } finally {
      await wb.close();
    }
  } finally {
    await api.close();
    shop.cleanup();
  }
}
