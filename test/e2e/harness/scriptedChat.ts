// The Chat view on the scripted chat model (test/extension/fixtures/scripted-lm), for UI tests and the bench.
import type { Page } from 'playwright-core';
import { SCRIPTED_CHAT_STATUS_ID, SCRIPTED_LM_EXTENSION_ID } from '../../extension/fixtures/scripted-lm/protocol';
import { runCommand, statusBarItem } from './ui';

const calls = new WeakMap<Page, number>();
const chatInput = (page: Page) => page.locator('.interactive-input-part .monaco-editor').first();

/**
 * A new chat on the scripted model, the command's end awaited: the palette returns before it, and the
 * chat shows the scripted model as soon as it is registered (as the default), before the command's new
 * chat; a request typed then goes to a chat that the new chat replaces a moment later.
 */
export async function useScriptedModelInChat(page: Page, timeoutMs = 30_000): Promise<void> {
  const n = (calls.get(page) ?? 0) + 1;
  calls.set(page, n);
  await runCommand(page, 'Scripted LM: Use the Scripted Model in Chat', timeoutMs);
  await statusBarItem(page, SCRIPTED_CHAT_STATUS_ID, SCRIPTED_LM_EXTENSION_ID)
    .filter({ hasText: new RegExp(`^\\s*scripted chat ${n}\\s*$`) })
    .waitFor({ state: 'attached', timeout: timeoutMs });
}

/** The Chat view opened (Ctrl+Alt+I) on a new chat with the scripted model. */
export async function openChatOnScriptedModel(page: Page): Promise<void> {
  await page.keyboard.press('Control+Alt+KeyI');
  await chatInput(page).waitFor({ state: 'visible', timeout: 20_000 });
  await useScriptedModelInChat(page);
}

/**
 * Types `text` into the chat input like a user and sends it with Enter; returns once the request is in
 * the chat (`shown`: a piece of its text), so an Enter taken by a completion widget fails here.
 */
export async function sendInChat(page: Page, text: string, shown: string): Promise<void> {
  await chatInput(page).click({ force: true });
  // The participant is sticky: after a request to it, the input starts with `@orchestrator ` already.
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.type(text, { delay: 5 });
  await page.keyboard.press('Enter');
  await page.locator('.interactive-request', { hasText: shown }).first().waitFor({ state: 'visible', timeout: 20_000 });
}
