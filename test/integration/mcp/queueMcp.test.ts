// The task queue over MCP, driven by the SDK's own client: over stdio (our CLI launched as a
// server) and over Streamable HTTP with the bearer token. The workspace is the example shop,
// so an approved artifact lands through the layer's guard and the shop's own validate commands.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { buildCli } from '../../support/cli/cliKit';
import { PRODUCT_MODULE, BROKEN_PRODUCT_MODULE } from '../../support/engine/fixtures';
import { makeShop, type ShopWorkspace } from '../../support/engine/shopWorkspace';
import { httpWorld, review, stdioWorld, TOKEN } from '../../support/mcp/mcpKit';

before(() => buildCli());

for (const kind of ['stdio', 'http'] as const) {
  const open = (shop: ShopWorkspace) => (kind === 'stdio' ? stdioWorld(shop) : httpWorld(shop));

  test(`mcp over ${kind}: create, list, claim, message, submit; the human approves and the file lands validated; the resource lists the queue`, async () => {
    const shop = makeShop();
    const world = await open(shop);
    try {
      const { client, call } = await world.client('claude-code');
      const tools = (await client.listTools()).tools.map((t) => t.name).sort();
      assert.deepEqual(tools, [
        'claim_ticket',
        'create_task',
        'get_task',
        'list_tasks',
        'send_message',
        'submit_artifact',
      ]);
      const created = await call('create_task', {
        title: 'Product entity module',
        description: 'server/entities/product.js, simple pattern',
      });
      assert.equal(created.value.status, 'pending');
      assert.equal(created.value.source, 'mcp');
      const id = created.value.id as string;
      assert.deepEqual(
        (await call('list_tasks', { status: 'pending' })).value.tasks.map((t: { id: string }) => t.id),
        [id],
      );

      const claimed = await call('claim_ticket', { task_id: id });
      assert.equal(claimed.value.status, 'claimed');
      assert.match(claimed.value.claimer, /^claude-code/);
      assert.equal(
        (await call('send_message', { task_id: id, text: 'On it: following customer.js' })).isError,
        undefined,
      );
      assert.equal((await call('get_task', { task_id: id })).value.status, 'in_progress');
      const submitted = await call('submit_artifact', {
        task_id: id,
        type: 'code',
        path: 'server/entities/product.js',
        content: PRODUCT_MODULE,
      });
      assert.equal(submitted.isError, undefined, submitted.text);
      assert.equal(existsSync(join(shop.dir, 'server/entities/product.js')), false, 'written before approval');
      const resource = await client.readResource({ uri: 'orchestrator://queue' });
      assert.equal(JSON.parse((resource.contents[0] as { text: string }).text)[0].status, 'review_pending');

      const approved = await review(shop, id, '--approve', '--json');
      assert.equal(approved.code, 0, approved.stderr);
      assert.equal(JSON.parse(approved.stdout.trim().split('\n').at(-1)!).task.status, 'done');
      assert.equal(shop.read('server/entities/product.js'), PRODUCT_MODULE);
      const decision = JSON.parse(readFileSync(join(shop.dir, '.claude/runs/queue-decisions.jsonl'), 'utf8').trim());
      assert.equal(decision.verdict, 'approved');
      assert.equal(decision.task, id);
      assert.deepEqual(decision.files, ['server/entities/product.js']);
      assert.ok(decision.by && decision.ts, 'who and when');
    } finally {
      await world.close();
      shop.cleanup();
    }
  });

  test(`mcp over ${kind}: a rejection reaches the claimer's thread, the task is in progress again, and the resubmission is approved`, async () => {
    const shop = makeShop();
    const world = await open(shop);
    try {
      const { call } = await world.client('copilot');
      const id = (await call('create_task', { title: 'Widget', description: '' })).value.id as string;
      await call('claim_ticket', { task_id: id });
      await call('submit_artifact', { task_id: id, type: 'text', content: 'I think we should skip this.' });
      const rejected = await review(shop, id, '--reject', '--comment', 'Please do it: a module in server/entities');
      assert.equal(rejected.code, 0, rejected.stderr);
      const back = (await call('get_task', { task_id: id })).value;
      assert.equal(back.status, 'in_progress');
      assert.equal(back.messages.at(-1).text, 'Rejected: Please do it: a module in server/entities');
      assert.equal(back.artifacts[0].decision.verdict, 'rejected');
      const resubmitted = await call('submit_artifact', {
        task_id: id,
        type: 'code',
        path: 'server/entities/product.js',
        content: PRODUCT_MODULE,
      });
      assert.equal(resubmitted.isError, undefined, resubmitted.text);
      assert.equal((await review(shop, id, '--approve')).code, 0);
      assert.equal((await call('get_task', { task_id: id })).value.status, 'done');
      assert.equal(shop.read('server/entities/product.js'), PRODUCT_MODULE);
    } finally {
      await world.close();
      shop.cleanup();
    }
  });
}

test('mcp: malformed calls get error results and the server keeps serving; only the claimer submits', async () => {
  const shop = makeShop();
  const world = await stdioWorld(shop);
  try {
    const { call } = await world.client('fuzzer');
    for (const [tool, args] of [
      ['claim_ticket', {}],
      ['claim_ticket', { task_id: 42 }],
      ['submit_artifact', { task_id: 'x', type: 'exe', content: '' }],
      ['create_task', { title: '   ', description: '' }],
      ['list_tasks', { status: 'finished' }],
      ['send_message', { task_id: 'nope', text: 'hi' }],
      ['claim_ticket', { task_id: 't-doesnotexist' }],
    ] as const) {
      const result = await call(tool, args as Record<string, unknown>);
      assert.equal(result.isError, true, `${tool} ${JSON.stringify(args)} → ${result.text}`);
    }
    const id = (await call('create_task', { title: 'Real', description: '' })).value.id as string;
    const other = await world.client('other-agent');
    const notClaimed = await other.call('submit_artifact', { task_id: id, type: 'text', content: 'mine' });
    assert.equal(notClaimed.isError, true);
    assert.match(notClaimed.text, /claim it before submitting/);
    await call('claim_ticket', { task_id: id });
    const second = await other.call('claim_ticket', { task_id: id });
    assert.match(second.text, /is claimed \(claimed by fuzzer#[0-9a-f]{8}\)/);
    assert.equal((await other.call('submit_artifact', { task_id: id, type: 'code', content: 'x' })).isError, true);
    assert.equal(
      (await call('submit_artifact', { task_id: id, type: 'code', content: 'x' })).text,
      'a code artifact needs `path`: the workspace-relative file its content replaces',
    );
    assert.equal((await call('list_tasks', {})).value.tasks.length, 1, 'still serving');
  } finally {
    await world.close();
    shop.cleanup();
  }
});

test('mcp: approved artifacts outside the layer, into .git/, that do not apply or fail validation are refused; nothing is written', async () => {
  const shop = makeShop();
  const world = await stdioWorld(shop);
  const cases: { name: string; artifact: Record<string, unknown>; reason: RegExp; untouched: string[] }[] = [
    {
      name: 'no layer owns it',
      artifact: { type: 'code', path: 'README.md', content: 'pwned\n' },
      reason: /no layer owns "README\.md"/,
      untouched: ['README.md'],
    },
    {
      name: 'into .git/',
      artifact: { type: 'code', path: '.git/hooks/pre-commit', content: '#!/bin/sh\necho pwned\n' },
      reason: /\.git/,
      untouched: ['.git/hooks/pre-commit'],
    },
    {
      name: 'a diff into .git/',
      artifact: {
        type: 'diff',
        content: '--- a/.git/config\n+++ b/.git/config\n@@ -1 +1,2 @@\n [core]\n+\tfsmonitor = ./evil\n',
      },
      reason: /\.git/,
      untouched: ['.git/config'],
    },
    {
      name: 'a diff that does not apply',
      artifact: {
        type: 'diff',
        content:
          '--- a/server/store.js\n+++ b/server/store.js\n@@ -1,2 +1,2 @@\n-this line is not in the file\n+nor this\n context\n',
      },
      reason: /does not apply to "server\/store\.js"/,
      untouched: ['server/store.js'],
    },
    {
      name: 'failing validation',
      artifact: { type: 'code', path: 'server/entities/product.js', content: BROKEN_PRODUCT_MODULE },
      reason: /validation failed \(layer backend\): node scripts\/check-server\.js server exited 1/,
      untouched: ['server/entities/product.js'],
    },
  ];
  try {
    const { call } = await world.client('careless-agent');
    for (const c of cases) {
      const before = Object.fromEntries(
        c.untouched.map((p) => [
          p,
          existsSync(join(shop.dir, p)) ? readFileSync(join(shop.dir, p), 'utf8') : undefined,
        ]),
      );
      const id = (await call('create_task', { title: c.name, description: '' })).value.id as string;
      await call('claim_ticket', { task_id: id });
      const submitted = await call('submit_artifact', { task_id: id, ...c.artifact });
      assert.equal(submitted.isError, undefined, `${c.name}: ${submitted.text}`);
      const result = await review(shop, id, '--approve', '--json');
      assert.equal(result.code, 1, `${c.name}: ${result.stdout}${result.stderr}`);
      const outcome = JSON.parse(result.stdout.trim().split('\n').at(-1)!);
      assert.match(outcome.refusal, c.reason, c.name);
      assert.equal(outcome.task.status, 'in_progress', c.name);
      for (const path of c.untouched) {
        const now = existsSync(join(shop.dir, path)) ? readFileSync(join(shop.dir, path), 'utf8') : undefined;
        assert.equal(now, before[path], `${c.name}: ${path} changed`);
      }
      const thread = (await call('get_task', { task_id: id })).value.messages.at(-1).text;
      assert.match(thread, /could not be applied/);
    }
    assert.equal(shop.git('status', '--porcelain', '--', '.', ':!.claude'), '', 'the working tree is as it was');
  } finally {
    await world.close();
    shop.cleanup();
  }
});

test('mcp over http: no token or a wrong one gets 401; 20 clients claiming one task at once: exactly one wins', async () => {
  const shop = makeShop();
  const world = await httpWorld(shop);
  try {
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
    });
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    assert.equal((await fetch(world.url, { method: 'POST', headers, body })).status, 401);
    assert.equal(
      (await fetch(world.url, { method: 'POST', headers: { ...headers, authorization: 'Bearer wrong' }, body })).status,
      401,
    );
    assert.equal(
      (await fetch(world.url, { method: 'POST', headers: { ...headers, authorization: `Bearer ${TOKEN}x` }, body }))
        .status,
      401,
    );
    const intruder = new Client({ name: 'intruder', version: '1' });
    await assert.rejects(
      intruder.connect(
        new StreamableHTTPClientTransport(new URL(world.url), {
          requestInit: { headers: { Authorization: 'Bearer nope' } },
        }),
      ),
    );

    const { call } = await world.client('creator');
    const id = (await call('create_task', { title: 'contended', description: '' })).value.id as string;
    const clients = await Promise.all(Array.from({ length: 20 }, (_, i) => world.client(`agent-${i}`)));
    const results = await Promise.all(clients.map((c) => c.call('claim_ticket', { task_id: id })));
    const winners = results.filter((r) => !r.isError);
    assert.equal(winners.length, 1, results.map((r) => r.text).join('\n'));
    assert.equal(results.filter((r) => r.isError && /only a pending task can be claimed/.test(r.text)).length, 19);
  } finally {
    await world.close();
    shop.cleanup();
  }
});

test('mcp: a claim lapses after queue.leaseSec without work or messages; the task is pending again and another agent claims it', async () => {
  const shop = makeShop({ config: (yaml) => `${yaml}\nqueue:\n  leaseSec: 1\n` });
  const world = await stdioWorld(shop);
  try {
    const first = await world.client('slow-agent');
    const second = await world.client('next-agent');
    const id = (await first.call('create_task', { title: 'x', description: '' })).value.id as string;
    await first.call('claim_ticket', { task_id: id });
    await sleep(600);
    await first.call('send_message', { task_id: id, text: 'still here' }); // renews: 1 s from now
    await sleep(700);
    assert.equal((await second.call('claim_ticket', { task_id: id })).isError, true, 'the renewed lease still holds');
    await sleep(1200);
    assert.equal((await second.call('list_tasks', {})).value.tasks[0].status, 'pending');
    const taken = await second.call('claim_ticket', { task_id: id });
    assert.match(taken.value.claimer, /^next-agent/);
    assert.equal((await first.call('submit_artifact', { task_id: id, type: 'text', content: 'late' })).isError, true);
  } finally {
    await world.close();
    shop.cleanup();
  }
});
