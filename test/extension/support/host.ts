/** The extension under test as the suites see it: its exports, its view state, waiting on both. */
import * as vscode from 'vscode';
import type { OrchestratorApi } from '../../../src/extension/app';
import type { RunView, ViewState } from '../../../src/shared/viewState';
import { EXTENSION_ID } from '../../support/extensionId';

export { EXTENSION_ID };

export function extension(): vscode.Extension<OrchestratorApi> {
  const ext = vscode.extensions.getExtension<OrchestratorApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not loaded`);
  return ext;
}

/** Activates through a command (Show Log), as a user would; returns the exports. */
export async function activated(): Promise<OrchestratorApi> {
  const ext = extension();
  if (!ext.isActive) await vscode.commands.executeCommand('orchestrator.showLog');
  await until(() => ext.isActive, 15_000, 'the extension to activate');
  return ext.exports;
}

export function view(): ViewState {
  const ext = extension();
  if (!ext.isActive) throw new Error('the extension is not active');
  return ext.exports.getViewState();
}

/** The run shown in the sidebar; throws when there is none. */
export function run(): RunView {
  const r = view().run;
  if (!r) throw new Error('the view state has no run');
  return r;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns something truthy; the error says what was awaited and what the view showed. */
export async function until<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  ms: number,
  what: string,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) {
      let shown = '';
      try {
        const s = view();
        shown = ` (view: busy ${s.busy}, pending ${s.pendingDecision?.id ?? '-'}, run ${s.run?.runId ?? '-'} ${s.run?.status ?? ''} phase ${s.run?.phase ?? '-'}, agents ${
          s.run?.agents.map((a) => `${a.name}:${a.state}`).join(' ') ?? '-'
        }, last activity ${JSON.stringify(s.run?.activity.slice(-3) ?? [])})`;
      } catch {
        // not active
      }
      throw new Error(`timed out after ${ms} ms waiting for ${what}${shown}`);
    }
    await sleep(50);
  }
}

/**
 * Starts a command without waiting for it (New Feature resolves only when the run ends);
 * the returned promise never rejects: it resolves with the error instead.
 */
export function start(command: string, ...args: unknown[]): Promise<unknown> {
  return Promise.resolve(vscode.commands.executeCommand(command, ...args)).then(
    (v) => v,
    (e: unknown) => e,
  );
}

/** Resolves `p` or fails after `ms` saying what hung. */
export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>(
        (_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms)),
      ),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
