import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runAgent } from '../../../src/core/agents/loop/runAgent';
import { fault, lastToolResults, reply, sequence } from '../../support/messagesApiServer';
import { agentDef, startLoop, type LoopRun } from './loopHarness';

let loop: LoopRun | undefined;
afterEach(async () => {
  await loop?.close();
  loop = undefined;
});

const completed = (run: LoopRun) => run.eventsOf('agent.completed');

test('max turns: the loop stops after maxTurns model calls', async () => {
  // A model that never finishes, varying its calls so loop detection stays out of it.
  loop = await startLoop((_req, i) => reply.toolUse('list_files', { pattern: `*.${i}` }));
  const result = await loop.run(agentDef({ maxTurns: 3 }));
  assert.equal(result.outcome, 'max_turns');
  assert.equal(result.turns, 3);
  assert.equal(loop.api.requests.length, 3);
  assert.equal(result.final, undefined);
  assert.equal(result.error, 'stopped after 3 turns without submit_result');
  assert.deepEqual(
    completed(loop).map((e) => e.outcome),
    ['max_turns'],
  );
});

test('loop detection: the third identical call in a row stops the agent without running it', async () => {
  const same = { path: 'server/a.ts', old_text: 'a', new_text: 'a' };
  loop = await startLoop(() => reply.toolUse('edit_file', same), { files: { 'server/a.ts': 'a\n' } });
  const result = await loop.run();
  assert.equal(result.outcome, 'loop');
  assert.equal(loop.api.requests.length, 3);
  assert.equal(loop.eventsOf('tool.called').length, 2, 'the third call never ran');
  assert.match(result.error ?? '', /same edit_file call was repeated 3 times/);
});

test('loop detection spans the calls of one turn too, and only identical inputs count', async () => {
  loop = await startLoop(
    sequence(
      reply.turn([
        { type: 'tool_use', name: 'read_file', input: { path: 'server/a.ts' } },
        { type: 'tool_use', name: 'read_file', input: { path: 'server/b.ts' } },
        { type: 'tool_use', name: 'read_file', input: { path: 'server/a.ts' } },
      ]),
      reply.turn([
        { type: 'tool_use', name: 'read_file', input: { path: 'server/a.ts' } },
        { type: 'tool_use', name: 'read_file', input: { path: 'server/a.ts' } },
        { type: 'tool_use', name: 'read_file', input: { path: 'server/a.ts' } },
      ]),
    ),
    { files: { 'server/a.ts': 'a\n', 'server/b.ts': 'b\n' } },
  );
  const result = await loop.run();
  assert.equal(result.outcome, 'loop');
  assert.equal(loop.api.requests.length, 2);
  // a, b, a (no loop); then a, a → third a in a row across the turn boundary.
  assert.equal(loop.eventsOf('tool.called').length, 4);
});

test('budget: once the cap is reached the next call never starts', async () => {
  // 1000 input + 100 output tokens of claude-haiku-4-5 ($1/$5 per M) cost $0.0015 > the $0.001 cap.
  loop = await startLoop(
    sequence(
      reply.toolUse(
        'list_files',
        {},
        {
          usage: { input_tokens: 1000, output_tokens: 100, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
        },
      ),
    ),
    { budgetUsd: 0.001 },
  );
  const result = await loop.run();
  assert.equal(result.outcome, 'budget');
  assert.equal(loop.api.requests.length, 1, 'the server saw exactly one request');
  assert.equal(result.turns, 1);
  assert.ok(Math.abs(result.costUsd - 0.0015) < 1e-12);
  assert.ok(Math.abs(loop.env.budget.spentUsd - 0.0015) < 1e-12);
  assert.equal(loop.eventsOf('tool.called').length, 1, 'the tools of the paid turn still ran');
  assert.equal(result.error, 'budget reached: $0.0015 spent of $0.0010');
  assert.deepEqual(
    completed(loop).map((e) => e.outcome),
    ['budget'],
  );
});

test('budget: an already exhausted budget starts no call at all', async () => {
  loop = await startLoop(sequence(), { budgetUsd: 0 });
  const result = await loop.run();
  assert.equal(result.outcome, 'budget');
  assert.equal(result.turns, 0);
  assert.equal(loop.api.requests.length, 0);
});

test('a model error ends the run with outcome error and a one-line message', async () => {
  loop = await startLoop(sequence(reply.toolUse('list_files', {}), fault.auth()));
  const result = await loop.run();
  assert.equal(result.outcome, 'error');
  assert.equal(result.turns, 2);
  assert.match(result.error ?? '', /failed: 401 /);
  assert.equal(result.modelError?.kind, 'auth');
  assert.doesNotMatch(result.error ?? '', /\n|test-key/);
  assert.deepEqual(
    completed(loop).map((e) => e.outcome),
    ['error'],
  );
});

test('an error result does not stop the loop: the model can recover', async () => {
  loop = await startLoop(
    sequence(
      reply.toolUse('read_file', { path: 'server/missing.ts' }),
      reply.toolUse('submit_result', { status: 'blocked', summary: 'the file is missing' }),
    ),
  );
  const result = await loop.run();
  assert.equal(result.outcome, 'submitted');
  assert.deepEqual(result.final, { status: 'blocked', summary: 'the file is missing' });
  assert.deepEqual(
    lastToolResults(loop.api.requests[1]!).map((r) => [r.is_error, r.text]),
    [[true, 'file not found: server/missing.ts']],
  );
});

test('a missing workspace ends the run with an error before any model call', async () => {
  loop = await startLoop(sequence());
  const result = await runAgent(agentDef(), { ...loop.env, workspace: join(loop.box.base, 'no-such-folder') });
  assert.equal(result.outcome, 'error');
  assert.match(result.error ?? '', /^workspace unavailable: /);
  assert.equal(loop.api.requests.length, 0);
  assert.deepEqual(
    loop.eventsOf('agent.completed').map((e) => e.outcome),
    ['error'],
  );
});

test("a continued conversation: the task follows the final turn's results; turns and loop detection count this attempt only", async () => {
  const read = { path: 'server/a.ts' };
  loop = await startLoop(
    sequence(
      // First attempt: two identical reads, then a turn with the final answer and a call after it.
      reply.turn([{ type: 'tool_use', name: 'read_file', input: read }]),
      reply.turn([{ type: 'tool_use', name: 'read_file', input: read }]),
      reply.turn([
        { type: 'tool_use', name: 'submit_result', input: { status: 'done', summary: 'first' } },
        { type: 'tool_use', name: 'list_files', input: {} },
      ]),
      // Second attempt: the same read twice more (a fresh detector sees two, not four), then done.
      reply.turn([{ type: 'tool_use', name: 'read_file', input: read }]),
      reply.turn([{ type: 'tool_use', name: 'read_file', input: read }]),
      reply.toolUse('submit_result', { status: 'done', summary: 'second' }),
    ),
    { files: { 'server/a.ts': 'a\n' } },
  );
  const first = await loop.run(agentDef({ maxTurns: 3 }));
  assert.equal(first.outcome, 'submitted');
  const conversation = first.conversation!;
  assert.equal(conversation.length, 7, 'the task, then 3 × (reply, results)');
  const closing = conversation.at(-1)!.content as { type: string; content: string; isError?: boolean }[];
  assert.deepEqual(
    closing.map((b) => [b.type, b.content, b.isError ?? false]),
    [
      ['tool_result', 'accepted', false],
      ['tool_result', 'not run: submit_result ended the turn', true],
    ],
  );

  const second = await loop.run(
    agentDef({ maxTurns: 3, attempt: 2, mode: 'retry', task: '## RETRY MODE\nfix it', continues: conversation }),
  );
  assert.equal(second.outcome, 'submitted', second.error);
  assert.equal(second.turns, 3);
  assert.deepEqual(second.final, { status: 'done', summary: 'second' });
  const retryRequest = loop.api.requests[3]!.body.messages;
  assert.equal(retryRequest.length, 7, 'the last message carries the results and the new task');
  const blocks = retryRequest[6]!.content as { type: string; text?: string }[];
  assert.deepEqual(
    blocks.map((b) => b.type),
    ['tool_result', 'tool_result', 'text'],
  );
  assert.equal(blocks[2]!.text, '## RETRY MODE\nfix it');
  assert.equal(second.conversation!.length, 13);
});
