/**
 * Ticks in spec.md (issue 71): a task or file line of the spec's Tasks and Files to Create/Modify
 * sections is ticked (`- [x]`, `1. [x]`) when the layer whose work covers it is accepted, and its
 * tick taken back when that layer is sent back. Only the checkbox of the lines named changes; the
 * rest of the file is written as it was.
 */
import { join } from 'node:path';
import { readOptionalText, writeFileAtomic } from '../sources';
import type { SpecChecklistItem } from './specTasks';

// A list item's checkbox: `- [ ] `, `* [x] `, `1. [ ] `.
const CHECKBOX = /^(\s*(?:[-*+]|\d+[.)])\s+\[)([ xX])(\])/;

/** `markdown` with the checkbox of each line in `lines` (1-based, front matter included) set to `done`. */
export function withTicks(markdown: string, lines: readonly number[], done: boolean): string {
  const wanted = new Set(lines);
  const eol = markdown.includes('\r\n') ? '\r\n' : '\n';
  return markdown
    .split(/\r?\n/)
    .map((line, index) => (wanted.has(index + 1) ? line.replace(CHECKBOX, `$1${done ? 'x' : ' '}$3`) : line))
    .join(eol);
}

/**
 * Sets the checkboxes of `items` (read from the spec file as it is now: their lines) in the spec at
 * `specPath`; the items whose box changed. Nothing is written when none did.
 */
export async function tickSpecItems(
  workspace: string,
  specPath: string,
  items: readonly SpecChecklistItem[],
  done: boolean,
): Promise<SpecChecklistItem[]> {
  const file = join(workspace, specPath);
  const text = await readOptionalText(file);
  if (text === undefined) return [];
  const changing = items.filter((item) => item.done !== done);
  if (changing.length === 0) return [];
  const written = withTicks(
    text,
    changing.map((item) => item.line),
    done,
  );
  if (written === text) return [];
  await writeFileAtomic(file, written);
  return changing;
}
