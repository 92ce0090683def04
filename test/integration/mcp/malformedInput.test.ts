// Malformed and oversized input to the MCP server, as a hostile client sends it: raw lines on
// stdio (no SDK client in between, so nothing is cleaned up before it reaches the server), and
// the tools' own bounds over the SDK client.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { deflateSync, crc32 } from 'node:zlib';
import { buildCli, CLI, type CliResult } from '../../support/cli/cliKit';
import { makeShop } from '../../support/engine/shopWorkspace';
import { review, stdioWorld } from '../../support/mcp/mcpKit';

before(() => buildCli());

/** The MCP server on stdio, spoken to line by line. */
function rawServer(workspace: string) {
  const child = spawn(process.execPath, [CLI, 'mcp', '--workspace', workspace], { stdio: ['pipe', 'pipe', 'pipe'] });
  let buffered = '';
  const waiting: ((line: Record<string, unknown>) => void)[] = [];
  const lines: Record<string, unknown>[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let newline;
    while ((newline = buffered.indexOf('\n')) !== -1) {
      const line = JSON.parse(buffered.slice(0, newline)) as Record<string, unknown>;
      buffered = buffered.slice(newline + 1);
      const next = waiting.shift();
      if (next) next(line);
      else lines.push(line);
    }
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout: '', stderr })),
  );
  const next = () =>
    new Promise<Record<string, unknown>>((resolve) => (lines.length ? resolve(lines.shift()!) : waiting.push(resolve)));
  const send = (line: string) =>
    new Promise<void>((resolve) =>
      child.stdin!.write(`${line}\n`) ? resolve() : child.stdin!.once('drain', () => resolve()),
    );
  const call = async (id: number, name: string, args: unknown) => {
    await send(JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } }));
    return next();
  };
  return { child, next, send, call, exited };
}

test('mcp stdio: a 20 MB line, a line that is not JSON and one nested 10,000 deep get error answers naming the limit; the server keeps serving and ends only with its input', async () => {
  const shop = makeShop();
  const server = rawServer(shop.dir);
  try {
    await server.send(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
      }),
    );
    assert.equal(
      ((await server.next()).result as { serverInfo: { name: string } }).serverInfo.name,
      'orchestrator-queue',
    );
    await server.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));

    const huge = JSON.stringify({
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'send_message', arguments: { task_id: 't-x', text: 'A'.repeat(20 * 1024 * 1024) } },
    });
    await server.send(huge);
    const tooLarge = await server.next();
    assert.equal(tooLarge.id, 7, 'the answer names the request');
    assert.match((tooLarge.error as { message: string }).message, /larger than 8 MB \(the limit for one MCP message\)/);

    await server.send('{"jsonrpc":"2.0","id":8,"method":');
    assert.match(((await server.next()).error as { message: string }).message, /not JSON/);

    const deep = `{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"list_tasks","arguments":{"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}}}`;
    await server.send(deep);
    const tooDeep = await server.next();
    assert.equal(tooDeep.id, 9);
    assert.match((tooDeep.error as { message: string }).message, /nests deeper than 64 levels/);

    const listed = await server.call(10, 'list_tasks', {});
    assert.equal(listed.id, 10);
    assert.deepEqual(
      JSON.parse((listed.result as { content: { text: string }[] }).content[0]!.text),
      { tasks: [], counts: {}, total: 0 },
      'still serving',
    );
    assert.equal(server.child.exitCode, null, 'still running');
    server.child.stdin!.end();
    const ended = await server.exited;
    assert.equal(ended.code, 0, ended.stderr);
  } finally {
    server.child.kill();
    shop.cleanup();
  }
});

/** A 1×1 RGBA PNG, built here: signature, IHDR, IDAT, IEND. */
function tinyPng(): string {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.from([0, 255, 0, 0, 255]))),
    chunk('IEND', Buffer.alloc(0)),
  ]).toString('base64');
}

test('mcp: screenshots must be PNGs; titles, messages and artifacts over their limits are refused by name; approving a folder is refused and decided, never a crash', async () => {
  const shop = makeShop();
  const world = await stdioWorld(shop);
  try {
    const { call } = await world.client('hostile');
    assert.match(
      (await call('create_task', { title: 'T'.repeat(301), description: '' })).text,
      /title is longer than 300 characters/,
    );
    const id = (await call('create_task', { title: 'limits', description: '' })).value.id as string;
    await call('claim_ticket', { task_id: id });
    assert.match(
      (await call('send_message', { task_id: id, text: 'm'.repeat(20_001) })).text,
      /the message is longer than 20000 characters/,
    );
    assert.match(
      (await call('submit_artifact', { task_id: id, type: 'text', content: 'é'.repeat(3 * 1024 * 1024) })).text,
      /content is longer than 5 MB/,
      'bytes, not characters',
    );
    const png = tinyPng();
    const corrupt = Buffer.from(png, 'base64');
    corrupt[20] = corrupt[20]! ^ 0xff; // the width, under the IHDR checksum
    for (const [what, content, reason] of [
      ['a GIF', 'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', /no PNG signature/],
      ['HTML', Buffer.from('<html><script>alert(1)</script></html>').toString('base64'), /no PNG signature/],
      ['text that is not base64', 'this is not base64!', /not base64/],
      ['a PNG signature with a broken header', corrupt.toString('base64'), /checksum does not match/],
    ] as const) {
      const result = await call('submit_artifact', { task_id: id, type: 'screenshot', content });
      assert.equal(result.isError, true, what);
      assert.match(result.text, reason, what);
    }
    assert.equal((await call('get_task', { task_id: id })).value.artifacts.length, 0, 'nothing stored');
    assert.equal(
      (await call('submit_artifact', { task_id: id, type: 'screenshot', content: png })).isError,
      undefined,
      'a real PNG is taken',
    );
    assert.equal((await review(shop, id, '--reject', '--comment', 'now the folder')).code, 0);

    const folder = await call('submit_artifact', {
      task_id: id,
      type: 'code',
      path: 'server/entities',
      content: 'not a folder\n',
    });
    assert.equal(folder.isError, undefined, folder.text);
    const approved = await review(shop, id, '--approve', '--json');
    assert.equal(approved.code, 1, approved.stderr);
    const outcome = JSON.parse(approved.stdout.trim());
    assert.match(outcome.refusal, /"server\/entities" is a folder in the workspace; an artifact replaces files only/);
    assert.equal(outcome.task.status, 'in_progress');
    const decisions = readFileSync(join(shop.dir, '.claude/runs/queue-decisions.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(decisions.at(-1).artifact, folder.value.id, 'decided');
    assert.match(decisions.at(-1).refusal, /is a folder/);
    assert.ok(existsSync(join(shop.dir, 'server/entities/customer.js')), 'the folder is untouched');
  } finally {
    await world.close();
    shop.cleanup();
  }
});

test("mcp: one claimer per session: a second session under the same client name cannot submit on the first one's claim", async () => {
  const shop = makeShop();
  const world = await stdioWorld(shop);
  try {
    const first = await world.client('claude-code');
    const second = await world.client('claude-code');
    const id = (await first.call('create_task', { title: 'mine', description: '' })).value.id as string;
    const claimed = (await first.call('claim_ticket', { task_id: id })).value;
    assert.match(claimed.claimer, /^claude-code#[0-9a-f]{8}$/);
    const stolen = await second.call('submit_artifact', {
      task_id: id,
      type: 'text',
      content: 'from the other session',
    });
    assert.equal(stolen.isError, true, stolen.text);
    assert.match(stolen.text, /claim it before submitting work/);
    const message = (await second.call('send_message', { task_id: id, text: 'hello' })).value;
    assert.notEqual(message.author, claimed.claimer, 'a different identity');
    assert.equal(
      (await first.call('submit_artifact', { task_id: id, type: 'text', content: 'done' })).isError,
      undefined,
    );
  } finally {
    await world.close();
    shop.cleanup();
  }
});
