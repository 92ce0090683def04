import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { snapshotTree, useToolSandbox } from '../../support/agents/agentTestKit';

const OWNS = ['server/**', 'shared/*.json'];

const tools = useToolSandbox(
  {
    'server/index.ts': 'line 1\nline 2\nline 3\n',
    'server/dup.ts': 'x = 1;\nx = 1;\n',
    'server/crlf.ts': 'a\r\nb\r\n',
    'server/.eslintrc': 'SECRET=1\n',
    'web/app.ts': 'web\n',
  },
  OWNS,
  { each: true },
);

const call = (name: string, input: unknown) => tools.call(name, input);
const read = (rel: string) => readFile(join(tools.box.ws, rel), 'utf8');

test('write_file creates a file with its parent folders and emits file.written created=true', async () => {
  const out = await call('write_file', { path: 'server/routes/deep/users.ts', content: 'a\nb\n' });
  assert.deepEqual(out, { isError: false, content: 'created server/routes/deep/users.ts (2 lines, 4 bytes)' });
  assert.equal(await read('server/routes/deep/users.ts'), 'a\nb\n');
  assert.deepEqual(tools.ctx.events, [
    { type: 'file.written', agent: 'backend', path: 'server/routes/deep/users.ts', created: true, bytes: 4 },
  ]);
  assert.deepEqual(tools.ctx.ledger.created, ['server/routes/deep/users.ts']);
});

test('write_file overwrites atomically, leaves no temp file and keeps the file mode', async () => {
  await chmod(join(tools.box.ws, 'server/index.ts'), 0o755);
  const out = await call('write_file', { path: 'server/index.ts', content: 'new\n' });
  assert.equal(out.content, 'wrote server/index.ts (1 lines, 4 bytes)');
  assert.equal(await read('server/index.ts'), 'new\n');
  assert.equal((await stat(join(tools.box.ws, 'server/index.ts'))).mode & 0o777, 0o755);
  assert.deepEqual(
    (await readdir(join(tools.box.ws, 'server'))).filter((n) => n.includes('orchestrator-tmp')),
    [],
  );
  assert.equal(tools.ctx.events[0]?.type === 'file.written' && tools.ctx.events[0].created, false);
  assert.deepEqual(tools.ctx.ledger.written, ['server/index.ts']);
  assert.deepEqual(tools.ctx.ledger.created, []);
});

test('owns globs include dot files and are exact about depth', async () => {
  assert.equal((await call('write_file', { path: 'server/.eslintrc', content: 'SECRET=2\n' })).isError, false);
  assert.equal((await call('write_file', { path: 'shared/types.json', content: '{}' })).isError, false);
  const deep = await call('write_file', { path: 'shared/nested/types.json', content: '{}' });
  assert.equal(deep.isError, true);
  assert.match(deep.content, /outside this agent's owned paths \(server\/\*\*, shared\/\*\.json\)/);
});

test('write_file refuses a directory target and malformed input', async () => {
  assert.match(
    (await call('write_file', { path: 'server', content: 'x' })).content,
    /outside this agent's owned paths|is a directory/,
  );
  assert.match((await call('write_file', { path: 'server/sub/x', content: 'x' })).content, /^created/);
  assert.match((await call('write_file', { path: 'server/sub', content: 'x' })).content, /server\/sub is a directory/);
  const missing = await call('write_file', { path: 'server/a.ts' });
  assert.deepEqual(missing, {
    isError: true,
    content: 'invalid input for write_file: content: expected string, received undefined',
  });
  assert.match(
    (await call('write_file', { path: 42, content: 'x' })).content,
    /^invalid input for write_file: path: expected string/,
  );
});

test('edit_file replaces the single occurrence', async () => {
  const out = await call('edit_file', { path: 'server/index.ts', old_text: 'line 2\n', new_text: 'two\nand more\n' });
  assert.deepEqual(out, { isError: false, content: 'edited server/index.ts (3 → 4 lines)' });
  assert.equal(await read('server/index.ts'), 'line 1\ntwo\nand more\nline 3\n');
  assert.deepEqual(tools.ctx.events, [
    { type: 'file.written', agent: 'backend', path: 'server/index.ts', created: false, bytes: 27 },
  ]);
});

test('edit_file takes new_text literally ($ patterns are not expanded)', async () => {
  await call('edit_file', { path: 'server/index.ts', old_text: 'line 1', new_text: "$& $' $1" });
  assert.equal(await read('server/index.ts'), "$& $' $1\nline 2\nline 3\n");
});

test('edit_file states the count when old_text is missing or ambiguous, and changes nothing', async () => {
  const before = await snapshotTree(tools.box.base);
  const none = await call('edit_file', { path: 'server/index.ts', old_text: 'absent', new_text: 'x' });
  assert.equal(none.isError, true);
  assert.match(none.content, /old_text must occur exactly once in server\/index\.ts but occurs 0 times/);
  const many = await call('edit_file', { path: 'server/dup.ts', old_text: 'x = 1;', new_text: 'y' });
  assert.match(many.content, /occurs 2 times; include more surrounding lines/);
  const overlapping = await call('edit_file', { path: 'server/dup.ts', old_text: '\nx', new_text: 'y' });
  assert.equal(overlapping.isError, false, 'a unique match still works');
  await call('write_file', { path: 'server/aaa.ts', content: 'aaa' });
  assert.match(
    (await call('edit_file', { path: 'server/aaa.ts', old_text: 'aa', new_text: 'b' })).content,
    /occurs 2 times/,
  );
  assert.equal(before['ws/server/index.ts'], (await snapshotTree(tools.box.base))['ws/server/index.ts']);
});

test('edit_file matches LF old_text against a CRLF file and keeps CRLF', async () => {
  const out = await call('edit_file', { path: 'server/crlf.ts', old_text: 'a\nb', new_text: 'c\nd' });
  assert.equal(out.isError, false, out.content);
  assert.equal(await read('server/crlf.ts'), 'c\r\nd\r\n');
});

test('edit_file errors: missing file, empty old_text, outside owns', async () => {
  assert.match(
    (await call('edit_file', { path: 'server/none.ts', old_text: 'a', new_text: 'b' })).content,
    /file not found: server\/none\.ts; use write_file/,
  );
  assert.match(
    (await call('edit_file', { path: 'server/index.ts', old_text: '', new_text: 'b' })).content,
    /^invalid input for edit_file: old_text: /,
  );
  assert.match(
    (await call('edit_file', { path: 'web/app.ts', old_text: 'web', new_text: 'b' })).content,
    /owned paths/,
  );
  assert.equal(await read('web/app.ts'), 'web\n');
});

test('delete_file removes the file and emits file.deleted with its line count', async () => {
  const out = await call('delete_file', { path: 'server/index.ts' });
  assert.deepEqual(out, { isError: false, content: 'deleted server/index.ts (3 lines)' });
  await assert.rejects(stat(join(tools.box.ws, 'server/index.ts')), { code: 'ENOENT' });
  assert.deepEqual(tools.ctx.events, [{ type: 'file.deleted', agent: 'backend', path: 'server/index.ts', lines: 3 }]);
  assert.deepEqual(tools.ctx.ledger.deleted, ['server/index.ts']);
});

test('delete_file errors: missing file, folder, outside owns', async () => {
  assert.match((await call('delete_file', { path: 'server/none.ts' })).content, /file not found/);
  await call('write_file', { path: 'server/dir/x.ts', content: 'x' });
  assert.match((await call('delete_file', { path: 'server/dir' })).content, /is a directory/);
  assert.match((await call('delete_file', { path: 'web/app.ts' })).content, /owned paths/);
  assert.equal(await read('web/app.ts'), 'web\n');
});

test('the ledger nets out create-then-delete and delete-then-rewrite', async () => {
  await call('write_file', { path: 'server/tmp.ts', content: 'x' });
  await call('delete_file', { path: 'server/tmp.ts' });
  await call('delete_file', { path: 'server/dup.ts' });
  await call('write_file', { path: 'server/dup.ts', content: 'again' });
  await call('delete_file', { path: 'server/.eslintrc' });
  assert.deepEqual(tools.ctx.ledger.created, []);
  assert.deepEqual(tools.ctx.ledger.written, ['server/dup.ts']);
  assert.deepEqual(tools.ctx.ledger.deleted, ['server/.eslintrc']);
});
