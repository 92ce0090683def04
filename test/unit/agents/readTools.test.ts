import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { READ_LIMITS } from '../../../src/core/agents/tools/readTools';
import { SEARCH_LIMITS } from '../../../src/core/agents/tools/searchInFiles';
import { invoke, link, makeSandbox, makeToolContext, useToolSandbox } from '../../support/agents/agentTestKit';

const OWNS: string[] = []; // read tools work for read-only agents
const tools = useToolSandbox(
  {
    'README.md': 'hello\nworld\n',
    'src/app.ts': 'const a = 1;\nexport function main() {}\n',
    'src/lib/util.ts': 'export function helper() {}\n',
    'src/crlf.ts': 'one\r\ntwo\r\n',
    'src/generated.log': 'function noise() {}\n',
    'src/keep.log': 'function kept() {}\n',
    'src/.env.example': 'KEY=\n',
    '.gitignore': 'dist/\n*.log\n!keep.log\n',
    'src/lib/.gitignore': 'secret-*.ts\n',
    'src/lib/secret-one.ts': 'export function hidden() {}\n',
    'dist/bundle.js': 'function bundled() {}\n',
    'node_modules/pkg/index.js': 'function dep() {}\n',
    '.git/config': 'function git() {}\n',
    'big.txt': Array.from({ length: 2500 }, (_, i) => `line ${i + 1}`).join('\n') + '\n',
    'wide.txt': `${'x'.repeat(3000)}\nshort\n`,
    'empty.txt': '',
  },
  OWNS,
  {
    prepare: async (box) => {
      await writeFile(join(box.ws, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]));
      await link(join(box.outside, 'secret.txt'), join(box.ws, 'src/outside-link.ts'));
    },
  },
);

const call = (name: string, input: unknown) => tools.call(name, input);

test('read_file returns numbered lines', async () => {
  const out = await call('read_file', { path: 'src/app.ts' });
  assert.deepEqual(out, { isError: false, content: '1\tconst a = 1;\n2\texport function main() {}' });
});

test('read_file strips CR from CRLF files and reports empty and binary files', async () => {
  assert.equal((await call('read_file', { path: 'src/crlf.ts' })).content, '1\tone\n2\ttwo');
  assert.match((await call('read_file', { path: 'empty.txt' })).content, /empty/);
  const binary = await call('read_file', { path: 'image.png' });
  assert.equal(binary.isError, false);
  assert.match(binary.content, /binary file of 8 bytes/);
});

test('read_file truncates a large file with a notice telling how to continue', async () => {
  const out = await call('read_file', { path: 'big.txt' });
  const lines = out.content.split('\n');
  assert.equal(lines.filter((l) => /^\d+\t/.test(l)).length, READ_LIMITS.maxLines);
  assert.match(out.content, /\[truncated: showing lines 1-2000 of 2500; call read_file with offset=2001 to continue\]/);
});

test('read_file pages with offset and limit', async () => {
  const out = await call('read_file', { path: 'big.txt', offset: 2499, limit: 10 });
  assert.equal(out.content.split('\n').slice(0, 2).join('\n'), '2499\tline 2499\n2500\tline 2500');
  const middle = await call('read_file', { path: 'big.txt', offset: 10, limit: 2 });
  assert.match(
    middle.content,
    /^10\tline 10\n11\tline 11\n\[truncated: showing lines 10-11 of 2500; call read_file with offset=12/,
  );
});

test('read_file cuts overlong lines', async () => {
  const out = await call('read_file', { path: 'wide.txt' });
  assert.ok(out.content.split('\n')[0]!.length < READ_LIMITS.maxLineChars + 50);
  assert.match(out.content, /1 long line\(s\) cut/);
});

test('read_file errors: missing file, directory, offset past the end, bad input', async () => {
  assert.match((await call('read_file', { path: 'nope.ts' })).content, /file not found: nope\.ts/);
  assert.match((await call('read_file', { path: 'src' })).content, /is a directory; use list_files/);
  assert.match(
    (await call('read_file', { path: 'README.md', offset: 9 })).content,
    /offset 9 is past the end of README\.md \(2 lines\)/,
  );
  const bad = await call('read_file', { path: 'README.md', offset: 0 });
  assert.equal(bad.isError, true);
  assert.match(bad.content, /^invalid input for read_file: offset: /);
  assert.match((await call('read_file', { offset: 1 })).content, /^invalid input for read_file: path: expected string/);
});

test('list_files honours root and nested .gitignore, skips .git, node_modules, symlinks and denied files', async () => {
  const out = await call('list_files', {});
  assert.equal(out.isError, false);
  assert.deepEqual(out.content.split('\n'), [
    '.gitignore',
    'README.md',
    'big.txt',
    'empty.txt',
    'image.png',
    // src/.env.example is on the built-in deny list (.env.*)
    'src/app.ts',
    'src/crlf.ts',
    'src/keep.log',
    'src/lib/.gitignore',
    'src/lib/util.ts',
    'wide.txt',
  ]);
});

test('list_files under a folder applies the .gitignore files above it', async () => {
  const out = await call('list_files', { path: 'src' });
  assert.ok(out.content.includes('src/keep.log'));
  assert.ok(!out.content.includes('generated.log'));
  assert.ok(!out.content.includes('secret-one'));
});

test('list_files filters by glob (name-only or path) and reports no match', async () => {
  assert.deepEqual((await call('list_files', { pattern: '*.ts' })).content.split('\n'), [
    'src/app.ts',
    'src/crlf.ts',
    'src/lib/util.ts',
  ]);
  assert.deepEqual((await call('list_files', { pattern: 'src/lib/**' })).content.split('\n'), [
    'src/lib/.gitignore',
    'src/lib/util.ts',
  ]);
  assert.match((await call('list_files', { pattern: '*.rs' })).content, /no files found/);
});

test('list_files caps the count with a notice', async () => {
  const many = await makeSandbox(
    Object.fromEntries(
      Array.from({ length: READ_LIMITS.maxListed + 5 }, (_, i) => [`f/${String(i).padStart(4, '0')}.txt`, 'x']),
    ),
  );
  try {
    const manyCtx = await makeToolContext(many.ws, []);
    const out = await invoke(manyCtx, [], 'list_files', { path: 'f' });
    const lines = out.content.split('\n');
    assert.equal(lines.length, READ_LIMITS.maxListed + 1);
    assert.match(lines.at(-1)!, /truncated: first 500 files shown/);
  } finally {
    await many.cleanup();
  }
});

test('list_files errors: missing folder, a file, refused paths', async () => {
  assert.match((await call('list_files', { path: 'nope' })).content, /folder not found/);
  assert.match((await call('list_files', { path: 'README.md' })).content, /is a file/);
  assert.match((await call('list_files', { path: '.git' })).content, /\.git/);
  assert.match((await call('list_files', { path: '../outside' })).content, /escapes/);
});

test('search_files returns path:line:text for regex matches, skipping ignored and binary files', async () => {
  const out = await call('search_files', { query: 'function \\w+\\(' });
  assert.equal(out.isError, false);
  assert.deepEqual(out.content.split('\n'), [
    'src/app.ts:2:export function main() {}',
    'src/keep.log:1:function kept() {}',
    'src/lib/util.ts:1:export function helper() {}',
  ]);
});

test('search_files narrows by path (folder or file) and pattern', async () => {
  assert.deepEqual((await call('search_files', { query: 'function', path: 'src/lib' })).content.split('\n'), [
    'src/lib/util.ts:1:export function helper() {}',
  ]);
  assert.deepEqual((await call('search_files', { query: 'world', path: 'README.md' })).content, 'README.md:2:world');
  assert.deepEqual(
    (await call('search_files', { query: 'function', pattern: '*.log' })).content,
    'src/keep.log:1:function kept() {}',
  );
  assert.match((await call('search_files', { query: 'zzz' })).content, /no matches/);
});

test('search_files: invalid regex is an error result, and refused paths are refused', async () => {
  const bad = await call('search_files', { query: '(unclosed' });
  assert.equal(bad.isError, true);
  assert.match(bad.content, /^invalid regex "\(unclosed": /);
  assert.doesNotMatch(bad.content, /\n/);
  assert.match((await call('search_files', { query: 'x', path: '.git' })).content, /\.git/);
  assert.match(
    (await call('search_files', { query: 'secret', path: 'src/outside-link.ts' })).content,
    /outside the workspace/,
  );
  assert.match((await call('search_files', { query: '' })).content, /^invalid input for search_files: query: /);
});

test('search_files caps the number of matches with a notice', async () => {
  const out = await call('search_files', { query: '^line', path: 'big.txt' });
  const lines = out.content.split('\n');
  assert.equal(lines.length, SEARCH_LIMITS.maxMatches + 1);
  assert.equal(lines[0], 'big.txt:1:line 1');
  assert.match(lines.at(-1)!, /truncated: first 100 matches shown/);
});
