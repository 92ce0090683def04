// The sandbox in the CLI (docs/security.md "The sandbox"): `runners` says whether it is
// there and what it enforces, `runners --json` entries carry sandbox {available, kind, reason?};
// where none is available a run that needs it stops before it starts, exit 2, one line naming what
// to install, and nothing is journaled.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { makeShop } from '../../support/engine/shopWorkspace';
import { buildCli, runCli } from '../../support/cli/cliKit';

const NO_BWRAP = { ORCHESTRATOR_SANDBOX_BWRAP: '/nonexistent/bwrap' };

before(() => buildCli());

test('runners: the sandbox line and the JSON entries, here and on a machine without bubblewrap', async () => {
  const shop = makeShop({ git: false });
  try {
    const text = await runCli(['runners'], { cwd: shop.dir });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /\nsandbox: bubblewrap\n {2}- writes only to the work/);
    const json = JSON.parse((await runCli(['runners', '--json'], { cwd: shop.dir })).stdout) as Array<{
      runner: string;
      sandbox: Record<string, unknown>;
    }>;
    assert.ok(json.length >= 5);
    for (const entry of json) assert.deepEqual(entry.sandbox, { available: true, kind: 'bubblewrap' });
    const missing = JSON.parse(
      (await runCli(['runners', '--json'], { cwd: shop.dir, env: NO_BWRAP })).stdout,
    ) as Array<{ sandbox: { available: boolean; kind: string; reason: string } }>;
    assert.deepEqual([missing[0]!.sandbox.available, missing[0]!.sandbox.kind], [false, 'none']);
    assert.match(missing[0]!.sandbox.reason, /apt-get install bubblewrap/);
  } finally {
    shop.cleanup();
  }
});

test('--version --verbose: the doctor lines, Node and the sandbox with what it enforces, or what to install; plain --version stays one line', async () => {
  const plain = await runCli(['--version'], { cwd: process.cwd() });
  assert.equal(plain.code, 0, plain.stderr);
  assert.match(plain.stdout, /^spec-orchestrator \S+ \(commit [^)]+\)\n$/);
  const verbose = await runCli(['--version', '--verbose'], { cwd: process.cwd() });
  assert.equal(verbose.code, 0, verbose.stderr);
  assert.match(
    verbose.stdout,
    /^spec-orchestrator \S+ \(commit [^)]+\)\nnode v\d+\.\d+\.\d+\nsandbox: bubblewrap\n {2}- writes only to the work/,
  );
  const json = JSON.parse((await runCli(['--version', '--verbose', '--json'], { cwd: process.cwd() })).stdout) as {
    node: string;
    sandbox: { available: boolean; kind: string; enforces: string[] };
  };
  assert.deepEqual([json.sandbox.available, json.sandbox.kind], [true, 'bubblewrap']);
  assert.ok(json.sandbox.enforces.some((line) => /PID namespace/.test(line)));
  const none = await runCli(['--version', '--verbose'], { cwd: process.cwd(), env: NO_BWRAP });
  assert.match(none.stdout, /\nsandbox: none: bubblewrap is not installed: install it \(apt-get install bubblewrap/);
});

test('no sandbox: a run with validate commands stops before it starts, exit 2, one line, nothing journaled', async () => {
  const shop = makeShop({ git: false });
  try {
    const refused = await runCli(['feature', 'Add a Product entity', '--yes'], {
      cwd: shop.dir,
      env: NO_BWRAP,
      baseURL: 'http://127.0.0.1:9',
    });
    assert.equal(refused.code, 2, refused.stderr);
    const lines = refused.stderr.trim().split('\n');
    assert.equal(lines.length, 1, refused.stderr);
    assert.match(
      lines[0]!,
      /^orchestrator: No sandbox on this machine \(sandbox: required\): bubblewrap is not installed: install it \(apt-get install bubblewrap.*sandbox: off/,
    );
    const runs = join(shop.dir, '.claude', 'runs');
    assert.ok(
      !existsSync(runs) || readdirSync(runs).filter((name) => !name.startsWith('.')).length === 0,
      'nothing journaled',
    );
  } finally {
    shop.cleanup();
  }
});
