import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { copyTemplates, gitignoreMessage, ignoreRunJournals } from '../../../src/core/project/config/init';
import { tempWorkspace } from '../../support/tempWorkspace';

test('copies the template files it is not told to skip, never overwrites, skips runs/', async () => {
  const templates = await tempWorkspace({
    'orchestrator.yaml': 'version: 1\n',
    'entity-registry.json': '{}\n',
    'context/backend.context.md': '# backend template',
    'context/spec.context.md': '# spec template',
    'context/review.context.md': '# review template',
    'runs/old-run/events.jsonl': '{}',
  });
  const workspace = await tempWorkspace({ '.claude/context/review.context.md': '# mine' });
  try {
    const first = await copyTemplates(
      workspace.dir,
      templates.dir,
      (file) => file === 'orchestrator.yaml' || file === 'context/backend.context.md',
    );
    assert.deepEqual(first.created, ['.claude/context/spec.context.md', '.claude/entity-registry.json']);
    assert.deepEqual(first.skipped, ['.claude/context/review.context.md']);
    assert.equal(await readFile(join(workspace.dir, '.claude/context/review.context.md'), 'utf8'), '# mine');
    await assert.rejects(readFile(join(workspace.dir, '.claude/orchestrator.yaml')), { code: 'ENOENT' });
    await assert.rejects(readFile(join(workspace.dir, '.claude/runs/old-run/events.jsonl')), { code: 'ENOENT' });
    const second = await copyTemplates(workspace.dir, templates.dir);
    assert.deepEqual(second.created, ['.claude/context/backend.context.md', '.claude/orchestrator.yaml']);
  } finally {
    await templates.cleanup();
    await workspace.cleanup();
  }
});

test('a missing templates folder is an error', async () => {
  const workspace = await tempWorkspace();
  try {
    await assert.rejects(copyTemplates(workspace.dir, join(workspace.dir, 'no-templates')), { code: 'ENOENT' });
  } finally {
    await workspace.cleanup();
  }
});

test('says what it did to .gitignore: created it, appended to it once, or left it', async () => {
  const fresh = await tempWorkspace();
  const existing = await tempWorkspace({ '.gitignore': 'node_modules' });
  try {
    assert.equal(await ignoreRunJournals(fresh.dir), 'created');
    assert.equal(await readFile(join(fresh.dir, '.gitignore'), 'utf8'), '.claude/runs/\n');
    assert.equal(await ignoreRunJournals(existing.dir), 'appended');
    assert.equal(await ignoreRunJournals(existing.dir), 'unchanged');
    assert.equal(await readFile(join(existing.dir, '.gitignore'), 'utf8'), 'node_modules\n.claude/runs/\n');
    assert.equal(gitignoreMessage('appended'), 'added .claude/runs/ to .gitignore');
    assert.equal(gitignoreMessage('created'), 'created .gitignore with .claude/runs/');
    assert.equal(gitignoreMessage('unchanged'), undefined);
  } finally {
    await fresh.cleanup();
    await existing.cleanup();
  }
});
