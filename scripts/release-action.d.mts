/** The release commit of `version` in `repo`, tagged `version` and its major version; the Action's files HEAD lacks come from `built` (default `repo`). Returns the commit. */
export function releaseAction(repo: string, version: string, built?: string): string;
