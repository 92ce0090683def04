/**
 * A phase's documents checked before it closes: each one it declares exists, has its required
 * `sections`, (`checks: [adr]`) every ADR in it has Context, Decision and Consequences, and
 * (`checks: [mermaid]`, or `mermaid` in the gate: every document of the phase) every Mermaid block
 * parses (the Mermaid room: an unknown diagram type only warns); a gate
 * that lists `dictionary` compares docs/data/dictionary.md with the schema (census room), and one
 * that lists `trace` (on a phase other than COMPLETE) wants a test for every requirement. A
 * problem stops the run with a report naming each file and line; fixing the document and
 * resuming checks again (the phase's work is not redone).
 */
import { join } from 'node:path';
import { censusRoom } from '../../../census';
import { RunStop } from '../../../errors';
import { readOptionalText } from '../../../project/sources';
import type { WorkflowPhase } from '../../../project/workflows';
import type { RunContext } from '../../kernel';
import { specFolder } from '../documents';
import { mermaidRoom } from '../../../mermaid';
import { adrProblems, missingSections } from './documentChecks';
import { untestedProblems, type UntestedProblem } from './untestedCheck';

export async function documentGate(ctx: RunContext, phase: WorkflowPhase): Promise<void> {
  const problems = await documentProblems(ctx, phase);
  // The matrix complete (seed 000's F): a requirement with no test fails, unless the run waives it.
  // Not a document problem: a role is not asked to write its documents again for it.
  const untested = await untestedProblems(ctx, phase);
  if (problems.length > 0 || untested.length > 0) throw gateStop(phase, problems, untested);
}

/**
 * Each problem of the phase's documents, one line each (`- path:line: message`). `item`: the
 * squad or layer of a fan-out, whose `{squad}` / `{layer}` documents are checked (without it they
 * are not: the fan-out's step checks each item's own).
 */
export async function documentProblems(ctx: RunContext, phase: WorkflowPhase, item?: string): Promise<string[]> {
  const folder = specFolder(ctx);
  const problems: string[] = [];
  const gateChecks = typeof phase.gate === 'object' && 'check' in phase.gate ? phase.gate.check : [];
  for (const output of phase.outputs ?? []) {
    if (output === 'code') continue;
    const mermaid = output.checks?.includes('mermaid') || gateChecks.includes('mermaid');
    if (!output.sections?.length && !output.checks?.includes('adr') && !mermaid) continue;
    if (output.path.includes('{spec}') && folder === undefined) continue;
    if (/\{(squad|layer)\}/.test(output.path) && item === undefined) continue;
    const path = output.path.replace(/\{spec\}/g, folder ?? '').replace(/\{(squad|layer)\}/g, item ?? '');
    const text = await readOptionalText(join(ctx.workspace, path));
    if (text === undefined) {
      problems.push(`- ${path}: missing (phase ${phase.name} must leave "${output.document}")`);
      continue;
    }
    const found = [
      ...missingSections(text, output.sections ?? []),
      ...(output.checks?.includes('adr') ? adrProblems(text) : []),
    ];
    if (mermaid) {
      for (const problem of await mermaidRoom().mermaidProblems(text, {
        required: output.checks?.includes('mermaid') ?? false,
      })) {
        if (problem.severity === 'warning') ctx.warn(`${path}:${problem.line}: ${problem.message}`);
        else found.push(problem);
      }
    }
    problems.push(
      ...found.sort((a, b) => a.line - b.line).map((problem) => `- ${path}:${problem.line}: ${problem.message}`),
    );
  }
  // The data dictionary against the real schema (seed 000's phase F): every difference is a problem.
  if (gateChecks.includes('dictionary')) {
    const report = await censusRoom().checkDictionary(ctx.workspace);
    problems.push(
      ...report.differences.map((difference) => `- ${difference.where ?? report.dictionary}: ${difference.message}`),
    );
  }
  return problems;
}

/**
 * The stop of a gate that did not pass: its report names each problem (documents, then
 * requirements with no test) and what to do. When the requirements with no test are all that
 * failed it, the stop names them (`run.stopped`'s `untested`): a host may offer the waiver.
 */
export function gateStop(phase: WorkflowPhase, problems: string[], gaps: UntestedProblem[] = []): RunStop {
  const untested = gaps.map((gap) => gap.line);
  const action = [
    ...(problems.length > 0
      ? [
          `Complete the document${problems.length === 1 ? '' : 's'}, then run \`orchestrator resume\` (the phase's work is kept; its gate is checked again).`,
        ]
      : []),
    ...(untested.length > 0
      ? [
          `Add a test for each requirement (a test file that cites its id, \`REQ-n\`, or tests a file it changed), then run \`orchestrator resume\`; or accept the gap with \`orchestrator resume --allow-untested\` (the waiver is recorded in the matrix and the journal).`,
        ]
      : []),
  ];
  const report = [
    `## Pipeline stopped: the gate of phase ${phase.name} did not pass`,
    ...problems,
    ...untested,
    '### Action needed',
    ...action,
  ].join('\n');
  const counts = [
    ...(problems.length > 0 ? [`${problems.length} document problem(s)`] : []),
    ...(untested.length > 0 ? [`${untested.length} requirement(s) with no test`] : []),
  ];
  const waivable =
    problems.length === 0 && gaps.length > 0
      ? { phase: phase.name, requirements: gaps.map((gap) => gap.id) }
      : undefined;
  return new RunStop('gate', `phase ${phase.name}: ${counts.join(', ')}`, report, waivable);
}
