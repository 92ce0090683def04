import type * as z from 'zod/mini';
import type { EventSink } from '../../events';
import type { WorkspaceGuard } from '../guard/workspaceGuard';

/** What a tool's work produced: the text of its tool_result and whether it is an error. */
export interface ToolOutcome {
  content: string;
  isError: boolean;
}

/** A file change, reported so the loop can tell created from rewritten from deleted files. */
export interface FileChange {
  path: string;
  kind: 'written' | 'deleted';
  /** Whether the file existed just before this change. */
  existed: boolean;
}

export interface ToolContext {
  agent: string;
  guard: WorkspaceGuard;
  emit: EventSink;
  recordChange(change: FileChange): void;
  /** The run's cancellation: long tools (search) stop when it fires. */
  signal?: AbortSignal;
}

/** What a mutating call would do, computed before the turn's calls run (for confirmations). */
export interface ChangePreview {
  path: string;
  /** Lines the change would remove from the existing file (net, never negative). */
  removedLines: number;
  /** The file does not exist yet. */
  created?: boolean;
  /** The file's text after the change (null: deleted), for the checks that judge what changes (a package script). */
  after?: string | null;
}

export interface WorkTool<Input = unknown> {
  name: string;
  description: string;
  schema: z.ZodMiniType<Input>;
  /** Mutating tools need `owns` and pass through the turn's confirmation hook. */
  mutating: boolean;
  run(input: Input, ctx: ToolContext): Promise<ToolOutcome>;
  /** Only for mutating tools; null when the call would be refused anyway. */
  preview?(input: Input, ctx: ToolContext): Promise<ChangePreview | null>;
}

/** Thrown inside a tool for an expected failure; becomes an is_error result with this one line. */
export class ToolError extends Error {}

export const ok = (content: string): ToolOutcome => ({ content, isError: false });
