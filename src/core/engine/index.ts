/**
 * The engine contract (docs/architecture.md): every verb and query of the engine as one typed
 * table, each entry with its kind, its function (what it takes and returns) and, for a verb, the
 * events it journals. Hosts (the CLI, VS Code, the pool, the GitHub channel, the portal, tests)
 * call `engine.<name>` through dist/engine.js (engineBundle.ts); the work is done in the rooms
 * below. A new verb or query is one entry in the file of its concern.
 */
import { engineOf, type EngineOf } from './entry';
import { questions } from './questions';
import { runners } from './runners';
import { runs } from './runs';
import { specs } from './specs';
import { workspace } from './workspace';
import { worktrees } from './worktrees';

/** The table's parts by concern; a name is in one part only (the contract's test checks it). */
export const contractParts = { runs, questions, specs, worktrees, runners, workspace };
export const contract = { ...runs, ...questions, ...specs, ...worktrees, ...runners, ...workspace };
export type Contract = typeof contract;
/** What a host calls: each entry's function by its name. */
export type Engine = EngineOf<Contract>;
export const engine: Engine = engineOf(contract);
/** What a verb or query takes, and what it returns. */
export type Takes<K extends keyof Engine> = Parameters<Engine[K]>;
export type Returns<K extends keyof Engine> = Awaited<ReturnType<Engine[K]>>;

export { type Entry, type EventType, type Query, RUN, type Verb } from './entry';
export { type AnswerWait, type EntryName, type HostName, type HostRow, hosts } from './hosts';
export type { GateSpec } from './specs';
export type { LaterAnswer } from './questions';
export type { SandboxStatus } from './runners';
export type { PlannedAgent, PlannedLayer, RunPlan } from '../pipeline/run';
export type { LayerAssignment } from '../import';
export type { RecordedSpecDecision, SpecGateAction } from '../project/specs';
export type { PhaseGate, RecordedPhaseDecision } from '../pipeline/workflow';
export type { AttemptDiff, AttemptView, LayerAttempts } from '../pipeline/attempts';
export type { FollowUpInput, UseAttemptOutcome } from '../change';
export type { WorkflowListing } from '../project/workflows';
export type { DictionaryReport } from '../census';
