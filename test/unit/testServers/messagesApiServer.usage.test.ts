import { test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { fault, reply, sequence, startMessagesApiServer, tokensForChars } from '../../support/messagesApiServer';
import { serving } from '../../support/modelApi/scriptedServer';

const model = 'claude-sonnet-4-6';
const ephemeral = { type: 'ephemeral' as const };
const longSystem = 'You are the backend agent. '.repeat(200);

function conversation(turns: number): Anthropic.Messages.MessageCreateParamsNonStreaming {
  const messages: Anthropic.Messages.MessageParam[] = [
    { role: 'user', content: [{ type: 'text', text: 'task one', cache_control: ephemeral }] },
  ];
  for (let i = 1; i < turns; i++) {
    // Later turns move the message breakpoint to the newest user block, as a real client would.
    const previous = messages.at(-1)!;
    previous.content = (previous.content as Anthropic.Messages.TextBlockParam[]).map(
      ({ cache_control: _c, ...b }) => b,
    );
    messages.push(
      { role: 'assistant', content: `answer ${i}` },
      { role: 'user', content: [{ type: 'text', text: `follow-up ${i}`, cache_control: ephemeral }] },
    );
  }
  return { model, max_tokens: 64, system: [{ type: 'text', text: longSystem, cache_control: ephemeral }], messages };
}

test('usage is plausible without cache breakpoints: input ~ size/4, no cache tokens', async () => {
  await serving(
    startMessagesApiServer(() => reply.text('x'.repeat(40))),
    async (api) => {
      const client = new Anthropic({ apiKey: 'k', baseURL: api.url, maxRetries: 0 });
      const m = await client.messages.create({
        model,
        max_tokens: 64,
        system: longSystem,
        messages: [{ role: 'user', content: 'hello' }],
      });
      assert.ok(Math.abs(m.usage.input_tokens - longSystem.length / 4) < 20, `input ${m.usage.input_tokens}`);
      assert.equal(m.usage.cache_creation_input_tokens, 0);
      assert.equal(m.usage.cache_read_input_tokens, 0);
      assert.equal(m.usage.output_tokens, tokensForChars(40));
    },
  );
});

test('a cached prefix is written on first sight and read by later turns of the conversation', async () => {
  await serving(
    startMessagesApiServer(() => reply.text('ok')),
    async (api) => {
      const client = new Anthropic({ apiKey: 'k', baseURL: api.url, maxRetries: 0 });
      const first = (await client.messages.create(conversation(1))).usage;
      assert.ok(first.cache_creation_input_tokens! > longSystem.length / 4 - 10);
      assert.equal(first.cache_read_input_tokens, 0);

      const second = (await client.messages.create(conversation(2))).usage;
      // Turn 2 reads everything turn 1 cached and writes only what was added since.
      assert.equal(second.cache_read_input_tokens, first.cache_creation_input_tokens);
      assert.ok(second.cache_creation_input_tokens! > 0 && second.cache_creation_input_tokens! < 30);

      const repeat = (await client.messages.create(conversation(2))).usage;
      assert.equal(repeat.cache_creation_input_tokens, 0);
      assert.equal(
        repeat.cache_read_input_tokens,
        second.cache_read_input_tokens! + second.cache_creation_input_tokens!,
      );
    },
  );
});

test('the cache is per model and only replies write it (a dropped stream writes nothing)', async () => {
  await serving(startMessagesApiServer(sequence(fault.drop(0), reply.text('a'), reply.text('b'))), async (api) => {
    const client = new Anthropic({ apiKey: 'k', baseURL: api.url, maxRetries: 0 });
    await assert.rejects(client.messages.stream(conversation(1)).finalMessage());
    const afterDrop = (await client.messages.create(conversation(1))).usage;
    assert.equal(afterDrop.cache_read_input_tokens, 0, 'the dropped attempt did not warm the cache');
    const otherModel = (await client.messages.create({ ...conversation(1), model: 'claude-opus-4-8' })).usage;
    assert.equal(otherModel.cache_read_input_tokens, 0);
  });
});

test('two concurrent requests with the same new prefix both write it: an entry is read only once its response has begun', async () => {
  const slow = reply.slow(reply.text('ok'), { beforeMs: 150 });
  await serving(startMessagesApiServer(sequence(slow, slow, reply.text('later'))), async (api) => {
    const client = new Anthropic({ apiKey: 'k', baseURL: api.url, maxRetries: 0 });
    // Both arrive while neither response has begun (each waits 150 ms before message_start).
    const [a, b] = await Promise.all([
      client.messages.stream(conversation(1)).finalMessage(),
      client.messages.stream(conversation(1)).finalMessage(),
    ]);
    const prefix = a.usage.cache_creation_input_tokens!;
    assert.ok(prefix > longSystem.length / 4 - 10);
    for (const u of [a.usage, b.usage]) {
      assert.equal(u.cache_creation_input_tokens, prefix, 'each writes the whole prefix');
      assert.equal(u.cache_read_input_tokens, 0);
    }
    const after = (await client.messages.create(conversation(1))).usage;
    assert.equal(after.cache_read_input_tokens, prefix);
    assert.equal(after.cache_creation_input_tokens, 0);
  });
});

test('a request sent once the writer has sent message_start reads the prefix, though the writer is still streaming', async () => {
  await serving(
    startMessagesApiServer(
      sequence(reply.slow(reply.text('a long answer'), { beforeMs: 50, streamMs: 400 }), reply.text('b')),
    ),
    async (api) => {
      const client = new Anthropic({ apiKey: 'k', baseURL: api.url, maxRetries: 0 });
      const writer = client.messages.stream(conversation(1));
      const started = new Promise<void>((resolve) =>
        writer.on('streamEvent', (event) => event.type === 'message_start' && resolve()),
      );
      await started;
      const readerDone = client.messages.create(conversation(1));
      const [written, reader] = await Promise.all([writer.finalMessage(), readerDone]);
      assert.ok(api.requests[1]!.time < api.requests[0]!.time + 450, 'the reader arrived before the writer finished');
      assert.equal(reader.usage.cache_read_input_tokens, written.usage.cache_creation_input_tokens);
      assert.equal(reader.usage.cache_creation_input_tokens, 0);
    },
  );
});

test('streamMs spreads the reply over its events after beforeMs: message_start first, the rest over the stream', async () => {
  await serving(
    startMessagesApiServer(() => reply.slow(reply.text('x'.repeat(30)), { beforeMs: 100, streamMs: 300 })),
    async (api) => {
      const client = new Anthropic({ apiKey: 'k', baseURL: api.url, maxRetries: 0 });
      const t0 = performance.now();
      let firstEventMs = 0;
      const stream = client.messages.stream(conversation(1));
      stream.on('streamEvent', (event) => {
        if (event.type === 'message_start') firstEventMs = performance.now() - t0;
      });
      await stream.finalMessage();
      const totalMs = performance.now() - t0;
      // Lower bounds only: the delays are the server's; a loaded machine only adds to them.
      assert.ok(firstEventMs >= 95, `message_start after ${firstEventMs} ms`);
      assert.ok(
        totalMs - firstEventMs >= 290,
        `the rest over the stream: ${totalMs - firstEventMs} ms after message_start`,
      );
      const json = performance.now();
      await client.messages.create(conversation(1));
      const jsonMs = performance.now() - json;
      assert.ok(jsonMs >= 390, `JSON reply in ${jsonMs} ms`);
    },
  );
});

test('usage overrides replace the computed numbers in both JSON and SSE', async () => {
  const usage = {
    input_tokens: 1000,
    output_tokens: 200,
    cache_creation_input_tokens: 300,
    cache_read_input_tokens: 4000,
  };
  await serving(
    startMessagesApiServer(() => reply.text('fixed', { usage })),
    async (api) => {
      const client = new Anthropic({ apiKey: 'k', baseURL: api.url, maxRetries: 0 });
      const json = await client.messages.create(conversation(1));
      const streamed = await client.messages.stream(conversation(1)).finalMessage();
      for (const u of [json.usage, streamed.usage]) {
        assert.deepEqual(
          {
            input_tokens: u.input_tokens,
            output_tokens: u.output_tokens,
            cache_creation_input_tokens: u.cache_creation_input_tokens,
            cache_read_input_tokens: u.cache_read_input_tokens,
          },
          usage,
        );
      }
    },
  );
});
