// Mutation strength with real StrykerJS, on Jest and on Vitest (issue 61): a proof test that only
// checks that the function exists lets mutants of the changed lines survive, named by line; a test
// that pins the rule kills every one; nothing reaches the run's work tree; the same seed samples the
// same mutants.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { createCheckpoint } from '../../../src/core/git/checkpoint';
import { changedLines, measureStrength, type StrengthJob, strykerEngine } from '../../../src/core/mutation';
import { runCommand } from '../../../src/core/process';
import { git, hashTree, initRepo, isolatedGit, tempDir, write } from '../../support/gitFixture';
import { jsRunnerProject } from '../../support/jsRunnerProject';

const BASE = 'function discount(total) {\n  return total;\n}\nmodule.exports = { discount };\n';
const CHANGED =
  'function discount(total) {\n  if (total > 100) return total * 0.9;\n  return total;\n}\nmodule.exports = { discount };\n';
const WEAK =
  "const { discount } = require('../src/price');\ntest('REQ-1.1 discount exists', () => { expect(typeof discount).toBe('function'); });\n";
/** A test that pins the rule, after the lines that bring `discount` (and the runner's functions) in. */
const ruleTest = (criterion: string, ...imports: string[]): string =>
  [
    ...imports,
    `test('${criterion} ten percent off above 100', () => {`,
    '  expect(discount(50)).toBe(50);',
    '  expect(discount(100)).toBe(100);',
    '  expect(discount(200)).toBe(180);',
    '});',
    '',
  ].join('\n');
const STRONG = ruleTest('REQ-1.2', "const { discount } = require('../src/price');");

/**
 * A project of `runner` in git: its files committed as the base, a checkpoint of it, then
 * `src/price.js` changed as a layer would; returns the folder and the checkpoint's ref.
 */
async function changedProject(
  dirs: string[],
  runner: 'jest' | 'vitest',
  files: Record<string, string>,
  options: Parameters<typeof jsRunnerProject>[3],
  changed: string,
): Promise<{ dir: string; base: string }> {
  const dir = tempDir();
  dirs.push(dir);
  initRepo(dir);
  jsRunnerProject(dir, runner, { ...files, '.gitignore': 'node_modules\n' }, options);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  const checkpoint = await createCheckpoint(dir, `strength-${runner}`);
  assert.ok(checkpoint);
  write(dir, 'src/price.js', changed);
  return { dir, base: checkpoint.ref };
}

describe('strength with StrykerJS on a Jest project', () => {
  const dirs = isolatedGit();

  it('names the survivors of a weak proof test by line, sees a strong one kill every mutant, leaves the work tree alone, and samples alike for a seed', async () => {
    const { dir, base } = await changedProject(
      dirs,
      'jest',
      { 'src/price.js': BASE, 'test/weak.test.js': WEAK, 'test/strong.test.js': STRONG },
      { link: ['jest-environment-node'] },
      CHANGED,
    );
    const changed = await changedLines(dir, base);
    assert.deepEqual(changed, [{ path: 'src/price.js', ranges: [{ start: 2, end: 2 }] }]);
    const engine = strykerEngine(dir);
    assert.ok(engine, 'StrykerJS is found');
    const before = hashTree(dir);
    // A `node` on PATH that is not the orchestrator's (an editor's PATH with an older Node):
    // StrykerJS still runs on the orchestrator's own Node.
    const oldNode = tempDir();
    dirs.push(oldNode);
    write(oldNode, 'node', '#!/bin/sh\necho "an old node on PATH" >&2\nexit 3\n');
    chmodSync(join(oldNode, 'node'), 0o755);
    const env = { ...(process.env as Record<string, string>), PATH: `${oldNode}${delimiter}${process.env.PATH}` };
    const job: StrengthJob = {
      workTree: dir,
      changed,
      criteria: [
        { id: 'REQ-1.1', tests: ['test/weak.test.js'], files: ['src/price.js'] },
        { id: 'REQ-1.2', tests: ['test/strong.test.js'], files: ['src/price.js'] },
        // Tested by the same file as REQ-1.2: its verdicts are REQ-1.2's.
        { id: 'REQ-1.3', tests: ['test/strong.test.js'], files: ['src/price.js'] },
      ],
      proof: { command: ['npx jest'], tests: ['test/**'] },
      caps: { perCriterion: 50, perRun: 100, timeoutSec: 120, concurrency: 1 },
      seed: 'fixed',
      engines: [engine],
      run: (command, options) => {
        runs.push(command);
        return runCommand(command, { cwd: options.cwd, timeoutSec: options.timeoutSec, env });
      },
    };
    const runs: string[] = [];
    const [weak, strong, sameFile] = await measureStrength(job);
    // One StrykerJS run for the criteria's two test files (one start), each mutant judged by each
    // file's tests alone: the strong file's kills are not the weak file's.
    assert.equal(runs.length, 1, runs.join('\n'));
    assert.deepEqual(
      sameFile!.results,
      strong!.results.map((r) => ({ ...r, criteria: ['REQ-1.3'] })),
    );
    assert.equal(weak!.error, undefined, weak!.error);
    assert.ok(weak!.tried >= 4, `mutants tried: ${weak!.tried}`);
    const survivor = weak!.results.find((r) => r.status === 'survived' && r.replacement === 'total >= 100');
    assert.ok(survivor, JSON.stringify(weak!.results));
    assert.deepEqual([survivor.path, survivor.line, survivor.original], ['src/price.js', 2, 'total > 100']);
    assert.equal(weak!.survived, weak!.tried);
    assert.equal(strong!.error, undefined, strong!.error);
    assert.equal(strong!.tried, weak!.tried);
    assert.equal(strong!.survived, 0, JSON.stringify(strong!.results.filter((r) => r.status !== 'killed')));
    assert.equal(strong!.killed, strong!.tried);
    assert.deepEqual(hashTree(dir), before, "the run's work tree is untouched");

    // A resume with the journaled seed and a cap below the mutants samples the same ones (its
    // verdicts are not what this checks: every listed mutant is said to survive, without a run).
    const listedOnly = {
      ...engine,
      execute: async ({ mutants }: { mutants: readonly { id: string }[] }) => ({
        statuses: new Map(mutants.map((m) => [m.id, 'survived' as const])),
      }),
    };
    const capped = {
      ...job,
      criteria: [job.criteria[0]!],
      caps: { ...job.caps, perCriterion: 3 },
      engines: [listedOnly],
    };
    const ids = async (seed: string) => (await measureStrength({ ...capped, seed }))[0]!.results.map((r) => r.id);
    const first = await ids('fixed');
    assert.equal(first.length, 3);
    assert.deepEqual(await ids('fixed'), first);
    const others = await Promise.all(['a', 'b', 'c', 'd'].map(ids));
    assert.ok(
      others.some((other) => other.join() !== first.join()),
      'another seed samples otherwise',
    );
  });
});

// The same rule as an ES module, tested with Vitest (issue 61's checks name Jest and Vitest): what
// Vite and Vitest write while they run stays in the mutants' copy, never in the run's work tree.
const ESM_BASE = 'export function discount(total) {\n  return total;\n}\n';
const ESM_CHANGED = 'export function discount(total) {\n  if (total > 100) return total * 0.9;\n  return total;\n}\n';
const ESM_STRONG = ruleTest(
  'REQ-1.1',
  "import { expect, test } from 'vitest';",
  "import { discount } from '../src/price.js';",
);

describe('strength with StrykerJS on a Vitest project', () => {
  const dirs = isolatedGit();

  it("judges every sampled mutant with Vitest, a test of the rule kills each, and Vite's caches stay out of the work tree", async () => {
    const { dir, base } = await changedProject(
      dirs,
      'vitest',
      { 'src/price.js': ESM_BASE, 'test/price.test.js': ESM_STRONG },
      { type: 'module' },
      ESM_CHANGED,
    );
    const engine = strykerEngine(dir);
    assert.ok(engine, 'StrykerJS is found');
    const before = hashTree(dir);
    const [strong] = await measureStrength({
      workTree: dir,
      changed: await changedLines(dir, base),
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

// A Jest project whose Babel config names a Babel 7 plugin (issue 70): StrykerJS's own instrumenter
// (Babel 8) reads that config in the copy and cannot load. No verdict, and the reason on the error's
// first line (views show that line alone): never a throw that would fail the run.
describe('strength with StrykerJS on a project whose Babel config it cannot load', () => {
  const dirs = isolatedGit();

  it('returns no verdict and names Babel as the reason, on the first line', async () => {
    const { dir, base } = await changedProject(
      dirs,
      'jest',
      {
        'src/price.js': BASE,
        'test/strong.test.js': STRONG,
        'babel.config.json': '{ "plugins": ["@babel/plugin-syntax-class-properties"] }\n',
      },
      { link: ['jest-environment-node', '@babel/plugin-syntax-class-properties'] },
      CHANGED,
    );
    const engine = strykerEngine(dir);
    assert.ok(engine, 'StrykerJS is found');
    const [strength] = await measureStrength({
      workTree: dir,
      changed: await changedLines(dir, base),
      criteria: [{ id: 'REQ-1.2', tests: ['test/strong.test.js'], files: ['src/price.js'] }],
      proof: { command: ['npx jest'], tests: ['test/**'] },
      caps: { perCriterion: 2, perRun: 10, timeoutSec: 120, concurrency: 1 },
      seed: 'fixed',
      engines: [engine],
      run: (command, options) => runCommand(command, { cwd: options.cwd, timeoutSec: options.timeoutSec }),
    });
    assert.deepEqual([strength!.tried, strength!.killed, strength!.survived], [0, 0, 0], JSON.stringify(strength));
    const [first] = (strength!.error ?? '').split('\n');
    assert.match(
      first ?? '',
      /^StrykerJS failed \(exit \d+\): .*Requires Babel "\^7\.0\.0-0", but was loaded with "8\./,
    );
  });
});
