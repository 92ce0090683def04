import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPathSyntax, isGitSegment } from '../../../src/core/agents/guard/pathSyntax';

const refusedBecause = (raw: unknown, pattern: RegExp) => {
  const result = checkPathSyntax(raw);
  assert.equal(result.ok, false, `expected ${JSON.stringify(raw)} to be refused`);
  if (!result.ok) {
    assert.match(result.reason, pattern);
    assert.doesNotMatch(result.reason, /[\n\r\0]/, 'a refusal is one printable line');
  }
};

test('normalizes harmless relative paths to posix form', () => {
  assert.deepEqual(checkPathSyntax('src/app.ts'), { ok: true, rel: 'src/app.ts' });
  assert.deepEqual(checkPathSyntax('./src//app.ts'), { ok: true, rel: 'src/app.ts' });
  assert.deepEqual(checkPathSyntax('src\\lib\\x.ts'), { ok: true, rel: 'src/lib/x.ts' });
  assert.deepEqual(checkPathSyntax('src/../README.md'), { ok: true, rel: 'README.md' });
  assert.deepEqual(checkPathSyntax('.'), { ok: true, rel: '' });
  assert.deepEqual(checkPathSyntax('.github/workflows/ci.yml'), { ok: true, rel: '.github/workflows/ci.yml' });
  assert.deepEqual(checkPathSyntax('~notes.txt'), { ok: true, rel: '~notes.txt' });
});

test('refuses empty, non-string and NUL paths', () => {
  refusedBecause('', /empty/);
  refusedBecause('  ', /empty/);
  refusedBecause(undefined, /must be a string/);
  refusedBecause('a\0b', /NUL/);
});

test('refuses absolute POSIX, Windows and home paths', () => {
  refusedBecause('/etc/passwd', /absolute/);
  refusedBecause('C:\\Windows\\x', /Windows absolute/);
  refusedBecause('c:/x', /Windows absolute/);
  refusedBecause('C:x', /Windows absolute/);
  refusedBecause('\\\\server\\share\\x', /Windows absolute/);
  refusedBecause('\\x', /Windows absolute/);
  refusedBecause('~/x', /home/);
});

test('refuses .. escapes in both separator styles', () => {
  refusedBecause('..', /escapes/);
  refusedBecause('../x', /escapes/);
  refusedBecause('a/../../x', /escapes/);
  refusedBecause('a\\..\\..\\x', /escapes/);
  refusedBecause('a/b/../../../x', /escapes/);
});

test('refuses .git in any spelling a file system would accept', () => {
  refusedBecause('.git', /\.git/);
  refusedBecause('.git/config', /\.git/);
  refusedBecause('.GIT/config', /\.git/);
  refusedBecause('a/../.git/config', /\.git/);
  refusedBecause('vendor/lib/.git/HEAD', /\.git/);
  refusedBecause('.git./config', /\.git/);
  refusedBecause('.git::$INDEX_ALLOCATION/config', /\.git/);
  assert.equal(isGitSegment('GIT~1'), true);
  assert.equal(isGitSegment('.github'), false);
  assert.equal(isGitSegment('.gitignore'), false);
});

test('refusal messages stay on one line even for hostile input', () => {
  refusedBecause('/x\ny', /absolute/);
  refusedBecause(`/${'a'.repeat(5000)}`, /absolute/);
  const result = checkPathSyntax(`/${'a'.repeat(5000)}`);
  assert.ok(!result.ok && result.reason.length < 300);
});
