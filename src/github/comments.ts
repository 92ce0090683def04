/**
 * What the channel writes on GitHub (issue 39): the spec comment (one per run, edited in place,
 * marked `<!-- orchestrator:spec <specId> -->`), the pull request's body (marked `<!-- orchestrator:run
 * <runId> -->`: the spec's summary, every requirement with its files, checks and tests, the review
 * and the proof and its strength per criterion, the attempts, the cost and the runners) and the
 * short notes. The markers are also how the channel knows its own comments and pull requests when
 * GitHub delivers them back.
 */
import {
  markedStatus,
  proofCells,
  proofLine,
  proofTestsOf,
  strengthLine,
  strengthTotal,
  survivorLabel,
  testLabel,
  UNPROVEN,
  uncheckedWhy,
} from '../core/text/proofWords';
import type { UncheckedLayer } from '../core/errors';
import type { GatePlacement } from '../core/requests';
import type { TraceMatrix, TraceRow } from '../core/traceMatrix';

export const specMarker = (specId: string) => `<!-- orchestrator:spec ${specId} -->`;
export const runMarker = (runId: string) => `<!-- orchestrator:run ${runId} -->`;
/** Anything carrying one of our markers is ours: it never starts or decides anything. */
export const OUR_MARKER = /<!-- orchestrator:(spec|run|note) /;
const noteMarker = (runId: string) => `<!-- orchestrator:note ${runId} -->`;

/** GitHub refuses a comment over 65,536 characters: a spec that long is cut, saying where the whole is. */
const COMMENT_CHARS = 60_000;
/** Longer specs are folded under their first section (the requirements stay in view). */
const FOLD_CHARS = 4_000;

/** `by`: `@login` on GitHub, `<name> in the portal`. */
export type GateState =
  { state: 'waiting' } | { state: 'decided'; action: string; by: string } | { state: 'cancelled'; by: string };

export function specComment(input: {
  specId: string;
  specPath: string;
  markdown: string;
  phase?: string;
  gate: GateState;
  placement?: GatePlacement;
  budget?: string;
}): string {
  const head = [
    specMarker(input.specId),
    `### ${input.phase ? `Phase ${input.phase}'s gate` : 'Spec'} \`${input.specId}\``,
    '',
  ];
  const status =
    input.gate.state === 'waiting'
      ? 'Waiting for approval. A collaborator with write access answers with `/approve`, `/changes <what to change>` or `/cancel`.'
      : input.gate.state === 'decided'
        ? `Decided: **${input.gate.action}** by ${input.gate.by}.`
        : `Cancelled by @${input.gate.by}.`;
  let body = input.markdown.trim();
  if (body.length > COMMENT_CHARS)
    body = `${body.slice(0, COMMENT_CHARS)}\n\n… (cut here: the whole spec is ${input.specPath})`;
  const folded = body.length > FOLD_CHARS ? fold(body) : body;
  const placement = input.placement && input.gate.state === 'waiting' ? [...placementLines(input.placement), ''] : [];
  const budget = input.budget ? [input.budget, ''] : [];
  return [...head, status, '', ...budget, ...placement, folded, '', `<sub>${input.specPath}</sub>`].join('\n');
}

/** A code span of the folder's or the model's words: shown as written, never markup. */
const code = (text: string) => `\`${text.replace(/[`\n\r]/g, ' ').slice(0, 1000)}\``;

/** An imported spec's tasks naming no file: where the model placed each, and what nothing placed, above the spec. */
function placementLines(placement: GatePlacement): string[] {
  return [
    ...(placement.proposed.length > 0
      ? [
          `**Where the tasks naming no file go** (the model's proposal; \`/approve\` accepts it, \`/changes <task>=<layer>\` moves a task):`,
          ...placement.proposed.map((p) => `- ${code(p.task)} → ${code(p.layer)}: ${code(p.reason)}`),
          '',
        ]
      : []),
    ...(placement.unplaced
      ? [
          `**Not placed:** ${code(placement.unplaced)}. Give each its layer with \`/changes <task>=<layer>\`, or add a layer that owns this work.`,
          '',
        ]
      : []),
  ];
}

function fold(markdown: string): string {
  const second = markdown.search(/\n## (?!Requirements)/);
  const cut = second > 0 && second < FOLD_CHARS * 2 ? second : FOLD_CHARS;
  return `${markdown.slice(0, cut)}\n\n<details><summary>The rest of the spec</summary>\n\n${markdown.slice(cut).trim()}\n\n</details>`;
}

export function note(runId: string, text: string): string {
  return `${noteMarker(runId)}\n${text}`;
}

/** A table cell's bound. */
const CELL_CHARS = 300;
/** A table cell: one line, pipes escaped, bounded. */
const cell = (values: readonly string[]) =>
  (values.join(', ') || '—').replace(/\|/g, '\\|').replace(/\n/g, ' ').slice(0, CELL_CHARS);

/**
 * The Proof cell: the status's mark and word, then each test as a code span (the proof agent names
 * them: shown as written, never a link, an image or markup), as many as fit the cell.
 */
function proofCell(row: TraceRow): string {
  const proof = row.proof ?? UNPROVEN;
  return spansCell(
    markedStatus(proof.status),
    proofTestsOf(proof).map((t) => code(testLabel(t).slice(0, 120))),
    'more',
  );
}

/**
 * A cell of words and code spans: as many whole spans as fit its bound, then how many more. A span
 * is never cut (the text after a lone backtick would be markup again).
 */
function spansCell(head: string, spans: readonly string[], more: string): string {
  const escape = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  let out = escape(head);
  let shown = 0;
  for (const span of spans) {
    const next = `${out} ${escape(span)}`;
    if (next.length > CELL_CHARS - 30) break;
    out = next;
    shown += 1;
  }
  return shown < spans.length ? `${out} and ${spans.length - shown} ${more}` : out;
}

/**
 * The Strength cell: the score, then each surviving mutant as a code span (its file and change are
 * the code's words: shown as written, never markup), as many as fit the cell.
 */
function strengthCellOf(row: TraceRow): string {
  const strength = row.proof?.strength;
  const survivors = (strength?.survivors ?? []).map((s) => `survived ${code(survivorLabel(s).slice(0, 120))}`);
  return spansCell(strengthLine(strength), survivors, 'more survived');
}

/** `Strength: 80% (4/5 mutants killed).` over every measured criterion; nothing before strength was measured. */
function strengthTotalLine(matrix: TraceMatrix): string[] {
  const total = strengthTotal(matrix.rows.map((row) => row.proof?.strength));
  return total ? [`Strength: ${strengthLine(total)}.`] : [];
}

export interface PullBodyInput {
  issue: number;
  runId: string;
  matrix: TraceMatrix;
  summary: string;
  costUsd: number;
  runners: string[];
  /** A line per layer tried in attempts (issue 47): how many ran, which was kept and why. */
  attempts?: readonly string[];
  /** Issue 70: files no proof test and no validate command checked, accepted (`allowUnchecked`). */
  unchecked?: readonly UncheckedLayer[];
}

/** What nothing checked, accepted by the run's settings: said before the matrix, each file as a code span. */
function uncheckedLines(layers: PullBodyInput['unchecked']): string[] {
  if (!layers?.length) return [];
  return [
    '### Unchecked (accepted)',
    '',
    'Nothing showed that these files do what the spec asks; the run completed because `allowUnchecked` accepts it:',
    '',
    ...layers.map((l) => `- ${code(l.layer)}: ${l.files.map(code).join(', ')} (${code(uncheckedWhy(l))})`),
    '',
  ];
}

/** The attempts' lines as code spans, as the proof's test names: journal words shown as written, never a link, a mention or markup. */
function attemptLines(lines: readonly string[] | undefined): string[] {
  return lines?.length ? ['### Attempts', '', ...lines.map((line) => `- ${code(line)}`), ''] : [];
}

/**
 * The matrix as Markdown: the proof's count line (and the strength score once measured), then every
 * requirement and criterion with its files, checks, tests, review, proof and strength (a pull
 * request's body, a job's summary).
 */
export function matrixLines(matrix: TraceMatrix): string[] {
  return [
    `${proofLine(matrix.rows.map((row) => (row.proof ?? UNPROVEN).status))}.`,
    ...strengthTotalLine(matrix),
    '',
    '| Requirement | Criterion | Files | Checks | Tests | Review | Proof | Red on base | Green after | Strength |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...matrix.rows.map((row) => {
      const [, red, green] = proofCells(row.proof);
      const requirement = cell([`${row.requirement} ${row.requirementTitle}`]);
      const criterion = cell([row.criterion === row.requirement ? '—' : `${row.criterion} ${row.criterionText}`]);
      const checks = `${cell(row.files)} | ${cell(row.validation)} | ${cell(row.tests)} | ${cell([row.review])}`;
      return `| ${requirement} | ${criterion} | ${checks} | ${proofCell(row)} | ${red} | ${green} | ${strengthCellOf(row)} |`;
    }),
  ];
}

export function pullBody(input: PullBodyInput): string {
  const { matrix } = input;
  const requirements = [...new Set(matrix.rows.map((row) => row.requirement))];
  const lines = [
    `Closes #${input.issue}`,
    '',
    `Spec \`${matrix.specId}\`: ${matrix.title}`,
    '',
    input.summary.trim(),
    '',
    ...uncheckedLines(input.unchecked),
    `### Requirements (${requirements.length})`,
    '',
    ...matrixLines(matrix),
    '',
    ...attemptLines(input.attempts),
    `Cost: $${input.costUsd.toFixed(4)}. Runners: ${input.runners.join(', ') || 'agent'}.`,
    '',
    runMarker(input.runId),
  ];
  return lines.join('\n');
}

/** The issue a pull request of ours closes (its body as pullBody wrote it: the run's marker and `Closes #<issue>`); undefined for anyone else's. */
export function issueOfPull(body: string | null | undefined): number | undefined {
  if (!body || !/<!-- orchestrator:run [A-Za-z0-9_-]+ -->/.test(body)) return undefined;
  const issue = /^Closes #(\d+)$/m.exec(body)?.[1];
  return issue ? Number(issue) : undefined;
}

/** The spec's first paragraph under its title or Summary: the pull request's opening words. */
export function specSummary(markdown: string): string {
  const section = /^#{2,3} (?:Summary|Overview|Context)\s*\n+([\s\S]*?)(?=\n#{2,3} |\n*$)/m.exec(markdown)?.[1];
  const text = section ?? markdown.replace(/^---[\s\S]*?---\n/, '').replace(/^#.*\n/m, '');
  return (
    text
      .trim()
      .split(/\n\s*\n/)[0]
      ?.slice(0, 1200) ?? ''
  );
}
