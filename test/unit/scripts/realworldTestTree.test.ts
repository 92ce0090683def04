import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addedTests, onlyTests } from '../../realworld/testTree';

// `npm run realworld`'s reading of a fix's test file (test/realworld/testTree.ts), on shapes of its own.
test("realworld driver: tap's t.test calls are tests, kept whole with their subtests; a suite's helper only other tests used is left out", () => {
  const before = "import t from 'tap'\nt.test('old', t => { t.end() })\n";
  const after = `${before}t.test('new', async t => {\n  t.test('inner', async t => { t.pass('x') })\n})\n`;
  const added = addedTests('test/a.ts', before, after);
  assert.deepEqual(
    added.map((a) => a.path),
    [['new']],
  );
  assert.equal(
    onlyTests('test/a.ts', after, added),
    "import t from 'tap'\nt.test('new', async t => {\n  t.test('inner', async t => { t.pass('x') })\n})\n",
  );

  const suite =
    "import { describe, it } from 'vitest'\ndescribe('s', () => {\n  function helper() { return 1 }\n  it('old', () => { helper() })\n  it('new', () => {})\n})\n";
  const kept = onlyTests(
    'test/b.ts',
    suite,
    addedTests('test/b.ts', suite.replace("  it('new', () => {})\n", ''), suite),
  );
  assert.equal(kept, "import { describe, it } from 'vitest'\ndescribe('s', () => {\n  it('new', () => {})\n})\n");
});
