// Each test file's time from a tier's TAP report, as the JSON that run-node-tests.mjs --weights
// reads: node scripts/test-weights.mjs <report.tap> > test/weights/<tier>.json
// npm test keeps each tier's TAP in a folder it names (orch-test-*); a tier whose files gained or
// lost minutes deals its shards better with the weights measured again. Only the balance depends
// on them: a file not listed weighs the median.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const [tap] = process.argv.slice(2);
if (!tap) {
  process.stderr.write('usage: node scripts/test-weights.mjs <report.tap>\n');
  process.exit(2);
}
// A file is a top-level entry named by its path: a shard's suite (test/support/testShard.ts) or,
// with a process per file, the file's own entry.
const entry = /^(?:not )?ok \d+ - (\S+\.test\.[jt]s)\n {2}---\n {2}duration_ms: ([\d.]+)/gm;
const weights = {};
for (const [, file, ms] of readFileSync(tap, 'utf8').matchAll(entry))
  weights[relative(process.cwd(), file)] = Math.round(Number(ms) / 100) / 10;
const sorted = Object.fromEntries(Object.entries(weights).sort(([a], [b]) => a.localeCompare(b)));
process.stdout.write(`${JSON.stringify(sorted, null, 1)}\n`);
