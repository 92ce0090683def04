import assert from 'node:assert/strict';
import { test } from 'node:test';
import { takeCensus } from '../../../src/core/census/census';
import { censusDocument } from '../../../src/core/census/init/configDocument';
import { verifyCensus } from '../../../src/core/census/verify/verify';
import { causeOf } from '../../../src/core/census/verify/verifyClassify';
import { commitAll, json, makeRepo } from '../../support/census';

test('a package the suite loads that is not installed is a cause, not a failure of the code: its package named', () => {
  const cases: [string, string][] = [
    [
      "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'left-pad' imported from /w/examples/demo/demo.test.js",
      'left-pad',
    ],
    [
      'Test environment jest-environment-jsdom cannot be found. Make sure the testEnvironment …',
      'jest-environment-jsdom',
    ],
    ["Error: Cannot find module './examples/node-commonjs/node_modules/uuid/dist/cjs/index.js'", 'uuid'],
    ["Cannot find module '@scope/pkg/sub' from 'src/a.test.js'", '@scope/pkg'],
  ];
  for (const [output, what] of cases) assert.deepEqual(causeOf(output), { needs: 'install', what }, output);
  // A file of the project's own that is not there is the code's (or its build's) to answer for.
  assert.equal(causeOf("Error: Cannot find module '../../index'"), undefined);
  assert.equal(causeOf("Cannot find module './util.js' imported from /w/src/a.js"), undefined);
});

// uuid's examples/node-jest (issue 70): an example with its own package.json, whose dependencies CI installs
// with the network, failed on the base and made the whole repository's proof advisory.
test('an example whose own dependencies are not installed leaves proof required, its suite said to need them', async () => {
  const testOf = (imports: string) =>
    `import { test } from 'node:test';\nimport assert from 'node:assert/strict';\n${imports}\ntest('adds', () => assert.equal(add(1, 2), 3));\n`;
  const repo = await makeRepo({
    'package.json': json({ name: 'calc', type: 'module', scripts: { test: 'node --test test/*.test.js' } }),
    'src/calc.js': 'export const add = (a, b) => a + b;\n',
    'test/calc.test.js': testOf("import { add } from '../src/calc.js';"),
    'examples/demo/package.json': json({
      name: 'calc-demo',
      type: 'module',
      scripts: { test: 'node --test test/*.test.js' },
      dependencies: { 'calc-not-installed': '1' },
    }),
    'examples/demo/test/demo.test.js': testOf("import { add } from 'calc-not-installed';"),
  });
  try {
    commitAll(repo.dir);
    const census = await takeCensus(repo.dir);
    await verifyCensus(repo.dir, census, { trusted: true, timeoutSec: 30 });
    const text = censusDocument(census).toString({ lineWidth: 0 });
    assert.match(text, /\n {2}mode: required\b/, text);
    assert.match(text, /needs its dependencies installed \(calc-not-installed is not\)/);
  } finally {
    await repo.cleanup();
  }
});
