// Which runner does an agent's work (docs/runners.md): the config's keys, their
// errors, and `--runner` for a whole run (journaled, so `resume` keeps it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/core/project/config/config';
import { runnerNameFor, runRunnerOf } from '../../../src/core/runners/choose';
import { parseRunnerPick, runnerPickText } from '../../../src/core/runners';
import { lastSession } from '../../../src/core/pipeline/agent';
import { ProjectFileError } from '../../../src/core/project/sources/errors';
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
  assert.deepEqual(config.agentCli['claude-code'], {
    command: '/opt/claude/bin/claude',
    env: ['ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL'],
    maxTurns: 12,
    timeoutSec: 900,
  });
  assert.deepEqual(parseConfig('version: 1\n').runners, {});
});

test('--runner puts every layer of the run on one runner, not the roles; a resumed run keeps it from its journal', () => {
  const config = parseConfig(YAML);
  assert.equal(runnerNameFor(config, 'backend', 'codex'), 'codex');
  assert.equal(runnerNameFor(config, 'web', 'codex'), 'codex');
  assert.equal(runnerNameFor(config, 'review', 'codex'), 'claude-code');
  const journal: StateEvent[] = [
    { type: 'run.started', runId: 'r', kind: 'feature', request: 'x', runner: 'claude-code', seq: 1 },
    { type: 'run.started', runId: 'r', kind: 'feature', request: 'x', seq: 9 },
  ];
  assert.equal(runRunnerOf(undefined, journal), 'claude-code');
  assert.equal(runRunnerOf('agent', journal), 'agent');
  assert.equal(runRunnerOf(undefined, []), undefined);
});

test('bad runner settings name the key: an unknown runner, external for a role, an unknown CLI, a bad variable name', () => {
  assert.throws(() => parseConfig('layers:\n  db: { owns: ["db/**"], runner: claud }\n'), /layers\.db\.runner/);
  assert.throws(
    () => parseConfig('runners: { review: external }\n'),
    (e: Error) => /runners\.review/.test(e.message) && /layers only/.test(e.message),
  );
  assert.throws(() => parseConfig('runners: { database: codex }\n'), /runners/);
  assert.throws(() => parseConfig('agentCli: { cursor: { command: cursor } }\n'), /agentCli/);
  assert.throws(() => parseConfig('agentCli: { codex: { env: ["OPENAI API KEY"] } }\n'), /agentCli\.codex\.env/);
  assert.throws(() => parseConfig('agentCli: { codex: { maxTurns: 0 } }\n'), /agentCli\.codex\.maxTurns/);
});

test('cli: --runner NAME belongs to the commands that run, and takes a known runner', () => {
  assert.equal(parseArgs(['feature', 'x', '--runner', 'claude-code'], '/w').runner, 'claude-code');
  assert.equal(parseArgs(['approve', 's', '--runner=codex'], '/w').runner, 'codex');
  assert.throws(
    () => parseArgs(['feature', 'x', '--runner', 'cursor'], '/w'),
    (e: Error) =>
      e instanceof UsageError && /agent, external, claude-code, codex, gemini, copilot, opencode/.test(e.message),
  );
  assert.throws(() => parseArgs(['specs', '--runner', 'codex'], '/w'), /--runner belongs to/);
});

test('attemptRunners: each entry a runner or runner:model (the model is all after the first colon); a bad one names file, line and key', () => {
  assert.deepEqual(parseRunnerPick('claude-code'), { runner: 'claude-code' });
  assert.deepEqual(parseRunnerPick('agent:claude-haiku-4-5'), { runner: 'agent', model: 'claude-haiku-4-5' });
  assert.deepEqual(parseRunnerPick('agent:openai:gpt-5.5'), { runner: 'agent', model: 'openai:gpt-5.5' });
  assert.equal(runnerPickText(parseRunnerPick('codex:gpt-5.5')), 'codex:gpt-5.5');
  assert.throws(() => parseRunnerPick('external'), /unknown runner "external"/);
  assert.throws(() => parseRunnerPick('agent:'), /no model after the colon/);
  const config = parseConfig('attemptRunners: [claude-code, codex, "agent:claude-haiku-4-5"]\n');
  assert.deepEqual(config.attemptRunners, ['claude-code', 'codex', 'agent:claude-haiku-4-5']);
  assert.deepEqual(parseConfig('version: 1\n').attemptRunners, []);
  assert.throws(
    () => parseConfig('version: 1\nattemptRunners:\n  - codex\n  - "cursor:fast"\n'),
    (e: Error) => {
      assert.ok(e instanceof ProjectFileError, String(e));
      assert.match(
        e.message,
        /^\.claude\/orchestrator\.yaml:4:\d+ attemptRunners\[1\]: unknown runner "cursor": write runner or runner:model, with one of agent, claude-code, codex/,
      );
      return true;
    },
  );
});

test("a retry resumes the session of the runner it runs on, never another runner's session of the same layer", () => {
  const events: StateEvent[] = [
    {
      type: 'agent.session',
      agent: 'backend',
      attempt: 1,
      runner: 'codex',
      session: 's-codex',
      worktree: '/w1',
      seq: 2,
    },
    {
      type: 'agent.session',
      agent: 'backend',
      attempt: 1,
      runner: 'claude-code',
      session: 's-claude',
      worktree: '/w2',
      seq: 3,
    },
    {
      type: 'agent.session',
      agent: 'frontend',
      attempt: 1,
      runner: 'codex',
      session: 's-front',
      worktree: '/w3',
      seq: 4,
    },
  ];
  assert.equal(lastSession(events, 'backend', 'codex'), 's-codex');
  assert.equal(lastSession(events, 'backend', 'claude-code'), 's-claude');
  assert.equal(lastSession(events, 'backend', 'gemini'), undefined);
  assert.equal(lastSession(events, 'backend', 'codex', 2), undefined, 'only sessions after the job began');
});
