/**
 * The change room's door: an amendment through the spec gate, re-implementing the layers it
 * touches, and the inbox change requests wait in.
 */
export { appendChangeRequest } from './inbox';
export { approvedChanges, implementWithChanges, settleChanges } from './settleChanges';
