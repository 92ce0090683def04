import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readMustardJson } from '../../../src/core/mustard';
import { inTempWorkspace } from '../../support/tempWorkspace';

const read = (content: string | undefined) =>
  inTempWorkspace(content === undefined ? {} : { 'mustard.json': content }, readMustardJson);

test('a full Mustard file gives its commands and spec language; extra keys are tolerated', async () => {
  const result = await read(
    JSON.stringify(
      {
        git: { flow: 'trunk', provider: 'github' },
        buildCommand: 'cargo build --workspace',
        testCommand: 'cargo test --workspace',
        lintCommand: 'cargo clippy --workspace -- -D warnings',
        typeCheckCommand: 'cargo check --workspace',
        specLang: 'pt-BR',
        tone: 'direct',
        inject: ['CLAUDE.md'],
        runtime: { shell: 'bash' },
        version: '0.1.4',
      },
      null,
      2,
    ),
  );
  assert.deepEqual(result.warnings, []);
  assert.deepEqual(result.config, {
    buildCommand: 'cargo build --workspace',
    testCommand: 'cargo test --workspace',
    lintCommand: 'cargo clippy --workspace -- -D warnings',
    typeCheckCommand: 'cargo check --workspace',
    specLang: 'pt-BR',
  });
});

test('no mustard.json: nothing, and no warning', async () => {
  assert.deepEqual(await read(undefined), { warnings: [] });
});

test('placeholders from the template are ignored with a warning naming the key', async () => {
  const result = await read(
    '{\n  "buildCommand": "<build command>",\n  "testCommand": "npm test",\n  "lintCommand": "",\n  "specLang": "<lang>"\n}\n',
  );
  assert.deepEqual(result.config, { testCommand: 'npm test' });
  assert.equal(result.warnings.length, 2);
  assert.match(
    result.warnings[0] ?? '',
    /^mustard\.json:2:3 buildCommand: "<build command>" is the template's placeholder/,
  );
  assert.match(result.warnings[1] ?? '', /^mustard\.json:5:3 specLang: /);
});

test('only some keys: the others stay unset', async () => {
  const result = await read('{"lintCommand": "pnpm lint", "specLang": "en-US"}');
  assert.deepEqual(result, { config: { lintCommand: 'pnpm lint', specLang: 'en-US' }, warnings: [] });
});

test('a value of the wrong kind is a warning, the rest is used', async () => {
  const result = await read('{"buildCommand": ["make"], "testCommand": "make test", "specLang": "Portuguese please"}');
  assert.deepEqual(result.config, { testCommand: 'make test' });
  assert.match(result.warnings[0] ?? '', /buildCommand: expected text, got a list/);
  assert.match(result.warnings[1] ?? '', /specLang: expected a language tag/);
});

test("a JSON array of shop data named mustard.json is not Mustard's", async () => {
  const result = await read(
    JSON.stringify([
      { sku: 'DIJON-200', name: 'Dijon mustard', price: 3.5 },
      { sku: 'YEL-500', name: 'Yellow mustard', price: 2 },
    ]),
  );
  assert.equal(result.config, undefined);
  assert.equal(result.warnings.length, 1);
  assert.match(result.warnings[0] ?? '', /^mustard\.json: not Mustard's \(a list/);
});

test("an object of other data named mustard.json is not Mustard's", async () => {
  const result = await read('{"name": "mustard", "color": "yellow", "heat": 3}');
  assert.equal(result.config, undefined);
  assert.match(result.warnings[0] ?? '', /not Mustard's \(an object without any of buildCommand/);
});

test("a JavaScript assignment named mustard.json is not Mustard's", async () => {
  const result = await read('// product data\nwindow.mustard = { "varieties": ["dijon", "yellow"] };\n');
  assert.equal(result.config, undefined);
  assert.deepEqual(result.warnings, ["mustard.json: not Mustard's (a JavaScript file, not JSON); ignored"]);
  const other = await read('const mustard = [{"sku": 1}];');
  assert.match(other.warnings[0] ?? '', /JavaScript file/);
});

test('broken JSON is a warning naming file:line:col, not a stop', async () => {
  const result = await read('{\n  "buildCommand": "cargo build",\n  "testCommand": cargo test\n}\n');
  assert.equal(result.config, undefined);
  assert.equal(result.warnings.length, 1);
  assert.match(result.warnings[0] ?? '', /^mustard\.json:3:18 JSON syntax error: .*; the file is ignored$/);
});
