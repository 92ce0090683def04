import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { takeCensus } from '../../../src/core/census/census';
import { censusDocument } from '../../../src/core/census/init/configDocument';
import { gatesOf, measuredTimeoutSec } from '../../../src/core/census/verify/gates';
import type { ProposedLayer, VerifyOutcome } from '../../../src/core/census/types';
import { verifyCensus } from '../../../src/core/census/verify/verify';
import { causeOf, fixOf, stoppedBefore } from '../../../src/core/census/verify/verifyClassify';
import { splitSteps } from '../../../src/core/census/verify/verifySplit';
import { proofMode } from '../../../src/core/pipeline/proof';
import { loadConfigText } from '../../../src/core/project/config';
import { commitAll, json, makeRepo } from '../../support/census';

const print = (line: string, exit: number) => `node -e "console.error('${line}'); process.exit(${exit})"`;

test('verification classifies each command: passed, timed out (never a gate), needs the network, a service; a script whose one step fetches keeps its other steps as a gate', async () => {
  const repo = await makeRepo({
    'package.json': json({
      name: 'app',
      scripts: {
        // Never exits: Jest waiting on an open handle, a watcher.
        lint: 'node -e "setInterval(() => {}, 1000)"',
        typecheck: print('Error: connect ECONNREFUSED 127.0.0.1:5432', 1),
        // `checker` is a package's binary: run alone, through npx. fetch.js is owned, but only the script runs it.
        test: 'node -e "process.exit(0)" && node fetch.js && checker src',
      },
    }),
    '.gitignore': 'node_modules\n',
    'node_modules/.bin/checker': '#!/bin/sh\nexit 0\n',
    'fetch.js': "console.error('Error: getaddrinfo ENOTFOUND fixtures.example.com'); process.exit(1);\n",
    'index.js': 'x',
  });
  try {
    chmodSync(join(repo.dir, 'node_modules/.bin/checker'), 0o755);
    commitAll(repo.dir);
    const census = await takeCensus(repo.dir);
    const started = Date.now();
    await verifyCensus(repo.dir, census, { trusted: true, timeoutSec: 4 });
    assert.ok(Date.now() - started < 30_000, 'the command that never exits is stopped at its limit');
    const layer = census.layers[0]!;
    const outcome = (command: string) => layer.verified![layer.validate.findIndex((v) => v.command === command)]!;
    const hung = outcome('npm run lint');
    assert.equal(hung.status, 'timed-out');
    const db = outcome('npm run typecheck');
    assert.deepEqual(db.status === 'failed' && db.cause, { needs: 'service', what: 'PostgreSQL on 127.0.0.1:5432' });
    const fetching = outcome('npm run test');
    assert.deepEqual(fetching.status === 'failed' && fetching.cause, {
      needs: 'network',
      what: 'fixtures.example.com',
    });

    // The split: the script's steps that pass without the network are the layer's gate.
    assert.deepEqual(
      gatesOf(layer).map((g) => g.command),
      ['node -e "process.exit(0)" && npx checker src'],
    );
    const text = censusDocument(census).toString({ lineWidth: 0 });
    assert.match(
      text,
      /- node -e "process\.exit\(0\)" && npx checker src # from package\.json, without the steps that need the network: node fetch\.js \(fixtures\.example\.com\); passed in/,
    );
    assert.match(text, /# not a gate: npm run lint \(from package\.json\) did not end within 4\.\d s/);
    assert.match(
      text,
      /# not a gate: npm run typecheck .* needs a service running \(PostgreSQL on 127\.0\.0\.1:5432\):\n\s+#\s+Error: connect ECONNREFUSED/,
    );
    assert.match(text, /# not a gate: npm run test .* needs the network \(fixtures\.example\.com\)/);
    // Every gate was measured: the layer's limit in a run is written, and the config loads with it.
    assert.match(text, /\n {4}timeoutSec: 60 # each validate command's limit in a run: 3 × the slowest at init/);
    const config = await loadConfigText(repo.dir, text);
    assert.equal(config.layers[layer.name]!.timeoutSec, 60);
  } finally {
    await repo.cleanup();
  }
});

test('causes and fixes from a command output: remote hosts are the network, local database ports a service, Chrome and displays a browser', () => {
  assert.deepEqual(
    causeOf(
      'npm ERR! request to https://registry.npmjs.org/ava failed, reason: getaddrinfo EAI_AGAIN registry.npmjs.org',
    ),
    { needs: 'network', what: 'registry.npmjs.org' },
  );
  assert.deepEqual(causeOf('Error: connect ECONNREFUSED 140.82.112.3:443'), {
    needs: 'network',
    what: '140.82.112.3:443',
  });
  assert.deepEqual(causeOf('MongoServerSelectionError: connect ECONNREFUSED 127.0.0.1:27017'), {
    needs: 'service',
    what: 'MongoDB on 127.0.0.1:27017',
  });
  assert.deepEqual(
    causeOf(
      'psycopg2.OperationalError: connection to server at "localhost" (127.0.0.1), port 5432 failed: Connection refused',
    ),
    { needs: 'service', what: 'PostgreSQL on localhost:5432' },
  );
  assert.equal(causeOf('Error: Missing X server or $DISPLAY')?.needs, 'browser');
  assert.deepEqual(causeOf('[launcher]: No usable sandbox! Update your kernel'), {
    needs: 'browser',
    what: "Chrome's sandbox",
  });
  assert.equal(
    causeOf(
      'ERROR [launcher]: No binary for ChromeHeadless browser on your platform. Please, set "CHROME_BIN" env variable.',
    )?.needs,
    'browser',
  );
  assert.equal(causeOf('AssertionError: expected 2 to equal 3'), undefined);
  assert.equal(causeOf('getaddrinfo ENOTFOUND localhost'), undefined, 'a local name is no network need');

  assert.match(
    fixOf('npx jest', 'Tests: 12 passed\nJest did not exit one second after the test run has completed.', true)!,
    /--forceExit/,
  );
  assert.match(fixOf('npx vitest', ' DEV  v3.2.0\n Waiting for file changes...', true)!, /vitest run/);
  assert.match(fixOf('npx react-scripts test', 'Watch Usage\n › Press a to run all tests.', true)!, /CI=true/);
  assert.equal(fixOf('npx vitest run', '', false), undefined);
  const tap =
    'FetchError: request to https://registry.npmjs.org/@tapjs%2fclock failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org';
  assert.match(
    fixOf('npm test', tap, false)!,
    /^tap installs the plugins .*`npx tap build` once .*\(@tapjs\/clock; init links \.tap\/plugins\)$/,
  );
  assert.match(fixOf('npx karma start', '[launcher]: No usable sandbox! Update your kernel', false)!, /--no-sandbox/);
  assert.match(
    fixOf(
      'npx playwright test',
      "browserType.launch: Executable doesn't exist at /root/.cache/ms-playwright/chromium-1140/chrome-linux/chrome",
      false,
    )!,
    /playwright install/,
  );
});

test('a layer whose gates were all measured gets a limit of 3 × its slowest, at least a minute; one not measured gets none', () => {
  const layer = (verified: ProposedLayer['verified']): ProposedLayer => ({
    name: 'app',
    dirs: [''],
    owns: ['src/**'],
    after: [],
    origin: 'package.json',
    stack: [],
    frameworks: [],
    conventions: [],
    validate: [
      { command: 'npm run lint', origin: 'x' },
      { command: 'npm test', origin: 'y' },
    ],
    verified,
  });
  assert.deepEqual(
    measuredTimeoutSec(
      layer([
        { status: 'passed', ms: 2_000 },
        { status: 'passed', ms: 65_200 },
      ]),
    ),
    { timeoutSec: 200, slowestMs: 65_200 },
  );
  assert.deepEqual(
    measuredTimeoutSec(
      layer([
        { status: 'passed', ms: 1_000 },
        { status: 'failed', ms: 5, firstLines: [] },
      ]),
    ),
    { timeoutSec: 60, slowestMs: 1_000 },
  );
  assert.equal(
    measuredTimeoutSec(
      layer([
        { status: 'passed', ms: 1_000 },
        { status: 'skipped', reason: 'the verification budget was spent' },
      ]),
    ),
    undefined,
  );
  assert.equal(measuredTimeoutSec(layer(undefined)), undefined);
});

test("the project's own tests failing on the base make proof advisory, in one line at init and in the run", async () => {
  const repo = await makeRepo({
    'package.json': json({ name: 'calc', type: 'module', scripts: { test: 'node --test test/' } }),
    'src/calc.js': 'export const add = (a, b) => a - b;\n',
    'test/calc.test.js':
      "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { add } from '../src/calc.js';\ntest('adds', () => assert.equal(add(1, 2), 3));\n",
  });
  try {
    commitAll(repo.dir);
    const census = await takeCensus(repo.dir);
    await verifyCensus(repo.dir, census, { trusted: true, timeoutSec: 30 });
    assert.equal(census.proof!.units[0]!.verified?.status, 'passed', 'the proof command works on new files');
    const text = censusDocument(census).toString({ lineWidth: 0 });
    assert.match(
      text,
      /\n {2}mode: advisory # the project's own tests fail on the base \(layer calc: npm run test fails before any change, run twice\): they are no gate; each criterion's proof test, run alone, still fails its layer until it passes/,
    );
    // The probe was measured: the proof command's limit in a run comes from it.
    assert.match(text, /\n {2}timeoutSec: 60 # a proof command's limit in a run: 3 × the slowest probe at init/);
    const config = await loadConfigText(repo.dir, text);
    assert.equal(config.proof.mode, 'advisory');
    assert.equal(config.proof.timeoutSec, 60);
    assert.match(proofMode(config).why!, /^proof per criterion is advisory \(proof\.mode: advisory\)/);
  } finally {
    await repo.cleanup();
  }
});

test("a workspace member's script is split in its own folder, however the package manager names it; a step failing for another reason ends the split", async () => {
  const repo = await makeRepo({
    'package.json': json({ name: 'root', private: true, workspaces: ['apps/*'] }),
    'apps/web/package.json': json({
      name: 'web',
      scripts: {
        test: 'tsc -p . && node scripts/download.js && ava --verbose',
        lint: 'node scripts/download.js && eslint . && vitest run',
      },
    }),
    'node_modules/.bin/ava': '',
    'node_modules/.bin/tsc': '',
  });
  try {
    const members = new Map([
      ['web', 'apps/web'],
      ['apps/web', 'apps/web'],
    ]);
    const ran: string[] = [];
    const run = async (command: string): Promise<VerifyOutcome> => {
      ran.push(command);
      if (command.includes('download.js'))
        return { status: 'failed', ms: 5, firstLines: [], cause: { needs: 'network', what: 'cdn.example.com' } };
      if (command.includes('eslint')) return { status: 'failed', ms: 5, firstLines: ['1 problem'] };
      return { status: 'passed', ms: 100 };
    };
    for (const command of [
      'npm run test -w apps/web',
      'pnpm --filter web test',
      'yarn workspace web run test',
      'cd apps/web && npm test',
    ]) {
      const split = await splitSteps(repo.dir, command, members, run);
      const exec = command.startsWith('pnpm') ? 'pnpm exec' : command.startsWith('yarn') ? 'yarn' : 'npx';
      assert.deepEqual(
        split && [split.command, split.dropped],
        [
          `cd apps/web && ${exec} tsc -p . && ${exec} ava --verbose`,
          [{ step: 'node scripts/download.js', what: 'cdn.example.com' }],
        ],
        command,
      );
    }
    ran.length = 0;
    assert.equal(
      await splitSteps(repo.dir, 'npm run lint -w apps/web', members, run),
      undefined,
      'eslint failed on its own',
    );
    assert.deepEqual(
      ran,
      ['cd apps/web && node scripts/download.js', 'cd apps/web && eslint .'],
      'nothing after the failing step ran',
    );
    assert.equal(
      await splitSteps(repo.dir, 'npm run lint -w apps/web -- --fix', members, run),
      undefined,
      'extra arguments: not split',
    );
  } finally {
    await repo.cleanup();
  }
});

test('a package manager that stopped before the script ran is named in its own words, with what to do; a script that ran and failed is not that', () => {
  const pnpm = [
    'Scope: all 2 workspace projects',
    ' ERR_PNPM_ABORTED_REMOVE_MODULES_DIR_NO_TTY  Aborted removal of modules directory due to no TTY',
    ' ERROR  Command failed with exit code 1: pnpm install',
  ].join('\n');
  assert.equal(
    stoppedBefore(pnpm),
    'ERR_PNPM_ABORTED_REMOVE_MODULES_DIR_NO_TTY  Aborted removal of modules directory due to no TTY',
  );
  assert.match(fixOf('pnpm test', pnpm, false) ?? '', /pnpm's check before `pnpm run` started `pnpm install`/);
  assert.equal(
    stoppedBefore("Usage Error: The project in /w/package.json doesn't seem to have been installed"),
    "Usage Error: The project in /w/package.json doesn't seem to have been installed",
  );
  assert.equal(
    stoppedBefore('npm error code ENOTCACHED\nnpm error request to https://registry.npmjs.org/jest failed'),
    'npm error code ENOTCACHED',
  );
  // The tests ran and one failed: pnpm and npm say so, and that is the command's own failure.
  assert.equal(stoppedBefore('1 failing\n ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL  a@1.0.0 test: `mocha`'), undefined);
  assert.equal(stoppedBefore('npm error Lifecycle script `test` failed with error:\nnpm error code 1'), undefined);
});

test('a test script whose check fails on the base (`npm run test:size && npm run fmt:check && npm run test:unit`, the size over its limit) keeps its other steps as the gate, its `pretest` build first; a build failing ends the split; a script that only needs its one failing step is no split', async () => {
  const repo = await makeRepo({
    'package.json': json({
      name: 'zx-like',
      scripts: {
        pretest: 'npm run build',
        build: 'tsc',
        test: 'npm run test:size && npm run fmt:check && npm run test:unit',
        'test:size': 'size-limit',
        'fmt:check': 'prettier --check .',
        'test:unit': 'node ./test/all.test.js',
      },
    }),
  });
  try {
    const ran: string[] = [];
    let buildFails = false;
    const run = async (command: string): Promise<VerifyOutcome> => {
      ran.push(command);
      if (command.includes('test:size'))
        return { status: 'failed', ms: 5, firstLines: ['Package size limit has exceeded by 12.65 kB'] };
      if (buildFails && command.includes('pretest')) return { status: 'failed', ms: 5, firstLines: ['TS2304'] };
      return { status: 'passed', ms: 100 };
    };
    const command = 'FORCE_COLOR=3 npm test';
    const split = await splitSteps(repo.dir, command, new Map(), run, true);
    assert.deepEqual(split && [split.command, split.dropped], [
      'FORCE_COLOR=3 npm run pretest && FORCE_COLOR=3 npm run fmt:check && FORCE_COLOR=3 npm run test:unit',
      [{ step: 'npm run test:size', what: 'fails before any change: Package size limit has exceeded by 12.65 kB' }],
    ]);
    assert.equal(
      await splitSteps(repo.dir, command, new Map(), run),
      undefined,
      'only for a command failing on the base',
    );
    buildFails = true;
    ran.length = 0;
    assert.equal(await splitSteps(repo.dir, command, new Map(), run, true), undefined, 'the build failed');
    assert.deepEqual(ran, ['FORCE_COLOR=3 npm run pretest'], 'nothing ran after the failing build');
  } finally {
    await repo.cleanup();
  }
});

test("pnpm's `pnpm run /^test:/` is split into the scripts it matches, the one needing the network left out", async () => {
  const repo = await makeRepo({
    'package.json': json({
      name: 'postcss-like',
      scripts: {
        'test:lint': 'eslint .',
        'test:integration': 'node ./test/integration.js',
        'test:size': 'size-limit',
        test: 'FORCE_COLOR=1 pnpm run /^test:/',
        unit: 'uvu test',
      },
    }),
  });
  try {
    const run = async (command: string): Promise<VerifyOutcome> =>
      command.includes('integration')
        ? { status: 'failed', ms: 5, firstLines: [], cause: { needs: 'network', what: 'github.com' } }
        : { status: 'passed', ms: 10 };
    const split = await splitSteps(repo.dir, 'pnpm test', new Map(), run);
    assert.deepEqual(split && [split.command, split.dropped], [
      'FORCE_COLOR=1 pnpm run test:lint && FORCE_COLOR=1 pnpm run test:size',
      [{ step: 'FORCE_COLOR=1 pnpm run test:integration', what: 'github.com' }],
    ]);
  } finally {
    await repo.cleanup();
  }
});

test('a test script whose suite itself fails on the base (`node ./bin/jasmine.js && npm run lint`) is not split into its lint alone: only a size, lint, format, licence or types check failing there is left out', async () => {
  const repo = await makeRepo({
    'package.json': json({
      name: 'jasmine-like',
      scripts: { test: 'node ./bin/jasmine.js && npm run lint', lint: 'eslint .' },
    }),
  });
  try {
    const run = async (command: string): Promise<VerifyOutcome> =>
      command.includes('jasmine')
        ? { status: 'failed', ms: 5, firstLines: ['Expected 1 to be 3 (workers = CPUs - 1)'] }
        : { status: 'passed', ms: 10 };
    assert.equal(await splitSteps(repo.dir, 'npm test', new Map(), run, true), undefined);
  } finally {
    await repo.cleanup();
  }
});
