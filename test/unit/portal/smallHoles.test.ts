// Issue 31, point 7, as attacks: a malformed %-escape in a path on every listener (the portal, its
// webhooks, MCP over HTTP in `serve` and in `mcp --http`) gets 400, never a 500 "URI malformed";
// an artifact writing a nested .gitattributes, .gitmodules or any .git* file is refused, and
// the workspace is unchanged.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { engine } from '../../../src/core/engine';
import { serveHttp } from '../../../src/mcp/httpServer';
import { createQueueServer } from '../../../src/mcp/queueServer';
import { makeShop } from '../../support/engine/shopWorkspace';
import { inPortal } from '../../support/portal/portalKit';

const MALFORMED = [
  '/api/accounts/%E0%A4%A',
  '/api/accounts/%',
  '/%C0',
  '/webhooks/tasks%ZZ',
  '/mcp%E0%A4%A',
  '/api/tasks?status=%E0%A4%A',
  '/assets/%FF%',
];

test('a malformed %-escape gets 400 from the portal, its webhooks and its MCP endpoint, signed in or not', async () => {
  await inPortal({ webhookSecret: 'a-webhook-secret-of-enough-length' }, async (world) => {
    const ada = await world.signIn('ada');
    for (const path of MALFORMED) {
      for (const method of ['GET', 'POST', 'DELETE']) {
        const reply = await world.as(ada, method, path, method === 'POST' ? {} : undefined);
        assert.equal(reply.status, 400, `${method} ${path}: ${reply.status} ${reply.text}`);
        assert.match(reply.json.error, /malformed %-escape/, path);
        assert.doesNotMatch(reply.text, /URI malformed|internal error/);
      }
    }
    // A well-formed escape still routes: an account name is decoded as before.
    assert.equal((await world.as(ada, 'DELETE', '/api/accounts/no%2Dsuch')).status, 400);
    assert.match((await world.as(ada, 'DELETE', '/api/accounts/no%2Dsuch')).json.error, /no account "no-such"/);
  });
});

test('mcp --http: a malformed %-escape gets 400 before and after the token check', async () => {
  const shop = makeShop();
  const queue = await engine.openQueue(shop.dir, { trusted: true });
  const token = 'a-test-token-of-32-characters-or-more-1234';
  const server = await serveHttp({ port: 0, token, sessionIdleMs: 60_000, maxSessions: 5 }, () =>
    createQueueServer(queue, 'test'),
  );
  const port = (server.address() as { port: number }).port;
  const call = (path: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path,
          headers: { host: `127.0.0.1:${port}`, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end('{}');
    });
  try {
    for (const path of ['/mcp%E0%A4%A', '/mcp?x=%', '/%C0']) {
      const reply = await call(path);
      assert.equal(reply.status, 400, `${path}: ${reply.text}`);
      assert.match(reply.text, /malformed %-escape/);
    }
    assert.equal(
      (await call('/mcp')).status,
      400,
      'a well-formed path reaches MCP (no session: 400 from the protocol)',
    );
    assert.match((await call('/mcp')).text, /initialize/);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await queue.close();
    shop.cleanup();
  }
});

test('an approved artifact writing a nested .gitattributes, .gitmodules or other .git* file is refused and writes nothing', async () => {
  const shop = makeShop();
  const queue = await engine.openQueue(shop.dir, { trusted: true });
  try {
    const attempts: [string, 'code' | 'diff', string][] = [
      ['server/.gitattributes', 'code', '*.js binary\n'],
      ['server/entities/.gitattributes', 'code', '* -diff\n'],
      ['server/.gitmodules', 'code', '[submodule "x"]\n\tpath = server/x\n\turl = https://example.com/x.git\n'],
      ['server/.GitAttributes ', 'code', '*.js binary\n'],
      ['server/GITATT~1', 'code', '*.js binary\n'],
      ['web/.gitkeep', 'code', ''],
      ['server/.gitattributes', 'diff', '--- /dev/null\n+++ b/server/.gitattributes\n@@ -0,0 +1 @@\n+*.js binary\n'],
    ];
    for (const [path, type, content] of attempts) {
      const task = await queue.createTask({ title: `write ${path}`, description: '' }, 'cli');
      await queue.claim(task.id, 'mallory');
      await queue.submitArtifact({ task_id: task.id, type, content, ...(type === 'code' ? { path } : {}) }, 'mallory');
      const outcome = await queue.review({ taskId: task.id, verdict: 'approved', reviewer: 'sam' });
      assert.match(outcome.refusal ?? '', /refused: .*\.git\*/, `${path}: ${outcome.refusal}`);
      assert.deepEqual(outcome.files, []);
      assert.equal(existsSync(join(shop.dir, path.trim())), false, path);
    }
    assert.equal(shop.git('status', '--porcelain', '--untracked-files=all').trim(), '', 'the workspace is as it was');
  } finally {
    await queue.close();
    shop.cleanup();
  }
});
