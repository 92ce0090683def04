/**
 * VS Code has what the CLI has (issue 59): `orchestrator.runner` takes `auto` as `--runner` does,
 * `orchestrator.attempts` takes what `--attempts` takes and goes with the runs that start (not a
 * resume, whose journal keeps its number), and the start tools' runner is the CLI's list. Each
 * rule is held against what package.json declares, which VS Code shows and checks.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { LAYER_RUNNERS, MAX_ATTEMPTS } from '../../../src/core/text/runnerNames';
import { check, startRunInput } from '../../../src/extension/chat/chatInputs';
import { attemptsSetting, runnerSetting, runSettings } from '../../../src/extension/config/settingValues';

interface Manifest {
  contributes: {
    configuration: {
      properties: Record<
        string,
        {
          type: string | string[];
          enum?: string[];
          enumDescriptions?: string[];
          minimum?: number;
          maximum?: number;
          default?: unknown;
        }
      >;
    };
    languageModelTools: { name: string; inputSchema: { properties: Record<string, { enum?: string[] }> } }[];
  };
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
}
const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as Manifest;
const setting = (name: string) => manifest.contributes.configuration.properties[`orchestrator.${name}`];

test('orchestrator.runner offers what --runner takes, external and auto included, each with its description', () => {
  const runner = setting('runner');
  assert.deepEqual(runner?.enum, ['', ...LAYER_RUNNERS]);
  assert.equal(runner?.enumDescriptions?.length, runner?.enum?.length);
  assert.match(runner!.enumDescriptions![runner!.enum!.indexOf('external')]!, /task queue/);
  for (const name of ['auto', 'claude-code', 'external']) assert.equal(runnerSetting(name), name);
  for (const ignored of ['', 'Auto', 'gpt', undefined, 3])
    assert.equal(runnerSetting(ignored), undefined, String(ignored));
});

test("orchestrator.attempts takes 1 to MAX_ATTEMPTS as --attempts does; empty leaves the config's; a workspace cannot set it in Restricted Mode", () => {
  const attempts = setting('attempts');
  assert.deepEqual(
    [attempts?.type, attempts?.minimum, attempts?.maximum, attempts?.default],
    [['integer', 'null'], 1, MAX_ATTEMPTS, null],
  );
  assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('orchestrator.attempts'));
  assert.equal(attemptsSetting(3), 3);
  assert.equal(attemptsSetting(MAX_ATTEMPTS), MAX_ATTEMPTS);
  for (const ignored of [null, undefined, 0, MAX_ATTEMPTS + 1, 2.5, '3'])
    assert.equal(attemptsSetting(ignored), undefined, String(ignored));
});

test('the settings go with the runs: the runner with each, the attempts with those that start one (a resume keeps its own, an audit has none)', () => {
  const both = { runner: 'auto' as const, attempts: 3 };
  for (const kind of ['feature', 'bugfix', 'approve'] as const) assert.deepEqual(runSettings(both, kind), both, kind);
  for (const kind of ['resume', 'audit', 'sync'] as const)
    assert.deepEqual(runSettings(both, kind), { runner: 'auto' }, kind);
  assert.deepEqual(runSettings({}, 'feature'), {});
});

test('the start tools take every runner --runner takes, auto included, in their schema and their check', () => {
  for (const name of ['orchestrator_startFeature', 'orchestrator_startBugfix']) {
    const tool = manifest.contributes.languageModelTools.find((t) => t.name === name);
    assert.deepEqual(tool?.inputSchema.properties.runner?.enum, [...LAYER_RUNNERS], name);
  }
  assert.deepEqual(check(startRunInput, { request: 'Add a Supplier entity', runner: 'auto' }), {
    ok: true,
    value: { request: 'Add a Supplier entity', runner: 'auto' },
  });
  assert.equal(check(startRunInput, { request: 'Add a Supplier entity', runner: 'robot' }).ok, false);
});
