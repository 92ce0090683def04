/**
 * Every version of an amended spec is kept: the text before each amendment is saved beside
 * spec.md as `spec.v{n}.md`, and the body ends with a `## History` section: what it held
 * before (an imported Mustard folder's change requests), then one line per version (when, what
 * was asked, which requirements changed), written by the orchestrator — whatever the spec
 * agent wrote under that heading is replaced.
 */
import { copyFile, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Spec } from '../../project/specs';

/** The History section: its heading, up to the next heading of the same or a higher level. */
function historySection(body: string): { start: number; end: number; lines: string[] } | undefined {
  const lines = body.split('\n');
  const at = lines.findIndex((line) => /^#{2,3}\s*History\s*$/.test(line));
  if (at < 0) return undefined;
  const level = /^#+/.exec(lines[at]!)![0].length;
  const next = lines.findIndex((line, i) => i > at && new RegExp(`^#{1,${level}}\\s`).test(line));
  const end = next < 0 ? lines.length : next;
  return { start: at, end, lines: lines.slice(at + 1, end).filter((line) => line.trim() !== '') };
}

export function bodyWithoutHistory(body: string): string {
  const section = historySection(body);
  if (!section) return `${body.trimEnd()}\n`;
  const lines = body.split('\n');
  return `${[...lines.slice(0, section.start), ...lines.slice(section.end)].join('\n').trimEnd()}\n`;
}

/**
 * The existing History section's lines, verbatim: what the orchestrator wrote before, or what
 * an imported spec brought (Mustard's change requests, as the importer writes them).
 */
export function historyLines(body: string): string[] {
  return historySection(body)?.lines ?? [];
}

/** The body with its History section (wherever it was, whatever the agent wrote there) as the last one. */
export function withHistory(body: string, lines: readonly string[]): string {
  return `${bodyWithoutHistory(body)}\n## History\n${lines.join('\n')}\n`;
}

/** The next version number: 1 + the highest `spec.v{n}.md` kept (the current text is version n+1). */
export async function currentVersion(workspace: string, spec: Spec): Promise<number> {
  const names = await readdir(join(workspace, dirname(spec.path))).catch(() => [] as string[]);
  const kept = names
    .map((name) => /^spec\.v(\d+)\.md$/.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number);
  return (kept.length > 0 ? Math.max(...kept) : 0) + 1;
}

/** Saves the spec as it is now as `spec.v{version}.md`; returns its workspace-relative path. */
export async function keepVersion(workspace: string, spec: Spec, version: number): Promise<string> {
  const rel = `${dirname(spec.path)}/spec.v${version}.md`;
  await copyFile(join(workspace, spec.path), join(workspace, rel));
  return rel;
}
