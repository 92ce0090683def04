/**
 * A criterion's proof as the matrix carries it (docs/proof.md, `trace --json`'s `proof`) and the
 * words every host shows it in: its status's mark, the count line, the matrix's three cells. A
 * portable leaf (it imports nothing), so the engine, the CLI, the GitHub channel, the chat, the
 * sidebar's webview and the portal's page say it alike; each host escapes what it puts around it.
 */

/** proven: red on the base, green after; vacuous: passed on the base; broken: could not run; failing: red on the base and red after; unproven: no test (or not run green yet). */
export type ProofStatus = 'proven' | 'vacuous' | 'broken' | 'failing' | 'unproven';
/** How the test did on the base: `failed` is the red it must be. */
export type RedOnBase = 'failed' | 'passed' | 'broken';
/** How it did after the code: `not-run` until a validation ran it. */
export type GreenAfter = 'passed' | 'failed' | 'not-run';

/** Count lines list the statuses in this order: the good news, then what needs a look. */
export const PROOF_STATUSES = ['proven', 'failing', 'broken', 'vacuous', 'unproven'] as const satisfies readonly ProofStatus[];

export const PROOF_MARKS: Readonly<Record<ProofStatus, string>> = { proven: '✓', failing: '✗', broken: '⚠', vacuous: '∅', unproven: '○' };

export interface ProofTest {
  file: string;
  test?: string;
  red?: RedOnBase;
  green: GreenAfter;
}

export interface TraceProof {
  /** The criterion's first proof test (`tests` lists them all when it has several). */
  file?: string;
  test?: string;
  /** Absent when no test of it ran on the base. */
  red?: RedOnBase;
  green: GreenAfter;
  status: ProofStatus;
  /** The proof agent's reason when it could not test the criterion (it stays with the review). */
  untestable?: string;
  tests?: ProofTest[];
  /** STRENGTH after GREEN (issue 61): mutants of the changed lines its tests ran against, and those that survived. */
  strength?: ProofStrength;
}

export interface ProofStrength {
  tried: number;
  killed: number;
  survived: number;
  /** Each surviving mutant: `file`, `line`, what it changed. */
  survivors: { file: string; line: number; change: string }[];
}

/** What a criterion without any proof shows. */
export const UNPROVEN: TraceProof = { green: 'not-run', status: 'unproven' };

/** Every proof test of the criterion. */
export function proofTestsOf(proof: TraceProof | undefined): ProofTest[] {
  if (!proof) return [];
  if (proof.tests) return proof.tests;
  return proof.file ? [{ file: proof.file, ...(proof.test ? { test: proof.test } : {}), ...(proof.red ? { red: proof.red } : {}), green: proof.green }] : [];
}

/** What a view shows of a criterion's proof: its first test's names clipped to `maxChars`, the number of its tests. */
export interface ProofSummary {
  status: ProofStatus;
  file?: string;
  test?: string;
  red?: RedOnBase;
  green: GreenAfter;
  tests: number;
  untestable?: string;
}

export function proofSummary(proof: TraceProof, maxChars: number): ProofSummary {
  const clip = (text: string) => (text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text);
  return {
    status: proof.status,
    ...(proof.file ? { file: clip(proof.file) } : {}),
    ...(proof.test ? { test: clip(proof.test) } : {}),
    ...(proof.red ? { red: proof.red } : {}),
    green: proof.green,
    tests: proofTestsOf(proof).length,
    ...(proof.untestable ? { untestable: clip(proof.untestable) } : {}),
  };
}

/** `3 proven, 1 failing, 1 unproven`: each status that some criterion has, in PROOF_STATUSES order. */
export function proofCounts(statuses: readonly ProofStatus[]): string {
  if (statuses.length === 0) return 'no criteria';
  return PROOF_STATUSES.flatMap((status) => {
    const count = statuses.filter((s) => s === status).length;
    return count > 0 ? [`${count} ${status}`] : [];
  }).join(', ');
}

/** `Proof: 3 proven, 1 failing, 1 unproven`. */
export function proofLine(statuses: readonly ProofStatus[]): string {
  return `Proof: ${proofCounts(statuses)}`;
}

/** `✓ proven`. */
export function markedStatus(status: ProofStatus): string {
  return `${PROOF_MARKS[status]} ${status}`;
}

/** `file › name`. */
export function testLabel(test: Pick<ProofTest, 'file' | 'test'>): string {
  return test.test ? `${test.file} › ${test.test}` : test.file;
}

/** The matrix's Strength cell: `2/3 mutants killed` and each survivor's place; `—` when not measured. */
export function strengthCell(strength: ProofStrength | undefined): string {
  if (!strength) return '—';
  if (strength.tried === 0) return 'no mutants';
  return [`${strength.killed}/${strength.tried} mutants killed`, ...strength.survivors.map((s) => `survived: ${s.file}:${s.line} ${s.change}`)].join('\n');
}

/**
 * The matrix's Proof, Red on base and Green after cells, plain text (lines joined by new lines):
 * the status and each test; a criterion without proof reads `unproven`, `—`, `—`.
 */
export function proofCells(proof: TraceProof | undefined): [string, string, string] {
  const shown = proof ?? UNPROVEN;
  const tests = proofTestsOf(shown);
  const status = shown.untestable && tests.length === 0 ? `${shown.status} (untestable: ${shown.untestable})` : shown.status;
  if (tests.length === 0) return [status, '—', '—'];
  return [[status, ...tests.map(testLabel)].join('\n'), shown.red ?? '—', shown.green];
}
