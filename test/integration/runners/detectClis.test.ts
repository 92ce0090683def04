// Which CLI agents are installed and signed in, against the real Codex and Claude Code binaries
// from node_modules: version from `--version`, sign-in from variables or credential files (names
// only, never values), configured commands, Restricted Mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  compareVersions,
  detectCliAgent,
  detectCliAgents,
  versionIn,
} from '../../../src/core/runners/detect/detectClis';

const bin = resolve('node_modules/.bin');
const claudeBinary = resolve('node_modules/@anthropic-ai/claude-agent-sdk-linux-x64/claude');

function sandbox(): { home: string; path: string; done: () => void } {
  const home = mkdtempSync(join(tmpdir(), 'orch-detect-'));
  const path = join(home, 'bin');
  mkdirSync(path);
  return { home, path, done: () => rmSync(home, { recursive: true, force: true }) };
}

test('the real Codex on PATH: installed, its version, not signed in until a key variable or auth.json is there; the status holds names only', async () => {
  const box = sandbox();
  try {
    const env = { PATH: `${bin}:/usr/bin:/bin`, HOME: box.home };
    const bare = await detectCliAgent('codex', { env, home: box.home });
    assert.equal(bare.installed, true);
    assert.equal(bare.path, join(bin, 'codex'));
    assert.equal(bare.version, '0.163.0');
    assert.equal(bare.tooOld, false);
    assert.equal(bare.signedIn, false);
    assert.match(bare.hint ?? '', /codex login|OPENAI_API_KEY/);

    const byKey = await detectCliAgent('codex', {
      env: { ...env, OPENAI_API_KEY: 'sk-secret-value-1234' },
      home: box.home,
    });
    assert.deepEqual([byKey.signedIn, byKey.signedInBy, byKey.hint], [true, 'OPENAI_API_KEY', undefined]);
    assert.doesNotMatch(JSON.stringify(byKey), /sk-secret-value/);

    mkdirSync(join(box.home, '.codex'));
    writeFileSync(join(box.home, '.codex', 'auth.json'), '{"OPENAI_API_KEY":"sk-in-the-file-5678"}');
    const byFile = await detectCliAgent('codex', { env, home: box.home });
    assert.deepEqual([byFile.signedIn, byFile.signedInBy], [true, '~/.codex/auth.json']);
    assert.doesNotMatch(JSON.stringify(byFile), /sk-in-the-file/);

    // CODEX_HOME moves the file.
    const elsewhere = await detectCliAgent('codex', {
      env: { ...env, CODEX_HOME: join(box.home, 'nowhere') },
      home: box.home,
    });
    assert.equal(elsewhere.signedIn, false);
  } finally {
    box.done();
  }
});

test('a configured command: found by its path, or named in the hint when missing; in an untrusted workspace it is not started', async () => {
  const box = sandbox();
  try {
    symlinkSync(claudeBinary, join(box.path, 'my-claude'));
    const env = { PATH: '/usr/bin:/bin', HOME: box.home };
    const configured = await detectCliAgent('claude-code', {
      env,
      home: box.home,
      commands: { 'claude-code': join(box.path, 'my-claude') },
    });
    assert.equal(configured.installed, true);
    assert.match(configured.version ?? '', /^2\.\d+\.\d+$/);
    assert.equal(configured.tooOld, false);

    const untrusted = await detectCliAgent('claude-code', {
      env,
      home: box.home,
      commands: { 'claude-code': 'my-claude' },
      runConfiguredCommands: false,
    });
    assert.equal(untrusted.installed, false, 'not on this PATH');
    const relative = await detectCliAgent('claude-code', {
      env,
      home: box.home,
      cwd: box.home,
      commands: { 'claude-code': './bin/my-claude' },
      runConfiguredCommands: false,
    });
    assert.equal(relative.installed, true);
    assert.equal(relative.version, undefined, 'a workspace command is not run in Restricted Mode');

    const missing = await detectCliAgent('codex', { env, home: box.home, commands: { codex: '/opt/nothing/codex' } });
    assert.equal(missing.installed, false);
    assert.match(missing.hint ?? '', /agentCli\.codex\.command "\/opt\/nothing\/codex" was not found/);
  } finally {
    box.done();
  }
});

test('every CLI is listed; the ones not installed say how to install them', async () => {
  const box = sandbox();
  try {
    const all = await detectCliAgents({ env: { PATH: box.path, HOME: box.home }, home: box.home });
    assert.deepEqual(
      all.map((s) => s.runner),
      ['claude-code', 'codex', 'gemini', 'copilot', 'opencode'],
    );
    for (const status of all) {
      assert.equal(status.installed, false);
      assert.match(
        status.hint ?? '',
        /npm install --global (@anthropic-ai\/claude-code|@openai\/codex|@google\/gemini-cli|@github\/copilot|opencode-ai)/,
      );
    }
  } finally {
    box.done();
  }
});

test('version lines of each CLI are read and compared numerically', () => {
  assert.equal(versionIn('codex-cli 0.163.0'), '0.163.0');
  assert.equal(versionIn('2.1.330 (Claude Code)'), '2.1.330');
  assert.equal(versionIn('0.18.0-nightly.20251120'), '0.18.0');
  assert.equal(versionIn('no version here'), undefined);
  assert.ok(compareVersions('0.99.0', '0.138.0') < 0);
  assert.ok(compareVersions('0.163.0', '0.138.0') > 0);
  assert.equal(compareVersions('2.1', '2.1.0'), 0);
});

test('the real Copilot CLI on PATH: its version; signed in by a token or a provider of your own, never by a ~/.copilot the runner does not use', async () => {
  const box = sandbox();
  try {
    const env = { PATH: `${bin}:/usr/bin:/bin`, HOME: box.home };
    mkdirSync(join(box.home, '.copilot'));
    writeFileSync(join(box.home, '.copilot', 'config.json'), '{"logged_in_users":[]}');
    const bare = await detectCliAgent('copilot', { env, home: box.home });
    assert.deepEqual(
      [bare.installed, bare.version, bare.minVersion, bare.tooOld, bare.signedIn],
      [true, '1.0.102', '1.0.85', false, false],
    );
    assert.match(bare.hint ?? '', /COPILOT_GITHUB_TOKEN/);
    const byToken = await detectCliAgent('copilot', {
      env: { ...env, COPILOT_GITHUB_TOKEN: 'gho_secret_value_1234' },
      home: box.home,
    });
    assert.deepEqual([byToken.signedIn, byToken.signedInBy], [true, 'COPILOT_GITHUB_TOKEN']);
    assert.doesNotMatch(JSON.stringify(byToken), /gho_secret/);
    const byProvider = await detectCliAgent('copilot', {
      env: { ...env, COPILOT_PROVIDER_BASE_URL: 'http://127.0.0.1:11434/v1' },
      home: box.home,
    });
    assert.deepEqual([byProvider.signedIn, byProvider.signedInBy], [true, 'COPILOT_PROVIDER_BASE_URL']);
  } finally {
    box.done();
  }
});

test('a CLI installed by npm: its version from its package.json, without starting it; another package or none: it is asked', async () => {
  const box = sandbox();
  try {
    const marker = join(box.home, 'started');
    const install = (name: string, version: string, printed: string): string => {
      const pkg = join(box.home, 'lib', 'node_modules', ...name.split('/'));
      mkdirSync(join(pkg, 'bundle'), { recursive: true });
      writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name, version }));
      // A folder's own package.json that only sets the module type is looked past.
      writeFileSync(join(pkg, 'bundle', 'package.json'), '{"type":"module"}');
      const file = join(pkg, 'bundle', 'gemini.js');
      writeFileSync(file, `#!/bin/sh\necho started >> '${marker}'\necho ${printed}\n`, { mode: 0o755 });
      return file;
    };
    symlinkSync(install('@google/gemini-cli', '0.70.1', '0.0.1'), join(box.path, 'gemini'));
    const env = { PATH: `${box.path}:/usr/bin:/bin`, HOME: box.home };
    const read = await detectCliAgent('gemini', { env, home: box.home });
    assert.deepEqual([read.installed, read.version, read.tooOld], [true, '0.70.1', false]);
    assert.throws(() => readFileSync(marker), /ENOENT/, 'the CLI was not started');

    rmSync(join(box.path, 'gemini'));
    rmSync(join(box.home, 'lib'), { recursive: true });
    symlinkSync(install('some-wrapper', '5.0.0', '0.50.0'), join(box.path, 'gemini'));
    const asked = await detectCliAgent('gemini', { env, home: box.home });
    assert.deepEqual(
      [asked.version, asked.tooOld],
      ['0.50.0', true],
      "another package's version is not taken: the program says its own",
    );
    assert.equal(readFileSync(marker, 'utf8'), 'started\n');
  } finally {
    box.done();
  }
});
