// The Chat view on the scripted chat model (test/extension/fixtures/scripted-lm), for UI tests and the bench.
import type { Page } from 'playwright-core';
import { SCRIPTED_CHAT_STATUS_ID, SCRIPTED_LM_EXTENSION_ID } from '../../extension/fixtures/scripted-lm/protocol';
import { runCommand, statusBarItem } from './ui';

const calls = new WeakMap<Page, number>();

/**
 * A new chat on the scripted model, the command's end awaited: the palette returns before it, and the
 * chat shows the scripted model as soon as it is registered (as the default), before the command's new
 * chat; a request typed then goes to a chat that the new chat replaces a moment later.
 */
export async function useScriptedModelInChat(page: Page, timeoutMs = 30_000): Promise<void> {
  const n = (calls.get(page) ?? 0) + 1;
  calls.set(page, n);
  await runCommand(page, 'Scripted LM: Use the Scripted Model in Chat', timeoutMs);
  await statusBarItem(page, SCRIPTED_CHAT_STATUS_ID, SCRIPTED_LM_EXTENSION_ID).filter({ hasText: new RegExp(`^\\s*scripted chat ${n}\\s*$`) }).waitFor({ state: 'attached', timeout: timeoutMs });
}
