// init's probe on the real runners: the folder the census proposes is one the project's runner
// collects (a probe written there runs, red and green read back), for the cases where the
// project's config, not a convention, says where tests are.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { takeCensus } from '../../../src/core/census/census';
import { deadlineOf } from '../../../src/core/census/verify/verifyBudget';
import { verifyProof } from '../../../src/core/census/verify/verifyProof';
import { verifySandbox } from '../../../src/core/census/verify/verifySandbox';
import { commitAll, makeRepo } from '../../support/census';
import {
  jsRunnerProject,
  type JsRunner,
  type JsRunnerProjectOptions,
  sandboxReadsSharedModules,
} from '../../support/jsRunnerProject';

// The probes run in the sandbox a run's commands get: the fixture's links lead to this repository's node_modules.
let restorePath: () => void;
before(() => {
  restorePath = sandboxReadsSharedModules();
});
after(() => restorePath());

/** The census's proof unit of a project with a real runner, verified on its probe in a throwaway worktree. */
async function probed(runner: JsRunner, files: Record<string, string>, options: JsRunnerProjectOptions = {}) {
  const repo = await makeRepo({ '.gitignore': 'node_modules/\ndist/\n' });
  try {
    jsRunnerProject(repo.dir, runner, files, options);
    commitAll(repo.dir);
    const census = await takeCensus(repo.dir);
    const unit = census.proof?.units[0];
    assert.ok(unit, JSON.stringify(census.proof));
    const sandbox = await verifySandbox(repo.dir, ['']);
    try {
      await verifyProof(census.proof!, sandbox, {
        timeoutSec: 60,
        concurrency: 1,
        deadline: deadlineOf(Date.now(), undefined),
      });
    } finally {
      await sandbox.dispose();
    }
    assert.ok(!existsSync(join(repo.dir, unit.probe)), 'the probe went into the worktree only');
    return unit;
  } finally {
    await repo.cleanup();
  }
}

test('real runners prove the proposed folder: Jest with a -c config whose rootDir and testMatch narrow it, TypeScript compiled by tsc before node --test, AVA with its files', async () => {
  const [jest, compiled, ava] = await Promise.all([
    probed(
      'jest',
      {
        'test/jest.config.unit.js':
          "module.exports = {\n  rootDir: '../',\n  testMatch: ['<rootDir>/test/unit/**/*.test.js'],\n};\n",
        'src/sum.js': 'module.exports = (a, b) => a + b;\n',
        'test/unit/sum.test.js':
          "const sum = require('../../src/sum');\ntest('adds', () => expect(sum(1, 2)).toBe(3));\n",
      },
      { script: 'jest -c test/jest.config.unit.js' },
    ),
    probed(
      'node',
      {
        'tsconfig.json': json({
          compilerOptions: {
            target: 'es2022',
            module: 'nodenext',
            outDir: 'dist/esm',
            rootDir: '.',
            types: ['node'],
            skipLibCheck: true,
          },
          include: ['src', 'test'],
        }),
        'src/sum.ts': 'export const sum = (a: number, b: number): number => a + b;\n',
        'test/sum.test.ts':
          "import { after, before, test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { sum } from '../src/sum.js';\ntest('adds', () => assert.equal(sum(1, 2), 3));\n",
      },
      { script: 'tsc && node --test dist/esm/test/*.test.js', type: 'module', link: ['typescript', '@types/node'] },
    ),
    probed(
      'ava',
      {
        'src/sum.js': 'module.exports = (a, b) => a + b;\n',
        'checks/sum.test.js':
          "const test = require('ava');\nconst sum = require('../src/sum');\ntest('adds', (t) => t.is(sum(1, 2), 3));\n",
      },
      { manifest: { ava: { files: ['checks/**/*.test.js'] } } },
    ),
  ]);
  assert.equal(jest.tests, 'test/unit/acceptance/**');
  assert.equal(jest.verified?.status, 'passed', JSON.stringify(jest.verified));
  assert.equal(compiled.tests, 'test/acceptance-*');
  assert.match(compiled.command, /^npx tsc && node --test --test-reporter=spec \$\(/);
  assert.equal(compiled.verified?.status, 'passed', JSON.stringify(compiled.verified));
  assert.equal(ava.tests, 'checks/acceptance/**');
  assert.equal(ava.verified?.status, 'passed', JSON.stringify(ava.verified));
});

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
