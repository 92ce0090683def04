import { test } from 'node:test';
import assert from 'node:assert/strict';
import { watchedWithFolders } from '../../../src/extension/specs/specFiles';

test('the sidebar watches each spec pattern with the folders on its way, each once', () => {
  assert.deepEqual(watchedWithFolders(['**/.kiro/specs/*/*.md', '**/.claude/changesets/*/{set,outcome}.json']), [
    '**/.kiro',
    '**/.kiro/specs',
    '**/.kiro/specs/*',
    '**/.kiro/specs/*/*.md',
    '**/.claude',
    '**/.claude/changesets',
    '**/.claude/changesets/*',
    '**/.claude/changesets/*/{set,outcome}.json',
  ]);
  assert.deepEqual(watchedWithFolders(['**/specs/*/{spec,plan,tasks}.md', '**/specs/*/x.md']), [
    '**/specs',
    '**/specs/*',
    '**/specs/*/{spec,plan,tasks}.md',
    '**/specs/*/x.md',
  ]);
});
