import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProjectFileError } from '../../../src/core/project/sources/errors';
import { loadProjectFiles } from '../../../src/core/project/registry/projectFiles';
import { inTempWorkspace } from '../../support/tempWorkspace';

test('an empty workspace loads with defaults', async () => {
  await inTempWorkspace({}, async (dir) => {
    const files = await loadProjectFiles(dir);
    assert.deepEqual(Object.keys(files.config.layers), ['database', 'backend', 'frontend']);
    assert.deepEqual(files.memory, { entities: [], relations: [] });
    assert.equal(files.registry.index.size, 0);
    assert.deepEqual(files.warnings, []);
  });
});

test('broken JSON stops the load with its location', async () => {
  await inTempWorkspace(
    {
      '.claude/orchestrator.yaml': 'limits: {}\n',
      '.claude/entity-registry.json': '{ "e": { "A": { "subs": [1] }, } }',
    },
    async (dir) => {
      await assert.rejects(loadProjectFiles(dir), (error: unknown) => {
        assert.ok(error instanceof ProjectFileError);
        assert.equal(
          error.message,
          '.claude/entity-registry.json:1:32 JSON syntax error: Expected double-quoted property name',
        );
        return true;
      });
    },
  );
});

test('JSON we cannot fully use loads, with warnings from the registry and the memory graph', async () => {
  await inTempWorkspace(
    {
      '.claude/entity-registry.json': '{ "e": { "A": { "subs": [1] } } }',
      '.claude/memory.jsonl': 'not json\n{"type":"entity","name":"A","entityType":"E","observations":[]}\n',
    },
    async (dir) => {
      const files = await loadProjectFiles(dir);
      assert.equal(files.registry.entities.size, 1);
      assert.equal(files.memory.entities.length, 1);
      assert.equal(files.memoryFile, '.claude/memory.jsonl');
      assert.deepEqual(files.warnings, [
        '.claude/entity-registry.json:1:26 e.A.subs[0]: expected a name, got a number (1); ignored',
        '.claude/memory.jsonl:1 not a JSON line, skipped: not json',
      ]);
    },
  );
});
