/**
 * The config's JSON Schema and its table of options (issue 59): generated from the zod schema the
 * loader checks with, committed where the editor and the docs read them, and agreeing with the
 * loader on what a config may hold: a misspelt key is flagged by both, a valid config by neither.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { parseConfig } from '../../../src/core/project/config/config';
import {
  configJsonSchema,
  optionsTable,
  SCHEMA_MODELINE,
  withOptionsTable,
} from '../../../src/core/project/config/configJsonSchema';

const ROOT = join(__dirname, '..', '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

// A real validator (ajv, already installed for eslint), not our reading of the schema.
const validate = new Ajv({ allErrors: true }).compile(configJsonSchema());

/** What the JSON Schema says of a config text: its errors as `path: message`, none when valid. */
function schemaErrors(text: string): string[] {
  return validate((parse(text) as unknown) ?? {})
    ? []
    : (validate.errors ?? []).map(
        (e) =>
          `${e.dataPath}: ${e.message}${'additionalProperty' in e.params ? ` ${String(e.params.additionalProperty)}` : ''}`,
      );
}

/** What the loader says: its one-line error, or nothing. */
function loaderError(text: string): string | undefined {
  try {
    parseConfig(text);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

test('media/orchestrator.schema.json and the options of docs/configuration.md are what the schema generates (node scripts/config-schema.mjs rewrites them)', () => {
  assert.deepEqual(JSON.parse(read('media/orchestrator.schema.json')), configJsonSchema());
  const doc = read('docs/configuration.md');
  assert.equal(withOptionsTable(doc), doc, 'docs/configuration.md is stale: run node scripts/config-schema.mjs');
  const pkg = JSON.parse(read('package.json')) as {
    contributes: { yamlValidation: { fileMatch: string; url: string }[] };
  };
  assert.deepEqual(
    pkg.contributes.yamlValidation.find((v) => v.url === './media/orchestrator.schema.json'),
    { fileMatch: '**/.claude/orchestrator.yaml', url: './media/orchestrator.schema.json' },
  );
});

test('every option has a row with a description, the sections the docs lacked included, and its default', () => {
  const rows = optionsTable()
    .split('\n')
    .filter((line) => line.startsWith('| `'));
  const undescribed = rows.filter((line) => line.endsWith('|  |')).map((line) => line.split('|')[1]!.trim());
  assert.deepEqual(undescribed, [], 'options without a description (add one with about() in src/core/project/config)');
  const row = (key: string) => rows.find((line) => line.startsWith(`| \`${key}\` |`));
  assert.match(row('limits.maxBudgetUsd') ?? '', /\| number > 0 \| `5` \|/);
  assert.match(row('checkpoints.keep') ?? '', /\| whole number ≥ 1 \| `20` \|/);
  assert.match(row('privacy.deny') ?? '', /\| list of texts \| `\[\]` \|/);
  assert.match(row('layers.<layer>.runner') ?? '', /`auto`/);
  assert.match(row('sandbox') ?? '', /`required` \\\| `off`, or section/);
  assert.match(row('agentCli.<runner>.timeoutSec') ?? '', /Default: 1800/);
});

test('a misspelt key is flagged by the JSON Schema and by the loader alike, at any depth', () => {
  for (const [text, key, loader] of [
    [
      'limits:\n  maxRetry: 3\n',
      'maxRetry',
      '.claude/orchestrator.yaml:2:3 limits.maxRetry: unknown key; did you mean `maxRetries`?',
    ],
    ['modles:\n  default: x\n', 'modles', '.claude/orchestrator.yaml:1:1 modles: unknown key; did you mean `models`?'],
    [
      'layers:\n  web:\n    owns: [web/**]\n    afterr: [x]\n',
      'afterr',
      '.claude/orchestrator.yaml:4:5 layers.web.afterr: unknown key; did you mean `after`?',
    ],
    [
      'sandbox:\n  mode: off\n  networks: []\n',
      'networks',
      '.claude/orchestrator.yaml:3:3 sandbox.networks: unknown key; did you mean `network`?',
    ],
    [
      'agentCli:\n  codex: { comand: codex }\n',
      'comand',
      '.claude/orchestrator.yaml:2:12 agentCli.codex.comand: unknown key; did you mean `command`?',
    ],
  ] as const) {
    assert.ok(
      schemaErrors(text).some((e) => e.endsWith(`should NOT have additional properties ${key}`)),
      `the schema takes ${key}: ${schemaErrors(text).join('; ')}`,
    );
    assert.equal(loaderError(text), loader);
  }
  // A value out of range, too.
  assert.ok(schemaErrors('attempts: 9\n').some((e) => e.startsWith('.attempts: should be <= 8')));
  assert.equal(loaderError('attempts: 9\n'), '.claude/orchestrator.yaml:1:1 attempts: must be at most 8, got 9');
});

test("what the loader takes, the schema takes: the short and long sandbox, runner auto, this repository's and the examples' configs", () => {
  for (const text of [
    'sandbox: off\n',
    'sandbox: { mode: required, network: ["registry.npmjs.org"] }\n',
    'layers:\n  api: { owns: ["api/**"], runner: auto, attempts: 3 }\nattemptRunners: [claude-code, "agent:claude-haiku-4-5"]\n',
    `# ${SCHEMA_MODELINE}\nversion: 1\n`,
    '',
    read('.claude/orchestrator.yaml'),
    read('examples/shop/.claude/orchestrator.yaml'),
    read('examples/clinic/.claude/orchestrator.yaml'),
    read('examples/till/.claude/orchestrator.yaml'),
    ...['service', 'sdk', 'web'].map((member) => read(`examples/changeset/${member}/.claude/orchestrator.yaml`)),
  ]) {
    assert.equal(loaderError(text), undefined, text.slice(0, 80));
    assert.deepEqual(schemaErrors(text), [], text.slice(0, 80));
  }
});
