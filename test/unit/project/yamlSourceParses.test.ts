// A YAML project file parsed again with the same text (every run reads the same config and
// workflow) is taken from the last parses (src/core/project/sources/yamlSource.ts): the same value,
// a copy each caller may change without changing another's, positions as the text's own (its line
// offset too), and a syntax error said each time at its line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProjectFileError } from '../../../src/core/project/sources/errors';
import { parseYamlSource } from '../../../src/core/project/sources/yamlSource';

const TEXT = 'limits:\n  concurrentRuns: 3\nlayers:\n  backend:\n    owns: ["server/**"]\n';

test('the same text parsed twice: equal values, each its own copy', () => {
  const first = parseYamlSource(TEXT, 'orchestrator.yaml');
  const second = parseYamlSource(TEXT, 'orchestrator.yaml');
  assert.deepEqual(second.value, first.value);
  (first.value as { limits: { concurrentRuns: number } }).limits.concurrentRuns = 99;
  (first.value as { layers: { backend: { owns: string[] } } }).layers.backend.owns.push('client/**');
  const third = parseYamlSource(TEXT, 'orchestrator.yaml');
  assert.deepEqual(third.value, { limits: { concurrentRuns: 3 }, layers: { backend: { owns: ['server/**'] } } });
  assert.deepEqual(second.value, third.value);
});

test("positions are the text's own, with its line offset and file", () => {
  assert.deepEqual(parseYamlSource(TEXT, 'a.yaml').locate(['layers', 'backend', 'owns']), { line: 5, column: 5 });
  const shifted = parseYamlSource(TEXT, 'a.yaml', { lineOffset: 1 });
  assert.deepEqual(shifted.locate(['layers', 'backend', 'owns']), { line: 6, column: 5 });
  assert.equal(parseYamlSource(TEXT, 'b.yaml').file, 'b.yaml');
});

test('a syntax error is said every time, at its line', () => {
  const bad = 'limits:\n  concurrentRuns: 3\n  concurrentRuns: 4\n';
  for (let i = 0; i < 2; i++) {
    assert.throws(
      () => parseYamlSource(bad, 'orchestrator.yaml'),
      (error: unknown) => error instanceof ProjectFileError && error.file === 'orchestrator.yaml' && error.line === 3,
    );
  }
});
