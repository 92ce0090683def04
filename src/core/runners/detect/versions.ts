/** Version numbers as CLI agents print them, compared by numeric parts (a leaf: the runners read it too). */

/** The first dotted version number in a `--version` line (`codex-cli 0.163.0`, `2.1.330 (Claude Code)`). */
export function versionIn(output: string): string | undefined {
  return /\b(\d+\.\d+(?:\.\d+)?)(?:[-+][0-9A-Za-z.-]+)?\b/.exec(output)?.[1];
}

/** Negative when a < b, by numeric parts. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
