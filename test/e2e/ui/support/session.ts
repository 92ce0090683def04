/**
 * What every UI test of the real extension needs: a git copy of examples/shop, the local
 * Messages-API server answering the scripted agents (bench/support), code-server + Chromium
 * with the repo as the extension and the server passed through `extensionEnvironment`, the
 * Orchestrator's sidebar and status bar, and screenshots in test-output/ui/ (also on failure).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { scriptedAgents, type AgentCall, type AgentScript } from '../../../../bench/support/scriptedAgents';
import { makeShop, type Shop, type ShopOptions } from '../../../../bench/support/shop';
import { statusBarDomId } from '../../../support/extensionId';
import { startMessagesApiServer, type MessagesApiServer, type Script } from '../../../support/messagesApiServer';
import { openWorkbench, runCommand, sidebarFrame, statusBarItem, testOutputDir, type Workbench } from '../../harness';

export const STATUS_ITEM_ID = 'orchestrator.status';
export const STATUS_DOM_ID = statusBarDomId('orchestrator.status');
export const uiOutputDir = join(testOutputDir, 'ui');

export interface SessionOptions {
  /** Scripts per agent (productAgents() and variants). */
  agents: Record<string, AgentScript>;
  /** Model time of every scripted reply. */
  latencyMs?: number;
  /** Holds a call's reply back longer than latencyMs (ms), e.g. a layer's reply during IMPLEMENT; or until the promise settles (the test did what it waits for). */
  hold?: (call: AgentCall) => number | Promise<unknown> | undefined;
  /** false: workspace trust stays on and the folder opens in Restricted Mode. Default true. */
  trust?: boolean;
  shop?: ShopOptions;
  userSettings?: Record<string, unknown>;
  viewport?: { width: number; height: number };
  /** Drags the side bar to this width (px) once the workbench is up; default 520. 0: leave it. */
  sidebarWidth?: number;
  /** false: the extension host gets no ANTHROPIC_API_KEY (a new user with no key yet). */
  apiKey?: boolean;
  /** Test extensions installed beside ours (e.g. the scripted chat models of test/extension/fixtures, built to out/test/fixtures). */
  copyExtensions?: string[];
}

export interface Session {
  wb: Workbench;
  page: Page;
  api: MessagesApiServer;
  shop: Shop;
  /** Every model call, by agent/turn/attempt. */
  calls: AgentCall[];
  sidebar: FrameLocator;
  status: Locator;
  /** Screenshot (when named) into test-output/ui/, then stop everything and delete the shop. */
  close(screenshotAs?: string): Promise<void>;
}

export async function startSession(options: SessionOptions): Promise<Session> {
  const shop = makeShop(options.shop);
  const scripted = scriptedAgents(options.agents, options.latencyMs ?? 200);
  let api: MessagesApiServer | undefined;
  try {
    const hold = options.hold;
    const script: Script = hold
      ? async (req, index) => {
          const scriptedReply = await scripted.script(req, index);
          // scriptedAgents recorded this request's call last, synchronously.
          const call = scripted.calls[scripted.calls.length - 1];
          const ms = call && call.req === req ? hold(call) : undefined;
          if (ms instanceof Promise) await ms;
          return typeof ms === 'number' && scriptedReply.kind === 'reply'
            ? { ...scriptedReply, beforeMs: ms }
            : scriptedReply;
        }
      : scripted.script;
    api = await startMessagesApiServer(script);
    const wb = await openWorkbench({
      workspace: shop.dir,
      trust: options.trust ?? true,
      extensionEnv: {
        ANTHROPIC_BASE_URL: api.url,
        ...(options.apiKey === false ? {} : { ANTHROPIC_API_KEY: 'test-key' }),
      },
      ...(options.userSettings ? { userSettings: options.userSettings } : {}),
      ...(options.copyExtensions ? { copyExtensions: options.copyExtensions } : {}),
      viewport: options.viewport ?? { width: 1440, height: 960 },
      shared: true,
    });
    const server = api;
    if (options.sidebarWidth !== 0) await widenSidebar(wb.page, options.sidebarWidth ?? 520).catch(() => undefined);
    return {
      wb,
      page: wb.page,
      api: server,
      shop,
      calls: scripted.calls,
      sidebar: sidebarFrame(wb.page),
      status: statusBarItem(wb.page, STATUS_ITEM_ID),
      async close(screenshotAs?: string) {
        try {
          if (screenshotAs) await shot(wb.page, screenshotAs).catch(() => undefined);
        } finally {
          await wb.close();
          await server.close();
          shop.cleanup();
        }
      },
    };
  } catch (error) {
    await api?.close();
    shop.cleanup();
    throw error;
  }
}

/**
 * Runs the test body; on failure a screenshot `<name>-failed.png` is taken before the session
 * closes (the error is rethrown), on success none unless the body took its own.
 */
export async function withSession(
  name: string,
  options: SessionOptions,
  body: (s: Session) => Promise<void>,
): Promise<void> {
  const s = await startSession(options);
  let failed = true;
  try {
    await body(s);
    failed = false;
  } finally {
    if (failed && s.api.scriptErrors.length > 0)
      console.error(`[${name}] scripted API errors: ${s.api.scriptErrors.map((e) => e.message).join('; ')}`);
    await s.close(failed ? `${name}-failed` : undefined);
  }
}

/** A PNG of the whole workbench in test-output/ui/<name>.png. */
export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(uiOutputDir, { recursive: true });
  const file = join(uiOutputDir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** A PNG of the side bar (the Orchestrator's view, its title and toolbar) in test-output/ui/<name>.png. */
export async function sidebarShot(page: Page, name: string): Promise<string> {
  mkdirSync(uiOutputDir, { recursive: true });
  const file = join(uiOutputDir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  // The webview's iframes are laid over the side bar's box, so clipping the page to that box shows them.
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) throw new Error('the side bar is not visible');
  const status = await page.locator('.part.statusbar').boundingBox();
  // Down to the status bar, so the Orchestrator's status item is in the picture too.
  const height = status ? status.y + status.height - box.y : box.height;
  await page.screenshot({ path: file, clip: { x: 0, y: box.y, width: box.x + box.width, height } });
  return file;
}

/**
 * A PNG of the sidebar's traceability matrix (its title, the table, the count line) in
 * test-output/ui/<name>.png, scrolled so its last column (Proof) is in the picture.
 */
export async function traceShot(s: Pick<Session, 'sidebar'>, name: string): Promise<string> {
  mkdirSync(uiOutputDir, { recursive: true });
  const file = join(uiOutputDir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  const panel = s.sidebar.getByTestId('trace-panel');
  await panel.locator('.trace-scroll').evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
  await panel.screenshot({ path: file });
  return file;
}

/** Drags the sash between the side bar and the editor so the side bar is `width` px wide. */
export async function widenSidebar(page: Page, width: number): Promise<void> {
  const sidebar = page.locator('.part.sidebar');
  const sash = page.locator('.monaco-sash.primary-sidebar-sash');
  if (!(await sidebar.isVisible()) || !(await sash.isVisible())) return;
  const box = await sidebar.boundingBox();
  const handle = await sash.boundingBox();
  if (!box || !handle) return;
  const x = handle.x + handle.width / 2;
  const y = handle.y + handle.height / 2;
  await page.mouse.move(x, y);
  await page.waitForTimeout(200); // the sash reacts to hover before it takes a drag
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 10 });
  await page.mouse.up();
  await page.mouse.move(0, 0);
}

/** Scrolls the sidebar webview so the element with this test id is at the top. */
export async function scrollSidebarTo(s: Pick<Session, 'sidebar'>, testId: string): Promise<void> {
  await s.sidebar
    .getByTestId(testId)
    .first()
    .evaluate((el) => el.scrollIntoView({ block: 'start' }));
}

/** Shows the Orchestrator's sidebar view (if it is not already shown) and waits for its webview. */
export async function openSidebar(s: Pick<Session, 'page' | 'sidebar'>, timeoutMs = 20_000): Promise<void> {
  const app = s.sidebar.locator('[data-testid="orchestrator-app"]');
  if (await app.isVisible().catch(() => false)) return;
  await runCommand(s.page, 'Orchestrator: Focus on Specs & Runs View');
  await app.waitFor({ state: 'visible', timeout: timeoutMs });
}

/** Audit to Target from the command palette: the folder, the dimension and the score picked like a user. */
export async function auditFromPalette(page: Page, folder: string, dimension: string, score: number): Promise<void> {
  await runCommand(page, 'Orchestrator: Audit to Target');
  await pickQuick(page, folder);
  await pickQuick(page, dimension);
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await page.locator('.quick-input-widget', { hasText: 'Score to reach' }).waitFor({ timeout: 10_000 });
  await input.fill(String(score));
  await input.press('Enter');
}

/** New Feature from the command palette, the request typed into the input box like a user. */
/** Picks the open quick pick's row whose label is exactly `label` (typed first, to filter). */
export async function pickQuick(page: Page, label: string): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(label);
  const row = page
    .locator('.quick-input-widget .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${label}\\s*$`) }) })
    .first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  await row.click();
}

export async function newFeatureFromPalette(page: Page, request: string): Promise<void> {
  await runCommand(page, 'Orchestrator: New Feature');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await page
    .locator('.quick-input-widget', { hasText: 'Describe the feature' })
    .waitFor({ timeout: 5000 })
    .catch(() => undefined);
  await input.pressSequentially(request, { delay: 5 });
  await input.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: 5000 });
}

/**
 * Records every distinct text of the Orchestrator's status bar item from now on (a
 * MutationObserver in the page, so short phases are not missed by polling).
 */
export async function recordStatusTexts(page: Page): Promise<() => Promise<string[]>> {
  // A string, not a function: tsx's keepNames would put a `__name` helper into the page.
  await page.evaluate(`(() => {
    const seen = (window.__orchStatusTexts = []);
    const read = () => {
      const text = document.getElementById(${JSON.stringify(STATUS_DOM_ID)})?.textContent?.replace(/\\s+/g, ' ').trim();
      if (text && seen[seen.length - 1] !== text) seen.push(text);
    };
    const bar = document.querySelector('.part.statusbar') ?? document.body;
    new MutationObserver(read).observe(bar, { subtree: true, childList: true, characterData: true, attributes: true });
    read();
  })()`);
  return () => page.evaluate('[...(window.__orchStatusTexts ?? [])]') as Promise<string[]>;
}

/**
 * Answers a modal confirmation (the engine's before a schema change, the sidebar's before implementing a saved spec):
 * waits for the dialog with `question`, clicks `button`; returns the dialog's text.
 */
export async function answerModal(
  page: Page,
  question: RegExp | string,
  button = 'Yes',
  timeoutMs = 30_000,
): Promise<string> {
  const dialog = page.locator('.monaco-dialog-box', { hasText: question });
  await dialog.waitFor({ state: 'visible', timeout: timeoutMs });
  const text = await dialog.innerText();
  await dialog
    .locator('.dialog-buttons a.monaco-button, .dialog-buttons .monaco-button', { hasText: new RegExp(`^${button}$`) })
    .first()
    .click();
  await dialog.waitFor({ state: 'hidden', timeout: 5000 });
  return text;
}

/**
 * The notification (showInformation/Warning/ErrorMessage) containing `text`, as a user finds
 * it: a toast, else in the notification center opened from the status bar's bell (headless
 * Chromium often gets no toasts: the page never has the window focus).
 */
export async function findNotification(page: Page, text: string | RegExp, timeoutMs = 10_000): Promise<Locator> {
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: text });
  const listed = page.locator('.notifications-center .notification-list-item', { hasText: text });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (
      await toast
        .first()
        .isVisible()
        .catch(() => false)
    )
      return toast.first();
    if (
      !(await page
        .locator('.notifications-center.visible')
        .isVisible()
        .catch(() => false))
    ) {
      await page
        .locator('.statusbar-item[id="status.notifications"]')
        .click()
        .catch(() => undefined);
    }
    if (
      await listed
        .first()
        .isVisible()
        .catch(() => false)
    )
      return listed.first();
    if (Date.now() > deadline) throw new Error(`no notification "${String(text)}" within ${timeoutMs} ms`);
    await sleep(250);
  }
}

/** Texts of the notifications in the notification center. */
export async function notificationTexts(page: Page): Promise<string[]> {
  return page.locator('.notifications-center .notification-list-item-message').allInnerTexts();
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
