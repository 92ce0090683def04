/**
 * Ticks written back into the folder a spec was imported from (issue 71), in that tool's own
 * notation, as the tool itself ticks work done: Kiro's tasks.md `- [x] 2.1 …` (a group `- [x] 2. …`
 * once every sub-task under it is ticked), Spec Kit's tasks.md `- [X] T012 …` (as
 * /speckit.implement marks it; a task written as a heading gets ` ✅`). Only the tasks named change;
 * a leaf, so the engine ticks without loading the import room.
 */
import type { ImportedSpec } from './importedSpec';

type Format = Exclude<ImportedSpec['format'], 'mustard'>;

const KIRO_ITEM = /^(\s*[-*+]\s+\[)([ xX/~-])(\]\*?\s+)(\d+(?:\.\d+)*)(?=[.):：]?(?:\s|$))/;
const SPECKIT_ITEM = /^(\s*[-*+]\s+\[)([ xX])(\]\s+[*_`]*)(T\d+(?:-\d+)?[a-zA-Z]?)(?=[*_`]*[:.]?(?:\s|$))/u;
const SPECKIT_HEADING = /^(\s{0,3}#{1,6}\s+[*_`]*)(T\d+(?:-\d+)?[a-zA-Z]?)(?=[*_`]*[:.]?(?:\s|$))/u;
const DONE_MARK = /\s*(?:✅|✔️?|☑️?)\s*$/u;

/**
 * tasks.md with the tasks `refs` ticked (`done`) or opened again; the refs whose line changed
 * (Kiro groups ticked or opened with them included), in file order.
 */
export function withSourceTicks(
  format: Format,
  text: string,
  refs: readonly string[],
  done: boolean,
): { text: string; changed: string[] } {
  const wanted = new Set(refs);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const changed: string[] = [];
  const tick = (index: number, ref: string, line: string) => {
    if (line !== lines[index]) {
      lines[index] = line;
      changed.push(ref);
    }
  };
  lines.forEach((line, index) => {
    if (format === 'kiro') {
      const m = KIRO_ITEM.exec(line);
      if (m && wanted.has(m[4]!)) tick(index, m[4]!, line.replace(KIRO_ITEM, `$1${done ? 'x' : ' '}$3$4`));
      return;
    }
    const item = SPECKIT_ITEM.exec(line);
    if (item && wanted.has(item[4]!)) {
      tick(index, item[4]!, line.replace(SPECKIT_ITEM, `$1${done ? 'X' : ' '}$3$4`));
      return;
    }
    const heading = SPECKIT_HEADING.exec(line);
    if (heading && wanted.has(heading[2]!)) {
      const bare = line.replace(DONE_MARK, '');
      tick(index, heading[2]!, done ? `${bare} ✅` : bare);
    }
  });
  if (format === 'kiro') kiroGroups(lines, done, wanted, tick);
  return { text: lines.join(eol), changed };
}

/** Kiro ticks a group when its last sub-task is done, and a group is open again when one of its sub-tasks is. */
function kiroGroups(
  lines: string[],
  done: boolean,
  wanted: ReadonlySet<string>,
  tick: (index: number, ref: string, line: string) => void,
): void {
  const items = lines.flatMap((line, index) => {
    const m = KIRO_ITEM.exec(line);
    return m ? [{ index, ref: m[4]!, done: m[2]!.toLowerCase() === 'x' }] : [];
  });
  for (const group of items) {
    const subs = items.filter((item) => item.ref.startsWith(`${group.ref}.`));
    if (subs.length === 0 || !subs.some((sub) => wanted.has(sub.ref))) continue;
    const all = subs.every((sub) => sub.done);
    if (done && all && !group.done) tick(group.index, group.ref, lines[group.index]!.replace(KIRO_ITEM, '$1x$3$4'));
    if (!done && group.done) tick(group.index, group.ref, lines[group.index]!.replace(KIRO_ITEM, '$1 $3$4'));
  }
}
