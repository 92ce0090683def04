/**
 * What a bundle says it is: the version and the commit scripts/build.mjs stamped into it (the
 * source checkout's for `npm run release`, whose copy has no `.git`). The CLI's `--version`, the
 * extension's log and the Action's log all print this line. Run from the sources (tests), neither is set.
 */
declare const ORCH_COMMIT: string | null | undefined;
declare const ORCH_VERSION: string | undefined;

/** The commit the bundle was built from (`-dirty`: with uncommitted changes); undefined outside git or from the sources. */
export function builtFrom(): string | undefined {
  return typeof ORCH_COMMIT === 'string' && ORCH_COMMIT ? ORCH_COMMIT : undefined;
}

/** The package version the bundle was built with (for a host that has no package.json beside it). */
export function builtVersion(): string | undefined {
  return typeof ORCH_VERSION === 'string' && ORCH_VERSION ? ORCH_VERSION : undefined;
}

/** `spec-orchestrator 0.1.0 (commit 1a2b3c4d)`. */
export function versionLine(name: string, version: string | undefined, commit = builtFrom()): string {
  return `${name} ${version ?? 'version unknown'} (${commit ? `commit ${commit}` : 'commit unknown: built outside git'})`;
}
