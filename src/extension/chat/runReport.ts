/**
 * The end of a run in the chat: the review per criterion, the traceability summary and the
 * changed files as a tree. Untrusted text (criteria problems, file names) escaped; pure
 * functions apart from the tree's type.
 */
import type * as vscode from 'vscode';
import type { CriterionResult, ReviewIssue } from '../../core/events';
import type { GatePlacement } from '../../core/requests';
import {
  MAX_SURVIVORS,
  PROOF_MARKS,
  proofLine,
  type ProofStatus,
  type ProofStrength,
  strengthLine,
  strengthPercent,
  strengthTotal,
  UNPROVEN,
} from '../../core/text/proofWords';
import type { TraceMatrix } from '../../core/traceMatrix';
import { codeSpan, escapeInline } from './markdown';

export interface CriterionProofStatus {
  criterion: string;
  status: ProofStatus;
  /** Its tests against mutants of the changed lines (docs/proof.md "Strength"), once measured. */
  strength?: ProofStrength;
}

export interface ReviewSeen {
  round: number;
  verdict: 'approved' | 'rejected';
  issues: readonly ReviewIssue[];
  criteria?: readonly CriterionResult[];
}

/** An imported spec's placement at its gate: each task naming no file with the model's layer and reason, and what nothing placed. */
export function placementMarkdown(placement: GatePlacement): string {
  const proposed = placement.proposed.map(
    (p) => `- ${codeSpan(p.task, 80)} → ${codeSpan(p.layer, 80)}: ${escapeInline(p.reason, 300)}`,
  );
  return [
    ...(proposed.length > 0
      ? [
          "**Where the tasks naming no file go** (the model's proposal; approving accepts it, the sidebar's layer picker changes a task):",
          ...proposed,
          '',
        ]
      : []),
    ...(placement.unplaced ? [`**Not placed:** ${escapeInline(placement.unplaced, 1000)}`, ''] : []),
  ].join('\n');
}

/** `### Review` with one line per criterion (met or unmet, and why), else the issues it raised. */
export function reviewMarkdown(review: ReviewSeen | undefined, skipped?: string): string {
  if (!review) return skipped ? `### Review\nSkipped: ${escapeInline(skipped)}\n` : '';
  const lines = [`### Review (round ${review.round}): ${review.verdict}`];
  for (const c of review.criteria ?? [])
    lines.push(`- ${escapeInline(c.id, 40)}: ${c.verdict}${c.problem ? ` (${escapeInline(c.problem)})` : ''}`);
  if (!review.criteria?.length)
    for (const i of review.issues)
      lines.push(
        `- ${i.severity}: ${escapeInline(i.file, 200)}${i.line ? `:${i.line}` : ''}: ${escapeInline(i.problem)}`,
      );
  if (lines.length === 1) lines.push('No issues.');
  return `${lines.join('\n')}\n`;
}

/** At most this many criteria are marked one by one (a long spec's matrix is in the sidebar). */
const MAX_MARKED = 20;

/** `### Traceability`: criteria met, with files and with tests, the proof of each criterion, and the gaps by name. */
export function traceMarkdown(matrix: TraceMatrix | undefined): string {
  if (!matrix || matrix.rows.length === 0) return '';
  const rows = matrix.rows;
  const met = rows.filter((r) => r.review === 'met' || r.review.startsWith('approved')).length;
  const withFiles = rows.filter((r) => r.files.length > 0).length;
  const withTests = rows.filter((r) => r.tests.length > 0 || r.testWaiver).length;
  const proof = criteriaProof(rows);
  const lines = [
    `### Traceability`,
    `${rows.length} criteria: ${met} met in review, ${withFiles} with files, ${withTests} with tests.`,
    '',
    proofMarkdown(proof),
    '',
    ...strengthMarkdown(proof),
  ];
  const gaps = rows.filter((r) => r.gaps.length > 0);
  for (const r of gaps.slice(0, 20)) lines.push(`- ${escapeInline(r.criterion, 40)}: ${r.gaps.join(', ')}`);
  if (gaps.length > 20) lines.push(`- … and ${gaps.length - 20} more`);
  return `${lines.join('\n')}\n`;
}

/** Each criterion's proof status (a row journaled before proof is unproven). */
export function criteriaProof(
  rows: readonly { criterion: string; proof?: { status: ProofStatus; strength?: ProofStrength } }[],
): CriterionProofStatus[] {
  return rows.map((r) => ({
    criterion: r.criterion,
    status: (r.proof ?? UNPROVEN).status,
    ...(r.proof?.strength ? { strength: r.proof.strength } : {}),
  }));
}

/**
 * `Proof: 2 proven, 1 failing: ✓ REQ-1.1 proven · ✗ REQ-1.2 failing …`: the count line, then each
 * criterion's mark (ids escaped); then the run's strength score once measured.
 */
export function proofMarkdown(criteria: readonly CriterionProofStatus[]): string {
  const marks = criteria
    .slice(0, MAX_MARKED)
    .map((c) => `${PROOF_MARKS[c.status]} ${escapeInline(c.criterion, 40)} ${c.status}`);
  const total = strengthTotal(criteria.map((c) => c.strength));
  const strength = total ? ` Strength: ${strengthLine(total)}.` : '';
  return `${proofLine(criteria.map((c) => c.status))}: ${marks.join(' · ')}${criteria.length > MAX_MARKED ? ` · … and ${criteria.length - MAX_MARKED} more` : ''}.${strength}`;
}

/**
 * Each measured criterion's score, then the mutants its tests let through (MAX_SURVIVORS in all:
 * the sidebar's matrix has each criterion's): where (a code span) and what changed (the code's
 * words, escaped). Nothing before strength was measured.
 */
function strengthMarkdown(criteria: readonly CriterionProofStatus[]): string[] {
  const measured = criteria.filter(
    (c): c is CriterionProofStatus & { strength: ProofStrength } => c.strength !== undefined,
  );
  if (measured.length === 0) return [];
  const scores = measured
    .slice(0, MAX_MARKED)
    .map((c) => `${escapeInline(c.criterion, 40)} ${strengthPercent(c.strength)}`);
  const survivors = measured.flatMap((c) => c.strength.survivors.map((s) => ({ criterion: c.criterion, ...s })));
  const unlisted = measured.reduce((n, c) => n + c.strength.survived, 0) - Math.min(survivors.length, MAX_SURVIVORS);
  return [
    `Strength per criterion: ${scores.join(' · ')}${measured.length > MAX_MARKED ? ` · … and ${measured.length - MAX_MARKED} more` : ''}.`,
    ...survivors
      .slice(0, MAX_SURVIVORS)
      .map(
        (s) =>
          `- survived (${escapeInline(s.criterion, 40)}): ${codeSpan(`${s.file}:${s.line}`, 200)} ${escapeInline(s.change, 200)}`,
      ),
    ...(unlisted > 0 ? [`- … and ${unlisted} more survived`] : []),
    '',
  ];
}

/** Workspace-relative paths as the chat's file tree (folders first, then names, sorted). */
export function fileTree(paths: readonly string[]): vscode.ChatResponseFileTree[] {
  interface Node {
    name: string;
    children: Map<string, Node>;
  }
  const root: Node = { name: '', children: new Map() };
  for (const path of paths) {
    let node = root;
    for (const name of path.split(/[\\/]/).filter((p) => p && p !== '.' && p !== '..')) {
      let child = node.children.get(name);
      if (!child) node.children.set(name, (child = { name, children: new Map() }));
      node = child;
    }
  }
  const toTree = (node: Node): vscode.ChatResponseFileTree[] =>
    [...node.children.values()]
      .sort((a, b) => Number(b.children.size > 0) - Number(a.children.size > 0) || a.name.localeCompare(b.name))
      .map((child) => (child.children.size > 0 ? { name: child.name, children: toTree(child) } : { name: child.name }));
  return toTree(root);
}
