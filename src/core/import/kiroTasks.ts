/**
 * Kiro's tasks.md: numbered checkbox items two levels deep — a parent (`- [ ] 3. Build the data
 * layer`) groups sub-tasks (`- [ ] 3.1 …`) that do the work — in every state (`[ ]`, `[x]`,
 * `[-]`, `[ ]*`), with `_Requirements: 7.1_` / `**Validates: Requirements 3.2**` lines under
 * them, or wrapped into their paragraph.
 */
import type { ForeignTask } from './foreignSpec';
import { isLinkLine, numberedLinks, unique } from './links';
import { joinLines, readMarkdown } from './markdown';

const TASK_REF = /^(\d+(?:\.\d+)*)[.):：]?\s+(.*)$/;

export function kiroTasks(text: string, warnings: string[]): ForeignTask[] {
  const tasks: ForeignTask[] = [];
  const taskAt = new Map<number, ForeignTask>();
  readMarkdown(text).blocks.forEach((block, index) => {
    if (block.kind === 'heading') return;
    const owner = block.parent !== undefined ? taskAt.get(block.parent) : undefined;
    if (block.kind === 'item' && block.state !== undefined) {
      const titleLines = block.lines.filter((line) => !isLinkLine(line));
      const first = TASK_REF.exec(titleLines[0] ?? '');
      const parent = block.parent !== undefined ? taskAt.get(block.parent) : undefined;
      const ref =
        first?.[1] ??
        (parent
          ? `${parent.ref}.${tasks.filter((t) => t.parent === parent.ref).length + 1}`
          : String(tasks.filter((t) => !t.parent).length + 1));
      const title = joinLines([first?.[2] ?? titleLines[0] ?? '', ...titleLines.slice(1)]);
      const task: ForeignTask = {
        ref,
        text: title,
        done: block.state === 'done',
        state: block.state,
        // Links wrapped into the item's own paragraph count as its links too.
        cites: numberedLinks(block.lines.join('\n')),
        ...(parent ? { parent: parent.ref } : {}),
      };
      if (parent) parent.group = true;
      tasks.push(task);
      taskAt.set(index, task);
      return;
    }
    if (!owner) return;
    // A detail of the task it is under: its links, or a note kept as written.
    owner.cites.push(...numberedLinks(block.lines.join('\n')));
    const rest = block.lines.filter((line) => !isLinkLine(line));
    if (rest.length > 0) (owner.details ??= []).push(joinLines(rest));
    taskAt.set(index, owner);
  });
  // Kiro often writes sub-tasks at their parent's indentation: `2.1` after `2.` is still its sub-task.
  for (const task of tasks) {
    if (task.parent) continue;
    const parentRef = task.ref.split('.').slice(0, -1).join('.');
    const parent = parentRef ? tasks.find((t) => t.ref === parentRef && t !== task) : undefined;
    if (parent) {
      task.parent = parent.ref;
      parent.group = true;
    }
  }
  // Sub-tasks serve what their group serves.
  for (const task of tasks) {
    const parent = task.parent ? tasks.find((t) => t.ref === task.parent) : undefined;
    task.cites = unique([...(parent?.cites ?? []), ...task.cites]);
  }
  if (tasks.length === 0) warnings.push('tasks.md: no "- [ ] N. task" items found');
  return tasks;
}
