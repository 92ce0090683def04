import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { invoke, link, makeToolContext, snapshotTree, useToolSandbox } from '../../support/agents/agentTestKit';

// One sandbox for the whole table: every attempt must leave it byte-for-byte unchanged,
// the workspace and the folder beside it alike.
const OWNS = ['server/**'];

const tools = useToolSandbox(
  {
    'server/index.ts': 'export const x = 1;\n',
    'web/app.ts': 'app\n',
    '.git/config': '[core]\n',
    '.git/HEAD': 'ref: refs/heads/main\n',
  },
  OWNS,
  {
    prepare: async (box) => {
      await link(box.outside, join(box.ws, 'server/link-out'));
      await link(join(box.outside, 'secret.txt'), join(box.ws, 'server/secret-link'));
      await link('../.git', join(box.ws, 'server/git-link'));
      await link('../web', join(box.ws, 'server/to-web'));
      await link(join(box.outside, 'does-not-exist.txt'), join(box.ws, 'server/dangling'));
    },
  },
);

interface Attempt {
  why: string;
  tool: 'write_file' | 'edit_file' | 'delete_file' | 'read_file';
  path: () => string;
  reason: RegExp;
}

const write = (why: string, path: string | (() => string), reason: RegExp): Attempt => ({
  why,
  tool: 'write_file',
  path: typeof path === 'string' ? () => path : path,
  reason,
});

const attempts: Attempt[] = [
  write('empty path', '', /empty/),
  write('blank path', '   ', /empty/),
  write('NUL byte', 'server/a\0.ts', /NUL/),
  write('absolute POSIX path', '/etc/passwd', /absolute/),
  write('absolute path into the outside folder', () => join(tools.box.outside, 'x.txt'), /absolute/),
  write('Windows drive with backslash', 'C:\\x', /Windows absolute/),
  write('Windows drive with slash', 'C:/x', /Windows absolute/),
  write('UNC share', '\\\\server\\share\\x', /Windows absolute/),
  write('root-relative Windows path', '\\x', /Windows absolute/),
  write('home path', '~/x', /home/),
  write('parent escape', '../outside/x.txt', /escapes/),
  write('nested parent escape', 'server/../../outside/x.txt', /escapes/),
  write('backslash parent escape', 'server\\..\\..\\outside\\x.txt', /escapes/),
  write('deep parent escape', 'server/sub/../../../outside/x.txt', /escapes/),
  write('symlinked parent folder leading outside', 'server/link-out/x.txt', /outside the workspace/),
  write('symlink file leading outside', 'server/secret-link', /outside the workspace/),
  write('dangling symlink leading outside', 'server/dangling', /broken symlink|outside/),
  write('.git/config', '.git/config', /\.git/),
  write('.GIT/config (case)', '.GIT/config', /\.git/),
  write('a/../.git/config', 'server/../.git/config', /\.git/),
  write('.git itself', '.git', /\.git/),
  write('.git. (Windows trailing dot)', '.git./config', /\.git/),
  write('symlink into .git', 'server/git-link/config', /\.git/),
  write('outside owns (other layer)', 'web/app.ts', /outside this agent's owned paths/),
  write('outside owns (root file)', 'server.ts', /outside this agent's owned paths/),
  write('symlink from owned folder into another layer', 'server/to-web/app.ts', /outside this agent's owned paths/),
  write('workspace root', '.', /outside this agent's owned paths|root/),
  {
    why: 'edit through a symlink leading outside',
    tool: 'edit_file',
    path: () => 'server/secret-link',
    reason: /outside the workspace/,
  },
  {
    why: 'delete through a symlink leading outside',
    tool: 'delete_file',
    path: () => 'server/link-out/secret.txt',
    reason: /outside the workspace/,
  },
  { why: 'delete .git/HEAD', tool: 'delete_file', path: () => '.git/HEAD', reason: /\.git/ },
  { why: 'delete another layer file', tool: 'delete_file', path: () => 'web/app.ts', reason: /owned paths/ },
  { why: 'read .git/config', tool: 'read_file', path: () => '.git/config', reason: /\.git/ },
  {
    why: 'read through a symlink leading outside',
    tool: 'read_file',
    path: () => 'server/secret-link',
    reason: /outside the workspace/,
  },
  {
    why: 'read an absolute path',
    tool: 'read_file',
    path: () => join(tools.box.outside, 'secret.txt'),
    reason: /absolute/,
  },
];

const inputFor = (attempt: Attempt) => {
  const path = attempt.path();
  if (attempt.tool === 'write_file') return { path, content: 'pwned' };
  if (attempt.tool === 'edit_file') return { path, old_text: 'top secret', new_text: 'pwned' };
  return { path };
};

test(`the table holds at least 20 write escapes (${attempts.length} attempts in all)`, () => {
  assert.ok(attempts.filter((a) => a.tool === 'write_file').length >= 20);
});

for (const attempt of attempts) {
  test(`refused: ${attempt.tool} — ${attempt.why}`, async () => {
    const beforeTree = await snapshotTree(tools.box.base);
    const events = tools.ctx.events.length;
    const outcome = await tools.call(attempt.tool, inputFor(attempt));
    assert.equal(outcome.isError, true, `expected a refusal, got: ${outcome.content}`);
    assert.match(outcome.content, attempt.reason);
    assert.doesNotMatch(outcome.content, /\n/, 'the reason is one line');
    assert.doesNotMatch(outcome.content, /top secret/, 'nothing from outside leaks into the result');
    assert.deepEqual(await snapshotTree(tools.box.base), beforeTree, 'no byte changed anywhere');
    assert.equal(tools.ctx.events.length, events, 'no file event for a refused call');
  });
}

test('a read-only agent (empty owns) may not write even an innocent path', async () => {
  const readOnly = await makeToolContext(tools.box.ws, []);
  const beforeTree = await snapshotTree(tools.box.base);
  const outcome = await invoke(readOnly, [], 'write_file', { path: 'server/new.ts', content: 'x' });
  assert.equal(outcome.isError, true);
  assert.match(outcome.content, /not available to this read-only agent/);
  const direct = await readOnly.guard.checkWrite('server/new.ts');
  assert.equal(direct.ok, false);
  assert.ok(!direct.ok && /read-only/.test(direct.reason));
  assert.deepEqual(await snapshotTree(tools.box.base), beforeTree);
});

test('the same owned folder still accepts a legitimate write (the refusals are not blanket)', async () => {
  const outsideBefore = await snapshotTree(tools.box.outside);
  const outcome = await tools.call('write_file', { path: 'server/ok.ts', content: 'fine\n' });
  assert.equal(outcome.isError, false, outcome.content);
  assert.deepEqual(await snapshotTree(tools.box.outside), outsideBefore);
  assert.deepEqual(Object.keys(outsideBefore), ['secret.txt']);
});
