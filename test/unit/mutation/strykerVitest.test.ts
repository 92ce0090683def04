// Mutation strength with real StrykerJS on a Vitest project (issue 61's checks name Jest and
// Vitest): StrykerJS's Vitest runner, limited to the criterion's frozen proof test, judges every
// sampled mutant of the changed lines, a test that pins the rule kills each, and what Vite and
// Vitest write while they run stays in the mutants' copy, never in the run's work tree.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createCheckpoint } from '../../../src/core/git/checkpoint';
import { changedLines, measureStrength, strykerEngine } from '../../../src/core/mutation';
import { runCommand } from '../../../src/core/process';
import { git, hashTree, initRepo, isolatedGit, tempDir, write } from '../../support/gitFixture';
import { jsRunnerProject } from '../../support/jsRunnerProject';

const BASE = 'export function discount(total) {\n  return total;\n}\n';
const CHANGED = 'export function discount(total) {\n  if (total > 100) return total * 0.9;\n  return total;\n}\n';
const STRONG = [
  "import { expect, test } from 'vitest';",
  "import { discount } from '../src/price.js';",
  "test('REQ-1.1 ten percent off above 100', () => {",
  '  expect(discount(50)).toBe(50);',
  '  expect(discount(100)).toBe(100);',
  '  expect(discount(200)).toBe(180);',
  '});',
  '',
].join('\n');

describe('strength with StrykerJS on a Vitest project', () => {
  const dirs = isolatedGit();

  it("judges every sampled mutant with Vitest, a test of the rule kills each, and Vite's caches stay out of the work tree", async () => {
    const dir = tempDir();
    dirs.push(dir);
    initRepo(dir);
    jsRunnerProject(
      dir,
      'vitest',
      { 'src/price.js': BASE, 'test/price.test.js': STRONG, '.gitignore': 'node_modules\n' },
      { type: 'module' },
    );
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'base');
    const checkpoint = await createCheckpoint(dir, 'strength-vitest');
    assert.ok(checkpoint);
    write(dir, 'src/price.js', CHANGED);
    const engine = strykerEngine(dir);
    assert.ok(engine, 'StrykerJS is found');
    const before = hashTree(dir);
    const [strong] = await measureStrength({
      workTree: dir,
      changed: await changedLines(dir, checkpoint.ref),
      criteria: [{ id: 'REQ-1.1', tests: ['test/price.test.js'], files: ['src/price.js'] }],
      proof: { command: ['npx vitest run {files}'], tests: ['test/**'] },
      caps: { perCriterion: 4, perRun: 100, timeoutSec: 180, concurrency: 1 },
      seed: 'fixed',
      engines: [engine],
      run: (command, options) => runCommand(command, { cwd: options.cwd, timeoutSec: options.timeoutSec }),
    });
    assert.equal(strong!.error, undefined, strong!.error);
    assert.equal(strong!.tried, 4, JSON.stringify(strong!.results));
    assert.equal(strong!.killed, 4, JSON.stringify(strong!.results.filter((r) => r.status !== 'killed')));
    assert.deepEqual(hashTree(dir), before, "the run's work tree is untouched (no .vite, no cache)");
  });
});
