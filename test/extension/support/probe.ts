/**
 * Sees what the extension shows outside its exports: the status bar item's text (and every
 * text it had) and every line written to its output channels. Works because the test bundles
 * live inside the extension's folder, so `require('vscode')` gives them the same API object
 * as the extension: wrapping `window.createStatusBarItem` / `createOutputChannel` before the
 * extension activates sees the items it creates. Importing this module installs the probe
 * (once per extension host, shared by every suite file through globalThis).
 */
import * as vscode from 'vscode';

export interface StatusItemRecord {
  id: string;
  item: vscode.StatusBarItem;
  /** Every text the item was given, in order. */
  texts: string[];
}

export interface LogLineRecord {
  channel: string;
  level: string;
  text: string;
}

export interface Probe {
  statusItems: StatusItemRecord[];
  logLines: LogLineRecord[];
  /** Every message, input box prompt and quick pick the fake user (ui.ts) was shown. */
  uiTexts: string[];
  /** Secrets the suites used, for the leak checks. */
  secrets: Set<string>;
}

const KEY = '__orchestratorExtensionTestProbe';
type AnyFn = (...args: unknown[]) => unknown;

function findAccessor(obj: object, name: string): PropertyDescriptor | undefined {
  for (let o: object | null = obj; o; o = Object.getPrototypeOf(o) as object | null) {
    const d = Object.getOwnPropertyDescriptor(o, name);
    if (d) return d;
  }
  return undefined;
}

function recordTexts(record: StatusItemRecord): void {
  const d = findAccessor(record.item, 'text');
  if (!d?.get || !d.set) return;
  const { get, set } = d;
  Object.defineProperty(record.item, 'text', {
    configurable: true,
    enumerable: true,
    get(this: unknown) {
      return get.call(this) as string;
    },
    set(this: unknown, value: string) {
      if (record.texts.at(-1) !== value) record.texts.push(value);
      set.call(this, value);
    },
  });
}

function install(): Probe {
  const probe: Probe = { statusItems: [], logLines: [], uiTexts: [], secrets: new Set() };
  const win = vscode.window as unknown as Record<string, AnyFn>;

  const createStatusBarItem = win.createStatusBarItem!;
  win.createStatusBarItem = (...args: unknown[]) => {
    const item = createStatusBarItem.apply(vscode.window, args) as vscode.StatusBarItem;
    const record: StatusItemRecord = { id: typeof args[0] === 'string' ? args[0] : '', item, texts: [] };
    recordTexts(record);
    probe.statusItems.push(record);
    return item;
  };

  const createOutputChannel = win.createOutputChannel!;
  win.createOutputChannel = (...args: unknown[]) => {
    const channel = createOutputChannel.apply(vscode.window, args) as Record<string, unknown>;
    const name = String(args[0]);
    for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'append', 'appendLine', 'replace']) {
      const original = channel[level];
      if (typeof original !== 'function') continue;
      channel[level] = (...values: unknown[]) => {
        probe.logLines.push({
          channel: name,
          level,
          text: values.map((v) => (v instanceof Error ? `${v.message}\n${v.stack ?? ''}` : String(v))).join(' '),
        });
        return (original as AnyFn).apply(channel, values);
      };
    }
    return channel;
  };
  return probe;
}

export function probe(): Probe {
  const g = globalThis as unknown as Record<string, Probe | undefined>;
  return (g[KEY] ??= install());
}

probe();

/** The status bar item the extension created with this id (`orchestrator.status`). */
export function statusItem(id = 'orchestrator.status'): StatusItemRecord {
  const found = probe().statusItems.find((r) => r.id === id);
  if (!found)
    throw new Error(
      `the extension created no status bar item ${id} (was it activated before the probe was installed?)`,
    );
  return found;
}
