// Long conversations (issue 8 point 10): older tool results become stubs before a request
// would exceed the context window; a 400 "prompt is too long" compacts and retries once.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { compactMessages } from '../../../src/core/agents/loop/compaction';
import type { Message } from '../../../src/core/llm/types';
import { reply, sequence, tokensForChars, type RecordedRequest, type Script } from '../../support/messagesApiServer';
import { agentDef, startLoop, type LoopRun } from './loopHarness';

let loop: LoopRun | undefined;
afterEach(async () => {
  await loop?.close();
  loop = undefined;
});

const big = (n: number, size = 40_000) =>
  `// file ${n}\n` + `export const value${n} = ${JSON.stringify('x'.repeat(60))};\n`.repeat(Math.ceil(size / 90));
const done = () => reply.toolUse('submit_result', { status: 'done', summary: 'read them all' });
/** The prompt of a request as the test server's usage model counts it (~4 characters per token). */
const promptOf = (req: RecordedRequest) =>
  tokensForChars(JSON.stringify({ s: req.body.system, t: req.body.tools, m: req.body.messages }).length);
/** Reads files 0..n-1 one per turn, then submits. */
const readAll =
  (n: number): Script =>
  (_req, i) =>
    i < n ? reply.toolUse('read_file', { path: `server/f${i}.ts` }) : done();

function conversation(): Message[] {
  const call = (id: string, path: string): Message => ({
    role: 'assistant',
    content: [
      { type: 'text', text: 'reading' },
      { type: 'tool_call', id, name: 'read_file', input: { path } },
    ],
  });
  const result = (id: string, text: string): Message => ({
    role: 'user',
    content: [{ type: 'tool_result', callId: id, content: text }],
  });
  return [
    { role: 'user', content: [{ type: 'text', text: 'the task '.repeat(100) }] },
    call('c1', 'a.ts'),
    result('c1', 'A'.repeat(5000)),
    {
      role: 'assistant',
      content: [
        { type: 'tool_call', id: 'c2', name: 'write_file', input: { path: 'b.ts', content: 'B'.repeat(6000) } },
      ],
    },
    result('c2', 'created b.ts'),
    call('c3', 'c.ts'),
    result('c3', 'C'.repeat(5000)),
    call('c4', 'd.ts'),
    result('c4', 'D'.repeat(5000)),
  ];
}

test('compaction stubs the oldest results and tool inputs first, naming what they were; the task and the latest turns stay whole', () => {
  const messages = conversation();
  const before = JSON.stringify(messages).length;
  const result = compactMessages(messages, 8000);
  assert.equal(result.stubbed, 2, 'a.ts result, then the written content');
  assert.ok(result.savedChars >= 8000 && Math.abs(JSON.stringify(messages).length - (before - result.savedChars)) < 50);
  const first = messages[2]!.content[0] as { content: string };
  assert.match(
    first.content,
    /^\[compacted to fit the context window: the result of read_file \(path: "a\.ts"\), 5,000 characters, was here; call the tool again if you still need it\]$/,
  );
  const write = messages[3]!.content[0] as { input: { path: string; content: string } };
  assert.deepEqual(write.input, { path: 'b.ts', content: '[compacted: 6,000 characters]' });
  assert.equal(
    messages[0]!.content[0]!.type === 'text' && messages[0]!.content[0]!.text.length,
    900,
    'the task is whole',
  );
  assert.equal((messages[6]!.content[0] as { content: string }).content.length, 5000, 'the latest two turns are whole');
  assert.equal((messages[8]!.content[0] as { content: string }).content.length, 5000);

  const again = compactMessages(messages, 4000);
  assert.equal(again.stubbed, 1, 'stubs are not stubbed twice; the next oldest result goes');
  assert.match((messages[6]!.content[0] as { content: string }).content, /^\[compacted.*c\.ts/);
});

test('when compacting everything older is not enough, the latest result is cut to fit, with a notice', () => {
  const messages = conversation();
  const result = compactMessages(messages, 18_000);
  const latest = (messages[8]!.content[0] as { content: string }).content;
  assert.ok(latest.length < 5000 && latest.startsWith('DDDD'));
  assert.match(
    latest,
    /\[compacted: cut to fit the context window; [\d,]+ of 5,000 characters shown\. Read the rest in smaller pieces \(offset\/limit\)\.\]$/,
  );
  assert.ok(result.savedChars >= 18_000);
});

test('a 40-turn agent reading large files: prompts stay under the window, compactions are few', async () => {
  const files = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`server/f${i}.ts`, big(i)]));
  // ~11k tokens a read; the window (as the client knows it) holds about ten.
  loop = await startLoop(readAll(40), { files, clientWindow: 120_000, server: { contextWindow: 120_000 } });
  const result = await loop.run(agentDef({ maxTurns: 45, maxTokens: 4096 }));
  assert.equal(result.outcome, 'submitted', result.error);
  const prompts = loop.api.requests.map(promptOf);
  assert.equal(loop.api.requests.length, 41, 'no request was refused');
  assert.ok(Math.max(...prompts) < 120_000, `largest prompt ${Math.max(...prompts)}`);
  const compactions = loop.eventsOf('llm.compacted');
  assert.ok(
    compactions.length >= 4 && compactions.length <= 40 / 3,
    `${compactions.length} compactions for 40 reads: coarse steps, not one a turn`,
  );
  assert.ok(compactions.every((c) => c.reason === 'window' && c.tokensAfter < c.tokensBefore));
  const lastTen = prompts.slice(-10);
  assert.ok(Math.max(...lastTen) < 120_000 && Math.min(...lastTen) > 20_000, 'bounded, not growing with the turns');
});

test('a 400 "prompt is too long" compacts and retries once: never fatal on the first try', async () => {
  const files = { 'server/f0.ts': big(0, 80_000), 'server/f1.ts': big(1, 80_000) };
  // The client believes the model takes 200k tokens; the server allows 30k.
  loop = await startLoop(readAll(2), { files, server: { contextWindow: 30_000 } });
  const result = await loop.run();
  assert.equal(result.outcome, 'submitted', result.error);
  const compactions = loop.eventsOf('llm.compacted');
  assert.deepEqual(
    compactions.map((c) => c.reason),
    ['too-long'],
  );
  // read f0 · read f1 (too long: refused) · the same turn compacted · done
  assert.equal(loop.api.requests.length, 4);
  const retried = loop.api.requests[3]!;
  assert.ok(promptOf(retried) < 30_000);
  assert.match(
    JSON.stringify(retried.body.messages),
    /\[compacted to fit the context window: the result of read_file \(path: \\"server\/f0\.ts\\"\)/,
  );
});

test('a prompt that cannot fit however it is compacted ends the agent with that error, after one retry', async () => {
  loop = await startLoop(sequence(reply.text('never')), { server: { contextWindow: 50 } });
  const result = await loop.run();
  assert.equal(result.outcome, 'error');
  assert.match(result.error!, /prompt is too long|maximum context length/);
  assert.equal(result.modelError?.kind, 'context-length');
  assert.ok(loop.api.requests.length <= 2, 'no loop of retries');
});
