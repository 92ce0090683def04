import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProjectFileError } from '../../../src/core/project/errors';
import { loadProjectFiles } from '../../../src/core/project/projectFiles';
import { tempWorkspace } from './tempWorkspace';

test('an empty workspace loads with defaults', async () => {
  const { dir, cleanup } = await tempWorkspace();
  try {
    const files = await loadProjectFiles(dir);
    assert.deepEqual(Object.keys(files.config.layers), ['database', 'backend', 'frontend']);
    assert.deepEqual(files.memory, { entities: [], relations: [] });
    assert.equal(files.registry.index.size, 0);
  } finally {
    await cleanup();
  }
});

test('any broken project file stops the load with its location', async () => {
  const { dir, cleanup } = await tempWorkspace({
    '.claude/orchestrator.yaml': 'limits: {}\n',
    '.claude/entity-registry.json': '{ "e": { "A": { "subs": [1] } } }',
  });
  try {
    await assert.rejects(loadProjectFiles(dir), (error: unknown) => {
      assert.ok(error instanceof ProjectFileError);
      assert.equal(error.message, '.claude/entity-registry.json:1:26 e.A.subs[0]: expected a string, got 1');
      return true;
    });
  } finally {
    await cleanup();
  }
});
