/**
 * Workflow phases' human gates decided away from the run (the supervisor portal, issue 29): the
 * runs of a workspace waiting at one — live (a VS Code window asks now: `phase.awaiting` is the
 * journal's last word on the gate) or saved there (`spec-saved`, `phase.saved`) — with their
 * documents, and a named person's decision on one. Nothing runs here. The decision is appended to
 * `.claude/runs/spec-decisions.jsonl` (with `phase` and `runId`), which a waiting VS Code window
 * watches; on a saved run it is also journaled (`phase.decided {by}`, under the run's lock) and
 * applied when the run continues (`resume <runId>`, humanGate.ts).
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import {
  acquireRunLock,
  assertSafeRunId,
  Journal,
  listRuns,
  loadRunState,
  readEvents,
  RunLockedError,
  type StateEvent,
} from '../../journal';
import { readOptionalText } from '../../project/sources';
import { SPEC_DECISIONS_FILE, type SpecGateAction, SpecGateError } from '../../project/specs';

/** A decision recorded on a phase's gate: the spec gate's record, with the phase. */
export interface RecordedPhaseDecision {
  action: SpecGateAction;
  by: string;
  at: string;
  feedback?: string;
}

export interface PhaseGate {
  runId: string;
  specId: string;
  phase: string;
  request: string;
  workflow?: string;
  /** `waiting`: the run asks now (a VS Code window); `saved`: it was saved at the gate and continues with `resume` or `approve`. */
  state: 'waiting' | 'saved';
  /** The journal seq of the gate's question: a decision names it, so an answer to an earlier question is refused. */
  asked: number;
  /** When it asked (UTC ISO). */
  at: string;
  /** The phase's documents (workspace-relative) and their text as the run left them. */
  documents: { path: string; markdown: string }[];
  /** A decision already recorded on a saved run (the latest), applied when it continues. */
  decision?: RecordedPhaseDecision;
}

/** Why a decision is refused: `missing` (no such gate), `stale` (the gate moved on or asked again), `invalid` (the input). */
export class PhaseGateError extends SpecGateError {
  constructor(
    readonly reason: 'missing' | 'stale' | 'invalid' | 'busy',
    message: string,
  ) {
    super(message);
    this.name = 'PhaseGateError';
  }
}

const GATE_WORDS: ReadonlySet<string> = new Set([
  'phase.awaiting',
  'phase.saved',
  'phase.approved',
  'phase.changes-requested',
  'phase.decided',
]);
const MAX_DOCUMENT_CHARS = 200_000;

/** Every run of the workspace waiting at a workflow phase's human gate, newest first. */
export async function phaseGatesWaiting(workspace: string): Promise<PhaseGate[]> {
  const runs = listRuns(workspace).filter(
    (run) => run.status === 'running' || (run.status === 'spec-saved' && run.gate !== undefined),
  );
  const gates = await Promise.all(runs.map((run) => phaseGateOf(workspace, run.runId)));
  return gates.filter((gate): gate is PhaseGate => gate !== undefined);
}

/** The gate a run waits at now, or undefined. */
export async function phaseGateOf(workspace: string, runId: string): Promise<PhaseGate | undefined> {
  assertSafeRunId(runId);
  const state = loadRunState(workspace, runId);
  const events = readEvents(workspace, runId) as StateEvent[];
  const words = events.filter((event) => GATE_WORDS.has(event.type));
  let phase: string | undefined;
  let gateState: PhaseGate['state'];
  if (state.status === 'running' && words.at(-1)?.type === 'phase.awaiting') {
    phase = (words.at(-1) as { phase: string }).phase;
    gateState = 'waiting';
  } else if (state.status === 'spec-saved' && state.waitingGate !== undefined) {
    phase = state.waitingGate;
    gateState = 'saved';
  } else return undefined;
  const specId = state.specId;
  if (!specId) return undefined;
  const ofPhase = words.filter((event) => (event as { phase?: string }).phase === phase);
  const question =
    ofPhase.filter((event) => event.type === 'phase.awaiting').at(-1) ??
    ofPhase.filter((event) => event.type === 'phase.saved').at(-1);
  if (!question) return undefined;
  const paths = (question as { documents?: string[] }).documents ?? [];
  const root = state.worktree?.path ?? workspace;
  const documents = await Promise.all(
    paths.map(async (path) => ({ path, markdown: (await readDocument(root, path)) ?? '(not written)' })),
  );
  const last = ofPhase.at(-1);
  const decision =
    gateState === 'saved' && last?.type === 'phase.decided'
      ? { action: last.action, by: last.by, at: last.ts ?? '', ...(last.feedback ? { feedback: last.feedback } : {}) }
      : undefined;
  return {
    runId,
    specId,
    phase: phase!,
    request: state.request ?? '',
    ...(state.workflow ? { workflow: state.workflow } : {}),
    state: gateState,
    asked: question.seq ?? 0,
    at: question.ts ?? '',
    documents,
    ...(decision ? { decision } : {}),
  };
}

/**
 * A named person's decision on a run's phase gate. `phase` and `asked` say which question it
 * answers: a run that moved to another gate, or asked this one again since, refuses it (stale).
 */
export async function recordPhaseDecision(
  workspace: string,
  input: { runId: string; phase: string; asked: number; action: SpecGateAction; by: string; feedback?: string },
  now = new Date(),
): Promise<PhaseGate> {
  const feedback = input.feedback?.trim();
  if (input.action === 'changes' && !feedback)
    throw new PhaseGateError('invalid', `say what to change: the feedback goes to phase ${input.phase}'s role`);
  const gate = await currentGate(workspace, input);
  const at = now.toISOString();
  if (gate.state === 'saved') {
    const place = loadRunState(workspace, input.runId).worktree?.path ?? workspace;
    let lock;
    try {
      lock = acquireRunLock(place, input.runId);
    } catch (error) {
      if (error instanceof RunLockedError)
        throw new PhaseGateError(
          'busy',
          `run ${input.runId} cannot take the decision now: another run (${error.holder.runId}) is active in its workspace; decide once it ends`,
        );
      throw error;
    }
    try {
      // Checked again under the lock: nothing continued the run between the look and the write.
      await currentGate(workspace, input);
      const journal = Journal.open(workspace, input.runId, { now: () => now });
      try {
        journal.append({
          type: 'phase.decided',
          phase: input.phase,
          action: input.action,
          by: input.by,
          ...(feedback ? { feedback } : {}),
        });
      } finally {
        journal.close();
      }
    } finally {
      lock.release();
    }
  }
  const log = join(workspace, SPEC_DECISIONS_FILE);
  await mkdir(dirname(log), { recursive: true });
  await appendFile(
    log,
    `${JSON.stringify({ specId: gate.specId, runId: input.runId, phase: input.phase, asked: gate.asked, action: input.action, by: input.by, at, ...(feedback ? { feedback } : {}) })}\n`,
  );
  return gate;
}

async function currentGate(
  workspace: string,
  input: { runId: string; phase: string; asked: number },
): Promise<PhaseGate> {
  let gate: PhaseGate | undefined;
  try {
    gate = await phaseGateOf(workspace, input.runId);
  } catch (error) {
    throw new PhaseGateError('missing', `run ${input.runId}: ${(error as Error).message}`);
  }
  if (!gate) throw new PhaseGateError('missing', `run ${input.runId} is not waiting at a phase's gate`);
  if (gate.phase !== input.phase)
    throw new PhaseGateError(
      'stale',
      `run ${input.runId} waits at phase ${gate.phase}'s gate, not ${input.phase}'s: reload the page`,
    );
  if (gate.asked !== input.asked)
    throw new PhaseGateError(
      'stale',
      `phase ${input.phase} of run ${input.runId} asked again since (its documents were written again): reload the page and read them`,
    );
  return gate;
}

/** A document inside the run's folder only (a journal names them; a tampered one is not followed outside). */
async function readDocument(root: string, path: string): Promise<string | undefined> {
  const clean = normalize(path);
  if (isAbsolute(clean) || clean.startsWith('..')) return undefined;
  const text = await readOptionalText(join(root, clean));
  return text === undefined ? undefined : text.slice(0, MAX_DOCUMENT_CHARS);
}
