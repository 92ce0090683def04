// How `npm test` (scripts/test.mjs) scores a tier. Apart so it can be tested without running
// the tiers: a tier that could not run, or ran no test, or whose runner failed although no
// test did, counts one failure, so the closing line never reads "0 failed" for it.

/**
 * @param {{ code: number, counts?: { passed: number, failed: number }, cannot?: string }} run
 * @returns {{ passed: number, failed: number, note?: string }}
 */
export function tierResult({ code, counts, cannot }) {
  if (cannot) return { passed: 0, failed: 1, note: `could not run: ${cannot}` };
  if (!counts || counts.passed + counts.failed === 0) return { passed: counts?.passed ?? 0, failed: 1, note: `ran no test (exit ${code})` };
  if (code !== 0 && counts.failed === 0) return { ...counts, failed: 1, note: `exit ${code} although no test failed` };
  return { ...counts };
}

/** The closing line over every tier. */
export function totalLine(results) {
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  return `total: ${passed} passed, ${failed} failed`;
}
