// The CLI agents the no-key offer lists for the layers: found on PATH as a shell finds them.
import assert from 'node:assert/strict';
import { delimiter, join } from 'node:path';
import { test } from 'node:test';
import { cliAgentsOnPath } from '../../../src/extension/run/cliAgents';

test('CLI agents are found by their program on PATH, first directory first; none when absent', () => {
  const present = new Set([join('/opt/b', 'claude'), join('/opt/a', 'codex'), join('/opt/b', 'codex'), join('/opt/b', 'gemini')]);
  const found = cliAgentsOnPath({ PATH: ['/opt/a', '/opt/b'].join(delimiter) }, (p) => present.has(p), 'linux');
  assert.deepEqual(found.map((a) => [a.runner, a.name, a.path]), [
    ['claude-code', 'Claude Code', join('/opt/b', 'claude')],
    ['codex', 'Codex CLI', join('/opt/a', 'codex')],
    ['gemini', 'Gemini CLI', join('/opt/b', 'gemini')],
  ]);
  assert.deepEqual(cliAgentsOnPath({}, () => true, 'linux'), [], 'no PATH, nothing found');
  const windows = cliAgentsOnPath({ Path: 'C:\\bin' }, (p) => p.endsWith('claude.cmd'), 'win32');
  assert.deepEqual(windows.map((a) => a.runner), ['claude-code']);
});
