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

test("realworld driver: a property's name is no use of an import of that name (validator.js's `test({ validator: … })`)", () => {
  const before =
    "import validator from '../src/index'\nimport check from './check'\ndescribe('V', () => {\n  it('old', () => { validator.isEmail('a') })\n})\n";
  const after = `${before.slice(0, -3)}  it('new', () => { check({ validator: 'isEmail' }) })\n})\n`;
  assert.equal(
    onlyTests('test/v.js', after, addedTests('test/v.js', before, after)),
    "import check from './check'\ndescribe('V', () => {\n  it('new', () => { check({ validator: 'isEmail' }) })\n})\n",
  );
});

test("realworld driver: unused names side by side in one import leave it whole (postcss's `import { equal, is, type } from 'uvu/assert'`)", () => {
  const before =
    "import { test } from 'uvu'\nimport { equal, is, type } from 'uvu/assert'\ntest('old', () => { is(1, 1); type(1, 'number') })\n";
  const after = `${before}test('new', () => { equal(1, 1) })\n`;
  assert.equal(
    onlyTests('test/n.ts', after, addedTests('test/n.ts', before, after)),
    "import { test } from 'uvu'\nimport { equal } from 'uvu/assert'\ntest('new', () => { equal(1, 1) })\n",
  );
  const first = before.replace(
    "test('old', () => { is(1, 1); type(1, 'number') })",
    "test('old', () => { equal(1, 1) })",
  );
  assert.equal(
    onlyTests(
      'test/m.ts',
      `${first}test('new', () => { type(1, 'number') })\n`,
      addedTests('test/m.ts', first, `${first}test('new', () => { type(1, 'number') })\n`),
    ),
    "import { test } from 'uvu'\nimport { type } from 'uvu/assert'\ntest('new', () => { type(1, 'number') })\n",
  );
});
