// How a fix's run is judged, for `npm run realworld` (fixes.ts): proof required, red on the base,
// the wrong fix stopped by the proof naming its criterion, the criterion proven, the run completed
// with exit 0, and never on a change nothing checked or on the wrong fix.
import { proofOfRun } from '../../src/core/trace';

export const CRITERION = 'REQ-1.1';

/** init's reason for advisory proof when the project's own tests, not the network or a service, fail on the base. */
const OWN_TESTS_FAIL = /^the project's own tests fail on the base \((?!.*needs? the network).*\): they are no gate/;

/** What the driver plans for a fix: the proof files, the tests submitted, the right and the wrong fix, the spec. */
export interface Plan {
  proofFiles: Record<string, string>;
  submitted: { criterion: string; file: string; name: string }[];
  right: Record<string, string>;
  wrong: Record<string, string>;
  spec: string;
}

export type Journal = (Record<string, unknown> & { type: string })[];

export interface Outcome {
  mode: string;
  /** Why init wrote that mode (its comment in the config). */
  why?: string;
  gates: number;
  code: number | null;
  summary: { runId?: string; status?: string; error?: string; unchecked?: { layer: string; files: string[] }[] };
  journal: Journal;
}

/** One line: `pass …` or `FAIL …: why`, with the times and what init wrote. */
export function judge(name: string, plan: Plan, outcome: Outcome, times: string[]): string {
  const { journal, summary } = outcome;
  const why: string[] = [];
  // Advisory is for a project whose own tests fail on the base for a reason in its code (never the network): its
  // criteria still fail the layer until proven, its suite is no gate. Any other mode than required is a failure.
  if (outcome.mode === 'advisory' && OWN_TESTS_FAIL.test(outcome.why ?? ''))
    times.push(`advisory: ${(outcome.why ?? '').split(': they are no gate')[0]}`);
  else if (outcome.mode !== 'required')
    why.push(`init wrote proof ${outcome.mode}${outcome.why ? ` (${outcome.why.slice(0, 200)})` : ''}`);
  // The last round's tests: those the proof agent kept after a send-back.
  const lastRound = journal.map((e) => e.type).lastIndexOf('proof.started');
  const reds = lastRound < 0 ? [] : journal.slice(lastRound).filter((e) => e.type === 'proof.test');
  if (reds.length === 0) why.push('no proof test was run on the base');
  for (const red of reds)
    if (red.red !== 'failed') why.push(`"${String(red.name)}" was ${String(red.red)} on the base, not failed`);
  const dropped = plan.submitted.length - reds.length;
  if (reds.length > 0 && dropped > 0)
    times.push(`${dropped} of the fix's ${plan.submitted.length} tests dropped: they pass on the base`);
  const stopped = journal.find(
    (e) =>
      e.type === 'validation.failed' &&
      typeof e.output === 'string' &&
      e.output.includes(`Proof test failed: ${CRITERION}`),
  );
  if (!stopped) {
    const other = journal.find((e) => e.type === 'validation.failed');
    why.push(
      `the wrong fix was not stopped by a proof test naming ${CRITERION}${other ? ` (a validate command stopped it: ${String(other.command)})` : ''}`,
    );
  }
  const setAside = journal.filter((e) => e.type === 'validation.setAside').map((e) => String(e.command));
  if (setAside.length > 0) times.push(`set aside: ${[...new Set(setAside)].join(', ')}`);
  const proof = proofOfRun(journal as never).get(CRITERION);
  if (proof?.status !== 'proven') why.push(`${CRITERION} is ${proof?.status ?? 'absent'}, not proven`);
  const status = summary.status ?? 'no summary';
  if (status === 'unchecked')
    why.push(
      `the run ended unchecked (exit ${outcome.code}): ${(summary.unchecked ?? []).map((u) => `${u.layer}: ${u.files.join(', ')}`).join('; ')}`,
    );
  else if (status !== 'completed')
    why.push(`the run ${status} (exit ${outcome.code}): ${(summary.error ?? '').split('\n')[0]?.slice(0, 300)}`);
  else {
    // The contract: completed means checked, by a proven criterion or a validate command that ran.
    const ran = journal.some((e) => e.type === 'validation.passed' && Number(e.commands ?? 0) > 0);
    if (proof?.status !== 'proven' && !ran) why.push('the run completed on a change nothing checked');
    // No retry: the layer's first attempt, the wrong fix, is what completed.
    const retried = journal.some((e) => e.type === 'validation.failed');
    if (!retried) {
      const gates = [...new Set(journal.filter((e) => e.type === 'validation.started').map((e) => String(e.command)))];
      why.push(`the wrong fix completed, checked only by ${gates.length > 0 ? gates.join(', ') : 'nothing'}`);
    }
    if (outcome.code !== 0) why.push(`completed with exit ${outcome.code}`);
  }
  return `${why.length === 0 ? 'pass' : 'FAIL'} ${name} (${times.join(', ')})${why.length ? `: ${why.join('; ')}` : ''}`;
}
