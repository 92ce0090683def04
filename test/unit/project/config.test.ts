import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_MODEL,
  DEFAULT_REVIEW_MODEL,
  isSchemaPath,
  layerOwning,
  loadConfig,
  modelFor,
  parseConfig,
} from '../../../src/core/project/config/config';
import { ProjectFileError } from '../../../src/core/project/sources/errors';
import { applyOverrides } from '../../../src/core/pipeline/run/runSetup';
import { inTempWorkspace } from '../../support/tempWorkspace';

const FULL = `version: 1
models:
  default: claude-sonnet-5-5
  agents: { review: claude-opus-5-5, spec: claude-haiku-5-5 }
layers:
  database: { owns: ["db/**"], validate: ["node db/check.js"] }
  backend: { owns: ["server/**", "shared/**"], validate: ["npm run build"] }
  frontend: { owns: ["web/**"], validate: ["npx tsc --noEmit"], after: [backend], context: docs/web.context.md }
sync: ["node .claude/scripts/sync-registry.js"]
schema: ["db/migrations/**"]
limits:
  maxRetries: 1
  maxBudgetUsd: 2.5
review: { skipIfFilesChangedAtMost: 0 }
pricing: { "my-model": { input: 1, output: 2, cacheRead: 0.1 } }
`;

/** Asserts the exact `file:line:col key: detail` message. */
function assertConfigError(text: string, expected: string): void {
  assert.throws(
    () => parseConfig(text),
    (error: unknown) => {
      assert.ok(error instanceof ProjectFileError, `not a ProjectFileError: ${String(error)}`);
      assert.equal(error.message, expected);
      return true;
    },
  );
}

test('a full config parses, with defaults for the keys it leaves out', () => {
  const config = parseConfig(FULL);
  assert.deepEqual(Object.keys(config.layers), ['database', 'backend', 'frontend']);
  assert.deepEqual(config.layers.frontend, {
    owns: ['web/**'],
    validate: ['npx tsc --noEmit'],
    after: ['backend'],
    context: 'docs/web.context.md',
  });
  assert.deepEqual(config.limits, {
    maxRetries: 1,
    maxReviewRetries: 2,
    maxBudgetUsd: 2.5,
    maxAgentTurns: 40,
    concurrency: 3,
    commandTimeoutSec: 600,
    apiRetryWindowSec: 600,
    maxBlocks: 2,
    confirmationWaitSec: 86_400,
    concurrentRuns: 3,
  });
  assert.equal(config.review.skipIfFilesChangedAtMost, 0);
  assert.deepEqual(config.pricing, { 'my-model': { input: 1, output: 2, cacheRead: 0.1 } });
  assert.deepEqual(config.schema, ['db/migrations/**']);
  assert.deepEqual(config.sync, ['node .claude/scripts/sync-registry.js']);
});

test('a missing or empty file means the default config', async () => {
  await inTempWorkspace({}, async (dir) => {
    const config = await loadConfig(dir);
    assert.deepEqual(parseConfig('# nothing yet\n'), config);
    assert.equal(config.models.default, DEFAULT_MODEL);
    assert.notEqual(config.models.default, 'claude-sonnet-4-5');
    assert.deepEqual(Object.keys(config.layers), ['database', 'backend', 'frontend']);
    assert.deepEqual(config.layers.frontend?.after, ['backend']);
    assert.deepEqual(config.schema, ['db/**']);
    assert.deepEqual(config.limits, {
      maxRetries: 2,
      maxReviewRetries: 2,
      maxBudgetUsd: 5,
      maxAgentTurns: 40,
      concurrency: 3,
      commandTimeoutSec: 600,
      apiRetryWindowSec: 600,
      maxBlocks: 2,
      confirmationWaitSec: 86_400,
      concurrentRuns: 3,
    });
    assert.equal(config.review.skipIfFilesChangedAtMost, 3);
  });
});

test('loadConfig reads the workspace file', async () => {
  await inTempWorkspace({ '.claude/orchestrator.yaml': 'limits:\n  concurrency: 1\n' }, async (dir) => {
    assert.equal((await loadConfig(dir)).limits.concurrency, 1);
  });
});

test('models: per-agent model, else the default; review defaults to the review model', () => {
  const config = parseConfig(FULL);
  assert.equal(modelFor(config, 'spec'), 'claude-haiku-5-5');
  assert.equal(modelFor(config, 'backend'), 'claude-sonnet-5-5');
  assert.equal(
    modelFor(parseConfig('models: { default: m1, agents: { backend: m2 } }'), 'review'),
    DEFAULT_REVIEW_MODEL,
  );
  assert.equal(modelFor(parseConfig('models: { default: m1 }'), 'constructor'), 'm1');
});

test('models: a default on another provider applies to review too (no Anthropic key needed); an explicit review entry wins', () => {
  assert.equal(
    modelFor(parseConfig('models: { default: "vscode-lm:copilot/gpt-4o" }'), 'review'),
    'vscode-lm:copilot/gpt-4o',
  );
  assert.equal(modelFor(parseConfig('models: { default: "openai:gpt-4.1" }'), 'review'), 'openai:gpt-4.1');
  assert.equal(
    modelFor(parseConfig('models: { default: "anthropic:claude-sonnet-5-5" }'), 'review'),
    DEFAULT_REVIEW_MODEL,
  );
  assert.equal(
    modelFor(
      parseConfig('models: { default: "vscode-lm:copilot/gpt-4o", agents: { review: claude-opus-5-5 } }'),
      'review',
    ),
    'claude-opus-5-5',
  );
  // The editor's setting overrides the file's default after parsing: the rule follows it.
  const overridden = applyOverrides(parseConfig('models: { default: claude-sonnet-5-5 }'), {
    models: { default: 'vscode-lm:copilot/gpt-4o' },
  });
  assert.equal(modelFor(overridden, 'review'), 'vscode-lm:copilot/gpt-4o');
});

test('wrong type names file, line and key', () => {
  assertConfigError(
    'version: 1\nlayers:\n  db: { owns: ["db/**"] }\nsync: []\n\nlimits:\n  maxRetries: two\n',
    '.claude/orchestrator.yaml:7:3 limits.maxRetries: expected a number, got "two"',
  );
  assertConfigError(
    'limits:\n  maxRetries: 1.5\n',
    '.claude/orchestrator.yaml:2:3 limits.maxRetries: expected a whole number, got 1.5',
  );
  assertConfigError(
    'limits:\n  concurrency: 0\n',
    '.claude/orchestrator.yaml:2:3 limits.concurrency: must be at least 1, got 0',
  );
  assertConfigError(
    'layers:\n  backend:\n    owns: server/**\n',
    '.claude/orchestrator.yaml:3:5 layers.backend.owns: expected a list, got "server/**"',
  );
});

test('unknown keys are errors at the key, at any depth, with the key that was meant', () => {
  assertConfigError(
    'version: 1\nlimits:\n  maxRetry: 3\n',
    '.claude/orchestrator.yaml:3:3 limits.maxRetry: unknown key; did you mean `maxRetries`?',
  );
  assertConfigError(
    'modles:\n  default: x\n',
    '.claude/orchestrator.yaml:1:1 modles: unknown key; did you mean `models`?',
  );
  assertConfigError(
    'layers:\n  web:\n    owns: [web/**]\n    afterr: [x]\n',
    '.claude/orchestrator.yaml:4:5 layers.web.afterr: unknown key; did you mean `after`?',
  );
  assertConfigError(
    'layers:\n  web:\n    owns: [web/**]\n    validte: [x]\n',
    '.claude/orchestrator.yaml:4:5 layers.web.validte: unknown key; did you mean `validate`?',
  );
  assertConfigError('worktree:\n  colour: blue\n', '.claude/orchestrator.yaml:2:3 worktree.colour: unknown key');
});

test('missing required key points at its parent', () => {
  assertConfigError(
    'layers:\n  web:\n    validate: [tsc]\n',
    '.claude/orchestrator.yaml:2:3 layers.web.owns: missing (expected a list)',
  );
});

test('YAML syntax errors carry the line', () => {
  assert.throws(
    () => parseConfig('limits:\n  maxRetries: 2\n maxBudgetUsd: 3\n'),
    /^ProjectFileError: \.claude\/orchestrator\.yaml:3:\d+ YAML syntax error: /,
  );
  assert.throws(
    () => parseConfig('sync: [a,\nlimits: {}\n'),
    /^ProjectFileError: \.claude\/orchestrator\.yaml:2:\d+ YAML syntax error: /,
  );
  assertConfigError(
    'limits:\n  maxRetries: 1\n  maxRetries: 2\n',
    '.claude/orchestrator.yaml:3:3 YAML syntax error: Map keys must be unique',
  );
});

test('after must name an existing layer', () => {
  assertConfigError(
    'layers:\n  api: { owns: [api/**] }\n  web:\n    owns: [web/**]\n    after: [api, backend]\n',
    '.claude/orchestrator.yaml:5:18 layers.web.after[1]: unknown layer "backend" (layers: api, web)',
  );
});

test('a cycle in after is an error naming the layer key and the cycle', () => {
  assertConfigError(
    'layers:\n  db: { owns: [db/**] }\n  api:\n    owns: [api/**]\n    after: [web]\n  web:\n    owns: [web/**]\n    after: [api]\n',
    '.claude/orchestrator.yaml:5:5 layers.api.after: cycle in after: api → web → api',
  );
  assertConfigError(
    'layers:\n  solo: { owns: [x/**], after: [solo] }\n',
    '.claude/orchestrator.yaml:2:25 layers.solo.after: cycle in after: solo → solo',
  );
});

test('layer names and context paths are checked', () => {
  assertConfigError(
    'layers:\n  "../x": { owns: [a] }\n',
    '.claude/orchestrator.yaml:2:3 layers.../x: names may only use letters, digits, "-" and "_"',
  );
  assertConfigError(
    'layers:\n  api: { owns: [a], context: .claude/context/api.core.md }\n',
    '.claude/orchestrator.yaml:2:21 layers.api.context: must be a compiled .context.md file, never a .core.md source',
  );
  assertConfigError('layers: {}\n', '.claude/orchestrator.yaml:1:1 layers: at least one layer is required');
});

test('the top level must be a mapping', () => {
  assertConfigError('- a\n- b\n', '.claude/orchestrator.yaml:1:1 expected a mapping, got a list');
});

test('layerOwning finds the first layer whose globs match', () => {
  const config = parseConfig(FULL);
  assert.equal(layerOwning(config, 'server/api/orders.ts'), 'backend');
  assert.equal(layerOwning(config, './shared/types.ts'), 'backend');
  assert.equal(layerOwning(config, 'web\\src\\App.tsx'), 'frontend');
  assert.equal(layerOwning(config, 'db/.migrations/001.sql'), 'database');
  assert.equal(layerOwning(config, 'README.md'), undefined);
  assert.equal(layerOwning(config, '../server/x.ts'), undefined);
  assert.equal(layerOwning(config, '/server/x.ts'), undefined);
});

test('schema paths default to what the database layer owns', () => {
  assert.equal(isSchemaPath(parseConfig(''), 'db/migrations/1.sql'), true);
  assert.equal(isSchemaPath(parseConfig(''), 'server/a.ts'), false);
  assert.equal(isSchemaPath(parseConfig(FULL), 'db/seed.sql'), false);
  assert.deepEqual(parseConfig('layers: { api: { owns: [api/**] } }').schema, []);
});
