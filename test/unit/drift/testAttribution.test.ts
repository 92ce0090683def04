import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blamedByFailure } from '../../../src/core/drift/testAttribution';

const FILES = [
  'server/test/catalog.test.js',
  'server/test/orders.test.js',
  'tests/test_product.py',
  'api/product/product_test.go',
];
const IDS = ['REQ-1', 'REQ-1.1', 'REQ-1.2', 'REQ-2'];
const blamed = (output: string) => {
  const found = blamedByFailure(output, FILES, IDS);
  return { files: [...found.files].sort(), ids: [...found.ids].sort() };
};

test('node:test spec reporter: the failing file from "test at", the criterion from the failing test name; passing lines blame nothing', () => {
  const output = [
    '✔ orders are listed (0.5ms)',
    '✖ REQ-1.2 a negative price is refused (0.9ms)',
    'ℹ tests 2',
    '✖ failing tests:',
    '',
    'test at server/test/catalog.test.js:11:1',
    '✖ REQ-1.2 a negative price is refused (0.9ms)',
    '  AssertionError [ERR_ASSERTION]: Missing expected exception.',
  ].join('\n');
  assert.deepEqual(blamed(output), { files: ['server/test/catalog.test.js'], ids: ['REQ-1.2'] });
});

test('jest: FAIL names the file; a PASS line right after does not', () => {
  const output =
    'FAIL server/test/catalog.test.js\n  ● product › refuses\nPASS server/test/orders.test.js\nTests: 1 failed, 3 passed, 4 total';
  assert.deepEqual(blamed(output), { files: ['server/test/catalog.test.js'], ids: [] });
});

test('pytest and go: FAILED path::name, and the package folder of a failing Go test', () => {
  assert.deepEqual(
    blamed(
      'tests/test_product.py ..F\n=== short test summary info ===\nFAILED tests/test_product.py::test_price - assert 1 == 2',
    ).files,
    ['tests/test_product.py'],
  );
  assert.deepEqual(blamed('--- FAIL: TestCreate (0.00s)\nFAIL\tapi/product\t0.01s\nok  \tapi/orders\t0.01s').files, [
    'api/product/product_test.go',
  ]);
});

test('output naming no test of the spec blames nothing (the caller then counts it against every requirement with tests)', () => {
  assert.deepEqual(blamed('Error: Cannot find module ./setup\nnpm ERR! Test failed.'), { files: [], ids: [] });
});
