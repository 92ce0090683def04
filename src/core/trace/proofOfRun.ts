/**
 * Each criterion's proof as the journal tells it (docs/proof.md): the test written before the
 * code, its red run on the base and its latest green run. Pure over events, so the matrix, the
 * review, the views and a resumed run read one account of it.
 */
import type { EngineEvent, ProofRed, StrengthSurvivor } from '../events';
import { engineErrorLine, type ProofStatus, type ProofStrength, type TraceProof, UNPROVEN } from '../text/proofWords';

export type { ProofStatus } from '../text/proofWords';

export interface CriterionProof {
  /** The first test's file and name (a criterion may have several tests; `tests` has them all). */
  file?: string;
  test?: string;
  red: ProofRed | 'not-run';
  green: 'passed' | 'failed' | 'not-run';
  status: ProofStatus;
  tests: {
    file: string;
    name?: string;
    red: ProofRed;
    green: 'passed' | 'failed' | 'not-run';
    redOutput?: string;
    greenOutput?: string;
  }[];
  untestable?: string;
  /** The latest STRENGTH measure of its tests (issue 61). */
  strength?: ProofStrength;
}

type ProofEvent = Extract<EngineEvent, { type: `proof.${string}` }>;

/** A criterion's latest strength, its survivors with their mutant ids, those the review judged equivalent left out. */
export interface StrengthOfRun extends Omit<ProofStrength, 'survivors'> {
  survivors: StrengthSurvivor[];
}

/**
 * Each criterion's latest `proof.strength`, less the survivors a review judged equivalent
 * (`proof.equivalent`, whichever criterion it was marked for): they change nothing observable, so they
 * count neither as tried nor as survived.
 */
export function strengthOfRun(events: readonly (EngineEvent | ProofEvent)[]): Map<string, StrengthOfRun> {
  const latest = new Map<string, Extract<ProofEvent, { type: 'proof.strength' }>>();
  const equivalent = new Set<string>();
  for (const e of events) {
    if (e.type === 'proof.strength') latest.set(e.criterion, e);
    else if (e.type === 'proof.equivalent') equivalent.add(e.mutant);
  }
  const out = new Map<string, StrengthOfRun>();
  for (const [criterion, e] of latest) {
    const survivors = e.survivors.filter((s) => !equivalent.has(s.id));
    const dropped = e.survivors.length - survivors.length;
    const error = engineErrorLine(e.error);
    out.set(criterion, {
      tried: e.tried - dropped,
      killed: e.killed,
      survived: e.survived - dropped,
      survivors,
      ...(dropped > 0 ? { equivalent: dropped } : {}),
      ...(error ? { error } : {}),
    });
  }
  return out;
}

/** The proofs of a run's criteria, by criterion id; a criterion PROVE never saw is absent. */
export function proofOfRun(events: readonly (EngineEvent | ProofEvent)[]): Map<string, CriterionProof> {
  const tests = new Map<string, Map<string, CriterionProof['tests'][number]>>();
  const untestable = new Map<string, string>();
  const strength = new Map<string, ProofStrength>(
    [...strengthOfRun(events)].map(([criterion, s]) => [
      criterion,
      { ...s, survivors: s.survivors.map(({ file, line, change }) => ({ file, line, change })) },
    ]),
  );
  for (const e of events) {
    if (e.type === 'proof.started') {
      // A new round's submission replaces the previous one's list (a rewritten test keeps its file).
      for (const criterion of e.criteria) {
        tests.delete(criterion);
        untestable.delete(criterion);
      }
    } else if (e.type === 'proof.test') {
      if (e.red === 'untestable' || !e.file) {
        untestable.set(e.criterion, e.untestable ?? 'no automated test');
        continue;
      }
      const byFile = tests.get(e.criterion) ?? new Map();
      byFile.set(e.file, {
        file: e.file,
        ...(e.name ? { name: e.name } : {}),
        red: e.red,
        green: 'not-run',
        ...(e.output ? { redOutput: e.output } : {}),
      });
      tests.set(e.criterion, byFile);
    } else if (e.type === 'proof.green') {
      const test = tests.get(e.criterion)?.get(e.file);
      if (test) Object.assign(test, { green: e.green, greenOutput: e.output });
    }
  }
  const proofs = new Map<string, CriterionProof>();
  for (const [criterion, reason] of untestable) {
    if (!tests.has(criterion))
      proofs.set(criterion, { red: 'untestable', green: 'not-run', status: 'unproven', tests: [], untestable: reason });
  }
  for (const [criterion, byFile] of tests) {
    const list = [...byFile.values()];
    const first = list[0]!;
    const red = worstRed(list.map((t) => t.red));
    const green = list.some((t) => t.green === 'failed')
      ? 'failed'
      : list.every((t) => t.green === 'passed')
        ? 'passed'
        : 'not-run';
    const measured = strength.get(criterion);
    proofs.set(criterion, {
      file: first.file,
      ...(first.name ? { test: first.name } : {}),
      red,
      green,
      status: statusOf(red, green),
      tests: list,
      ...(measured ? { strength: measured } : {}),
    });
  }
  return proofs;
}

function worstRed(reds: ProofRed[]): ProofRed {
  for (const red of ['broken', 'passed', 'untestable'] as const) if (reds.includes(red)) return red;
  return 'failed';
}

function statusOf(red: ProofRed, green: 'passed' | 'failed' | 'not-run'): ProofStatus {
  if (red === 'passed') return 'vacuous';
  if (red === 'broken') return 'broken';
  if (red === 'untestable') return 'unproven';
  if (green === 'passed') return 'proven';
  return green === 'failed' ? 'failing' : 'unproven';
}

/** The proof as the matrix carries it (`trace --json`): a criterion PROVE never saw is `unproven`. */
export function traceProofOf(proof: CriterionProof | undefined): TraceProof {
  if (!proof) return { ...UNPROVEN };
  const tests = proof.tests.map((t) => ({
    file: t.file,
    ...(t.name ? { test: t.name } : {}),
    ...(t.red !== 'untestable' ? { red: t.red } : {}),
    green: t.green,
  }));
  return {
    ...(proof.file ? { file: proof.file } : {}),
    ...(proof.test ? { test: proof.test } : {}),
    ...(proof.red !== 'untestable' && proof.red !== 'not-run' ? { red: proof.red } : {}),
    green: proof.green,
    status: proof.status,
    ...(proof.untestable ? { untestable: proof.untestable } : {}),
    // The first test is `file` and `test`: the list only when there are more.
    ...(tests.length > 1 ? { tests } : {}),
    ...(proof.strength ? { strength: proof.strength } : {}),
  };
}
