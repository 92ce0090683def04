// Issue 30 point 5: each command's own help, short usage errors with a near-miss hint, one
// exit code for an unknown spec, and the wording bugs a newcomer met (init's progress, the
// written config, serve's Ctrl-C, a non-Claude model id, demo's suggestion).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, UsageError } from '../../../src/cli/args';
import { COMMAND_HELP } from '../../../src/cli/help';
import { nearMiss } from '../../../src/core/text/nearMiss';
import { buildCli, CLI, runCli, startCli } from '../../support/cli/cliKit';

before(() => buildCli());

function scratch(): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'orch-help-'));
  spawnSync('git', ['init', '-q'], { cwd: dir });
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

function cli(dir: string, ...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ANTHROPIC_API_KEY: 'test-key-0123456789abcdef' },
  });
}

test('near misses: typos of commands, options and config keys; unrelated words get none', () => {
  const commands = Object.keys(COMMAND_HELP);
  assert.equal(nearMiss('featur', commands), 'feature');
  assert.equal(nearMiss('aprove', commands), 'approve');
  assert.equal(nearMiss('verif', commands), 'verify');
  assert.equal(nearMiss('validte', ['owns', 'validate', 'after', 'runner']), 'validate');
  assert.equal(nearMiss('limit', ['models', 'layers', 'limits']), 'limits');
  assert.equal(nearMiss('banana', commands), undefined);
  assert.equal(nearMiss('x', commands), undefined);
});

// Every command's --help, run as a process, is checked on the installed package: packaged.test.ts.

test("a usage error: one error line, the hint, the command's usage lines; never the whole help (exit 2)", () => {
  const { dir, done } = scratch();
  try {
    const typo = cli(dir, 'featur', 'Add a thing');
    assert.equal(typo.status, 2);
    assert.equal(typo.stdout, '');
    assert.match(typo.stderr, /^orchestrator: unknown command "featur"\ndid you mean `orchestrator feature`\?\n/);
    assert.ok(typo.stderr.split('\n').length <= 5, typo.stderr);
    const option = cli(dir, 'feature', 'x', '--worktre');
    assert.equal(option.status, 2);
    assert.match(
      option.stderr,
      /^orchestrator: unknown option --worktre\ndid you mean --worktree\?\nUsage: orchestrator feature "<request>"/,
    );
    const missing = cli(dir, 'trace');
    assert.match(
      missing.stderr,
      /^orchestrator: trace needs <specId>\nUsage: orchestrator trace <specId> \[--xlsx FILE\] \[--md FILE\]\n\(more: orchestrator trace --help\)\n$/,
    );
    assert.doesNotMatch(missing.stderr, /Commands:/);
    assert.throws(
      () => parseArgs(['help', 'featur'], '/ws'),
      (e: unknown) => e instanceof UsageError && /did you mean `orchestrator feature --help`/.test(e.hint ?? ''),
    );
  } finally {
    done();
  }
});

test('an unknown spec exits 2 for approve as for trace and verify; a mistyped config key names file, line, key and the near miss', () => {
  const { dir, done } = scratch();
  try {
    for (const args of [
      ['approve', 'nope'],
      ['approve', '2026-01-01-nothing-here'],
      ['trace', 'nope'],
      ['trace', '2026-01-01-nothing-here'],
      ['verify', '2026-01-01-nothing-here'],
    ]) {
      const result = cli(dir, ...args);
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /orchestrator specs/, args.join(' '));
    }
    // An unknown run too, whatever the command.
    for (const command of ['rollback', 'resume', 'events', 'apply', 'discard']) {
      const result = cli(dir, command, '20260101-000000-abcd');
      assert.equal(result.status, 2, `${command}: ${result.stderr}`);
      assert.match(result.stderr, /^orchestrator: No run 20260101-000000-abcd in this workspace/, command);
    }
    mkdirSync(join(dir, '.claude'));
    writeFileSync(
      join(dir, '.claude', 'orchestrator.yaml'),
      'version: 1\nlayers:\n  backend:\n    owns: ["server/**"]\n    validte: ["npm test"]\n',
    );
    const key = cli(dir, 'feature', 'Add a thing');
    assert.equal(key.status, 2);
    assert.match(
      key.stderr,
      /\.claude\/orchestrator\.yaml:5:5 layers\.backend\.validte: unknown key; did you mean `validate`\?/,
    );
    writeFileSync(join(dir, '.claude', 'orchestrator.yaml'), 'version: 1\nmodels:\n  default: gpt-4o\n');
    const model = cli(dir, 'feature', 'Add a thing');
    assert.equal(model.status, 2);
    assert.match(model.stderr, /models\.default: "gpt-4o" is not a Claude model[^\n]*Did you mean `openai:gpt-4o`\?/);
    assert.doesNotMatch(model.stderr, /price/i);
  } finally {
    done();
  }
});

test('init: a failing command is never "verified"; the config points to no DESIGN.md and its stack trace to no absolute path', () => {
  const { dir, done } = scratch();
  try {
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'tiny', version: '1.0.0', scripts: { test: 'node test/check.js' } }),
    );
    mkdirSync(join(dir, 'src'));
    mkdirSync(join(dir, 'test'));
    writeFileSync(join(dir, 'src', 'index.js'), 'module.exports = 1;\n');
    writeFileSync(join(dir, 'test', 'check.js'), "require('node:assert').equal(require('../src/index.js'), 2);\n");
    const result = cli(dir, 'init');
    assert.equal(result.status, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /verified npm (run )?test/);
    assert.match(
      result.stderr,
      /✗ npm (run )?test: fails before any change, run twice \(written as a comment, not a gate\)/,
    );
    const yaml = readFileSync(join(dir, '.claude', 'orchestrator.yaml'), 'utf8');
    assert.doesNotMatch(yaml, /DESIGN\.md/);
    assert.match(yaml, /AssertionError|Expected values/);
    assert.ok(!yaml.includes(dir), 'the workspace path is not in the config');
    assert.doesNotMatch(yaml, /(^|[\s(])\/(?:tmp|home|root|usr|work)\//m);
  } finally {
    done();
  }
});

test('Ctrl-C on serve stops the server and says nothing of resuming a run', async () => {
  const { dir, done } = scratch();
  try {
    const run = startCli(['serve', '--port', '0'], { cwd: dir });
    let stderr = '';
    run.child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    for (let i = 0; i < 200 && !/127\.0\.0\.1:\d+/.test(stderr); i++) await new Promise((r) => setTimeout(r, 50));
    assert.match(stderr, /127\.0\.0\.1:\d+/, 'the server said where it listens');
    run.child.kill('SIGINT');
    const result = await run.done;
    assert.doesNotMatch(result.stderr, /resum/i);
    assert.match(result.stderr, /stopping the server/);
  } finally {
    done();
  }
});

test('demo: the suggested command shows new files too', async () => {
  const folder = join(mkdtempSync(join(tmpdir(), 'orch-demo-hint-')), 'shop');
  try {
    const result = await runCli(['demo', folder], { cwd: tmpdir(), apiKey: null });
    assert.equal(result.code, 0, result.stderr);
    const hint = /\(try: cd (\S+) && ([^:]+):/.exec(result.stderr);
    assert.ok(hint, result.stderr);
    const shown = spawnSync('sh', ['-c', hint[2]!], { cwd: hint[1], encoding: 'utf8' }).stdout;
    // The entity the demo adds is a new file: git diff HEAD alone would not list it.
    const untracked = spawnSync('git', ['ls-files', '--others', '--exclude-standard'], {
      cwd: folder,
      encoding: 'utf8',
    })
      .stdout.trim()
      .split('\n')
      .filter(Boolean);
    assert.ok(untracked.length > 0, 'the demo created files');
    for (const file of untracked)
      assert.ok(
        shown.includes(file) || shown.includes(file.split('/')[0]!),
        `${file} is shown by: ${hint[2]}\n${shown}`,
      );
  } finally {
    rmSync(join(folder, '..'), { recursive: true, force: true });
  }
});

test('docs/cli.md documents every command the CLI has, in its command table', () => {
  const page = readFileSync(join(__dirname, '../../../docs/cli.md'), 'utf8');
  const rows = page.split('\n').filter((line) => line.startsWith('| `'));
  const missing = Object.keys(COMMAND_HELP).filter(
    (command) => !rows.some((row) => new RegExp(`^\\| \`${command}(?:[\` ]|\\\\\\|)`).test(row)),
  );
  assert.deepEqual(missing, [], 'every command has a row in docs/cli.md');
  for (const command of ['serve', 'user', 'verify', 'change', 'apply', 'discard'])
    assert.ok(new RegExp(`^### .*\`${command}\``, 'm').test(page), `docs/cli.md has a section on ${command}`);
});

test("docs/cli.md documents every option a command's help lists", () => {
  const page = readFileSync(join(__dirname, '../../../docs/cli.md'), 'utf8');
  const flags = new Set(
    Object.values(COMMAND_HELP).flatMap((help) =>
      (help.options ?? []).flatMap(([flag]) => flag.match(/--[a-z][a-z-]*/g) ?? []),
    ),
  );
  assert.ok(flags.has('--allow-untested') && flags.has('--workflow'), [...flags].join(' '));
  const missing = [...flags].filter((flag) => !new RegExp(`${flag}(?![a-z-])`).test(page));
  assert.deepEqual(missing, [], 'every option is in docs/cli.md');
});
