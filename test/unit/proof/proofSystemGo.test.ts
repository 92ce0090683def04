import assert from 'node:assert/strict';
import { test } from 'node:test';
import { proofSystem } from '../../../src/core/pipeline/proof/proofPrompts';

test("the proof agent is told a Go proof test is a file of the package it tests, with that package's clause; others are not", () => {
  const go = proofSystem(['{acceptance_*_test.go,[^.]*/**/acceptance_*_test.go}'], ['go test -v {files}']);
  assert.match(go, /Go: a test file goes in the folder of the package it tests[^\n]*own `package` clause/);
  assert.match(go, /You may write only inside: \{acceptance_\*_test\.go,\[\^\.\]\*\/\*\*\/acceptance_\*_test\.go\}/);
  assert.doesNotMatch(proofSystem(['tests/acceptance/**'], ['pytest {files}']), /package it tests/);
});
