/**
 * A scripted audit of examples/shop's `server/` (dimension backend): the auditor's score rises
 * 75 → 82 → 91 → 100 over its audits, each with the findings that remain; the backend agent
 * closes what it is given with a real edit the shop's own build (`node server/build.js`)
 * accepts. Shared by the engine tests, the CLI tests and the bench.
 */
import { block, reply, type ScriptedReply } from './messagesApiServer';
import type { AgentCall } from './agentCalls';

export interface ScriptedFinding {
  id?: string;
  severity: 'P0' | 'P1' | 'P2' | 'P3';
  description: string;
  file?: string;
  line?: number;
  recommendation: string;
}

export const INDEX_P0: ScriptedFinding = {
  id: 'BE-1',
  severity: 'P0',
  description:
    'readJson destroys the request when the body passes 1 MB without answering: the client hangs and the handler promise never settles.',
  file: 'server/index.js',
  line: 26,
  recommendation:
    'Reject the oversized body with a 413 (a ValidationError the handler maps) instead of destroying the socket.',
};
export const CUSTOMER_P1: ScriptedFinding = {
  id: 'BE-2',
  severity: 'P1',
  description:
    'The email uniqueness check compares the stored address with the lowercased input but the name is not trimmed before its length check.',
  file: 'server/entities/customer.js',
  line: 26,
  recommendation: 'Trim the name before checking its length, as create() stores it.',
};
export const STORE_P2: ScriptedFinding = {
  id: 'BE-3',
  severity: 'P2',
  description: 'where() copies every row of the table for each lookup.',
  file: 'server/store.js',
  line: 27,
  recommendation: 'Iterate the table Map directly instead of building the array first.',
};
export const ERRORS_P3_DOCS: ScriptedFinding = {
  id: 'BE-4',
  severity: 'P3',
  description: 'The error classes have no documentation comments.',
  file: 'server/errors.js',
  line: 1,
  recommendation: 'Document each error class with a JSDoc comment saying when it is thrown.',
};

/** The scores of the scripted audits, in order, and the findings each one reports. */
export const RISING_SCORES = [75, 82, 91, 100];
export const RISING_FINDINGS: ScriptedFinding[][] = [
  [INDEX_P0, CUSTOMER_P1, STORE_P2],
  [CUSTOMER_P1, STORE_P2, ERRORS_P3_DOCS],
  [STORE_P2],
  [],
];

export const submitAudit = (
  score: number,
  findings: ScriptedFinding[],
  options: Parameters<typeof reply.toolUse>[2] = {},
): ScriptedReply => reply.toolUse('submit_audit', { score, findings }, options);

/**
 * The auditor: on each audit (each attempt, first or continued) it reads a file, then submits
 * the next score. `scores[i]`/`findings[i]` answer the i-th audit; past the end, the last.
 */
export function auditor(
  scores: readonly number[] = RISING_SCORES,
  findings: readonly ScriptedFinding[][] = RISING_FINDINGS,
  options: { submit?: Parameters<typeof reply.toolUse>[2] } = {},
) {
  return ({ turn, attempt }: AgentCall): ScriptedReply => {
    const i = Math.min(attempt, scores.length) - 1;
    if (turn === 0)
      return reply.turn(['Reading the entry point first.', block.toolUse('read_file', { path: 'server/index.js' })]);
    return submitAudit(scores[i]!, findings[Math.min(i, findings.length - 1)]!, options.submit);
  };
}

/** The finding ids and first file a fixer's task names. */
export function taskFindings(task: string): { ids: string[]; file?: string } {
  const lines = [...task.matchAll(/^- (\S+) \[P\d\] (?:([^\s:]+)(?::\d+)? — )?/gm)];
  const file = lines.find((m) => m[2])?.[2];
  return { ids: lines.map((m) => m[1]!), ...(file ? { file } : {}) };
}

/** A line the shop's files have exactly once, before which a fix leaves its mark: by file, else by kind. */
const ANCHORS: Record<string, string> = {
  'web/src/api.js': 'export class ApiError extends Error {',
  '.sql': 'CREATE TABLE',
  '.js': "'use strict';",
};

/**
 * A layer fixer: marks its findings in the first file its task names (a real edit the layer's
 * own validation accepts: a comment), then reports done.
 */
export function fixer() {
  return ({ turn, task }: AgentCall): ScriptedReply => {
    const { ids, file } = taskFindings(task);
    if (turn === 0 && file) {
      const sql = file.endsWith('.sql');
      const anchor = ANCHORS[file] ?? ANCHORS[sql ? '.sql' : '.js']!;
      const mark = `${sql ? '--' : '//'} audit: ${ids.join(', ')}`;
      return reply.turn([
        `Closing ${ids.join(', ')}.`,
        block.toolUse('edit_file', { path: file, old_text: anchor, new_text: `${mark}\n${anchor}` }),
      ]);
    }
    return reply.toolUse('submit_result', { status: 'done', summary: `Closed ${ids.join(', ')}.` });
  };
}
