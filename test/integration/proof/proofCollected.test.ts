// The proof folder init proposes is one the project's own run collects (issue 70, item 5): the probe written where
// the census puts it, the project's own test command (not the proof command, which names its files) runs it.
// Real Mocha and Jest from this repository's node_modules, on the shapes of graphql-js (Mocha's spec
// `src/**/__tests__/**/*-test.ts`, TypeScript) and of a Jest testRegex naming `__tests__/…-test.js`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { takeCensus } from '../../../src/core/census/census';
import { probeContent } from '../../../src/core/census/proof/proofProbes';
import { jsRunnerProject } from '../../support/jsRunnerProject';
import { useTempDirs } from '../../support/tempDirs';

const tempDir = useTempDirs('proof-collected-');

/** The census's probe written into its folder, then the project's own `npm test`: its output. */
async function ownRunOfProbe(dir: string): Promise<{ probe: string; output: string }> {
  const unit = (await takeCensus(dir)).proof!.units[0]!;
  mkdirSync(dirname(join(dir, unit.probe)), { recursive: true });
  writeFileSync(join(dir, unit.probe), probeContent(unit));
  const { NODE_TEST_CONTEXT: _context, ...env } = process.env;
  const run = spawnSync('npm', ['test'], { cwd: dir, encoding: 'utf8', env, timeout: 60_000 });
  return { probe: unit.probe, output: `${run.stdout}${run.stderr}` };
}

test("Mocha with graphql-js's spec `src/**/__tests__/**/*-test.ts`: its own test script runs the probe", async () => {
  const dir = jsRunnerProject(
    tempDir(),
    'mocha',
    {
      '.mocharc.yml': "extension:\n  - 'ts'\n",
      'src/language/lexer.ts': 'export const lex = (s: string): string[] => s.split(" ");\n',
      'src/language/__tests__/lexer-test.ts':
        "import assert from 'node:assert';\nimport { lex } from '../lexer.ts';\n\nit('lexes', () => {\n  assert.deepEqual(lex('a b'), ['a', 'b']);\n});\n",
    },
    { script: 'mocha --full-trace src/**/__tests__/**/*-test.ts', type: 'module' },
  );
  const { probe, output } = await ownRunOfProbe(dir);
  assert.equal(probe, 'src/__tests__/acceptance/orchestrator-probe-test.ts');
  assert.match(output, /REQ-0\.1 orchestrator probe green/, output);
  assert.match(output, /lexes/, 'and its own tests');
});

test('Jest with a testRegex naming `__tests__/…-test.js`: its own `npm test` runs the probe', async () => {
  const dir = jsRunnerProject(
    tempDir(),
    'jest',
    {
      'src/parse.js': 'exports.parse = (s) => Number(s);\n',
      'src/__tests__/parse-test.js':
        "const { parse } = require('../parse');\ntest('parses', () => expect(parse('2')).toBe(2));\n",
    },
    { script: 'jest --verbose', manifest: { jest: { testRegex: '/__tests__/.*-test\\.js$' } } },
  );
  const { probe, output } = await ownRunOfProbe(dir);
  assert.equal(probe, 'src/__tests__/acceptance/orchestrator-probe-test.js');
  assert.match(output, /REQ-0\.1 orchestrator probe green/, output);
  assert.match(output, /parses/, 'and its own tests');
});
