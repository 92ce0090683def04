/**
 * The git room's door: checkpoints on a private ref, diffs against them, rollback, a run's
 * worktrees and their refs, and the three-way apply that brings a worktree's changes home; git
 * itself runs through gitRunner.
 */
export { checkpointRef, commitWorkTree, createCheckpoint, hasGit } from './checkpoint';
export { checkpointPathspecs } from './checkpointPaths';
export { ATTEMPT_NAMESPACE, pruneCheckpointRefs, type PruneResult } from './checkpointRefs';
export { changedFiles, diffBetween, diffSinceCheckpoint, type FileDiff, fileAtCheckpoint, lineStats } from './diff';
export { CHECKPOINT_IDENTITY, type Git, gitAt, inChunks, worktreeGit } from './gitRunner';
export { rollbackRun } from './rollback';
export { type ApplyConflict, blobId, planApply, readSide, storeBlob, writePlan } from './threeWayApply';
export { beforeApplyRef, commitTree, deleteRunRefs, listWorktreeRefs, resolveCommit, runIdOfRef, setRef, treeOf, worktreeBaseRef } from './worktreeRefs';
export { locateRepo, pinnedGit, type RepoLocation, writeWorktreeTree } from './worktreeTree';
export { addWorktree, isInside, linkFolders, listWorktrees, pruneWorktrees, removeWorktree, repoWorktreeFolder, worktreeFolders } from './worktrees';
