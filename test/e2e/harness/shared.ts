// What the workbench windows of one test process share (issue 50): a code-server per server profile
// (user settings and trust, copied extensions, environment) and one Chromium, started on first use,
// replaced when they died, stopped after the process's last test. Starting them cost each test
// seconds of CPU: code-server serves a second window for about a third of what its first costs.
// A window is still the test's own (openWorkbench({ shared: true })): a new browser context, so no
// storage of an earlier window, its own folder and extensionEnvironment, so its own extension host,
// which closeWindow() ends, with everything under it, before the test goes on.
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { startCodeServer, type CodeServer, type CodeServerOptions } from './codeServer';
import { descendants, environmentValue, processTable, running, type Proc } from './processes';
import { atProcessEnd } from '../../support/processEnd';

export type ServerProfile = Omit<CodeServerOptions, 'workspace' | 'keep' | 'verbose'>;

/** Marks a window's extension host (and what it spawns) in extensionEnvironment, so closeWindow() finds them. */
export const WINDOW_ENV = 'ORCH_E2E_WINDOW';
/** How long a closed window's extension host may take to deactivate the extensions and exit before it is killed. */
const WINDOW_END_MS = 20_000;

const servers = new Map<string, Promise<CodeServer>>();
let browser: Promise<Browser> | undefined;

async function answers(server: CodeServer): Promise<boolean> {
  if (!server.alive()) return false;
  try {
    return (await fetch(`${server.origin}/healthz`, { signal: AbortSignal.timeout(10_000) })).ok;
  } catch {
    return false;
  }
}

/** This process's code-server for the profile, started if there is none or the last one died or stopped answering. */
export async function sharedCodeServer(profile: ServerProfile): Promise<CodeServer> {
  const key = JSON.stringify(profile);
  const known = await servers.get(key)?.catch(() => undefined);
  if (known && (await answers(known))) return known;
  await known?.stop();
  const started = startCodeServer(profile);
  servers.set(key, started);
  started.catch(() => servers.get(key) === started && servers.delete(key));
  return started;
}

/** Stops a shared code-server a window failed on, so the next test gets a new one. */
export async function discardCodeServer(server: CodeServer): Promise<void> {
  for (const [key, p] of servers) if ((await p.catch(() => undefined)) === server) servers.delete(key);
  await server.stop();
}

/** This process's Chromium, launched again when it crashed or was closed. */
export async function sharedBrowser(): Promise<Browser> {
  const known = await browser?.catch(() => undefined);
  if (known?.isConnected()) return known;
  browser = launchBrowser();
  return browser;
}

/** Stops the shared code-servers and Chromium. */
export async function closeShared(): Promise<void> {
  const all = [...servers.values()];
  servers.clear();
  const b = browser;
  browser = undefined;
  await Promise.all(all.map(async (p) => (await p.catch(() => undefined))?.stop()));
  await (await b?.catch(() => undefined))?.close().catch(() => undefined);
}

// Under node:test they stop after the process's last test (in a shard, after its last file), so
// the process can end; elsewhere codeServer's exit hook and Playwright's stop them with the process.
if (process.env.NODE_TEST_CONTEXT !== undefined || process.execArgv.includes('--test')) atProcessEnd(closeShared);

/** A new marker for a window's extensionEnvironment. */
export function newWindowMarker(): string {
  return randomUUID();
}

/** The window's extension hosts on the server (a reload makes a new one) and every process under them. */
function windowProcesses(server: CodeServer, marker: string): Proc[] {
  const table = processTable();
  const hosts = descendants(server.pid, table).filter(
    (p) => p.args.includes('--type=extensionHost') && environmentValue(p.pid, WINDOW_ENV) === marker,
  );
  return [...hosts, ...hosts.flatMap((h) => descendants(h.pid, table))];
}

/**
 * Ends a window on a shared code-server as a user closing it would: navigating away shuts the
 * workbench down in order, its extension host deactivates the extensions and exits (a page just
 * closed leaves the host waiting for it to reconnect, three hours by default). Waits until the host
 * and every process it had started have ended; what still runs after WINDOW_END_MS is killed and said.
 */
export async function closeWindow(page: Page, server: CodeServer, marker: string): Promise<void> {
  const seen = new Map<string, Proc>();
  const look = () => windowProcesses(server, marker).forEach((p) => seen.set(`${p.pid}/${p.started}`, p));
  look();
  // Leaving with unsaved files asks first (beforeunload): the user confirms.
  page.on('dialog', (d) => void (d.type() === 'beforeunload' ? d.accept() : d.dismiss()).catch(() => undefined));
  await page.goto('about:blank', { timeout: 30_000 }).catch(() => undefined);
  await page
    .context()
    .close()
    .catch(() => undefined);
  const deadline = Date.now() + WINDOW_END_MS;
  for (;;) {
    look();
    const left = [...seen.values()].filter(running);
    if (left.length === 0) return;
    if (Date.now() > deadline) {
      process.stderr.write(
        `[e2e] ${left.length} process(es) of a closed window still ran after ${WINDOW_END_MS / 1000} s, killed:\n${left.map((p) => `  ${p.pid} ${p.args.slice(0, 200)}`).join('\n')}\n`,
      );
      for (const p of left) {
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          // ended meanwhile
        }
      }
      return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
