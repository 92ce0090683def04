/** The change-set's members checked on their combined heads (issue 73): the room's door. */
export {
  checkCombinedHeads,
  type CombinedLink,
  type CombinedMember,
  type CombinedOptions,
  type CombinedReport,
} from './combinedCheck';
export { linkStep, type LinkStep } from './links';
