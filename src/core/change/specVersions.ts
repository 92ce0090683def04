/**
 * Every version of an amended spec is kept: the text before each amendment is saved beside
 * spec.md as `spec.v{n}.md`, and the body carries a `## History` section (one line per
 * version: when, what was asked, which requirements changed) that the orchestrator writes —
 * whatever the spec agent wrote under that heading is replaced.
 */
import { copyFile, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Spec } from '../project/specs/specs';

const HISTORY = /\n#{2,3}\s*History\s*\n[\s\S]*$/;

export function bodyWithoutHistory(body: string): string {
  return body.replace(HISTORY, '\n').trimEnd() + '\n';
}

/** Lines of the existing History section, if any. */
export function historyLines(body: string): string[] {
  const section = HISTORY.exec(body)?.[0] ?? '';
  return section.split('\n').filter((line) => /^\s*-\s/.test(line));
}

export function withHistory(body: string, lines: readonly string[]): string {
  return `${bodyWithoutHistory(body)}\n## History\n${lines.join('\n')}\n`;
}

/** The next version number: 1 + the highest `spec.v{n}.md` kept (the current text is version n+1). */
export async function currentVersion(workspace: string, spec: Spec): Promise<number> {
  const names = await readdir(join(workspace, dirname(spec.path))).catch(() => [] as string[]);
  const kept = names.map((name) => /^spec\.v(\d+)\.md$/.exec(name)?.[1]).filter((n): n is string => n !== undefined).map(Number);
  return (kept.length > 0 ? Math.max(...kept) : 0) + 1;
}

/** Saves the spec as it is now as `spec.v{version}.md`; returns its workspace-relative path. */
export async function keepVersion(workspace: string, spec: Spec, version: number): Promise<string> {
  const rel = `${dirname(spec.path)}/spec.v${version}.md`;
  await copyFile(join(workspace, spec.path), join(workspace, rel));
  return rel;
}
