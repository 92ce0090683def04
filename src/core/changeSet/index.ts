/** A change-set's run (issue 73): `feature` over a workspace of repositories, one spec, one approval, the members at once. */
export {
  approveChangeSet,
  type ChangeSetMember,
  type ChangeSetSummary,
  isChangeSetRoot,
  runChangeSet,
} from './changeSetRun';
export type { MemberLink } from './memberLinks';
export {
  type ChangeSetMemberView,
  type ChangeSetStatus,
  type ChangeSetView,
  readChangeSets,
  runningSet,
} from './setView';
