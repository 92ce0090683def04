import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TurnEffects } from '../../../src/core/agents/types';
import { block, lastToolResults, reply, sequence } from '../../support/messagesApiServer';
import { snapshotTree } from '../../support/agents/agentTestKit';
import { startLoop, type LoopRun } from './loopHarness';

let loop: LoopRun | undefined;
afterEach(async () => {
  await loop?.close();
  loop = undefined;
});

const files = { 'server/big.ts': 'x\n'.repeat(60), 'server/a.ts': 'a\n' };
const mutatingTurn = () =>
  reply.turn([
    block.toolUse('read_file', { path: 'server/a.ts' }),
    block.toolUse('delete_file', { path: 'server/big.ts' }),
    block.toolUse('write_file', { path: 'server/new.ts', content: 'n\n' }),
    block.toolUse('edit_file', { path: 'server/a.ts', old_text: 'a', new_text: 'b' }),
  ]);
const done = () => reply.toolUse('submit_result', { status: 'done', summary: 'ok' });

test('approveTurn false: every mutating call of the turn is refused, reads still run, nothing changes', async () => {
  const asked: TurnEffects[] = [];
  loop = await startLoop(sequence(mutatingTurn(), done()), {
    files,
    approveTurn: async (effects) => {
      asked.push(effects);
      return false;
    },
  });
  const before = await snapshotTree(loop.box.base);
  const result = await loop.run();

  assert.equal(result.outcome, 'submitted');
  assert.deepEqual(asked, [
    {
      agent: 'backend',
      paths: ['server/a.ts', 'server/big.ts', 'server/new.ts'],
      created: ['server/new.ts'],
      deletedLines: 60,
      after: { 'server/big.ts': null, 'server/new.ts': 'n\n', 'server/a.ts': 'b\n' },
    },
  ]);
  assert.deepEqual(
    lastToolResults(loop.api.requests[1]!).map((r) => [r.is_error, r.text]),
    [
      [false, '1\ta'],
      [true, 'refused: not confirmed by the user'],
      [true, 'refused: not confirmed by the user'],
      [true, 'refused: not confirmed by the user'],
    ],
  );
  assert.deepEqual(await snapshotTree(loop.box.base), before);
  assert.deepEqual([result.filesWritten, result.filesDeleted], [[], []]);
});

test('approveTurn true: the turn runs as asked', async () => {
  let calls = 0;
  loop = await startLoop(sequence(mutatingTurn(), done()), {
    files,
    approveTurn: async () => {
      calls++;
      return true;
    },
  });
  const result = await loop.run();
  assert.equal(calls, 1, 'asked once per turn with mutating calls, not for the final turn');
  assert.deepEqual(result.filesDeleted, ['server/big.ts']);
  assert.deepEqual(result.filesCreated, ['server/new.ts']);
  assert.equal(await readFile(join(loop.box.ws, 'server/a.ts'), 'utf8'), 'b\n');
});

test('approveTurn is not asked for a turn that only reads or whose writes would be refused anyway', async () => {
  let calls = 0;
  loop = await startLoop(
    sequence(
      reply.toolUse('read_file', { path: 'server/a.ts' }),
      reply.toolUse('write_file', { path: 'web/x.ts', content: 'x' }),
      done(),
    ),
    {
      files,
      approveTurn: async () => {
        calls++;
        return false;
      },
    },
  );
  const result = await loop.run();
  assert.equal(result.outcome, 'submitted');
  assert.equal(calls, 0);
  assert.match(lastToolResults(loop.api.requests[2]!)[0]!.text, /owned paths/);
});
