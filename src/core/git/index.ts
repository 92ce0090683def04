/**
 * The git room's door: checkpoints on a private ref, diffs against them, rollback, a run's
 * worktrees and their refs, and the three-way apply that brings a worktree's changes home; refs,
 * remotes, objects and diffs for every other room; for the hosts, a few by purpose (state kept on a
 * ref, refs exchanged with a remote, the checkout a host works in: refState.ts, forHosts.ts). git
 * itself runs through gitRunner, and only here: gitRunner is not behind this door, and the lint
 * (eslint.config.mjs, NO_GIT_SPAWN) fails when a file of src/ outside this room spawns git itself.
 */
export {
  agentGitDir,
  agentHead,
  agentRepo,
  agentRestore,
  agentTreeChanges,
  checkOutSnapshot,
  hasAgentRepo,
  makeAgentRepo,
} from './agentRepo';
export { checkpointRef, commitWorkTree, createCheckpoint, hasGit } from './checkpoint';
export { committedDenied, type CommittedFile, writeCommitted } from './committedDenied';
export { checkpointPathspecs } from './checkpointPaths';
export { ATTEMPT_NAMESPACE, pruneCheckpointRefs, type PruneResult } from './checkpointRefs';
export {
  changedFiles,
  pathsChangedBetween,
  diffBetween,
  diffSinceCheckpoint,
  type FileDiff,
  fileAtCheckpoint,
  lineStats,
  numstatByPath,
  shortStat,
  treeChanges,
} from './diff';
export { CHECKPOINT_IDENTITY, inChunks } from './gitRunner';
export { commitOf, firstParentCommits } from './history';
export { advanceBranch, mergeLine } from './batchLine';
export { rollbackRun } from './rollback';
export { type ApplyConflict, blobId, planApply, readSide, storeBlob, writePlan } from './threeWayApply';
export {
  beforeApplyRef,
  commitTree,
  deleteRunRefs,
  listWorktreeRefs,
  resolveCommit,
  runIdOfRef,
  setRef,
  treeOf,
  worktreeBaseRef,
} from './worktreeRefs';
export { locateRepo, pinnedGit, type RepoLocation, writeWorktreeTree } from './worktreeTree';
export {
  addWorktree,
  isInside,
  linkFolders,
  listWorktrees,
  pruneWorktrees,
  removeWorktree,
  repoWorktreeFolder,
  worktreeFolders,
} from './worktrees';
export {
  commitWith,
  gitUserName,
  hashText,
  initWithEverything,
  makeTree,
  readText,
  treeBytes,
  treePaths,
} from './objects';
export {
  deleteRef,
  hasCommit,
  prefixOf,
  type RefWrite,
  refsUnder,
  revParse,
  revParseQuiet,
  topLevelOf,
  updateRef,
  validBranchName,
} from './refs';
export {
  cloneBare,
  dropExtraHeaders,
  fetchRefspecs,
  pushRefspecs,
  remoteCommit,
  remoteUrlOf,
  setRemoteUrl,
} from './remotes';
export { changedPaths, checkoutDetached, commitPaths, restoreFrom, switchToBranch } from './workTree';
export { RefState } from './refState';
export { hostCheckout, remoteRefs } from './forHosts';
export {
  commonGitDir,
  mergeConflict,
  mergedInto,
  mergeIntoRemote,
  pushBranch,
  pushRevertBranch,
  remoteDefaultBranch,
} from './setMerge';
