// An honest remainder (issue 75): a layer the census finds no check for says, in the config and in the census's data,
// what it read for it and what it could not read or use. Fixtures from real shapes (docs/realworld.md's first look:
// bazelbuild/examples, PostgREST and devenv, f-droid, woodpecker), written small.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { censusDocument } from '../../../src/core/census/init/configDocument';
import { initSummary } from '../../../src/core/census/init/initSummary';
import type { Census, CheckRemainder } from '../../../src/core/census/types';
import { censusOf, commands, json, layer } from '../../support/census';

const remainderOf = (census: Census, name: string): CheckRemainder => {
  const found = layer(census, name).remainder;
  assert.ok(found, `layer ${name} has no remainder; validate: ${commands(census, name).join('; ')}`);
  return found;
};

/** The comment lines the written config holds above a layer's `validate:`. */
function validateComment(census: Census, name: string): string[] {
  const text = censusDocument(census).toString({ lineWidth: 0 });
  const at = text.indexOf(`\n  ${name}:`);
  const end = text.indexOf('validate:', at);
  return text
    .slice(at, end)
    .split('\n')
    .filter((l) => l.trim().startsWith('#'))
    .map((l) => l.trim().replace(/^# ?/, ''));
}

test('a project built only by Buck: its build files and Buildkite CI are named as unread, never a silent `validate: []`', async () => {
  const census = await censusOf({
    'frontend/package.json': json({ name: 'frontend', private: true }),
    'frontend/BUCK': 'js_library(name = "frontend")',
    'frontend/src/index.ts': 'export const x = 1;',
    'frontend/src/main.ts': 'export const y = 2;',
    '.buildkite/pipeline.yml': 'steps:\n  - command: buck2 test //frontend/...\n',
  });
  assert.deepEqual(commands(census, 'frontend'), []);
  const remainder = remainderOf(census, 'frontend');
  assert.deepEqual(remainder.read, ['frontend/package.json']);
  assert.deepEqual(remainder.unread, [
    {
      what: 'frontend/BUCK',
      why: 'Buck, a build tool the census reads no projects or checks from',
    },
    { what: '.buildkite/', why: 'Buildkite, a CI kind the census does not read' },
  ]);
  assert.deepEqual(validateComment(census, 'frontend'), [
    'the repository names no command that checks this layer: add one',
    'read: frontend/package.json',
    'could not use frontend/BUCK: Buck, a build tool the census reads no projects or checks from',
    'could not use .buildkite/: Buildkite, a CI kind the census does not read',
  ]);
  // The same remainder is the census's warning and a typed field of init's summary.
  assert.ok(
    census.warnings.some(
      (w) => w.startsWith('layer frontend: the repository names no command') && w.includes('.buildkite/'),
    ),
    census.warnings.join('\n'),
  );
  const summary = initSummary({
    census,
    proposal: '',
    config: 'created',
    created: [],
    kept: [],
    gitignore: 'unchanged',
  }) as { layers: Record<string, { remainder?: CheckRemainder }> };
  assert.deepEqual(summary.layers.frontend!.remainder, remainder);
});

test("checks CI runs through Nix: the Nix files and the `nix-shell --run` command it dropped, with the CI file's jobs it read", async () => {
  const census = await censusOf({
    'default.nix': '{ pkgs ? import <nixpkgs> {} }: pkgs.callPackage ./nix {}',
    'shell.nix': '(import ./default.nix {}).env',
    'docs/requirements.txt': 'sphinx==7.2.6\n',
    'docs/conf.py': 'project = "docs"',
    'docs/ext/links.py': 'def setup(app): pass',
    '.github/workflows/docs.yaml': [
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '      - run: nix-shell --run postgrest-docs-build',
      '  spellcheck:',
      '    runs-on: ubuntu-latest',
      '    defaults:',
      '      run:',
      '        working-directory: docs',
      '    steps:',
      '      - run: nix-shell --run "postgrest-docs-spellcheck"',
      // A program the Nix shell provides, named after the folder it checks.
      '      - run: postgrest-docs-dictcheck',
    ].join('\n'),
  });
  assert.deepEqual(commands(census, 'docs'), []);
  const remainder = remainderOf(census, 'docs');
  assert.deepEqual(remainder.read, ['docs/requirements.txt', '.github/workflows/docs.yaml (jobs build, spellcheck)']);
  assert.deepEqual(remainder.unread, [
    { what: 'default.nix, shell.nix', why: 'Nix, whose commands and checks the census does not read' },
    // Named after the layer's folder first, then run in it, then run from the root.
    {
      what: 'postgrest-docs-dictcheck (from .github/workflows/docs.yaml, in docs/)',
      why: 'dropped: postgrest-docs-dictcheck is not a check the census knows',
    },
    {
      what: 'nix-shell --run "postgrest-docs-spellcheck" (from .github/workflows/docs.yaml, in docs/)',
      why: 'dropped: it runs nix-shell: Nix, whose commands and checks the census does not read',
    },
    {
      what: 'nix-shell --run postgrest-docs-build (from .github/workflows/docs.yaml)',
      why: 'dropped: it runs nix-shell: Nix, whose commands and checks the census does not read',
    },
  ]);
});

test('a matrix CI computes (`fromJSON`): the step over `${{ matrix.dir }}` is named as a value the census could not expand', async () => {
  const census = await censusOf({
    'engines/billing/Gemfile': "source 'https://rubygems.org'\ngemspec\n",
    'engines/billing/billing.gemspec': 'Gem::Specification.new { |s| s.name = "billing" }',
    'engines/billing/lib/billing.rb': 'module Billing; end',
    'engines/billing/lib/billing/invoice.rb': 'module Billing; class Invoice; end; end',
    '.github/workflows/engines.yml': [
      'jobs:',
      '  dirs:',
      '    runs-on: ubuntu-latest',
      '    outputs:',
      '      dirs: ${{ steps.list.outputs.dirs }}',
      '    steps:',
      '      - id: list',
      '        run: echo "dirs=$(ls -d engines/* | jq -R . | jq -sc .)" >> "$GITHUB_OUTPUT"',
      '  test:',
      '    needs: dirs',
      '    strategy:',
      '      matrix:',
      '        dir: ${{ fromJSON(needs.dirs.outputs.dirs) }}',
      '    steps:',
      '      - run: cd "${{ matrix.dir }}" && bundle exec rake test',
    ].join('\n'),
  });
  const remainder = remainderOf(census, 'billing');
  assert.deepEqual(remainder.read, ['engines/billing/Gemfile', '.github/workflows/engines.yml (jobs dirs, test)']);
  assert.deepEqual(remainder.unread, [
    {
      what: '.github/workflows/engines.yml job test: cd "${{ matrix.dir }}" && bundle exec rake test',
      why: '${{ matrix.dir }} is a matrix value the census could not expand',
    },
  ]);
});

test('CI only in a kind the census does not read (Woodpecker), or in files a .gitlab-ci.yml includes: each named', async () => {
  const woodpecker = await censusOf({
    'web/package.json': json({ name: 'web', private: true }),
    'web/src/app.js': 'export const app = 1;',
    '.woodpecker/test.yaml': 'steps:\n  test:\n    image: node:22\n    commands: [cd web, npm ci, npm test]\n',
  });
  assert.deepEqual(remainderOf(woodpecker, 'frontend'), {
    read: ['web/package.json'],
    unread: [{ what: '.woodpecker/', why: 'Woodpecker CI, a CI kind the census does not read' }],
  });
  const gitlab = await censusOf({
    'web/package.json': json({ name: 'web', private: true }),
    'web/src/app.js': 'export const app = 1;',
    '.gitlab-ci.yml': [
      'include:',
      '  - local: ci/web.yml',
      '  - template: Security/SAST.gitlab-ci.yml',
      'stages: [check]',
      'prepare:',
      '  stage: check',
      '  script:',
      '    - apk add --no-cache jq',
    ].join('\n'),
  });
  assert.deepEqual(remainderOf(gitlab, 'frontend'), {
    read: ['web/package.json', '.gitlab-ci.yml (job prepare)'],
    unread: [
      { what: '.gitlab-ci.yml include ci/web.yml', why: 'a file it includes, which the census does not read' },
      {
        what: '.gitlab-ci.yml include Security/SAST.gitlab-ci.yml',
        why: 'a file it includes, which the census does not read',
      },
    ],
  });
  // No CI at all: said so, with the kinds the census reads.
  const none = await censusOf({
    'web/package.json': json({ name: 'web', private: true }),
    'web/src/app.js': 'export const app = 1;',
  });
  assert.deepEqual(remainderOf(none, 'frontend').unread, [
    { what: 'CI', why: 'no CI file found (the census reads GitHub Actions, GitLab CI, Azure Pipelines, CircleCI)' },
  ]);
});

test('a layer with a check has no remainder', async () => {
  const census = await censusOf({
    'web/package.json': json({ name: 'web', scripts: { test: 'node --test' } }),
    'web/src/app.js': 'export const app = 1;',
    'web/BUILD.bazel': '',
  });
  assert.deepEqual(commands(census, 'frontend'), ['cd web && npm run test']);
  assert.equal(layer(census, 'frontend').remainder, undefined);
});
