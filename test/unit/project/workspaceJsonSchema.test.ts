/**
 * The workspace file's JSON Schema (issue 73): generated from the zod schema the loader checks with,
 * committed where the editor reads it (package.json `yamlValidation`), every key described, and
 * agreeing with the zod schema on what a file may hold: a misspelt key or an unknown `via` is flagged
 * by both, the docs' and the example's files by neither.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { workspaceJsonSchema, workspaceSchema } from '../../../src/core/project/changeSet';

const ROOT = join(__dirname, '..', '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

// A real validator (ajv, already installed for eslint), not our reading of the schema.
const validate = new Ajv({ allErrors: true }).compile(workspaceJsonSchema());

/** [the JSON Schema takes it, the zod schema takes it]. */
function verdicts(text: string): [boolean, boolean] {
  const value = parse(text) as unknown;
  return [validate(value) === true, workspaceSchema.safeParse(value).success];
}

test('media/workspace.schema.json is what the schema generates (node scripts/workspace-schema.mjs rewrites it), for .claude/workspace.yaml anywhere', () => {
  assert.deepEqual(JSON.parse(read('media/workspace.schema.json')), workspaceJsonSchema());
  const pkg = JSON.parse(read('package.json')) as {
    contributes: { yamlValidation: { fileMatch: string; url: string }[] };
  };
  assert.deepEqual(
    pkg.contributes.yamlValidation.find((v) => v.url === './media/workspace.schema.json'),
    { fileMatch: '**/.claude/workspace.yaml', url: './media/workspace.schema.json' },
  );
});

test('every key the editor offers has a description', () => {
  type Node = { properties?: Record<string, Node>; items?: Node; additionalProperties?: Node | boolean };
  const undescribed: string[] = [];
  const walk = (node: Node, at: string) => {
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      if (!(child as { description?: string }).description) undescribed.push(`${at}${name}`);
      walk(child, `${at}${name}.`);
    }
    if (node.items) walk(node.items, `${at}[].`);
    if (typeof node.additionalProperties === 'object') walk(node.additionalProperties, `${at}<name>.`);
  };
  walk(workspaceJsonSchema() as Node, '');
  assert.deepEqual(undescribed, []);
});

test('the JSON Schema and the zod schema agree: the docs and the example taken, each mistake refused by both', () => {
  const docs = /```yaml\n(version: 1\nrepositories:[\s\S]*?)```/.exec(read('docs/changesets.md'))?.[1];
  assert.ok(docs, 'the workspace file of docs/changesets.md');
  const good = 'version: 1\nrepositories:\n  Service.v2: { path: service }\n  web: { github: shop/web }\n';
  for (const text of [docs, good, read('examples/changeset/.claude/workspace.yaml')])
    assert.deepEqual(verdicts(text), [true, true], text);
  const base = 'version: 1\nrepositories:\n  a: { path: a }\n  b: { path: b }\n';
  for (const text of [
    'version: 1\nrepositories:\n  a: { path: a }\n  b: { path: b, gitlab: x/y }\n',
    `${base}uses:\n  - { consumer: a, produce: b, via: npm, package: x }\n`,
    `${base}uses:\n  - { consumer: a, producer: b, via: maven, package: x }\n`,
    `${base}use: []\n`,
    'version: 2\nrepositories:\n  a: { path: a }\n  b: { path: b }\n',
    'version: 1\nrepositories:\n  -a: { path: a }\n  b: { path: b }\n',
    'version: 1\nrepositories:\n  a: { github: not-owner-name }\n  b: { path: b }\n',
  ])
    assert.deepEqual(verdicts(text), [false, false], text);
});
