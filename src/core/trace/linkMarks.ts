/**
 * Words an imported spec writes (import/renderForeign.ts) and the matrix reads: a task ticked
 * in the source, a requirement the source links to no task, a task that is not code, and a group
 * of sub-tasks.
 */
export const DONE_BEFORE_IMPORT = 'done before import';
export const NOT_LINKED = 'Not linked in the source';
/** A task that is process, not code (a checkpoint, a manual validation): ticked at import with the reason, never given to an agent. */
export const NOT_IMPLEMENTABLE = 'not implementable';
/** A task the source deferred (`[~]`): shown ticked with this note, never given to an agent, owing no file. */
export const DEFERRED_IN_SOURCE = 'deferred in the source, not run';

/** `**Group 3** Build the data layer (REQ-2) — open in the source`: a Kiro parent task, which groups and does no work. */
export function groupLine(ref: string, rest: string): string {
  return `**Group ${ref}** ${rest}`;
}

/** The group lines of a spec, without the bold markers (`Group 3 Build the data layer …`). */
export function taskGroups(markdown: string): string[] {
  return [...markdown.matchAll(/^\*\*Group (\S+)\*\* (.*)$/gm)].map((m) => `Group ${m[1]} ${m[2]}`);
}
