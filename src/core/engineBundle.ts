/**
 * Entry of dist/engine.js (scripts/build.mjs): the engine contract (src/core/engine: `engine`, its
 * verbs and queries), plus the kit beside it (the error classes a host tells apart, words, schemas,
 * the few git purposes some hosts need), as the one bundle both hosts share. dist/extension.js
 * require()s it on first use (src/extension/engine.ts), dist/cli.js at start. Hosts take engine
 * values from here only, so neither host bundle carries its own copy of the engine (types may come
 * from anywhere in core).
 */
export { contract, engine, type Engine, type Returns, type Takes } from './engine';
export type { AttemptDiff, DictionaryReport, FollowUpInput, GateSpec, LayerAttempts, PhaseGate } from './engine';
export type { SandboxStatus, SpecGateAction, WorkflowListing } from './engine';
export type { PlannedAgent, PlannedLayer, RunPlan } from './engine';
export { JournalCorruptError } from './journal';
export { ProjectFileError } from './project/sources';
// Apply of a worktree run stopped on files both sides changed (issue 22).
export { ApplyConflictError } from './pipeline/run';
// Model providers a host contributes (the editor's models) fail in the engine's own terms.
export { LlmError } from './llm';
export { ProviderError } from './llm';
// The task queue's rule violations, which MCP turns into error results.
export { PAGE_LIMITS, QueueError } from './queue';
// A decision the spec gate refuses (the portal answers 400).
export { SpecGateError } from './project/specs';
export { PhaseGateError } from './pipeline/workflow';
export { ARTIFACT_TYPES, ROLES, TASK_STATUSES } from './queue';
// What hosts print of a census (`orchestrator init`, Initialize Workspace).
export { initSummary } from './census';
export {
  layerFolders,
  outcomeText,
  remainderLines,
  remainderWarning,
  unverifiedCount,
  verifyConcurrency,
} from './census';
export { CI_DEFAULTS, type GithubInitReport, type IgnoreProposal, initGithubAction, initGithubChecks } from './ci';
// The Action's tree as init vendors it, which `npm run release` makes into release/action/ (scripts/release.mjs).
export { writeActionTree } from './ci';
export { gitignoreMessage } from './project/config';
// The demo's request (`orchestrator demo`, VS Code's Try the Demo).
export { DEMO_REQUEST } from './llm';
// The pool of workers (issue 28): the config, run ids, a journal's state (its verbs: the contract).
export { loadConfig } from './project/config';
// Whether a run goes to the pool, and the run's choices as data (issue 72): one rule, one schema for every host.
export { goesToPool } from './project/config';
export { runChoicesSchema } from './runChoices';
export { newRunId, rebuildState } from './journal';
// Where a run works, made and cleaned by the engine: the pool's worktrees of its worker's clone (readied there), an Action
// job's checkout (a run's kept work put back in it).
export { cleanRunPlace, makeRunPlace, putRunWork, readyPooledClone } from './pipeline/run';
// Git by purpose (no host spawns git itself: NO_GIT_SPAWN in eslint.config.mjs): state kept on a ref (the
// Action's issue state), refs exchanged with a remote (the pool's, a pull request's branch), the checkout a host works in.
export { hostCheckout, RefState, remoteRefs } from './git';
// The GitHub channel (issue 39): its github.* events on a run that has ended, its memory in the repository's data folder.
export { Journal } from './journal';
export { repositoryDataDir } from './queue';
// …the placement of an imported spec's tasks naming no file, shown in a pooled run's spec comment.
export { gatePlacement } from './pipeline/phases';
// …and which layer owns a file a failing CI job names.
export { layerOwning } from './project/config';
// A host ends the spawning helper (and what it started) before it exits.
export { stopSpawnerHelper } from './process';
// Each criterion's proof from a run's journal alone (the portal's page of a pooled run, docs/proof.md).
export { proofOfJournal } from './trace';
// A run's attempts from its journal, the sidebar's fold of them event by event, and their one line per layer (the portal's run page, the pull request body).
export { attemptsAfter, attemptsLine, attemptsOfRun } from './pipeline/attempts';
// The event catalogue (src/core/catalogue): what each event means to the run, which the sidebar folds, and its words, which every host styles.
export { meaningOf, wordsOf } from './catalogue';
// The GitHub Action (issue 48): bubblewrap's path for a runner's AppArmor profile, and the programs that ready it.
export { findOnPath, sandboxTools } from './sandbox';
// The runners' record (issue 47): its outcomes' schema and keys, for the pool's database that keeps a team's record.
export { latestOfEach, outcomeSchema, type RunnerRecord, type RunnerStatsRow } from './runners';
export type { RunnerOutcome } from './catalogue';
// Questions (issue 62): what a confirmation asks and its one rule for "the same question again", for the hosts that keep them; the headless hosts' keys and trust.
export { answeredSchema, answerTo, askedSchema, DEFAULT_WAIT_SEC, questionKey, sameQuestion } from './questions';
export { HeadlessHost } from './headlessHost';
// A change-set member's GitHub repository, as the hosts reach it (issue 73): the status's context, what the engine asks of it.
export { CHANGE_SET_CONTEXT, type ForgeMember, type MemberForge } from './combined';
