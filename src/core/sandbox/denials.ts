/**
 * What the sandbox refused, read from what the process said (the kernel refuses silently): a
 * write to a read-only place (EROFS), a connection to a loopback port no relay listens on, a
 * name it cannot resolve (no DNS inside), and a file that exists on the host but is hidden from
 * the sandbox (it reads as missing). A refusal the process did not report is not seen.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isInside } from './toolchains';
import type { SandboxDenial } from './types';

/** At most this many per process: a loop of refusals is one finding, not a flood. */
const MAX_DENIALS = 20;

const WRITE_PATTERNS = [/EROFS: read-only file system, \w+ '([^']+)'/g, /([^\s'":]+)'?: Read-only file system/g];
const NET_PATTERNS = [
  /ECONNREFUSED (127\.\d+\.\d+\.\d+:\d+)/g,
  /getaddrinfo (?:ENOTFOUND|EAI_AGAIN) ([A-Za-z0-9.-]+)/g,
  /Could not resolve host: ([A-Za-z0-9.-]+)/g,
  /Temporary failure in name resolution[^\n]*?host='([A-Za-z0-9.-]+)'/g,
];
// The last is Copilot CLI's view tool ("Path /x does not exist.").
const MISSING_PATTERNS = [
  /ENOENT: no such file or directory, \w+ '([^']+)'/g,
  /(\/[^\s'":]+)'?: No such file or directory/g,
  /Path (\/[^\s'"]+) does not exist/g,
];

export interface Visibility {
  /** Where the process started: a relative path in a message is taken from here. */
  cwd: string;
  /** Folders bound into the sandbox (their files are really there, or really missing). */
  bound: readonly string[];
  /** Folders that exist on the host but not inside (HOME, the checkout). */
  hidden: readonly string[];
}

export function denialsIn(
  output: string,
  visibility: Visibility,
  exists: (path: string) => boolean = existsSync,
): SandboxDenial[] {
  const found = new Map<string, SandboxDenial>();
  const add = (kind: SandboxDenial['kind'], target: string) => {
    if (found.size < MAX_DENIALS) found.set(`${kind} ${target}`, { kind, target });
  };
  const each = (patterns: RegExp[], take: (match: string) => void) => {
    for (const pattern of patterns) for (const match of output.matchAll(pattern)) take(match[1]!);
  };
  each(WRITE_PATTERNS, (path) => add('write', resolve(visibility.cwd, path)));
  each(NET_PATTERNS, (target) => add('net', target));
  each(MISSING_PATTERNS, (path) => {
    const hidden =
      visibility.hidden.some((folder) => isInside(folder, path)) &&
      !visibility.bound.some((folder) => isInside(folder, path));
    if (hidden && exists(path)) add('read', path);
  });
  return [...found.values()];
}
