import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProjectFileError, formatKeyPath } from '../../../src/core/project/sources/errors';
import { parseJsonSource } from '../../../src/core/project/sources/jsonSource';
import { jsonErrorOffset } from '../../../src/core/project/sources/jsonErrorOffset';

test('ProjectFileError reads file:line:col key: detail', () => {
  const error = new ProjectFileError(
    { file: '.claude/orchestrator.yaml', line: 7, column: 3, key: 'limits.maxRetries' },
    'expected a number, got "two"',
  );
  assert.equal(error.message, '.claude/orchestrator.yaml:7:3 limits.maxRetries: expected a number, got "two"');
  assert.equal(error.line, 7);
  assert.equal(error.key, 'limits.maxRetries');
  assert.ok(error instanceof Error);
});

test('ProjectFileError without column or key', () => {
  assert.equal(new ProjectFileError({ file: 'a.json', line: 2 }, 'broken').message, 'a.json:2 broken');
});

test('formatKeyPath uses dots for keys and brackets for indexes', () => {
  assert.equal(formatKeyPath(['e', 'Customer', 'refs', 1]), 'e.Customer.refs[1]');
  assert.equal(formatKeyPath([]), '');
});

test('JSON syntax errors become line:col, also when V8 gives no position', () => {
  // V8 reports "Unexpected token … is not valid JSON" without a position for this one.
  const text = '{\n  "a": 1,\n  "b": @\n}';
  assert.throws(
    () => parseJsonSource(text, 'x.json'),
    (error: unknown) => {
      assert.ok(error instanceof ProjectFileError);
      assert.equal(error.line, 3);
      assert.equal(error.column, 8);
      assert.match(error.message, /^x\.json:3:8 JSON syntax error: Unexpected token '@'$/);
      return true;
    },
  );
});

test('JSON syntax error with V8 position maps to the right line', () => {
  assert.throws(
    () => parseJsonSource('{\n  "a": 1,\n}', 'x.json'),
    /^ProjectFileError: x\.json:3:1 JSON syntax error: Expected double-quoted property name$/,
  );
  assert.throws(() => parseJsonSource('{"a": 1', 'x.json'), /^ProjectFileError: x\.json:1:8 JSON syntax error:/);
});

test('jsonErrorOffset agrees with valid JSON and finds the first bad character', () => {
  assert.equal(jsonErrorOffset('{"a":[1,-2.5e3,true,null,"x\\u00e9"]}'), undefined);
  assert.equal(jsonErrorOffset('{"a":tru}'), 8);
  assert.equal(jsonErrorOffset('[1,]'), 3);
  assert.equal(jsonErrorOffset('{"a":1} x'), 8);
  assert.equal(jsonErrorOffset(''), 0);
});
