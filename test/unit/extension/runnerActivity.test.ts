// A CLI agent's tool calls in the run's activity (issue 27): the file it wrote (from its own
// worktree's absolute path), the files of a patch, the command it ran, on one line each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineEvent } from '../../../src/core/events';
import { applyEngineEvent, newRun } from '../../../src/extension/view/runReducer';

const called = (tool: string, input: unknown, isError = false): EngineEvent =>
  ({ type: 'tool.called', agent: 'backend', tool, input, isError, result: '' }) as EngineEvent;

test("a CLI agent's files and commands show in the activity, relative to the workspace, on one line", () => {
  let run = newRun('feature', 'Add products', true);
  run = applyEngineEvent(
    run,
    called('Write', {
      file_path: '/home/u/.cache/orchestrator/worktrees/shop-1/20261123-1.agents/backend/server/entities/product.js',
      content: '…',
    }),
  );
  run = applyEngineEvent(run, called('apply_patch', { files: ['add server/a.js', 'update server/b.js'] }));
  run = applyEngineEvent(run, called('shell', { command: "/bin/bash -lc 'npm test\n  -- --watch=false'" }));
  run = applyEngineEvent(run, called('apply_patch', { files: ['add web/x.js'] }, true));
  assert.deepEqual(
    run.activity.map((a) => a.text),
    [
      'backend · Write server/entities/product.js',
      'backend · apply_patch add server/a.js, update server/b.js',
      "backend · shell $ /bin/bash -lc 'npm test -- --watch=false'",
      'backend · apply_patch add web/x.js (refused)',
    ],
  );
  assert.equal(run.activity.at(-1)!.level, 'warn');
});

test("opencode's tool calls (its filePath, its bash command) show the same way", () => {
  let run = newRun('feature', 'Add products', true);
  run = applyEngineEvent(run, called('write', { filePath: 'server/entities/product.js', content: '…' }));
  run = applyEngineEvent(run, called('bash', { command: 'ls db', description: 'lists' }));
  run = applyEngineEvent(run, called('write', { filePath: 'web/src/hack.js', content: 'x' }, true));
  assert.deepEqual(
    run.activity.map((a) => a.text),
    [
      'backend · write server/entities/product.js',
      'backend · bash $ ls db',
      'backend · write web/src/hack.js (refused)',
    ],
  );
});
