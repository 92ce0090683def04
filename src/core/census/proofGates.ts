/**
 * The `proof:` section a census proposes, in words: which layers' proof commands are written (those
 * that ran a probe as they should, or were not run), which are not (they failed on the base, or their
 * tool is missing), and the mode — `required` when a command is written, else `off` with one line
 * saying why. Shared by the config document and the hosts' `init` output (a leaf, as gates.ts is).
 */
import { visibleLine as printable } from '../text/terminalText';
import { outcomeText } from './gates';
import type { ProofRunnerName, ProofUnit, ProposedProof, VerifyOutcome } from './types';

export interface ProofSection {
  mode: 'required' | 'off';
  /** Written into `proof.tests` and `proof.command`, in that order. */
  kept: ProofUnit[];
  /** Found, but the command did not work on the untouched repository: not proposed. */
  dropped: ProofUnit[];
  /** The one line saying why the mode is off. */
  reason?: string;
}

/** A command is kept unless it ran and did not work: passed, timed out or not run, as validate's gates. */
function kept(outcome: VerifyOutcome | undefined): boolean {
  return outcome === undefined || outcome.status === 'passed' || outcome.status === 'timed-out' || outcome.status === 'skipped';
}

export function proofSection(proof: ProposedProof): ProofSection {
  const section: ProofSection = { mode: 'off', kept: proof.units.filter((u) => kept(u.verified)), dropped: proof.units.filter((u) => !kept(u.verified)) };
  if (section.kept.length > 0) return { ...section, mode: 'required' };
  const listed = (items: string[]) => `${items.slice(0, 3).join('; ')}${items.length > 3 ? `; and ${items.length - 3} more` : ''}`;
  if (section.dropped.length > 0) {
    section.reason = `no proof command works on this repository as it is (${listed(section.dropped.map((u) => `${u.layer}: ${probeText(u.verified)}`))})`;
  } else if (proof.without.length > 0) {
    section.reason = `no test runner is known for this repository's code (${listed(proof.without.map((w) => `${w.layer}: ${w.reason}`))})`;
  } else {
    section.reason = 'the repository has no code yet: no test runner is known';
  }
  return { ...section, reason: printable(section.reason!) };
}

/** How a proof command's probe went, in words (`ran a probe (a passing and a failing test) in 0.4 s`). */
export function probeText(outcome: VerifyOutcome | undefined, runner?: ProofRunnerName): string {
  if (outcome?.status === 'passed' && runner === 'script') return `ran a probe (a failing test file, which failed it) in ${(outcome.ms / 1000).toFixed(1)} s`;
  if (outcome?.status === 'passed') return `ran a probe (a passing and a failing test, each named) in ${(outcome.ms / 1000).toFixed(1)} s`;
  if (outcome?.status === 'failed') return `fails on a probe: ${outcome.firstLines[0] ?? 'no output'}`;
  return outcomeText(outcome);
}
