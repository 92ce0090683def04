import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildToolSet } from '../../../src/core/agents/tools/toolSet';
import { computeTurnEffects, planCalls } from '../../../src/core/agents/loop/turnCalls';
import { makeSandbox, makeToolContext, snapshotTree, type Sandbox } from '../../support/agents/agentTestKit';

let box: Sandbox;
before(async () => {
  box = await makeSandbox({
    'server/ten.ts': Array.from({ length: 10 }, (_, i) => `l${i}`).join('\n') + '\n',
    'server/five.ts': 'a\nb\nc\nd\ne\n',
    'web/app.ts': 'x\n'.repeat(100),
  });
});
after(() => box.cleanup());

const use = (name: string, input: unknown, n: number) => ({
  type: 'tool_call' as const,
  id: `toolu_${n}`,
  name,
  input,
});

test('turn effects: distinct paths and the lines deletes, edits and overwrites would remove', async () => {
  const owns = ['server/**'];
  const ctx = await makeToolContext(box.ws, owns);
  const calls = planCalls(
    [
      use('read_file', { path: 'server/ten.ts' }, 1),
      use('delete_file', { path: 'server/ten.ts' }, 2), // 10 lines
      use('edit_file', { path: 'server/five.ts', old_text: 'a\nb\nc\n', new_text: 'z\n' }, 3), // net 2 lines
      use('write_file', { path: 'server/five.ts', content: 'only\n' }, 4), // 5 → 1: 4 lines
      use('write_file', { path: 'server/new.ts', content: 'n\n' }, 5), // new file: 0
      use('delete_file', { path: 'web/app.ts' }, 6), // refused: not counted
      use('delete_file', { path: 'server/missing.ts' }, 7), // would fail: not counted
      use('write_file', { path: 'server/bad.ts' }, 8), // malformed: not counted
    ],
    buildToolSet({ owns, finalTool: 'submit_result' }),
  );
  const before = await snapshotTree(box.base);
  const effects = await computeTurnEffects(calls, ctx);
  // server/five.ts changes twice: its text after the turn is not known from one preview, so it is not given.
  assert.deepEqual(effects, {
    agent: 'backend',
    paths: ['server/five.ts', 'server/new.ts', 'server/ten.ts'],
    created: ['server/new.ts'],
    deletedLines: 16,
    after: { 'server/ten.ts': null, 'server/new.ts': 'n\n' },
  });
  assert.deepEqual(await snapshotTree(box.base), before, 'computing effects changes nothing');
});

test('turn effects are undefined when no mutating call would run', async () => {
  const owns = ['server/**'];
  const ctx = await makeToolContext(box.ws, owns);
  const calls = planCalls(
    [use('read_file', { path: 'a' }, 1), use('write_file', { path: '../x', content: '' }, 2)],
    buildToolSet({ owns, finalTool: 'submit_result' }),
  );
  assert.equal(await computeTurnEffects(calls, ctx), undefined);
});
