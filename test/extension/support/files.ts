/** The workspace under test and the files around the extension host, for assertions. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as vscode from 'vscode';

export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open');
  return folder.uri.fsPath;
}

export const wsPath = (rel: string): string => join(workspaceDir(), rel);
export const exists = (rel: string): boolean => existsSync(wsPath(rel));
export const read = (rel: string): string => readFileSync(wsPath(rel), 'utf8');

export function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: workspaceDir(), encoding: 'utf8' });
}

/** Every regular file under `dir` (absolute paths), skipping the named folders. */
export function walk(dir: string, skip: string[] = []): string[] {
  const out: string[] = [];
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) {
      if (!skip.includes(e.name)) out.push(...walk(full, skip));
    } else if (e.isFile()) out.push(full);
  }
  return out;
}

/**
 * Files under `dir` whose content contains `needle`, relative to `dir`. Read by a child process:
 * the workspace holds the live queue database, and opening then closing its files here would drop
 * the SQLite locks this extension host holds on them (POSIX locks belong to the process), after
 * which another process closing the database deletes the WAL under the extension's connection.
 */
export function filesContaining(dir: string, needle: string, skip: string[] = []): string[] {
  const read =
    "const fs = require('node:fs'); const { files, needle } = JSON.parse(fs.readFileSync(0, 'utf8')); process.stdout.write(JSON.stringify(files.filter((f) => fs.readFileSync(f).includes(needle))));";
  const found = execFileSync(process.execPath, ['-e', read], {
    input: JSON.stringify({ files: walk(dir, skip), needle }),
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return (JSON.parse(found) as string[]).map((f) => relative(dir, f));
}

/** A run's journal lines, parsed. */
export function journal(runId: string): { type: string; [k: string]: unknown }[] {
  const text = read(join('.claude', 'runs', runId, 'events.jsonl'));
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { type: string });
}

/**
 * code-server's --user-data-dir, read from the command line of an ancestor of the extension
 * host process (Linux /proc); undefined elsewhere.
 */
export function userDataDir(): string | undefined {
  let pid = process.ppid;
  for (let i = 0; i < 8 && pid > 1; i++) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const at = argv.indexOf('--user-data-dir');
      if (at >= 0 && argv[at + 1]) return argv[at + 1];
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The extension's LogOutputChannel file(s) in this session's logs (newest first). */
export function extensionLogFiles(extensionId: string, channel: string): string[] {
  const ud = userDataDir();
  if (!ud) return [];
  return walk(join(ud, 'logs'))
    .filter((f) => f.endsWith(join(extensionId, `${channel}.log`)))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
}
