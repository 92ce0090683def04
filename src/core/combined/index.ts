/** The change-set's members checked on their combined heads, published as one set and merged in order (issue 73): the room's door. */
export {
  checkCombinedHeads,
  type CombinedLink,
  type CombinedMember,
  type CombinedOptions,
  type CombinedReport,
  memberCommands,
} from './combinedCheck';
export { linkStep, type LinkStep } from './links';
export { CHANGE_SET_CONTEXT, type ForgeMember, type MemberForge } from './forge';
export { type MergedMember, type MergeReport, mergeSet } from './mergeSet';
export { type PublishedMember, type PublishReport, publishSet, type SetOptions } from './publishSet';
