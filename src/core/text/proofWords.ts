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
export const PROOF_STATUSES = [
  'proven',
  'failing',
  'broken',
  'vacuous',
  'unproven',
] as const satisfies readonly ProofStatus[];

export const PROOF_MARKS: Readonly<Record<ProofStatus, string>> = {
  proven: '✓',
  failing: '✗',
  broken: '⚠',
  vacuous: '∅',
  unproven: '○',
};

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
  /** What kept mutants from a verdict (the engine failed, the time cap): its first line. */
  error?: string;
  /** Survivors the review judged equivalent (they change nothing observable): left out of `tried` and `survived`. */
  equivalent?: number;
}

/** What a criterion without any proof shows. */
export const UNPROVEN: TraceProof = { green: 'not-run', status: 'unproven' };

/** Every proof test of the criterion. */
export function proofTestsOf(proof: TraceProof | undefined): ProofTest[] {
  if (!proof) return [];
  if (proof.tests) return proof.tests;
  return proof.file
    ? [
        {
          file: proof.file,
          ...(proof.test ? { test: proof.test } : {}),
          ...(proof.red ? { red: proof.red } : {}),
          green: proof.green,
        },
      ]
    : [];
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
  /** Its strength with at most MAX_SURVIVORS survivors listed (`survived` counts them all). */
  strength?: ProofStrength;
}

/** A view lists this many survivors of a criterion; the count says how many more. */
export const MAX_SURVIVORS = 10;

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
    ...(proof.strength ? { strength: boundedStrength(proof.strength, clip) } : {}),
  };
}

function boundedStrength(
  { tried, killed, survived, survivors, error }: ProofStrength,
  clip: (text: string) => string,
): ProofStrength {
  const listed = survivors
    .slice(0, MAX_SURVIVORS)
    .map((s) => ({ file: clip(s.file), line: s.line, change: clip(s.change) }));
  return { tried, killed, survived, survivors: listed, ...(error ? { error: clip(error) } : {}) };
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

/** Killed ÷ judged (a timeout counts as killed: the tests noticed); undefined when none was judged. */
export function strengthScore(s: Pick<ProofStrength, 'killed' | 'survived'>): number | undefined {
  const judged = s.killed + s.survived;
  return judged === 0 ? undefined : s.killed / judged;
}

/**
 * The score as a view shows it in a narrow cell: `66%` (rounded down, as `minScore` compares it);
 * `—` when not measured, `not measured` when the engine failed before any verdict, `no mutants`,
 * `0/2 judged`.
 */
export function strengthPercent(strength: ProofStrength | undefined): string {
  if (!strength) return '—';
  if (strength.error && strength.killed + strength.survived === 0) return 'not measured';
  if (strength.tried === 0) return 'no mutants';
  const score = strengthScore(strength);
  return score === undefined ? `0/${strength.tried} judged` : `${Math.floor(score * 100)}%`;
}

/** `66% (2/3 mutants killed)`: the score and what it counts, then what stopped the engine; `—` when not measured. */
export function strengthLine(strength: ProofStrength | undefined): string {
  const percent = strengthPercent(strength);
  const stopped = strength?.error ? ` (${strength.error})` : '';
  if (!strength || strengthScore(strength) === undefined) return `${percent}${stopped}`;
  const equivalent = strength.equivalent ? `, ${strength.equivalent} equivalent not counted` : '';
  return `${percent} (${strength.killed}/${strength.tried} mutants killed${equivalent})${stopped}`;
}

/** The criteria's mutants counted together (the run's score, with the first engine error); undefined when none was measured. */
export function strengthTotal(strengths: readonly (ProofStrength | undefined)[]): ProofStrength | undefined {
  const measured = strengths.filter((s): s is ProofStrength => s !== undefined);
  if (measured.length === 0) return undefined;
  const sum = (key: 'tried' | 'killed' | 'survived') => measured.reduce((n, s) => n + s[key], 0);
  const error = measured.find((s) => s.error)?.error;
  const equivalent = measured.reduce((n, s) => n + (s.equivalent ?? 0), 0);
  return {
    tried: sum('tried'),
    killed: sum('killed'),
    survived: sum('survived'),
    survivors: measured.flatMap((s) => s.survivors),
    ...(equivalent ? { equivalent } : {}),
    ...(error ? { error } : {}),
  };
}

/** An engine's error by its first line (the journal keeps it whole), without the colon that introduced the rest. */
export function engineErrorLine(error: string | undefined): string | undefined {
  return error?.split('\n')[0]?.replace(/:$/, '') || undefined;
}

/** `lib/price.js:5 ArithmeticOperator: cents / 100 → cents * 100` (the file and change are the code's words: each host escapes them). */
export function survivorLabel(survivor: ProofStrength['survivors'][number]): string {
  return `${survivor.file}:${survivor.line} ${survivor.change}`;
}

/** `survived: <survivor>` each, then how many more a bounded list (a view's) leaves out. */
export function survivorLines(strength: ProofStrength): string[] {
  const unlisted = strength.survived - strength.survivors.length;
  return [
    ...strength.survivors.map((s) => `survived: ${survivorLabel(s)}`),
    ...(unlisted > 0 ? [`… and ${unlisted} more survived`] : []),
  ];
}

/**
 * A criterion measured again (`verify --strength`) as a view says it: its score line (the engine's
 * error by its first line) and its first `maxSurvivors` survivors, then how many more.
 */
export function strengthWords(measured: ProofStrength, maxSurvivors: number): { line: string; survivors: string[] } {
  const shown = {
    ...measured,
    survivors: measured.survivors.slice(0, maxSurvivors),
    error: engineErrorLine(measured.error),
  };
  return { line: strengthLine(shown), survivors: survivorLines(shown) };
}

/** The matrix's Strength cell: the score and each survivor's place; `—` when not measured. */
export function strengthCell(strength: ProofStrength | undefined): string {
  return [strengthLine(strength), ...(strength ? survivorLines(strength) : [])].join('\n');
}

/**
 * The matrix's Proof, Red on base and Green after cells, plain text (lines joined by new lines):
 * the status and each test; a criterion without proof reads `unproven`, `—`, `—`.
 */
export function proofCells(proof: TraceProof | undefined): [string, string, string] {
  const shown = proof ?? UNPROVEN;
  const tests = proofTestsOf(shown);
  const status =
    shown.untestable && tests.length === 0 ? `${shown.status} (untestable: ${shown.untestable})` : shown.status;
  if (tests.length === 0) return [status, '—', '—'];
  return [[status, ...tests.map(testLabel)].join('\n'), shown.red ?? '—', shown.green];
}

/** What a layer's unchecked work (issue 70) says of why: the criteria not proven, or the style-only checks that ran. */
export interface UncheckedWhy {
  unproven?: readonly string[];
  styleOnly?: readonly string[];
}

/** Why nothing checked a layer's files, in a few words (the CLI's line, the report, the pull request). */
export function uncheckedWhy(l: UncheckedWhy): string {
  if (l.unproven?.length) return `not proven: ${l.unproven.join('; ')}`;
  if (l.styleOnly?.length) return `only style checks ran: ${l.styleOnly.join('; ')}`;
  return 'no proof test, no validate command';
}
