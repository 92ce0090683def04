import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { initWorkspace } from '../../../src/core/project/config/init';
import { tempWorkspace } from './tempWorkspace';

test('copies every template file, never overwrites, skips runs/', async () => {
  const templates = await tempWorkspace({
    'orchestrator.yaml': 'version: 1\n',
    'entity-registry.json': '{}\n',
    'context/backend.context.md': '# backend template',
    'context/frontend.context.md': '# frontend template',
    'runs/old-run/events.jsonl': '{}',
  });
  const workspace = await tempWorkspace({ '.claude/context/backend.context.md': '# mine' });
  try {
    const first = await initWorkspace(workspace.dir, templates.dir);
    assert.deepEqual(first.created, ['.claude/context/frontend.context.md', '.claude/entity-registry.json', '.claude/orchestrator.yaml', '.gitignore']);
    assert.equal(await readFile(join(workspace.dir, '.gitignore'), 'utf8'), '.claude/runs/\n', 'run journals stay out of git status');
    assert.deepEqual(first.skipped, ['.claude/context/backend.context.md']);
    assert.equal(await readFile(join(workspace.dir, '.claude/context/backend.context.md'), 'utf8'), '# mine');
    assert.equal(await readFile(join(workspace.dir, '.claude/orchestrator.yaml'), 'utf8'), 'version: 1\n');
    await assert.rejects(readFile(join(workspace.dir, '.claude/runs/old-run/events.jsonl')), { code: 'ENOENT' });

    const second = await initWorkspace(workspace.dir, templates.dir);
    assert.deepEqual(second.created, [], 'a second init adds nothing, not even a second ignore line');
    assert.equal(second.skipped.length, 4);
  } finally {
    await templates.cleanup();
    await workspace.cleanup();
  }
});

test('a missing templates folder is an error', async () => {
  const workspace = await tempWorkspace();
  try {
    await assert.rejects(initWorkspace(workspace.dir, join(workspace.dir, 'no-templates')), { code: 'ENOENT' });
  } finally {
    await workspace.cleanup();
  }
});

test('appends the run-journal ignore line to an existing .gitignore once', async () => {
  const templates = await tempWorkspace({ 'orchestrator.yaml': 'version: 1\n' });
  const workspace = await tempWorkspace({ '.gitignore': 'node_modules' });
  try {
    await initWorkspace(workspace.dir, templates.dir);
    await initWorkspace(workspace.dir, templates.dir);
    assert.equal(await readFile(join(workspace.dir, '.gitignore'), 'utf8'), 'node_modules\n.claude/runs/\n');
  } finally {
    await templates.cleanup();
    await workspace.cleanup();
  }
});
