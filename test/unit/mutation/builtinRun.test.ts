// The built-in mutator's ids, its sampler and its per-copy run loop (src/core/mutation/builtin):
// ids stable across calls and distinct, the sample the same for a seed and spread over the lines,
// and each mutant applied in the copy only, its tests run, its file put back byte for byte.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { sampleMutants } from '../../../src/core/mutation';
import { applyMutant, builtinMutants } from '../../../src/core/mutation/builtin';
import { type ProofOutcome, runEachMutant } from '../../../src/core/mutation/perMutant';
import type { Mutant } from '../../../src/core/mutation/types';

const GO = `package shop

func Clamp(x, lo, hi int) int {
	if x < lo || x > hi {
		return lo + 1
	}
	return x * 2
}
`;
const changed = { path: 'shop/clamp.go', ranges: [{ start: 3, end: 8 }] };
const mutants = () => builtinMutants({ path: 'shop/clamp.go', text: GO, changed });

test('ids are stable across calls, distinct, and name the file: the same code in another file gets other ids', () => {
  const first = mutants();
  assert.equal(first.length, 9, 'five on the condition, two on each return');
  assert.deepEqual(mutants(), first);
  assert.equal(new Set(first.map((m) => m.id)).size, first.length);
  const elsewhere = builtinMutants({ path: 'shop/other.go', text: GO, changed: { ...changed, path: 'shop/other.go' } });
  assert.equal(elsewhere.filter((m) => first.some((f) => f.id === m.id)).length, 0);
  // A change below the mutants' lines leaves their ids.
  const below = builtinMutants({ path: 'shop/clamp.go', text: `${GO}\nfunc Other() {}\n`, changed });
  assert.deepEqual(
    below.map((m) => m.id),
    first.map((m) => m.id),
  );
});

test("applyMutant changes exactly the mutant's text, and refuses a file that no longer reads as it did", () => {
  const flip = mutants().find((m) => m.original === '<' && m.operator === 'comparison')!;
  assert.equal(applyMutant(GO, flip).split('\n')[3], '\tif x >= lo || x > hi {');
  assert.throws(() => applyMutant(GO.replace('x < lo', 'x <= lo'), flip), /no longer reads as the mutant's original/);
  assert.throws(() => applyMutant('package shop\n', flip), /has no line 4/);
});

test('the sampler: the same seed picks the same mutants whatever their order, spread one per line before any line gets two; the cap holds', () => {
  const lines = Array.from({ length: 6 }, (_, i) => `x${i} := a < b && c > d\n`).join('');
  const many = builtinMutants({ path: 'm.go', text: lines, changed: { path: 'm.go', ranges: [{ start: 1, end: 6 }] } });
  assert.equal(many.length, 30, 'five mutants a line');
  const picked = sampleMutants(many, 8, 'run-42');
  assert.equal(picked.length, 8);
  assert.deepEqual(
    sampleMutants([...many].reverse(), 8, 'run-42')
      .map((m) => m.id)
      .sort(),
    picked.map((m) => m.id).sort(),
  );
  const perLine = (sample: Mutant[]) => [1, 2, 3, 4, 5, 6].map((line) => sample.filter((m) => m.line === line).length);
  assert.deepEqual(perLine(picked).sort(), [1, 1, 1, 1, 2, 2], 'every line once, then two lines twice');
  assert.deepEqual(
    perLine(sampleMutants(many, 4, 7)).filter((n) => n > 1),
    [],
    'fewer than the lines: never two on one line',
  );
  const seeds = new Set(
    ['a', 'b', 'c', 'd', 'e'].map((seed) =>
      sampleMutants(many, 8, seed)
        .map((m) => m.id)
        .join(),
    ),
  );
  assert.ok(seeds.size > 1, 'other seeds pick other mutants');
  assert.deepEqual(
    picked,
    many.filter((m) => picked.includes(m)),
    'in the order given',
  );
  assert.equal(sampleMutants(many, 100, 1).length, 30);
  assert.deepEqual(sampleMutants(many, 0, 1), []);
});

function copyWith(files: Record<string, string>): string {
  const copy = mkdtempSync(join(tmpdir(), 'orch-mutants-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(copy, path, '..'), { recursive: true });
    writeFileSync(join(copy, path), text);
  }
  return copy;
}

test('run: each mutant is applied in the copy while its tests run and put back after; the outcome becomes its status', async () => {
  const copy = copyWith({ 'shop/clamp.go': GO });
  try {
    const all = mutants();
    const seen: string[] = [];
    const mtimes = [statSync(join(copy, 'shop/clamp.go')).mtimeMs];
    const results = await runEachMutant({
      apply: applyMutant,
      copy,
      mutants: all,
      testsFor: (m) => ({ criteria: ['REQ-1.1'], files: m.line === 7 ? [] : ['shop/clamp_test.go'] }),
      runTests: async (files) => {
        const now = readFileSync(join(copy, 'shop/clamp.go'), 'utf8');
        seen.push(now);
        mtimes.push(statSync(join(copy, 'shop/clamp.go')).mtimeMs);
        assert.deepEqual(files, ['shop/clamp_test.go']);
        // A test that checks only the bounds: it catches what changes line 4, not what changes line 5.
        return (now.split('\n')[3] === '\tif x < lo || x > hi {' ? 'passed' : 'failed') satisfies ProofOutcome;
      },
    });
    assert.equal(readFileSync(join(copy, 'shop/clamp.go'), 'utf8'), GO, 'the file is as it was');
    // Each write a second past the last, in whole seconds: a cache keyed by size and mtime (a .pyc,
    // cargo) never takes a same-size mutant, or the restored file, for what it built before.
    mtimes.push(statSync(join(copy, 'shop/clamp.go')).mtimeMs);
    const seconds = mtimes.map((ms) => Math.floor(ms / 1000));
    assert.ok(
      seconds.every((s, i) => i === 0 || s > seconds[i - 1]!),
      `the file's mtimes, a second apart at least: ${seconds.join(' ')}`,
    );
    const ran = all.filter((m) => m.line !== 7);
    assert.deepEqual(
      seen,
      ran.map((m) => applyMutant(GO, m)),
      'each ran with its own change only',
    );
    assert.deepEqual(
      results.map((r) => [r.line, r.status]),
      all.map((m) => [m.line, m.line === 4 ? 'killed' : 'survived']),
    );
    assert.ok(results.every((r) => r.criteria[0] === 'REQ-1.1'));
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});

test('run: a file changed since, or one outside the copy, is an error and untouched; a throwing run is an error; an abort stops and restores', async () => {
  const outside = copyWith({ 'shop/clamp.go': GO });
  const copy = copyWith({ 'shop/clamp.go': GO.replace('x * 2', 'x * 3') });
  try {
    symlinkSync(join(outside, 'shop'), join(copy, 'linked'));
    const all = mutants();
    const last = all.find((m) => m.line === 7 && m.operator === 'constant')!;
    const first = all.find((m) => m.line === 4)!;
    const run = (ms: Mutant[], runTests: (files: string[]) => Promise<ProofOutcome>, signal?: AbortSignal) =>
      runEachMutant({
        apply: applyMutant,
        copy,
        mutants: ms,
        testsFor: () => ({ criteria: ['REQ-1'], files: ['t.go'] }),
        runTests,
        signal,
      });
    const errors = await run(
      [last, { ...first, path: `../${basename(outside)}/shop/clamp.go` }, { ...first, path: 'linked/clamp.go' }],
      async () => 'passed',
    );
    assert.deepEqual(
      errors.map((r) => r.status),
      ['error', 'error', 'error'],
    );
    assert.equal(readFileSync(join(outside, 'shop/clamp.go'), 'utf8'), GO, 'nothing outside the copy was written');
    assert.deepEqual(
      (await run([first], async () => Promise.reject(new Error('spawn failed')))).map((r) => r.status),
      ['error'],
    );
    const controller = new AbortController();
    await assert.rejects(
      run(
        [first, first],
        async () => {
          controller.abort(new Error('run stopped'));
          return 'failed';
        },
        controller.signal,
      ),
      /run stopped/,
    );
    assert.equal(
      readFileSync(join(copy, 'shop/clamp.go'), 'utf8'),
      GO.replace('x * 2', 'x * 3'),
      'the file in hand was put back',
    );
  } finally {
    rmSync(copy, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  }
});
