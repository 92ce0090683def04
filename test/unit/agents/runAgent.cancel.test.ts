import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { block, reply, sequence } from '../../support/messagesApiServer';
import { snapshotTree } from '../../support/agents/agentTestKit';
import { startLoop, type LoopRun } from './loopHarness';

let loop: LoopRun | undefined;
afterEach(async () => {
  await loop?.close();
  loop = undefined;
});

const noTempFiles = (tree: Record<string, string>) => Object.keys(tree).filter((p) => p.includes('orchestrator-tmp'));

test('cancel during a slow model reply: the loop ends cancelled, finished writes are whole', async () => {
  const controller = new AbortController();
  const content = 'export const whole = true;\n'.repeat(1000);
  loop = await startLoop(
    (_req, i) => {
      if (i === 0) return reply.toolUse('write_file', { path: 'server/first.ts', content });
      // The second reply would take a minute; the user cancels as soon as it has started.
      setImmediate(() => controller.abort());
      return reply.slow(reply.toolUse('write_file', { path: 'server/second.ts', content: 'never' }), {
        beforeMs: 60_000,
      });
    },
    { signal: controller.signal },
  );
  const result = await loop.run();
  assert.equal(result.outcome, 'cancelled');
  assert.equal(result.turns, 2);
  assert.equal(loop.api.requests.length, 2);
  assert.equal(await readFile(join(loop.box.ws, 'server/first.ts'), 'utf8'), content);
  await assert.rejects(stat(join(loop.box.ws, 'server/second.ts')), { code: 'ENOENT' });
  assert.deepEqual(noTempFiles(await snapshotTree(loop.box.base)), []);
  assert.deepEqual(result.filesCreated, ['server/first.ts']);
  assert.deepEqual(
    loop.eventsOf('agent.completed').map((e) => e.outcome),
    ['cancelled'],
  );
});

test('cancel between two tool calls of one turn: the running write completes, the next never starts', async () => {
  const controller = new AbortController();
  const first = 'first\n'.repeat(5000);
  loop = await startLoop(
    sequence(
      reply.turn([
        block.toolUse('write_file', { path: 'server/a.ts', content: first }),
        block.toolUse('write_file', { path: 'server/b.ts', content: 'second\n' }),
        block.toolUse('delete_file', { path: 'server/keep.ts' }),
      ]),
    ),
    {
      signal: controller.signal,
      files: { 'server/a.ts': 'old a\n', 'server/keep.ts': 'keep\n' },
      // Cancel the moment the first write lands, while the loop is between tool calls.
      onEvent: (event) => {
        if (event.type === 'file.written') controller.abort();
      },
    },
  );
  const result = await loop.run();
  assert.equal(result.outcome, 'cancelled');
  assert.equal(loop.api.requests.length, 1, 'no further model call');
  assert.equal(await readFile(join(loop.box.ws, 'server/a.ts'), 'utf8'), first, 'the first write is whole, never half');
  await assert.rejects(stat(join(loop.box.ws, 'server/b.ts')), { code: 'ENOENT' });
  assert.equal(await readFile(join(loop.box.ws, 'server/keep.ts'), 'utf8'), 'keep\n');
  assert.deepEqual(
    loop.eventsOf('tool.called').map((e) => e.tool),
    ['write_file'],
  );
  assert.deepEqual(noTempFiles(await snapshotTree(loop.box.base)), []);
  assert.deepEqual(result.filesWritten, ['server/a.ts']);
});

test('a signal aborted before the run starts makes no model call', async () => {
  const controller = new AbortController();
  controller.abort();
  loop = await startLoop(sequence(), { signal: controller.signal });
  const result = await loop.run();
  assert.equal(result.outcome, 'cancelled');
  assert.equal(result.turns, 0);
  assert.equal(loop.api.requests.length, 0);
});
