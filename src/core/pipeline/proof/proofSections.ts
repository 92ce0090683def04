/**
 * The proof as other agents read it: the layer agents get the frozen tests' paths (they may read
 * them, never change them), the review gets each criterion's test with its red output on the base,
 * its latest green output and its strength: the mutants of the changed code it let through
 * (docs/proof.md).
 */
import type { EngineEvent } from '../../events';
import { strengthLine, survivorLabel } from '../../text/proofWords';
import { type Criterion, proofOfRun, strengthOfRun, type StrengthOfRun } from '../../trace';

const clip = (text: string, n = 1500) =>
  text.length <= n ? text : `${text.slice(0, n)}\n… (${text.length - n} more characters)`;

export function layerProofSection(events: readonly EngineEvent[]): string {
  const proofs = proofOfRun(events);
  const files = [
    ...new Set([...proofs.values()].flatMap((p) => p.tests.filter((t) => t.red === 'failed').map((t) => t.file))),
  ];
  if (files.length === 0 || !events.some((e) => e.type === 'proof.frozen')) return '';
  return [
    '## PROOF TESTS (frozen)',
    'These tests were written from the acceptance criteria before the code and fail on it now. After your validation commands, the orchestrator runs the ones of the criteria your tasks cite: your work is done when they pass. Read them; you cannot change them (a change is refused).',
    ...files.map((file) => `- ${file}`),
  ].join('\n');
}

export function reviewProofSection(events: readonly EngineEvent[], criteria: readonly Criterion[]): string {
  const proofs = proofOfRun(events);
  if (proofs.size === 0) return '';
  const strengths = strengthOfRun(events);
  const lines = [
    '## PROOF PER CRITERION',
    "Each criterion's test was written before the code by another agent, run on the base (red) and after the layers' work (green). A criterion proven by its test still needs your judgement of whether the test checks what the criterion says.",
  ];
  for (const c of criteria) {
    const proof = proofs.get(c.id);
    if (!proof) {
      lines.push(`### ${c.id}: unproven (no proof test)`);
      continue;
    }
    if (proof.untestable) {
      lines.push(`### ${c.id}: unproven — untestable: ${proof.untestable}`);
      continue;
    }
    lines.push(`### ${c.id}: ${proof.status}`);
    for (const t of proof.tests) {
      lines.push(`- ${t.file}${t.name ? ` › ${t.name}` : ''}: red on the base ${t.red}, green after ${t.green}`);
      if (t.redOutput) lines.push('Red output:', '```', clip(t.redOutput.trim()), '```');
      if (t.greenOutput) lines.push('Green output:', '```', clip(t.greenOutput.trim()), '```');
    }
    lines.push(...strengthEvidence(strengths.get(c.id)));
  }
  if ([...strengths.values()].some((s) => s.survivors.length > 0)) lines.push(EQUIVALENT);
  return lines.join('\n');
}

const EQUIVALENT =
  'A surviving mutant is a wrong implementation the tests accept: weigh it when you judge whether its criterion is proven. One that changes nothing observable (equivalent: the same behaviour for every input) can never be killed: list it in `equivalent` ({mutant: its [id], why}) and it is no longer counted.';

/** At most this many survivors per criterion reach the review (the count says how many more). */
const REVIEW_SURVIVORS = 20;

/** The strength measured after GREEN, and each mutant the tests let through as evidence of what they leave unchecked. */
function strengthEvidence(strength: StrengthOfRun | undefined): string[] {
  if (!strength) return [];
  const lines = [`Strength against mutants of the changed lines: ${strengthLine(strength)}.`];
  if (strength.survived === 0) return lines;
  lines.push(
    'Surviving mutants (the code changed so, and its tests still passed: behaviour they leave unchecked, unless the change is equivalent):',
  );
  lines.push(
    '```',
    ...strength.survivors
      .slice(0, REVIEW_SURVIVORS)
      .map((s) => clip(`[${s.id}] ${survivorLabel(s)}`.replace(/\s+/g, ' '), 300)),
    '```',
  );
  const unlisted = strength.survived - Math.min(strength.survivors.length, REVIEW_SURVIVORS);
  if (unlisted > 0) lines.push(`… and ${unlisted} more survived.`);
  return lines;
}
