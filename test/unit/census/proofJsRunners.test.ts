// The JavaScript runners init proposes proof for besides node --test, Vitest and Jest (issue 58):
// AVA, Mocha, tap and Jasmine with the reporter each has built in that names every test, uvu's
// files run by node, and a test script whose runner no reader knows, run once per file and read
// by its exit code, with the one line that says so in the config. The probe outputs in
// test/fixtures/runnerOutput were printed by tap 21, Jasmine 7 and uvu 0.5 on these probes (AVA's
// and Mocha's run for real in test/integration/proof/proofJsRunners).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { censusDocument } from '../../../src/core/census/init/configDocument';
import { judgeProbe, probeContent } from '../../../src/core/census/proof/proofProbes';
import type { Census } from '../../../src/core/census/types';
import { proofInvocations } from '../../../src/core/proofTests';
import { censusOf, json } from '../../support/census';

const unitOf = (census: Census) => {
  const unit = census.proof?.units[0];
  assert.ok(unit, JSON.stringify(census.proof));
  return { runner: unit.runner, tests: unit.tests, command: unit.command, probe: unit.probe };
};

test('AVA, Mocha, tap, Jasmine and uvu: their own options kept (config, loaders), coverage wrappers and reporters dropped, a reporter that names every test', async () => {
  const cases: [Record<string, unknown>, Record<string, string>, ReturnType<typeof unitOf>][] = [
    [
      { test: 'c8 --reporter lcov ava --verbose --config ava.unit.config.js test/unit/' },
      { 'test/unit/sum.test.js': '' },
      {
        runner: 'ava',
        tests: 'test/unit/acceptance/**',
        command: 'npx ava --config ava.unit.config.js --tap {files}',
        probe: 'test/unit/acceptance/orchestrator-probe.test.js',
      },
    ],
    [
      { test: 'nyc mocha --require ts-node/register --reporter dot --grep fast "test/**/*.spec.ts"' },
      { 'test/sum.spec.ts': '' },
      {
        runner: 'mocha',
        tests: 'test/acceptance/**',
        command: 'npx mocha --require ts-node/register --reporter tap {files}',
        probe: 'test/acceptance/orchestrator-probe.spec.ts',
      },
    ],
    [
      { test: 'tap --reporter=dot test/' },
      { 'test/sum.test.js': '' },
      {
        runner: 'tap',
        tests: 'test/acceptance/**',
        command: 'npx tap --reporter=tap --disable-coverage {files}',
        probe: 'test/acceptance/orchestrator-probe.test.js',
      },
    ],
    [
      { test: 'jasmine --config=spec/support/jasmine.json --reporter=./r.js' },
      { 'spec/sum.spec.js': '' },
      {
        runner: 'jasmine',
        tests: 'spec/acceptance/**',
        command: 'npx jasmine --config=spec/support/jasmine.json {files}',
        probe: 'spec/acceptance/orchestrator-probe.spec.js',
      },
    ],
    [
      { test: 'uvu -r tsm tests' },
      { 'tests/sum.test.ts': '' },
      {
        runner: 'uvu',
        tests: 'tests/acceptance/**',
        command: 'node -r tsm {file}',
        probe: 'tests/acceptance/orchestrator-probe.test.ts',
      },
    ],
  ];
  for (const [scripts, files, expected] of cases) {
    const census = await censusOf({
      'package.json': json({ name: 'calc', scripts }),
      'src/sum.js': 'module.exports = (a, b) => a + b;\n',
      ...files,
    });
    assert.deepEqual(unitOf(census), expected, JSON.stringify(scripts));
    assert.match(
      probeContent({ runner: expected.runner, language: { extension: 'mjs' }, probe: expected.probe }),
      /REQ-0\.1 orchestrator probe green[\s\S]*REQ-0\.2 orchestrator probe red/,
    );
  }
  // Each probe as its runner printed it: the passing test read passed, the failing one failed.
  for (const runner of ['tap', 'jasmine', 'uvu'] as const) {
    const probe =
      runner === 'jasmine'
        ? 'spec/acceptance/orchestrator-probe.spec.mjs'
        : 'test/acceptance/orchestrator-probe.test.mjs';
    const output = readFileSync(join(__dirname, '../../fixtures/runnerOutput', `probe-${runner}.txt`), 'utf8');
    assert.deepEqual(judgeProbe(1, output, probe, runner), { ok: true }, runner);
  }
  // uvu runs one file per process.
  assert.deepEqual(
    proofInvocations({ tests: ['tests/acceptance/**'], command: ['node -r tsm {file}'] }, [
      'tests/acceptance/a.test.ts',
      'tests/acceptance/b.test.ts',
    ]).map((i) => i.command),
    ['node -r tsm tests/acceptance/a.test.ts', 'node -r tsm tests/acceptance/b.test.ts'],
  );
});

test('a test script whose runner no reader knows: proof stays on, run once per file through the script, with the one line saying so; a script whose last step is no test run gets none', async () => {
  const census = await censusOf({
    'package.json': json({ name: 'calc', scripts: { test: 'tsc && zora-runner "test/**/*.test.js"' } }),
    'test/sum.test.js': '',
    'src/sum.js': '',
  });
  assert.deepEqual(unitOf(census), {
    runner: 'script',
    tests: 'test/acceptance/**',
    command: 'npm test -- {file}',
    probe: 'test/acceptance/orchestrator-probe.test.js',
  });
  const yaml = censusDocument(census).toString({ lineWidth: 0 });
  assert.match(yaml, /mode: required/);
  assert.match(
    yaml,
    /- npm test -- \{file\} # layer calc; no reader knows its test runner yet: each proof test file runs alone through the test script, and its exit code says whether its tests passed; not verified/,
  );
  // Its probe is a file that throws as it loads: the script ran it when its error is in the output and it failed.
  const probe = 'test/acceptance/orchestrator-probe.test.mjs';
  const message = /Error\('([^']+)'\)/.exec(
    probeContent({ runner: 'script', language: { extension: 'mjs' }, probe }),
  )![1]!;
  assert.deepEqual(judgeProbe(1, `file:///x/${probe}:1\nError: ${message}\n`, probe, 'script'), { ok: true });
  assert.equal(judgeProbe(0, `Error: ${message}`, probe, 'script').ok, false);
  assert.equal(judgeProbe(1, 'no tests found', probe, 'script').ok, false);

  const pnpm = await censusOf({
    'package.json': json({ name: 'calc', scripts: { 'test:unit': 'zora-runner' } }),
    'pnpm-lock.yaml': 'lockfileVersion: "9.0"\n',
    'test/sum.test.js': '',
  });
  assert.equal(unitOf(pnpm).command, 'pnpm run test:unit {file}');
  const lint = await censusOf({
    'package.json': json({ name: 'calc', scripts: { test: 'zora-runner && eslint .' } }),
    'test/sum.test.js': '',
  });
  assert.deepEqual(lint.proof?.units, [], 'the file would reach eslint, not the runner');
});
