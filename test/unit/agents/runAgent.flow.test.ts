import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { block, lastToolResults, lastUserContent, reply, sequence } from '../../support/messagesApiServer';
import { snapshotTree } from '../../support/agents/agentTestKit';
import { agentDef, MODEL, startLoop, type LoopRun } from './loopHarness';

let loop: LoopRun | undefined;
afterEach(async () => {
  await loop?.close();
  loop = undefined;
});

const done = (summary = 'implemented') => reply.toolUse('submit_result', { status: 'done', summary });

test('a full run: read, write, edit, then the final tool ends the loop', async () => {
  loop = await startLoop(
    sequence(
      reply.toolUse('read_file', { path: 'server/index.ts' }),
      reply.toolUse('write_file', { path: 'server/users.ts', content: 'export const users = [];\n' }),
      reply.toolUse('edit_file', {
        path: 'server/index.ts',
        old_text: 'const x = 1;',
        new_text: "export * from './users';",
      }),
      done('users module added'),
    ),
    { files: { 'server/index.ts': 'const x = 1;\n' } },
  );
  const result = await loop.run();

  assert.equal(result.outcome, 'submitted');
  assert.deepEqual(result.final, { status: 'done', summary: 'users module added' });
  assert.equal(result.turns, 4);
  assert.deepEqual(result.filesWritten, ['server/index.ts', 'server/users.ts']);
  assert.deepEqual(result.filesCreated, ['server/users.ts']);
  assert.deepEqual(result.filesDeleted, []);
  assert.equal(await readFile(join(loop.box.ws, 'server/index.ts'), 'utf8'), "export * from './users';\n");

  // The model saw each tool's result before its next turn.
  const requests = loop.api.requests;
  assert.equal(requests.length, 4);
  assert.deepEqual(
    lastToolResults(requests[1]!).map((r) => [r.is_error, r.text]),
    [[false, '1\tconst x = 1;']],
  );
  assert.match(lastToolResults(requests[2]!)[0]!.text, /^created server\/users\.ts/);
  assert.match(lastToolResults(requests[3]!)[0]!.text, /^edited server\/index\.ts/);
  assert.deepEqual(
    requests[0]!.body.tools!.map((t) => (t as { name: string }).name),
    ['read_file', 'list_files', 'search_files', 'write_file', 'edit_file', 'delete_file', 'submit_result'],
  );
  assert.equal(requests[0]!.body.model, MODEL);
  assert.deepEqual(
    lastUserContent(requests[0]!).map((b) => (b.type === 'text' ? b.text : b.type)),
    ['Implement the task.'],
  );

  // Events: started first, completed last, one usage per call, one tool.called per call.
  assert.deepEqual(loop.events[0], { type: 'agent.started', agent: 'backend', attempt: 1, mode: 'implement' });
  assert.deepEqual(loop.events.at(-1), {
    type: 'agent.completed',
    agent: 'backend',
    attempt: 1,
    outcome: 'submitted',
    summary: 'users module added',
  });
  assert.deepEqual(
    loop.eventsOf('tool.called').map((e) => [e.tool, e.isError]),
    [
      ['read_file', false],
      ['write_file', false],
      ['edit_file', false],
      ['submit_result', false],
    ],
  );
  assert.deepEqual(
    loop.eventsOf('file.written').map((e) => [e.path, e.created]),
    [
      ['server/users.ts', true],
      ['server/index.ts', false],
    ],
  );

  // Usage and cost are the sums of what each call reported.
  const usages = loop.eventsOf('llm.usage');
  assert.equal(usages.length, 4);
  assert.equal(
    result.usage.input,
    usages.reduce((n, e) => n + e.usage.input, 0),
  );
  assert.equal(
    result.usage.output,
    usages.reduce((n, e) => n + e.usage.output, 0),
  );
  for (const key of ['cacheRead', 'cacheWrite'] as const) {
    assert.equal(
      result.usage[key],
      usages.reduce((n, e) => n + e.usage[key], 0),
    );
  }
  assert.ok(result.usage.output > 0 && result.costUsd > 0);
  assert.equal(loop.env.budget.spentUsd, result.costUsd);
  assert.ok(Math.abs(result.costUsd - usages.reduce((n, e) => n + e.costUsd, 0)) < 1e-12);
});

test('malformed input and an unknown tool come back as one-line errors and the loop goes on', async () => {
  loop = await startLoop(
    sequence(
      reply.turn([
        block.toolUse('read_file', { path: 'server/a.ts', offset: 'ten' }),
        block.toolUse('launch_rockets', { now: true }),
        block.toolUse('write_file', { path: 'server/a.ts' }),
        block.toolUse('read_file', { path: 'server/a.ts' }),
      ]),
      done(),
    ),
    { files: { 'server/a.ts': 'a\n' } },
  );
  const result = await loop.run();
  assert.equal(result.outcome, 'submitted');
  const results = lastToolResults(loop.api.requests[1]!);
  assert.deepEqual(
    results.map((r) => r.is_error),
    [true, true, true, false],
  );
  assert.equal(results[0]!.text, 'invalid input for read_file: offset: expected number, received string');
  assert.match(
    results[1]!.text,
    /^unknown tool "launch_rockets"; available: read_file, list_files, search_files, write_file, edit_file, delete_file, submit_result$/,
  );
  assert.equal(results[2]!.text, 'invalid input for write_file: content: expected string, received undefined');
  assert.equal(results[3]!.text, '1\ta');
  for (const r of results) assert.doesNotMatch(r.text, /\n/);
  // tool_result ids answer the tool_use ids of the previous assistant turn, in order.
  const assistant = loop.api.requests[1]!.body.messages.at(-2)!;
  const ids = (assistant.content as { type: string; id?: string }[])
    .filter((b) => b.type === 'tool_use')
    .map((b) => b.id);
  assert.deepEqual(
    results.map((r) => r.tool_use_id),
    ids,
  );
});

test('a refused escape through the loop is an error result and writes nothing anywhere', async () => {
  loop = await startLoop(
    sequence(
      reply.turn([
        block.toolUse('write_file', { path: '../outside/pwned.txt', content: 'x' }),
        block.toolUse('write_file', { path: '.git/config', content: 'x' }),
        block.toolUse('delete_file', { path: 'web/app.ts' }),
      ]),
      done(),
    ),
    { files: { 'web/app.ts': 'web\n', '.git/config': '[core]\n' } },
  );
  const before = await snapshotTree(loop.box.base);
  const result = await loop.run();
  assert.equal(result.outcome, 'submitted');
  const results = lastToolResults(loop.api.requests[1]!);
  assert.deepEqual(
    results.map((r) => r.is_error),
    [true, true, true],
  );
  assert.match(results[0]!.text, /^refused: .*escapes the workspace/);
  assert.match(results[1]!.text, /^refused: .*\.git/);
  assert.match(results[2]!.text, /^refused: .*outside this agent's owned paths/);
  assert.deepEqual(await snapshotTree(loop.box.base), before);
  assert.deepEqual(result.filesWritten, []);
});

test('an invalid final answer is sent back as an error; a valid one then ends the loop', async () => {
  loop = await startLoop(
    sequence(reply.toolUse('submit_result', { status: 'finished', summary: 'x' }), done('second try')),
  );
  const result = await loop.run();
  assert.equal(result.outcome, 'submitted');
  assert.equal(result.turns, 2);
  assert.deepEqual(result.final, { status: 'done', summary: 'second try' });
  const [error] = lastToolResults(loop.api.requests[1]!);
  assert.equal(error!.is_error, true);
  assert.match(error!.text, /^invalid input for submit_result: status: /);
});

test('a reply with only text gets a reminder to call the final tool, and counts as a turn', async () => {
  loop = await startLoop(sequence(reply.text('I think I am done.'), done()));
  const result = await loop.run();
  assert.equal(result.outcome, 'submitted');
  assert.equal(result.turns, 2);
  const reminder = lastUserContent(loop.api.requests[1]!);
  assert.equal(reminder.length, 1);
  assert.ok(reminder[0]!.type === 'text' && /call submit_result/.test(reminder[0]!.text));
});

test('a read-only agent is not offered write tools and its write attempt is refused', async () => {
  loop = await startLoop(
    sequence(
      reply.toolUse('write_file', { path: 'server/x.ts', content: 'x' }),
      reply.toolUse('submit_review', { verdict: 'approved', issues: [] }),
    ),
  );
  const result = await loop.run(agentDef({ name: 'review', mode: 'review', owns: [], finalTool: 'submit_review' }));
  assert.equal(result.outcome, 'submitted');
  assert.deepEqual(result.final, { verdict: 'approved', issues: [] });
  assert.deepEqual(
    loop.api.requests[0]!.body.tools!.map((t) => (t as { name: string }).name),
    ['read_file', 'list_files', 'search_files', 'submit_review'],
  );
  const [refusal] = lastToolResults(loop.api.requests[1]!);
  assert.equal(refusal!.is_error, true);
  assert.match(refusal!.text, /not available to this read-only agent/);
  assert.deepEqual(Object.keys(await snapshotTree(loop.box.ws)), []);
});

test('tool.called events summarise large inputs instead of carrying whole files', async () => {
  const big = 'y'.repeat(50_000);
  loop = await startLoop(sequence(reply.toolUse('write_file', { path: 'server/big.txt', content: big }), done()));
  await loop.run();
  const [written] = loop.eventsOf('tool.called');
  const input = written!.input as { path: string; content: string };
  assert.equal(input.path, 'server/big.txt');
  assert.ok(input.content.length < 300);
  assert.match(input.content, /… \(50000 chars\)$/);
  assert.ok(JSON.stringify(loop.events).length < 10_000);
  assert.equal((await readFile(join(loop.box.ws, 'server/big.txt'), 'utf8')).length, 50_000);
});
