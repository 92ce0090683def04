/** What dist/action.js loads (scripts/release-action.mjs). */
export const ACTION_BUNDLES: string[];
/** The release commit of `version` in `repo` (its dist/ built already), tagged `version` and its major version; returns the commit. */
export function releaseAction(repo: string, version: string): string;
