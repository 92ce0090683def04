/**
 * Claude Code's own controls, so a violation is prevented and not only undone (the owns gate
 * after the agent stops stays the authority): permission deny rules for protected paths and
 * for reading what the privacy rules deny, and a PreToolUse hook that refuses a write outside
 * the layer's `owns` at once, naming the rule (AGENT-CLIS.md: both produce an error tool
 * result the model sees). Read-only roles get no editing tools at all.
 */
import { PROTECTED_GLOBS } from '../../agents/guard/protectedPaths';

export { writeRefusal } from '../cliAgent/writeRefusal';

/** The tools that change files (Bash is gated after the fact, by the owns gate). */
export const EDIT_TOOLS = ['Write', 'Edit', 'MultiEdit', 'NotebookEdit'] as const;

/** Tools that reach the network or start other agents: none of them has a place in a layer's work. */
export const NEVER_TOOLS = ['WebFetch', 'WebSearch'];

/** `permissions.deny` rules: protected paths for every edit tool, denied files for reading too. */
export function denyRules(deny: readonly string[]): string[] {
  const anywhere = (pattern: string) => (pattern.startsWith('**/') || pattern.startsWith('/') ? pattern.replace(/^\/+/, '') : `**/${pattern}`);
  const protectedRules = PROTECTED_GLOBS.flatMap((glob) => ['Edit', 'Write'].map((tool) => `${tool}(./${glob})`));
  const secretRules = deny.flatMap((pattern) => ['Read', 'Edit', 'Write'].map((tool) => `${tool}(${anywhere(pattern)})`));
  return [...protectedRules, ...secretRules];
}

/** The path a file tool's input names (NotebookEdit says notebook_path). */
export function filePathOf(input: unknown): unknown {
  const record = (input ?? {}) as Record<string, unknown>;
  return record.file_path ?? record.notebook_path ?? record.path;
}
