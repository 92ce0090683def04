/**
 * The hosts' side of the engine contract (docs/architecture.md): for each host, its `Host`
 * (src/core/host.ts), where its runs work (the engine's RunPlace kinds), how it waits for the answer
 * to a question, and the entries of the contract it calls. The engine imports no host, so a host is
 * named here as data: its files and its Host by name; test/unit/engine/hosts.test.ts reads the hosts'
 * code and checks each row against it. A new host is one row.
 */
import type { RunPlaceKind } from '../pipeline/run';
import type { questions } from './questions';
import type { runners } from './runners';
import type { runs } from './runs';
import type { specs } from './specs';
import type { workspace } from './workspace';
import type { worktrees } from './worktrees';

/** A name of the contract (index.ts), as a host calls it: `engine.<name>`. */
export type EntryName = keyof (typeof runs &
  typeof questions &
  typeof specs &
  typeof worktrees &
  typeof runners &
  typeof workspace);

/** How a host waits for the answer to a question (a gate, a confirmation, a placement) today. */
export type AnswerWait =
  /** No one to ask: a gate not answered up front saves the run (approved later), a confirmation is no. */
  | 'saves'
  /** A person in the editor: the sidebar's or the chat's decision for a gate, a modal for a confirmation; the run waits. */
  | 'editor'
  /**
   * `Host.ask` answers `{ parked }` (journaled `question.parked`): the run is set aside, the question
   * kept durably; the answer, in the same process or a later one (serve restarted, the Action's next
   * job, a worker), continues it through `engine.answerQuestion`.
   */
  | 'parks'
  /** Runs nothing itself: records a person's answer for a run waiting elsewhere. */
  | 'answers'
  /** Runs nothing and asks nothing. */
  | 'none';

export interface HostRow {
  /** The host's source: files and folders under src/ (a folder with its sub-folders), less `except`. */
  readonly files: readonly string[];
  readonly except?: readonly string[];
  /** Its `Host`: the class or function (returning one) exported by that name from that file; none for a host that runs nothing. */
  readonly host?: { readonly name: string; readonly file: string };
  /** Where its runs work; empty for a host that runs nothing. */
  readonly places: readonly RunPlaceKind[];
  readonly waits: AnswerWait;
  /** The row whose Host it wraps (its questions wait as that host's do). */
  readonly wraps?: HostName;
  /** Every entry of the contract its files call, and only those. */
  readonly calls: readonly EntryName[];
}

export type HostName = 'cli' | 'vscode' | 'chat' | 'serve' | 'action' | 'worker' | 'portal' | 'mcp';

/** What the GitHub channel calls (src/github/), served by `serve` or run as the Action. */
const CHANNEL: readonly EntryName[] = [
  'answerQuestion',
  'continueApprovedRun',
  'decideSpecAs',
  'followUpRun',
  'requestChange',
  'resumeRun',
  'reviseSavedRun',
  'runBugfix',
  'runEvents',
  'runFeature',
  'runFilesRoot',
  'specsAtGate',
  // A merge queue's group proven (issue 74, src/github/mergeGroup.ts).
  'verifySpecs',
];

export const hosts: Readonly<Record<HostName, HostRow>> = {
  cli: {
    files: ['src/cli/'],
    host: { name: 'CliHost', file: 'src/cli/cliHost.ts' },
    places: ['checkout', 'worktree'],
    waits: 'saves',
    calls: [
      'applyRun',
      'approveChangeSet',
      'approveSpec',
      'assignLayers',
      'branchRun',
      'changeSets',
      'checkChangeSet',
      'checkCombinedHeads',
      'checkDictionary',
      'checkWorkflow',
      'cliAgents',
      'discardRun',
      'gc',
      'importSpec',
      'initWorkspace',
      'isChangeSetRoot',
      'listRuns',
      'listSpecs',
      'listWorkflows',
      'mergeBatches',
      'mergeChangeSet',
      'openQueue',
      'planRun',
      'prepareDemo',
      'publishChangeSet',
      'requestChange',
      'resumeRun',
      'rollback',
      'runAttempts',
      'runAudit',
      'runBugfix',
      'runChangeSet',
      'runEvents',
      'runFeature',
      'runnersStats',
      'sandboxStatus',
      'traceSpec',
      'useAttempt',
      'verifySpecs',
    ],
  },
  vscode: {
    files: ['src/extension/'],
    except: ['src/extension/chat/'],
    host: { name: 'VscodeHost', file: 'src/extension/host/vscodeHost.ts' },
    places: ['checkout', 'worktree'],
    waits: 'editor',
    calls: [
      'adoptFolderWorkspace',
      'agentModels',
      'applyRun',
      'approveChangeSet',
      'approveSpec',
      'assignLayers',
      'attemptDiff',
      'auditChoices',
      'branchRun',
      'changeSets',
      'checkCombinedHeads',
      'cliAgents',
      'defaultIsolation',
      'discardRun',
      'fileAtCheckpoint',
      'folderWorkspace',
      'importSpec',
      'initWorkspace',
      'isChangeSetRoot',
      'latestResumableRun',
      'listRuns',
      'listSpecs',
      'listWorkflows',
      'mergeChangeSet',
      'openQueue',
      'prepareDemo',
      'proposeWorkspace',
      'requestChange',
      'resumeRun',
      'rollback',
      'runAudit',
      'runBugfix',
      'runChangeSet',
      'runChanges',
      'runFeature',
      'runFilesRoot',
      'runInfo',
      'runnerChoices',
      'runnersStats',
      'setRunner',
      'syncRegistry',
      'traceSpec',
      'useAttempt',
      'verifySpecs',
    ],
  },
  chat: {
    files: ['src/extension/chat/'],
    host: { name: 'watchedHost', file: 'src/extension/chat/watchedHost.ts' },
    wraps: 'vscode',
    places: ['checkout', 'worktree'],
    waits: 'editor',
    calls: [
      'approveSpec',
      'auditChoices',
      'changeSets',
      'latestResumableRun',
      'listRuns',
      'listSpecs',
      'resumeRun',
      'runAudit',
      'runBugfix',
      'runFeature',
      'verifySpecs',
    ],
  },
  // The GitHub channel served by `orchestrator serve`: its runs from issues, each in a worktree.
  serve: {
    files: ['src/github/'],
    except: ['src/github/action/'],
    host: { name: 'GithubRunHost', file: 'src/github/runHost.ts' },
    places: ['worktree'],
    // A gate or confirmation parks (kept on the link); the answer arriving in serve, or in a restarted serve, continues the run.
    waits: 'parks',
    calls: [...CHANNEL, 'branchRun', 'shelveWorktreeRun'],
  },
  // The same channel as a GitHub Action: one job per event, the run in the job's checkout.
  action: {
    files: ['src/github/'],
    except: ['src/github/servePlace.ts'],
    host: { name: 'GithubRunHost', file: 'src/github/runHost.ts' },
    places: ['action-job'],
    waits: 'parks',
    calls: [...CHANNEL, 'sandboxStatus', 'snapshotWorkTree'],
  },
  // The pool: dispatch, and the worker that runs a job in its clone.
  worker: {
    files: ['src/pool/'],
    host: { name: 'WorkerHost', file: 'src/pool/workerHost.ts' },
    places: ['pooled'],
    // A gate parks (the run saved there, approved in any clone), a confirmation parks (asked in the portal); either answer queues the run again.
    waits: 'parks',
    calls: [
      'answerQuestion',
      'applyPooledResult',
      'approveSpec',
      'cliAgents',
      'continueApprovedRun',
      'followUpRun',
      'journalEvents',
      'resumeRun',
      'reviseSavedRun',
      'runAudit',
      'runBugfix',
      'runEvents',
      'runFeature',
      'runnersStats',
      'snapshotWorkTree',
    ],
  },
  // The supervisor portal (`orchestrator serve`): people answer the pool's gates and confirmations.
  portal: {
    files: ['src/portal/'],
    places: [],
    waits: 'answers',
    calls: ['assignLayers', 'changeSets', 'decidePhaseGateAs', 'decideSpecAs', 'phaseGatesWaiting', 'specsAtGate'],
  },
  // The task queue over MCP (stdio, HTTP): no run, no question.
  mcp: { files: ['src/mcp/'], places: [], waits: 'none', calls: [] },
};
