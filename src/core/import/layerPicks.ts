/**
 * The marks import and the approval gate leave on a task's line — "no layer", the model's
 * proposal, accepted or not — and the picker the sidebar shows for such tasks (a leaf the
 * engine lists specs with).
 */

/** A task that names no file and whose words point to no layer (specTasks.ts reads `layer: X` once one is picked). */
export const NO_LAYER = 'no layer (pick one when approving)';
/** `— layer: backend (proposed by the model: …)`: the model's proposal, waiting for the human at the gate. */
export const PROPOSED = 'proposed by the model';
/** `— no layer (pick one when approving) — the model found none: …`: asked once, the model placed it nowhere. */
export const MODEL_FOUND_NONE = 'the model found none';
/** What accepting a proposal adds to its mark (`--yes`, or yes at the gate). */
export const ACCEPTED = 'accepted when approving';

/** A task line whose layer (or "not implementable") the model proposed and nobody accepted yet. */
export function isPendingProposal(text: string): boolean {
  return text.includes(PROPOSED) && !text.includes(ACCEPTED);
}

// `3. [ ] 3.2 Title … — no layer (…)`: the number, the checkbox, the source id, the rest.
export const TASK_LINE = /^(\d+\.\s+\[[ xX]\]\s+)(\S+)(\s.*)$/;

/** Each numbered task line of a spec, with its source id and 1-based line number. */
export function taskLinesOf(text: string): { id: string; line: number; text: string }[] {
  return text.split('\n').flatMap((line, index) => {
    const match = TASK_LINE.exec(line);
    return match ? [{ id: match[2]!, line: index + 1, text: line }] : [];
  });
}

/** The tasks whose proposal waits, as items of the spec's work no layer owns yet (the sidebar, the portal and `specs` show them there). */
export function pendingProposalItems(markdown: string): { kind: 'task'; line: number; text: string }[] {
  return taskLinesOf(markdown)
    .filter((t) => isPendingProposal(t.text))
    .map((t) => ({ kind: 'task' as const, line: t.line, text: t.text.replace(TASK_LINE, '$2$3') }));
}

/** Unowned tasks marked "no layer" at import, and proposals waiting, each with its source id and the layers to pick from (the sidebar's picker). */
export function withLayerPicks<T extends { kind: 'task' | 'file'; text: string }>(
  items: readonly T[],
  layers: readonly string[],
): (T & { pick?: { task: string; layers: string[]; proposed?: string } })[] {
  return items.map((item) => {
    const task =
      item.kind === 'task' && (item.text.includes(NO_LAYER) || isPendingProposal(item.text))
        ? /^(\S+)\s/.exec(item.text)?.[1]
        : undefined;
    // What the model proposed: a layer, or `not-implementable`.
    const proposed = isPendingProposal(item.text)
      ? (new RegExp(`— layer: ([A-Za-z0-9_-]+) \\(${PROPOSED}`).exec(item.text)?.[1] ?? 'not-implementable')
      : undefined;
    return task ? { ...item, pick: { task, layers: [...layers], ...(proposed ? { proposed } : {}) } } : item;
  });
}
