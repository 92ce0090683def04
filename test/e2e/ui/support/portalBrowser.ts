/**
 * What the portal's page tests share: Chromium and a portal (portalKit's world, on a git copy of
 * the shop) opened before a file's tests and closed after them, signing in with a test account's
 * password, and axe-core's blocking violations asserted away (the others printed for the report).
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { portalWorld, PASSWORDS, type PortalWorld } from '../../../support/portal/portalKit';
import { axeViolations, blocking } from '../../harness/axe';
import { sharedBrowser } from '../../harness/shared';
import { testOutputDir } from '../../harness/paths';

export const shots = join(testOutputDir, 'ui');

export interface PortalInChromium {
  readonly browser: Browser;
  readonly world: PortalWorld;
}

/** Registers the `before` (screenshots' folder, Chromium, a portal) and `after` of the suite it is called in; the two are read in its tests. */
export function portalInChromium(options?: Parameters<typeof portalWorld>[0]): PortalInChromium {
  let browser: Browser | undefined;
  let world: PortalWorld | undefined;
  before(async () => {
    mkdirSync(shots, { recursive: true });
    browser = await sharedBrowser(); // this process's Chromium: its pages are the test's own
    world = await portalWorld(options);
  });
  after(async () => {
    await world?.close();
  });
  const opened = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the portal and Chromium open in the file's before hook");
    return value;
  };
  return {
    get browser() {
      return opened(browser);
    },
    get world() {
      return opened(world);
    },
  };
}

/** Signs in on the sign-in form the page shows; resolves once the portal names who signed in. */
export async function signIn(page: Page, name: keyof typeof PASSWORDS): Promise<void> {
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill(PASSWORDS[name]);
  await page.keyboard.press('Enter');
  await page.locator('#who').filter({ hasText: name }).waitFor();
}

/** axe-core finds no blocking violation on the page; everything else it found is printed for the report, not hidden. */
export async function accessible(page: Page, what: string): Promise<void> {
  const found = await axeViolations(page);
  const bad = blocking(found);
  assert.deepEqual(bad, [], `${what}: ${JSON.stringify(bad, null, 1)}`);
  for (const v of found)
    console.log(`axe (${what}): ${v.impact} ${v.id}: ${v.help}: ${v.nodes.slice(0, 8).join(' | ')}`);
}
