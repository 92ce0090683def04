// The spec folders of test/fixtures/specs (Kiro, Spec Kit and others' shapes) brought into a test shop.
import { cpSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { engine } from '../../src/core/engine';
import { makeShop, type ShopWorkspace } from './engine/shopWorkspace';

export const SPEC_FIXTURES = resolve(__dirname, '../fixtures/specs');

/** Copies the fixture folder `fixture` (`kiro/order-status`, `speckit/…`) into `dir` at `at`. */
export function copySpecFolder(dir: string, fixture: string, at: string): void {
  cpSync(join(SPEC_FIXTURES, fixture), join(dir, at), { recursive: true });
}

/** Runs `body` with a shop (no git) holding the fixture folder at `at`, and what importing it gave; the shop is removed after. */
export async function withImportedFolder(
  fixture: string,
  at: string,
  body: (shop: ShopWorkspace, imported: Awaited<ReturnType<typeof engine.importSpec>>) => Promise<void>,
): Promise<void> {
  const shop = makeShop({ git: false });
  try {
    copySpecFolder(shop.dir, fixture, at);
    await body(shop, await engine.importSpec(shop.dir, at));
  } finally {
    shop.cleanup();
  }
}
