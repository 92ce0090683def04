/**
 * The `proof:` section a census proposes, in words: which layers' proof commands are written (those
 * that ran a probe as they should, or were not run), which are not (they failed on the base, or their
 * tool is missing), and the mode — `required` when a command is written, `advisory` when the
 * project's own tests fail on the base, else `off`, with one line saying why. Shared by the config
 * document and the hosts' `init` output (a leaf, as gates.ts is).
 */
import { visibleLine as printable } from '../../text/terminalText';
import { isGate, outcomeText } from './gates';
import type { ProofRunnerName, ProofUnit, ProposedLayer, ProposedProof, VerifyOutcome } from '../types';

export interface ProofSection {
  mode: 'required' | 'advisory' | 'off';
  /** Written into `proof.tests` and `proof.command`, in that order. */
  kept: ProofUnit[];
  /** Found, but the command did not work on the untouched repository: not proposed. */
  dropped: ProofUnit[];
  /** The one line saying why the mode is off or advisory. */
  reason?: string;
}

/** A command that runs the project's own tests (its kind, else its words). */
const TEST_COMMAND = /\b(test|tests|pytest|jest|vitest|mocha|ava|tap|jasmine|uvu|rspec|phpunit|pest|spec)\b/;

export function isTestCommand(command: { command: string; kind?: string }): boolean {
  return command.kind === 'test' || (command.kind === undefined && TEST_COMMAND.test(command.command));
}

/**
 * The layers (with a proof command) whose own tests fail on the untouched repository for a reason in
 * their code: every test command ran and failed, none for want of the network, a browser or a service.
 * A test command that did not end is not counted: its tests may all pass (Jest waiting on a handle).
 */
function failingTests(proof: ProposedProof, layers: readonly ProposedLayer[]): string[] {
  const withProof = new Set(proof.units.map((u) => u.layer));
  return layers.flatMap((layer) => {
    if (!withProof.has(layer.name)) return [];
    const tests = layer.validate.map((v, i) => ({ ...v, outcome: layer.verified?.[i] })).filter(isTestCommand);
    // A suite failing for want of the network or a service says nothing of its code (issue 70): no advisory.
    const failed = tests.filter((t) => t.outcome?.status === 'failed' && !t.outcome.cause);
    return failed.length > 0 && failed.length === tests.length
      ? [`layer ${layer.name}: ${failed[0]!.command} ${outcomeText(failed[0]!.outcome)}`]
      : [];
  });
}

/**
 * A command is kept as validate's gates are: passed or not verified (issue 70: unverified is not off; one that
 * did not end would hold every RED and GREEN).
 */
const kept = isGate;

export function proofSection(proof: ProposedProof, layers: readonly ProposedLayer[] = []): ProofSection {
  const section: ProofSection = {
    mode: 'off',
    kept: proof.units.filter((u) => kept(u.verified)),
    dropped: proof.units.filter((u) => !kept(u.verified)),
  };
  const listed = (items: string[]) =>
    `${items.slice(0, 3).join('; ')}${items.length > 3 ? `; and ${items.length - 3} more` : ''}`;
  if (section.kept.length > 0) {
    const failing = failingTests({ ...proof, units: section.kept }, layers);
    if (failing.length === 0) return { ...section, mode: 'required' };
    return {
      ...section,
      mode: 'advisory',
      reason: printable(
        `the project's own tests fail on the base (${listed(failing)}): they are no gate; each criterion's proof test, run alone, still fails its layer until it passes; set required once they pass`,
      ),
    };
  }
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
  if (outcome?.status === 'passed' && runner === 'script')
    return `ran a probe (a failing test file, which failed it) in ${(outcome.ms / 1000).toFixed(1)} s`;
  if (outcome?.status === 'passed')
    return `ran a probe (a passing and a failing test, each named) in ${(outcome.ms / 1000).toFixed(1)} s`;
  if (outcome?.status === 'failed') return `fails on a probe: ${outcome.firstLines[0] ?? 'no output'}`;
  return outcomeText(outcome);
}
