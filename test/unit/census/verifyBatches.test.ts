import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { takeCensus } from '../../../src/core/census/census';
import { verifyCensus } from '../../../src/core/census/verify/verify';
import { batchCommands, lanesOf, packageBuilds } from '../../../src/core/census/verify/verifyBatches';
import { makeRepo } from '../../support/census';

test('commands differing only by the module they select run as one invocation per tool', () => {
  assert.deepEqual(
    batchCommands([
      'cargo check -p core',
      'cargo check -p store',
      'cargo test -p core',
      'cargo check -p app --all-features',
      'npm run lint',
    ]),
    [
      { command: 'cargo check -p core -p store', members: ['cargo check -p core', 'cargo check -p store'] },
      { command: 'cargo test -p core', members: ['cargo test -p core'] },
      { command: 'cargo check -p app --all-features', members: ['cargo check -p app --all-features'] },
      { command: 'npm run lint', members: ['npm run lint'] },
    ],
  );
  assert.deepEqual(
    batchCommands([
      './mvnw -q -B -pl api -am test',
      './mvnw -q -B -pl core -am test',
      './mvnw -q -B -pl web -am compile',
      'mvn -pl a verify',
      'mvn -pl b verify',
    ]).map((b) => b.command),
    ['./mvnw -q -B -pl api,core -am test', './mvnw -q -B -pl web -am compile', 'mvn -pl a verify', 'mvn -pl b verify'],
    'without -am a module alone may miss its siblings: never joined',
  );
  assert.deepEqual(
    batchCommands([
      './gradlew :app:test',
      './gradlew :core:data:classes',
      './gradlew detekt',
      'cd backend && ./gradlew :api:test',
      'cd backend && ./gradlew :domain:test',
    ]).map((b) => b.command),
    ['./gradlew :app:test :core:data:classes', './gradlew detekt', 'cd backend && ./gradlew :api:test :domain:test'],
  );
  assert.deepEqual(
    batchCommands(['cd rust && cargo check -p a', 'cd rust && cargo check -p b', 'cargo check -p c']).map(
      (b) => b.command,
    ),
    ['cd rust && cargo check -p a -p b', 'cargo check -p c'],
  );
});

test('a Maven multi-module build is verified in one run of its wrapper; when that fails, each module runs alone and only the failing one fails', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'orchestrator-mvnw-log-'));
  const log = join(dir, 'invocations.log');
  const modules = ['billing', 'catalog', 'orders'];
  const files = (broken: string | undefined): Record<string, string> => {
    const found: Record<string, string> = {
      'pom.xml': `<project><artifactId>shop</artifactId><packaging>pom</packaging><modules>${modules.map((m) => `<module>${m}</module>`).join('')}</modules></project>`,
      // The repository's own wrapper, standing in for Maven: it records each run and fails on the broken module.
      // It logs outside the work: this test is of the batching, so its commands run unconfined.
      '.claude/orchestrator.yaml': 'sandbox:\n  mode: off\n',
      mvnw: `#!/bin/sh\necho "$*" >> '${log}'\ncase "$*" in *${broken ?? 'no-such-module'}*) echo "[ERROR] COMPILATION ERROR: ${broken}/src/main/java/A.java cannot find symbol" >&2; exit 1;; esac\nexit 0\n`,
    };
    for (const m of modules) {
      found[`${m}/pom.xml`] =
        `<project><parent><artifactId>shop</artifactId></parent><artifactId>${m}</artifactId></project>`;
      found[`${m}/src/main/java/com/acme/${m}/A.java`] = `package com.acme.${m}; class A {}`;
    }
    return found;
  };
  try {
    for (const broken of [undefined, 'catalog']) {
      await rm(log, { force: true });
      const repo = await makeRepo(files(broken));
      try {
        await chmod(join(repo.dir, 'mvnw'), 0o755);
        const census = await takeCensus(repo.dir);
        const started: string[] = [];
        await verifyCensus(repo.dir, census, { trusted: true, onStart: (command) => started.push(command) });
        const runs = (await readFile(log, 'utf8')).trim().split('\n');
        const status = Object.fromEntries(census.layers.map((l) => [l.name, l.verified![0]!.status]));
        if (broken === undefined) {
          // Offline whatever the Maven (3.8 ignores MAVEN_ARGS): `-o` in each run, the command shown as proposed.
          assert.deepEqual(runs, ['-o -q -B -pl billing,catalog,orders -am compile'], 'one run for the three modules');
          assert.deepEqual(started, ['./mvnw -q -B -pl billing,catalog,orders -am compile']);
          assert.deepEqual(status, { billing: 'passed', catalog: 'passed', orders: 'passed' });
        } else {
          assert.equal(runs[0], '-o -q -B -pl billing,catalog,orders -am compile');
          assert.deepEqual(runs.slice(1).sort(), [
            '-o -q -B -pl billing -am compile',
            '-o -q -B -pl catalog -am compile',
            '-o -q -B -pl orders -am compile',
          ]);
          assert.deepEqual(status, { billing: 'passed', catalog: 'failed', orders: 'passed' });
          const failed = census.layers.find((l) => l.name === 'catalog')!.verified![0]!;
          assert.match(failed.status === 'failed' ? failed.firstLines[0]! : '', /COMPILATION ERROR: catalog/);
        }
      } finally {
        await repo.cleanup();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a folder's package scripts that each build first share a lane; the others run side by side", async () => {
  // uuid's shape: `pretest` builds into one dist/, and CI's `npm run test` is `npm test` again.
  const repo = await makeRepo({
    'package.json': JSON.stringify({
      scripts: { pretest: './scripts/build.sh', test: 'node --test dist/esm/test/', lint: 'eslint .', prepack: 'tsc' },
    }),
    'web/package.json': JSON.stringify({ scripts: { build: 'vite build', test: 'vitest run' } }),
  });
  try {
    const commands = [
      'npm test',
      'npm run lint',
      'npm run test',
      'cd web && npm run build',
      'cd web && npm test',
      'npm ci',
    ];
    const lanes = lanesOf(batchCommands(commands), packageBuilds(repo.dir));
    assert.deepEqual(
      lanes.map((lane) => lane.map((b) => b.command)),
      [['npm test', 'npm run test'], ['npm run lint'], ['cd web && npm run build'], ['cd web && npm test'], ['npm ci']],
    );
    // Without the package files' word, each is a lane of its own, as before.
    assert.equal(lanesOf(batchCommands(commands)).length, commands.length);
  } finally {
    await repo.cleanup();
  }
});
