// How `npm test` (scripts/test.mjs) scores a tier. Apart so it can be tested without running
// the tiers: a tier that could not run, or ran no test, or whose runner failed although no
// test did, counts one failure, so the closing line never reads "0 failed" for it.

/**
 * @param {{ code: number, counts?: { passed: number, failed: number }, cannot?: string }} run
 * @returns {{ passed: number, failed: number, note?: string }}
 */
export function tierResult({ code, counts, cannot }) {
  if (cannot) return { passed: 0, failed: 1, note: `could not run: ${cannot}` };
  if (!counts || counts.passed + counts.failed === 0)
    return { passed: counts?.passed ?? 0, failed: 1, note: `ran no test (exit ${code})` };
  if (code !== 0 && counts.failed === 0) return { ...counts, failed: 1, note: `exit ${code} although no test failed` };
  return { ...counts };
}

/** The closing line over every tier. */
export function totalLine(results) {
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  return `total: ${passed} passed, ${failed} failed`;
}

/**
 * The failed tests of a node:test tier, from its TAP copy: name, where, and the error's first
 * line. Repeated after every tier's line, so a log's tail (all CI keeps) still names them.
 */
export function failuresOf(tapText) {
  const lines = tapText.split('\n');
  const failures = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)not ok \d+ - (.*?)(?: # (?:SKIP|TODO)\b.*)?$/.exec(lines[i]);
    if (!m) continue;
    const fields = {};
    for (
      let j = i + 1;
      j < lines.length && !/^\s*(?:ok|not ok) \d+ /.test(lines[j]) && !/^\s*# Subtest:/.test(lines[j]);
      j++
    ) {
      const f = /^\s*(location|failureType|error): (.*)$/.exec(lines[j]);
      // A YAML block (`error: |-`) holds its text on the lines below.
      if (f && !(f[1] in fields))
        fields[f[1]] = (/^[|>]-?$/.test(f[2]) ? (lines[j + 1] ?? '').trim() : f[2]).replace(/^'|'$/g, '');
    }
    if (fields.failureType === 'subtestsFailed') continue; // its failed subtests are listed themselves
    failures.push({
      name: m[2],
      location: fields.location ?? '',
      error: (fields.error ?? '').split('\\n')[0].slice(0, 200),
    });
  }
  return failures;
}
