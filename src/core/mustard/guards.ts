/**
 * The `## Guards` section of Mustard's `CLAUDE.md` files (docs/mustard.md): rules the project keeps for a folder, in the root and in each subproject
 * (`apps/rt/CLAUDE.md`). The section sits between `<!-- mustard:guards -->` markers with a
 * facts comment (`kind=cargo; frameworks=…`), or under the heading without markers; rules are
 * bullets, prose paragraphs or `[critical] …` lines, often in the project's own language.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface FolderGuards {
  /** Workspace-relative folder of the CLAUDE.md; `''` is the root. */
  dir: string;
  /** Workspace-relative path of the file. */
  file: string;
  /** The rules as written, comments and markers removed. */
  rules: string;
}

/** Longest guards text kept per file: a prompt carries rules, not a whole manual. */
export const MAX_GUARDS_CHARS = 4000;

const MARKER = /<!--\s*\/?\s*mustard:guards(?:[:-](?:start|begin|end))?\s*-->/gi;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const GUARDS_HEADING = /^(?:guards?|guardas?|guardrails?|salvaguardas?)\b/i;

/** The rules of a CLAUDE.md's guards section, or undefined when it has none (or only comments). */
export function extractGuards(markdown: string): string | undefined {
  const text = markdown.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const section = betweenMarkers(text) ?? underHeading(text);
  if (section === undefined) return undefined;
  const rules = section
    .replace(/<!--[\s\S]*?-->/g, '')
    .split('\n')
    .filter((line) => !(HEADING.exec(line) && GUARDS_HEADING.test(HEADING.exec(line)?.[2] ?? '')))
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (rules === '') return undefined;
  return rules.length > MAX_GUARDS_CHARS
    ? `${rules.slice(0, MAX_GUARDS_CHARS).trimEnd()}\n… (cut: the full rules are in the CLAUDE.md)`
    : rules;
}

function betweenMarkers(text: string): string | undefined {
  const marks = [...text.matchAll(MARKER)];
  if (marks.length === 0) return undefined;
  const first = marks[0]!;
  const start = (first.index ?? 0) + first[0].length;
  const second = marks[1];
  // One marker alone: the section runs to the next heading of the same or a higher level.
  return second ? text.slice(start, second.index) : untilNextHeading(text.slice(start), 6);
}

function underHeading(text: string): string | undefined {
  const lines = text.split('\n');
  let inFence = false;
  for (let i = 0; i < lines.length; i++) {
    if (/^\s*(```|~~~)/.test(lines[i]!)) inFence = !inFence;
    const heading = inFence ? null : HEADING.exec(lines[i]!);
    if (heading && GUARDS_HEADING.test(heading[2] ?? ''))
      return untilNextHeading(lines.slice(i + 1).join('\n'), heading[1]!.length);
  }
  return undefined;
}

function untilNextHeading(text: string, level: number): string {
  const lines = text.split('\n');
  let inFence = false;
  const end = lines.findIndex((line) => {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = inFence ? null : HEADING.exec(line);
    return heading !== null && heading[1]!.length <= Math.max(level, 1) && !GUARDS_HEADING.test(heading[2] ?? '');
  });
  return (end < 0 ? lines : lines.slice(0, end)).join('\n');
}

/** The guards of the CLAUDE.md files in these folders (root first; missing files skipped). */
export async function readGuards(workspace: string, dirs: Iterable<string>): Promise<FolderGuards[]> {
  const unique = [...new Set(['', ...dirs])].sort(
    (a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b),
  );
  const found = await Promise.all(
    unique.map(async (dir): Promise<FolderGuards | undefined> => {
      const file = dir === '' ? 'CLAUDE.md' : `${dir}/CLAUDE.md`;
      const text = await readFile(join(workspace, file), 'utf8').catch(() => undefined);
      const rules = text === undefined ? undefined : extractGuards(text);
      return rules === undefined ? undefined : { dir, file, rules };
    }),
  );
  return found.filter((g): g is FolderGuards => g !== undefined);
}
