// Driving the real workbench (test tier 3). See test/e2e/README.md.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { startCodeServer, type CodeServer, type CodeServerOptions } from './codeServer';
import { closeWindow, discardCodeServer, newWindowMarker, sharedBrowser, sharedCodeServer, WINDOW_ENV } from './shared';
import { repoRoot, testOutputDir } from './paths';
import { EXTENSION_ID } from '../../support/extensionId';

export { EXTENSION_ID };

export interface Workbench {
  page: Page;
  browser: Browser;
  server: CodeServer;
  /** Milliseconds from page.goto to a usable workbench. */
  readyMs: number;
  /**
   * Screenshot (when `screenshotAs` is given), then the window ends: its extension host and what
   * runs under it on a shared code-server (shared.ts), the browser and code-server otherwise.
   */
  close(screenshotAs?: string): Promise<void>;
}

export interface OpenWorkbenchOptions extends Partial<CodeServerOptions> {
  workspace: string;
  /** Folder with the extension's package.json (extensionDevelopmentPath); default the repo. */
  extensionPath?: string | null;
  /** extensionEnvironment: reaches the extension host's process.env. */
  extensionEnv?: Record<string, string>;
  viewport?: { width: number; height: number };
  /**
   * true: the window opens on this process's code-server for these server options and its
   * Chromium (shared.ts), kept for the next test, instead of a code-server and a browser of its own.
   */
  shared?: boolean;
}

/** Starts code-server + Chromium (or takes the shared ones) and opens the workspace with the extension loaded. */
export async function openWorkbench(options: OpenWorkbenchOptions): Promise<Workbench> {
  const { extensionPath = repoRoot, extensionEnv, viewport, shared = false, ...serverOptions } = options;
  const { workspace, keep: _keep, verbose: _verbose, ...profile } = serverOptions;
  const server = shared
    ? await sharedCodeServer({ trust: true, ...profile })
    : await startCodeServer({ trust: true, ...serverOptions });
  const marker = newWindowMarker();
  let browser: Browser | undefined;
  let page: Page | undefined;
  const end = async () => {
    if (shared) {
      if (page) await closeWindow(page, server, marker);
    } else {
      await browser?.close().catch(() => undefined);
      await server.stop();
    }
  };
  try {
    if (shared) server.resetUser();
    browser = shared ? await sharedBrowser() : await launchBrowser();
    page = await browser.newPage({ viewport: viewport ?? { width: 1400, height: 900 } });
    const payload: [string, string][] = [['skipWelcome', 'true']];
    if (extensionPath) payload.push(['extensionDevelopmentPath', server.remoteUri(extensionPath)]);
    if (extensionEnv || shared)
      payload.push([
        'extensionEnvironment',
        JSON.stringify({ ...extensionEnv, ...(shared ? { [WINDOW_ENV]: marker } : {}) }),
      ]);
    const t = performance.now();
    await page.goto(server.url(payload, workspace), { waitUntil: 'domcontentloaded' });
    await waitForWorkbench(page);
    const readyMs = performance.now() - t;
    const p = page;
    return {
      page: p,
      browser,
      server,
      readyMs,
      async close(screenshotAs?: string) {
        try {
          if (screenshotAs) await screenshot(p, screenshotAs).catch(() => undefined);
        } finally {
          await end();
        }
      },
    };
  } catch (e) {
    await end();
    // The next test gets a new code-server: this one may be why the window did not open.
    if (shared) await discardCodeServer(server);
    throw e;
  }
}

/**
 * The workbench is usable: the smoke-test driver (enabled by --vscode-option
 * enable-smoke-test-driver) says the Restored phase is reached and the contributions exist.
 */
export async function waitForWorkbench(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.waitForFunction(() => 'driver' in window, undefined, { timeout: timeoutMs });
  await page.evaluate(() =>
    (window as unknown as { driver: { whenWorkbenchRestored(): Promise<void> } }).driver.whenWorkbenchRestored(),
  );
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
}

/**
 * Runs a command through the palette by its full title ("Orchestrator: New Feature"): F1,
 * type `>title`, wait for the row with exactly that label, select it.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const row = page
    .locator('.quick-input-widget .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) })
    .first();
  const deadline = Date.now() + timeoutMs;
  // The palette computes its list when it opens: one opened while the extension's
  // contributions are still arriving never shows them. So close it and open it again.
  for (let attempt = 1; ; attempt++) {
    if (await input.isVisible()) await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: Math.max(1000, deadline - Date.now()) });
    await input.fill(`>${title}`);
    try {
      await row.waitFor({ state: 'visible', timeout: Math.min(2000, Math.max(1, deadline - Date.now())) });
      if (process.env.ORCH_E2E_VERBOSE === '1') process.stderr.write(`[e2e] "${title}" found on attempt ${attempt}\n`);
      break;
    } catch (e) {
      if (Date.now() >= deadline)
        throw new Error(`no command palette entry "${title}" within ${timeoutMs} ms`, { cause: e });
    }
  }
  await row.click();
  await input.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
}

/** Answers a showInputBox / showQuickPick that is open: types the text and presses Enter. */
export async function answerInput(page: Page, text: string, timeoutMs = 15_000): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: timeoutMs });
  await input.fill(text);
  await input.press('Enter');
}

/**
 * The content of a sidebar webview view (two iframes deep). With several webview views
 * visible, `extensionId` (default ours) narrows to the outer iframe whose src names it.
 */
export function sidebarFrame(page: Page, extensionId = EXTENSION_ID): FrameLocator {
  return page
    .frameLocator(`iframe.webview.ready[src*="purpose=webviewView"][src*="extensionId=${extensionId}"]`)
    .frameLocator('iframe#active-frame');
}

/** The content of an editor-area webview panel (its outer iframe has no purpose=webviewView). */
export function panelFrame(page: Page, extensionId = EXTENSION_ID): FrameLocator {
  return page
    .frameLocator(`iframe.webview.ready:not([src*="purpose=webviewView"])[src*="extensionId=${extensionId}"]`)
    .frameLocator('iframe#active-frame');
}

/** A status bar item by the id given to createStatusBarItem(id, …); DOM id `<extensionId>.<id>`. */
export function statusBarItem(page: Page, id: string, extensionId = EXTENSION_ID): Locator {
  return page.locator(`.statusbar-item[id="${extensionId}.${id}"]`);
}

/** The editor tab titles, in order. Tabs appear a moment after a command returns: poll. */
export async function editorTabs(page: Page): Promise<string[]> {
  return page.locator('.tabs-container .tab .label-name').allInnerTexts();
}

/** Saves a PNG to test-output/<name>.png (ORCH_TEST_OUTPUT overrides the folder); returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(testOutputDir, { recursive: true });
  const file = join(testOutputDir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file });
  return file;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
