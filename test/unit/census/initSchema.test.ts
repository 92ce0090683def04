/**
 * `init` names the config's JSON Schema (issue 59): its first line points editors with the YAML
 * language server at `.claude/orchestrator.schema.json`, written beside it from the schema the
 * loader checks with, and written again when it is stale, also when the config itself is kept.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { initFromCensus } from '../../../src/core/census/init/initFromCensus';
import { CONFIG_SCHEMA_FILE, configJsonSchema } from '../../../src/core/project/config/configJsonSchema';
import { makeRepo } from '../../support/census';

test('init writes the schema beside the config and names it on the first line; the config it writes is valid by that schema; a stale schema is written again, the config kept', async () => {
  const repo = await makeRepo({
    'package.json': JSON.stringify({ name: 'calc', scripts: { build: 'tsc -p .' } }),
    'src/calc.ts': 'export const add = (a: number, b: number) => a + b;\n',
  });
  try {
    const first = await initFromCensus(repo.dir, { trusted: false, verify: false });
    assert.equal(first.config, 'created');
    assert.ok(first.created.includes(CONFIG_SCHEMA_FILE), first.created.join(', '));
    const written = JSON.parse(await readFile(join(repo.dir, CONFIG_SCHEMA_FILE), 'utf8')) as object;
    assert.deepEqual(written, configJsonSchema());
    const config = await readFile(join(repo.dir, '.claude/orchestrator.yaml'), 'utf8');
    assert.equal(config.split('\n')[0], '# yaml-language-server: $schema=orchestrator.schema.json');
    const validate = new Ajv({ allErrors: true }).compile(written);
    assert.ok(validate(parse(config)), JSON.stringify(validate.errors));

    const again = await initFromCensus(repo.dir, { trusted: false, verify: false });
    assert.equal(again.config, 'kept');
    assert.ok(
      again.kept.includes(CONFIG_SCHEMA_FILE) && !again.created.includes(CONFIG_SCHEMA_FILE),
      'an up-to-date schema is left alone',
    );

    await writeFile(join(repo.dir, CONFIG_SCHEMA_FILE), '{"title": "an older version"}\n');
    const upgraded = await initFromCensus(repo.dir, { trusted: false, verify: false });
    assert.equal(upgraded.config, 'kept');
    assert.ok(upgraded.created.includes(CONFIG_SCHEMA_FILE));
    assert.deepEqual(JSON.parse(await readFile(join(repo.dir, CONFIG_SCHEMA_FILE), 'utf8')), configJsonSchema());
    assert.equal(
      await readFile(join(repo.dir, '.claude/orchestrator.yaml'), 'utf8'),
      config,
      'the config is kept as it was',
    );
  } finally {
    await repo.cleanup();
  }
});
