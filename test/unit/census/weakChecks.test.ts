import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkCommand } from '../../../src/core/census/commands/checkCommands';
import { compilesOnly } from '../../../src/core/census/commands/manifestCommands';
import { censusOf, commands, json } from '../../support/census';

const kept = (command: string, scripts: Record<string, string> = {}) =>
  checkCommand(command, (name) => scripts[name])?.command;

test('go test with no package checks every package; flags and their values are no packages', () => {
  assert.equal(checkCommand('go test -race -count 1')?.command, 'go test -race -count 1 ./...');
  assert.equal(checkCommand('go test -run TestLogin -v')?.command, 'go test -run TestLogin -v ./...');
  assert.equal(checkCommand('go vet')?.command, 'go vet ./...');
  assert.equal(checkCommand('go test ./...')?.command, 'go test ./...');
  assert.equal(
    checkCommand('go test -tags integration ./internal/...')?.command,
    'go test -tags integration ./internal/...',
  );
  assert.equal(checkCommand('go test .')?.command, 'go test .');
});

test('weak checks are not taken as gates: CI’s go test covers every package; a Gradle module with tests runs them; compiling alone is a warning', async () => {
  const census = await censusOf({
    'ledger/go.mod': 'module example.com/ledger\n\ngo 1.23\n',
    'ledger/main.go': 'package main\nfunc main() {}\n',
    'ledger/internal/posting/posting.go': 'package posting\n',
    'ledger/internal/posting/posting_test.go': 'package posting\n',
    '.github/workflows/go.yml':
      'jobs:\n  test:\n    defaults:\n      run:\n        working-directory: ledger\n    steps:\n      - run: go vet\n      - run: go test -race -count 1\n',
    'mobile/settings.gradle.kts': 'rootProject.name = "notes"\ninclude(":core", ":feature:sync")\n',
    'mobile/gradlew': '#!/bin/sh',
    'mobile/build.gradle.kts': 'plugins { kotlin("jvm") version "2.1.0" apply false }',
    'mobile/core/build.gradle.kts': 'plugins { kotlin("jvm") }',
    'mobile/core/src/main/kotlin/notes/Note.kt': 'package notes\ndata class Note(val id: Long)',
    'mobile/core/src/test/kotlin/notes/NoteTest.kt': 'package notes\nclass NoteTest',
    'mobile/feature/sync/build.gradle.kts':
      'plugins { kotlin("jvm") }\ndependencies { implementation(project(":core")) }',
    'mobile/feature/sync/src/main/kotlin/notes/Sync.kt': 'package notes\nobject Sync',
  });
  assert.deepEqual(commands(census, 'ledger'), [
    'cd ledger && go vet ./...',
    'cd ledger && go test -race -count 1 ./...',
  ]);
  const core = census.layers.find((l) => l.dirs.includes('mobile/core'))!;
  const sync = census.layers.find((l) => l.dirs.includes('mobile/feature/sync'))!;
  assert.deepEqual(
    core.validate.map((v) => v.command),
    ['cd mobile && ./gradlew :core:test'],
    'the build rooted in mobile/ runs its wrapper, the module its own task',
  );
  // A module without tests runs its `check` (its linters, and its tests once it has some), not a compile alone.
  assert.deepEqual(
    sync.validate.map((v) => v.command),
    ['cd mobile && ./gradlew :feature:sync:check'],
  );
  assert.ok(
    !census.warnings.some((w) => w.startsWith(`layer ${sync.name}: its only check compiles (`)),
    census.warnings.join('\n'),
  );
  assert.ok(
    !census.warnings.some((w) => w.startsWith(`layer ${core.name}: its only check compiles`)),
    census.warnings.join('\n'),
  );
  assert.ok(!census.warnings.some((w) => w.startsWith('layer ledger: its only check compiles')));
});

test('what only compiles', () => {
  for (const command of [
    './gradlew :feature:sync:classes',
    'cd api && mvn -q -B compile',
    'cargo check -p studio-app',
    'go build ./...',
    'dotnet build src/Api/Api.csproj',
    './gradlew :app:assembleDebug',
  ])
    assert.ok(compilesOnly(command), command);
  for (const command of [
    './gradlew :core:test',
    './gradlew check',
    'cargo test -p core',
    'cargo clippy -p core',
    'go test ./...',
    'dotnet test',
    'mvn -q -B test',
  ])
    assert.ok(!compilesOnly(command), command);
});

test("a package script whose name says nothing is judged by its text: graphql-js's CI runs `npm run testonly` (mocha), a gate", async () => {
  const scripts = {
    testonly: 'mocha --full-trace src/**/__tests__/**/*-test.ts',
    'testonly:cover': 'c8 npm run testonly',
    'mocha:all': 'npm run testonly',
    loop: 'npm run loop',
    'docs:build': 'mocha --full-trace docs/**/*-test.ts',
    bench: 'node benchmark/benchmark.js',
  };
  assert.deepEqual(
    checkCommand('npm run testonly', (n) => (scripts as Record<string, string>)[n]),
    {
      command: 'npm run testonly',
      kind: 'test',
    },
  );
  assert.equal(kept('npm run mocha:all', scripts), 'npm run mocha:all', 'through the scripts it runs');
  assert.equal(kept('npm run loop', scripts), undefined, 'a script running itself ends');
  assert.equal(kept('npm run docs:build', scripts), undefined, 'a name that says never stays never');
  assert.equal(kept('npm run bench', scripts), undefined, 'a text that checks nothing');
  const census = await censusOf({
    'package.json': json({
      name: 'graphql',
      scripts: { lint: 'eslint --cache --max-warnings 0 .', ...scripts },
      devDependencies: { mocha: '9.2.2', eslint: '8.13.0' },
    }),
    '.github/workflows/ci.yml':
      'jobs:\n  lint:\n    steps:\n      - run: npm ci --ignore-scripts\n      - run: npm run lint\n  test:\n    steps:\n      - run: npm ci --ignore-scripts\n      - run: npm run testonly\n',
    'src/language/lexer.ts': 'export const a = 1;\n',
    'src/language/__tests__/lexer-test.ts': "import { describe, it } from 'mocha';\n",
  });
  assert.deepEqual(commands(census, 'graphql'), ['npm run lint', 'npm run testonly']);
});
