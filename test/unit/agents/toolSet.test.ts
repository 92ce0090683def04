import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildToolSet } from '../../../src/core/agents/tools/toolSet';
import { finalToolSchemas } from '../../../src/core/agents/finalReports';
import { parseToolInput } from '../../../src/core/agents/tools/parseToolInput';
import { LoopDetector, stableStringify } from '../../../src/core/agents/loop/loopDetector';
import { summarizeInput, summarizeResult } from '../../../src/core/agents/loop/eventSummary';

test('a writing agent gets read tools, write tools and exactly its one final tool', () => {
  const names = buildToolSet({ owns: ['server/**'], finalTool: 'submit_result' }).definitions.map((d) => d.name);
  assert.deepEqual(names, [
    'read_file',
    'list_files',
    'search_files',
    'write_file',
    'edit_file',
    'delete_file',
    'submit_result',
  ]);
});

test('a read-only agent gets only the read tools and its final tool', () => {
  const names = buildToolSet({ owns: [], finalTool: 'submit_review' }).definitions.map((d) => d.name);
  assert.deepEqual(names, ['read_file', 'list_files', 'search_files', 'submit_review']);
});

test('tool definitions carry JSON schemas with the protocol field names', () => {
  const defs = buildToolSet({ owns: ['x/**'], finalTool: 'submit_review' }).definitions;
  const schema = (name: string) =>
    defs.find((d) => d.name === name)!.inputSchema as {
      type: string;
      properties: Record<string, unknown>;
      required?: string[];
      $schema?: unknown;
    };
  assert.equal(schema('read_file').type, 'object');
  assert.equal(schema('read_file').$schema, undefined);
  assert.deepEqual(Object.keys(schema('read_file').properties), ['path', 'offset', 'limit']);
  assert.deepEqual(schema('read_file').required, ['path']);
  assert.deepEqual(Object.keys(schema('list_files').properties), ['path', 'pattern']);
  assert.deepEqual(Object.keys(schema('search_files').properties), ['query', 'path', 'pattern']);
  assert.deepEqual(schema('edit_file').required, ['path', 'old_text', 'new_text']);
  assert.deepEqual(schema('submit_review').required, ['verdict', 'issues']);
  for (const [finalTool, fields] of [
    ['submit_spec', ['title', 'slug', 'markdown']],
    ['submit_result', ['status', 'summary']],
    ['submit_diagnosis', ['root_cause', 'proposed_fix', 'files']],
  ] as const) {
    const def = buildToolSet({ owns: [], finalTool }).definitions.at(-1)!;
    assert.equal(def.name, finalTool);
    assert.deepEqual((def.inputSchema as unknown as { required: string[] }).required, fields);
  }
});

test('final inputs are validated with one-line errors naming the field', () => {
  const check = <T>(tool: keyof typeof finalToolSchemas, input: unknown) =>
    parseToolInput<T>(tool, finalToolSchemas[tool] as never, input);
  assert.equal(check('submit_result', { status: 'done', summary: 'ok' }).ok, true);
  assert.deepEqual(check('submit_result', { status: 'finished', summary: 'ok' }), {
    ok: false,
    reason: 'invalid input for submit_result: status: Invalid option: expected one of "done"|"blocked"',
  });
  assert.match(
    (check('submit_spec', { title: 'T', slug: 'Not A Slug', markdown: '# x' }) as { reason: string }).reason,
    /^invalid input for submit_spec: slug: must be lowercase words/,
  );
  assert.equal(check('submit_spec', { title: 'T', slug: 'add-user-avatar', markdown: '# x' }).ok, true);
  assert.match(
    (check('submit_review', { verdict: 'rejected', issues: [] }) as { reason: string }).reason,
    /issues: a rejected verdict needs at least one issue/,
  );
  assert.match(
    (
      check('submit_review', {
        verdict: 'rejected',
        issues: [{ file: 'a.ts', severity: 'huge', problem: 'p', fix: 'f' }],
      }) as { reason: string }
    ).reason,
    /issues\.0\.severity: /,
  );
  assert.equal(check('submit_review', { verdict: 'approved', issues: [] }).ok, true);
  assert.match(
    (check('submit_diagnosis', { root_cause: 'r', proposed_fix: 'f', files: 'a.ts' }) as { reason: string }).reason,
    /^invalid input for submit_diagnosis: files: expected array/,
  );
  assert.match(
    (check('submit_result', 'not an object') as { reason: string }).reason,
    /^invalid input for submit_result: input: expected object/,
  );
});

test('loop detection: three identical calls in a row, regardless of key order', () => {
  const loops = new LoopDetector();
  assert.equal(loops.observe('read_file', { path: 'a', offset: 1 }), false);
  assert.equal(loops.observe('read_file', { offset: 1, path: 'a' }), false);
  assert.equal(loops.observe('read_file', { path: 'a', offset: 1 }), true);
  const broken = new LoopDetector();
  broken.observe('read_file', { path: 'a' });
  broken.observe('read_file', { path: 'a' });
  assert.equal(broken.observe('read_file', { path: 'b' }), false, 'a different input resets the run');
  assert.equal(broken.observe('read_file', { path: 'a' }), false);
  assert.equal(stableStringify({ b: [1, { d: 1, c: 2 }], a: null }), '{"a":null,"b":[1,{"c":2,"d":1}]}');
});

test('event summaries truncate long strings and results', () => {
  const summary = summarizeInput({
    path: 'a.ts',
    content: 'x'.repeat(10_000),
    list: Array.from({ length: 50 }, (_, i) => i),
  }) as Record<string, unknown>;
  assert.equal(summary.path, 'a.ts');
  assert.equal(summary.content, `${'x'.repeat(200)}… (10000 chars)`);
  assert.equal((summary.list as unknown[]).length, 21);
  assert.equal(summarizeResult('y'.repeat(600)).length < 600, true);
});
