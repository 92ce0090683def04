// What the configured commands execute, hashed at a run's start (CommandFiles): taken off the main
// thread at a run's start (issue 63) it is the same reference as the synchronous snapshot, and a
// script changed afterwards still stops the run before its command runs.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../../../src/core/project/config/config';
import { CommandFiles } from '../../../src/core/pipeline/kernel';
import { RunStop } from '../../../src/core/errors';

const CONFIG = `version: 1
layers:
  backend:
    owns: ["server/**"]
    validate: ["node scripts/check-server.js server", "npm run lint"]
sync: ["node scripts/sync.js"]
`;

test('CommandFiles.take hashes what snapshot hashes, and a script changed since stops its command', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'orch-command-files-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'scripts'));
  writeFileSync(join(dir, 'scripts/check-server.js'), 'process.exit(0);\n');
  writeFileSync(join(dir, 'scripts/sync.js'), 'process.exit(0);\n');
  writeFileSync(join(dir, 'scripts/lint.js'), 'process.exit(0);\n');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { lint: 'node scripts/lint.js' } }));
  const config = parseConfig(CONFIG);

  const taken = await CommandFiles.take(dir, config);
  const snapshot = CommandFiles.snapshot(dir, config);
  assert.deepEqual([...taken.paths()], [...snapshot.paths()]);
  assert.ok(
    taken.paths().has('scripts/check-server.js') &&
      taken.paths().has('scripts/lint.js') &&
      taken.paths().has('scripts/sync.js'),
    [...taken.paths()].join(', '),
  );
  assert.deepEqual(taken.commandsRunning('scripts/lint.js'), ['npm run lint']);
  for (const command of ['node scripts/check-server.js server', 'npm run lint', 'node scripts/sync.js'])
    taken.verify(command);

  writeFileSync(join(dir, 'scripts/lint.js'), 'process.exit(0); // weaker\n');
  assert.throws(
    () => taken.verify('npm run lint'),
    (error: unknown) => error instanceof RunStop && /scripts\/lint\.js/.test(error.message),
  );
  taken.verify('node scripts/sync.js');
});

test("a proof command's runner, a layer's own file run through the package's script (`npm test -- {files}` running bin/jasmine.js), is hashed with the config's commands: a change to it asks first", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'orch-command-files-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin/jasmine.js'), "require('../lib/jasmine');\n");
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { test: 'node ./bin/jasmine.js' } }));
  const config = parseConfig(`version: 1
layers:
  jasmine:
    owns: ["bin/**", "lib/**"]
    validate: []
proof:
  mode: required
  tests: ["spec/acceptance-*.spec.js"]
  command: ["npm test -- {files}"]
`);
  const files = await CommandFiles.take(dir, config);
  assert.deepEqual(files.commandsRunning('bin/jasmine.js'), ['npm test -- {files}']);
  assert.deepEqual([...CommandFiles.snapshot(dir, config).paths()], [...files.paths()]);
});
