// The real Gemini CLI on PATH as `orchestrator runners` and the sidebar see it: installed, its
// version against the oldest the runner supports, signed in by a variable or its Login-with-Google
// file (names only, never values); and `runner: gemini` loads (it is no longer "not available").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { detectCliAgent } from '../../../src/core/runners/detect/detectClis';
import { loadRunner } from '../../../src/core/runners/registry';

const bin = resolve('node_modules/.bin');

test('the real Gemini CLI on PATH: installed, 0.61.0, not too old; signed in by GEMINI_API_KEY or ~/.gemini/oauth_creds.json, names only', async () => {
  const home = mkdtempSync(join(tmpdir(), 'orch-detect-gemini-'));
  try {
    const env = { PATH: `${bin}:${dirname(process.execPath)}:/usr/bin:/bin`, HOME: home };
    const bare = await detectCliAgent('gemini', { env, home, timeoutMs: 60_000 });
    assert.equal(bare.installed, true);
    assert.equal(bare.path, join(bin, 'gemini'));
    assert.equal(bare.version, '0.61.0');
    assert.equal(bare.minVersion, '0.61.0');
    assert.equal(bare.tooOld, false);
    assert.equal(bare.signedIn, false);
    assert.match(bare.hint ?? '', /GEMINI_API_KEY|log in with Google/);

    const byKey = await detectCliAgent('gemini', {
      env: { ...env, GEMINI_API_KEY: 'AIza-secret-value-1234' },
      home,
      timeoutMs: 60_000,
    });
    assert.deepEqual([byKey.signedIn, byKey.signedInBy, byKey.hint], [true, 'GEMINI_API_KEY', undefined]);
    assert.doesNotMatch(JSON.stringify(byKey), /secret-value/);

    // `gemini --version` itself made ~/.gemini (its projects list): the sign-in file goes beside it.
    mkdirSync(join(home, '.gemini'), { recursive: true });
    writeFileSync(join(home, '.gemini', 'oauth_creds.json'), '{"access_token":"ya29.in-the-file-5678"}');
    const byFile = await detectCliAgent('gemini', { env, home, timeoutMs: 60_000 });
    assert.deepEqual([byFile.signedIn, byFile.signedInBy], [true, '~/.gemini/oauth_creds.json']);
    assert.doesNotMatch(JSON.stringify(byFile), /in-the-file/);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('runner: gemini loads the Gemini CLI runner', async () => {
  const runner = await loadRunner('gemini');
  assert.equal(runner.name, 'gemini');
});
