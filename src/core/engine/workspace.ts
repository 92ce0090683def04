/** The contract's workspace: its census and init, the demo, the task queue, traceability and drift. */
import { join, resolve } from 'node:path';
import { type ChangeSetView, readChangeSets } from '../changeSet';
import { type Census, censusRoom, type DictionaryReport, type InitOptions, type InitReport } from '../census';
import { type DemoWorkspace, prepareDemoWorkspace } from '../demo';
import {
  checkCombinedHeads,
  type CombinedOptions,
  type CombinedReport,
  type MergeReport,
  mergeSet,
  type PublishReport,
  publishSet,
  type SetOptions,
} from '../combined';
import { driftRoom, type QueueOptions, type QueueReport, type VerifyOptions, type VerifyReport } from '../drift';
import { EngineUsageError } from '../errors';
import {
  type ChangeSetWorkspace,
  findWorkspaceRoot,
  type FolderWorkspace,
  loadWorkspace,
  proposeWorkspace as proposeChangeSet,
  type WorkspaceProposal,
  workspaceOfFolders,
  writeFolderWorkspace,
} from '../project/changeSet';
import { lastProvenOf } from '../pipeline/phases';
import { loadConfig } from '../project/config';
import { CONFIG_FILE, readOptionalText } from '../project/sources';
import { openQueueStore, QueueService } from '../queue';
import { type TraceExport, type TraceReport, traceSpecMatrix } from '../trace';
import { query, verb } from './entry';

type ProposeOptions = { verify: boolean; trusted: boolean; signal?: AbortSignal } & Pick<
  InitOptions,
  'onStart' | 'onProgress' | 'onProposal'
>;

/**
 * The census of a workspace, verified when asked (and trusted): what Initialize Workspace shows
 * before anything is written, and whether accepting it would replace a config.
 */
async function proposeWorkspace(
  workspace: string,
  options: ProposeOptions,
): Promise<{ census: Census; configExists: boolean }> {
  const root = resolve(workspace);
  const room = censusRoom();
  const census = await room.takeCensus(root);
  const { verify, trusted, onProposal, ...hooks } = options;
  // Shown before any command runs (issue 70): verification then takes as long as the project's commands do.
  onProposal?.(census);
  if (verify) await room.verifyCensus(root, census, { trusted, ...hooks });
  const configExists = (await readOptionalText(join(root, CONFIG_FILE))) !== undefined;
  return { census, configExists };
}

/**
 * The workspace's task queue (seed 004): the embedded file, or PostgreSQL at `queue.url`.
 * `trusted: false` (Restricted Mode) keeps the queue readable but applies nothing. Close it when done.
 */
async function openQueue(
  workspace: string,
  opts: { trusted: boolean; say?: (line: string) => void },
): Promise<QueueService> {
  const root = resolve(workspace);
  const config = await loadConfig(root);
  // The server a workspace names is not contacted from an untrusted workspace (as its webhook is not).
  if (config.queue.url && !opts.trusted)
    throw new EngineUsageError(
      'Restricted Mode: the team queue at queue.url is not contacted until you trust the workspace.',
    );
  const queue = new QueueService({
    workspace: root,
    config,
    store: await openQueueStore(root, config, opts.say),
    trusted: opts.trusted,
  });
  // An approval a killed process left half done is undone before anything else reads the workspace.
  for (const line of await queue.recoverApprovals()) opts.say?.(line);
  return queue;
}

export const workspace = {
  /**
   * `orchestrator init` / Initialize Workspace: the census written as `.claude/` (an existing config is kept unless
   * `force`).
   */
  initWorkspace: verb(
    [],
    async (workspace: string, templatesDir: string, options: Omit<InitOptions, 'templatesDir'>): Promise<InitReport> =>
      censusRoom().initFromCensus(resolve(workspace), { ...options, templatesDir }),
  ),
  proposeWorkspace: query(proposeWorkspace),
  /** `check dictionary`: docs/data/dictionary.md against the schema the census finds; every difference named. */
  checkDictionary: query(async (workspace: string): Promise<DictionaryReport> =>
    censusRoom().checkDictionary(resolve(workspace)),
  ),
  /**
   * `check workspace`: the change-set's workspace file found from `start` up, checked and ordered producers first
   * (a mistake throws naming its line and key); with none, what init would propose for `start` (issue 73).
   */
  checkChangeSet: query(
    async (start: string): Promise<{ workspace: ChangeSetWorkspace } | { proposal?: WorkspaceProposal }> => {
      const root = findWorkspaceRoot(start);
      if (root) return { workspace: await loadWorkspace(root) };
      const proposal = proposeChangeSet(resolve(start));
      return proposal ? { proposal } : {};
    },
  ),
  /**
   * The change-sets of the workspace file found from `start` up, the latest first: each one run with one status per
   * member, producers first, its combined heads and its one budget, as every host shows it (issue 73); none without a file.
   */
  changeSets: query(async (start: string): Promise<ChangeSetView[]> => {
    const root = findWorkspaceRoot(start);
    return root ? readChangeSets(await loadWorkspace(root)) : [];
  }),
  /**
   * A VS Code multi-root workspace's folders as a workspace of repositories (issue 73): the workspace file found in
   * one of them or above, else their git repositories with the edges `init` proposes, for their nearest common folder.
   */
  folderWorkspace: query(async (folders: readonly string[]): Promise<FolderWorkspace | undefined> =>
    workspaceOfFolders(folders),
  ),
  /** The folders' proposed workspace file written in their common folder (never over one): where a change-set of them runs. */
  adoptFolderWorkspace: verb([], async (folders: readonly string[]): Promise<{ root: string; file: string }> => {
    const found = workspaceOfFolders(folders);
    if (!found)
      throw new EngineUsageError('these folders are not two or more git repositories: no workspace of repositories');
    return 'file' in found ? found : { root: found.root, file: await writeFolderWorkspace(found) };
  }),
  /**
   * `check workspace --combined`: each member of the change-set found from `start` up, producers first, in a
   * throwaway worktree of its work tree as it is with its producers' linked in, its validate commands run (issue 73).
   */
  checkCombinedHeads: query(async (start: string, options: CombinedOptions): Promise<CombinedReport> =>
    checkCombinedHeads(resolve(start), options),
  ),
  /**
   * `publish <set>`: the change-set's branch pushed in each member holding it, one pull request each (GitHub) listing
   * the others, their status and the order, `orchestrator/change-set` set on each head from the combined check (issue 73).
   */
  publishChangeSet: verb([], async (start: string, set: string, options: SetOptions): Promise<PublishReport> =>
    publishSet(resolve(start), set, options),
  ),
  /** `merge <set>`: the set published, then merged producers first when all can, journaled so a killed merge resumes (issue 73). */
  mergeChangeSet: verb([], async (start: string, set: string, options: SetOptions): Promise<MergeReport> =>
    mergeSet(resolve(start), set, options),
  ),
  /** The demo's workspace: the sample shop copied into `folder` (default: a new temp folder), on the scripted model. */
  prepareDemo: verb([], async (sampleDir: string, folder?: string): Promise<DemoWorkspace> =>
    prepareDemoWorkspace(sampleDir, folder),
  ),
  /** Opening the queue undoes an approval a killed process left half done (a verb, though it journals nothing). */
  openQueue: verb([], openQueue),
  /** The traceability matrix of a spec from its runs' journals (seed 000); written as .xlsx / Markdown when asked. */
  traceSpec: verb([], async (workspace: string, specId: string, exports: TraceExport = {}): Promise<TraceReport> =>
    traceSpecMatrix(workspace, specId, exports, () => lastProvenOf(resolve(workspace), specId)),
  ),
  /**
   * Drift: completed specs (all of them when `specIds` is empty) against today's code, each
   * requirement `holds`, `changed` or `broken` with its evidence; no model call.
   */
  /**
   * Our merge queue (issue 74): branches merged on `target` in batches, each batch's proofs run
   * once, a red batch's culprit found by bisection and set aside, the others merged.
   */
  mergeBatches: query(async (workspace: string, options: QueueOptions): Promise<QueueReport> =>
    driftRoom().mergeInBatches(workspace, options),
  ),
  verifySpecs: query(
    async (workspace: string, specIds: readonly string[], options: VerifyOptions): Promise<VerifyReport> =>
      driftRoom().verifySpecs(workspace, specIds, options),
  ),
};
