/**
 * The change-set as the sidebar and the portal carry it (issue 73): the engine's view
 * (`engine.changeSets`, core/changeSet/setView.ts), checked with zod where it crosses into a webview
 * or is restored from one, and the words every host styles it with (one status per member, its
 * spend against the set's one budget). zod/mini, free of VS Code and Node imports: the webview and
 * the portal's page bundle it. Its text is untrusted (a request, a reason): shown as text, never HTML.
 */
import * as z from 'zod/mini';
import type { ChangeSetView as EngineChangeSetView } from '../core/changeSet';

const combined = z.enum(['passed', 'failed', 'not-checked']);

export const changeSetMemberViewSchema = z.object({
  name: z.string(),
  status: z.string(),
  specId: z.optional(z.string()),
  runIds: z.array(z.string()),
  costUsd: z.number(),
  uses: z.array(z.object({ producer: z.string(), via: z.string() })),
  combined: z.optional(combined),
  reason: z.optional(z.string()),
});

export const changeSetViewSchema = z.object({
  setId: z.string(),
  request: z.string(),
  branch: z.string(),
  specPath: z.string(),
  status: z.enum(['running', 'spec-saved', 'completed', 'stopped']),
  stoppedAt: z.optional(z.string()),
  combined: z.optional(z.enum(['passed', 'failed'])),
  members: z.array(changeSetMemberViewSchema),
  budget: z.object({ limitUsd: z.optional(z.number()), spentUsd: z.number() }),
  updated: z.string(),
});
export type ChangeSetView = z.infer<typeof changeSetViewSchema>;
export type ChangeSetMemberView = ChangeSetView['members'][number];

/** The engine's view is what this schema carries (a compile-time check: a field added there is added here). */
export const fromEngine = (view: EngineChangeSetView): ChangeSetView => view;

const MARKS: Record<string, string> = {
  completed: '✓',
  'spec-saved': '…',
  running: '▶',
  'not-run': '-',
};

/** A member's mark: ✗ once it stopped the set or failed on the combined heads. */
export const memberMark = (m: ChangeSetMemberView): string =>
  m.reason || m.combined === 'failed' ? '✗' : (MARKS[m.status] ?? '✗');

/** The set's status in words: `completed, passed on the combined heads`, `stopped at sdk`. */
export function setStatusWords(set: ChangeSetView): string {
  const where = set.status === 'stopped' && set.stoppedAt ? ` at ${set.stoppedAt}` : '';
  const heads = set.combined ? `, ${set.combined} on the combined heads` : '';
  const waits = set.status === 'spec-saved' ? ' (waiting for its approval)' : '';
  return `${set.status}${where}${heads}${waits}`;
}

/** `$0.07 of the set's $5.00`: what the members spent against the one cap. */
export const setSpendWords = (set: ChangeSetView): string =>
  `$${set.budget.spentUsd.toFixed(2)}${set.budget.limitUsd !== undefined ? ` of the set's $${set.budget.limitUsd.toFixed(2)}` : ''}`;

/** A member in one line: its status, its spend, its producers, its checks on the combined heads. */
export function memberWords(m: ChangeSetMemberView): string {
  const uses = m.uses.length ? ` (${m.uses.map((u) => `${u.producer} linked via ${u.via}`).join(', ')})` : '';
  const heads = m.combined ? `, ${m.combined} on the combined heads` : '';
  return `${m.name}: ${m.status}, $${m.costUsd.toFixed(2)}${heads}${uses}`;
}
