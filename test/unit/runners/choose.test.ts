// Which runner does an agent's work (docs/runners.md): the config's keys, their
// errors, and `--runner` for a whole run (journaled, so `resume` keeps it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/core/project/config/config';
import { runnerNameFor, runRunnerOf } from '../../../src/core/runners/choose';
import { parseArgs, UsageError } from '../../../src/cli/args';
import type { StateEvent } from '../../../src/core/journal/state';

const YAML = `layers:
  database: { owns: ["db/**"], runner: claude-code }
  backend: { owns: ["server/**"] }
  web: { owns: ["web/**"], runner: external }
runners: { review: claude-code }
agentCli:
  claude-code: { command: /opt/claude/bin/claude, env: [ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL], maxTurns: 12, timeoutSec: 900 }
`;

test('layers.<name>.runner, runners.<role> and agentCli.<runner> are read; agent is the default', () => {
  const config = parseConfig(YAML);
  assert.equal(runnerNameFor(config, 'database', undefined), 'claude-code');
  assert.equal(runnerNameFor(config, 'backend', undefined), 'agent');
  assert.equal(runnerNameFor(config, 'web', undefined), 'external');
  assert.equal(runnerNameFor(config, 'review', undefined), 'claude-code');
  assert.equal(runnerNameFor(config, 'spec', undefined), 'agent');
  assert.deepEqual(config.agentCli['claude-code'], { command: '/opt/claude/bin/claude', env: ['ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL'], maxTurns: 12, timeoutSec: 900 });
  assert.deepEqual(parseConfig('version: 1\n').runners, {});
});

test('--runner puts every layer of the run on one runner, not the roles; a resumed run keeps it from its journal', () => {
  const config = parseConfig(YAML);
  assert.equal(runnerNameFor(config, 'backend', 'codex'), 'codex');
  assert.equal(runnerNameFor(config, 'web', 'codex'), 'codex');
  assert.equal(runnerNameFor(config, 'review', 'codex'), 'claude-code');
  const journal: StateEvent[] = [{ type: 'run.started', runId: 'r', kind: 'feature', request: 'x', runner: 'claude-code', seq: 1 }, { type: 'run.started', runId: 'r', kind: 'feature', request: 'x', seq: 9 }];
  assert.equal(runRunnerOf(undefined, journal), 'claude-code');
  assert.equal(runRunnerOf('agent', journal), 'agent');
  assert.equal(runRunnerOf(undefined, []), undefined);
});

test('bad runner settings name the key: an unknown runner, external for a role, an unknown CLI, a bad variable name', () => {
  assert.throws(() => parseConfig('layers:\n  db: { owns: ["db/**"], runner: claud }\n'), /layers\.db\.runner/);
  assert.throws(() => parseConfig('runners: { review: external }\n'), (e: Error) => /runners\.review/.test(e.message) && /layers only/.test(e.message));
  assert.throws(() => parseConfig('runners: { database: codex }\n'), /runners/);
  assert.throws(() => parseConfig('agentCli: { cursor: { command: cursor } }\n'), /agentCli/);
  assert.throws(() => parseConfig('agentCli: { codex: { env: ["OPENAI API KEY"] } }\n'), /agentCli\.codex\.env/);
  assert.throws(() => parseConfig('agentCli: { codex: { maxTurns: 0 } }\n'), /agentCli\.codex\.maxTurns/);
});

test('cli: --runner NAME belongs to the commands that run, and takes a known runner', () => {
  assert.equal(parseArgs(['feature', 'x', '--runner', 'claude-code'], '/w').runner, 'claude-code');
  assert.equal(parseArgs(['approve', 's', '--runner=codex'], '/w').runner, 'codex');
  assert.throws(() => parseArgs(['feature', 'x', '--runner', 'cursor'], '/w'), (e: Error) => e instanceof UsageError && /agent, external, claude-code, codex, gemini, copilot, opencode/.test(e.message));
  assert.throws(() => parseArgs(['specs', '--runner', 'codex'], '/w'), /--runner belongs to/);
});
