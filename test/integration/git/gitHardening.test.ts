// Git runs nothing of the repository's (issue 8, point 6): checkpoints, diffs and rollback
// disable core.fsmonitor, hooks and clean/smudge/process filters; and an untrusted run
// (Restricted Mode) runs no git at all. Each repository here is rigged with an fsmonitor
// hook, a reference-transaction hook and filters that leave a marker file when executed.
import assert from 'node:assert/strict';
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createCheckpoint } from '../../../src/core/git/checkpoint';
import { changedFiles, diffSinceCheckpoint, fileAtCheckpoint } from '../../../src/core/git/diff';
import { rollbackRun } from '../../../src/core/git/rollback';
import { engine } from '../../../src/core/engine';
import { remoteCommit } from '../../../src/pool/poolGit';
import { specAnswer, writesThenDone } from '../../support/engine/agentScript';
import { PRODUCT_API_SPEC, PRODUCT_MODULE } from '../../support/engine/fixtures';
import { harness } from '../../support/engine/harness';
import { untrustedRun } from '../../support/engine/untrustedRun';
import { committedRepo, git, initRepo, tempDir, write } from '../../support/gitFixture';

/** Rigs the repository at `dir`; markers land in `markers` (outside the work tree). */
function rig(dir: string, markers: string, run: (...args: string[]) => string): void {
  const script = (name: string, body: string) => {
    const file = join(markers, `${name}.sh`);
    writeFileSync(file, `#!/bin/sh\n${body}\n`);
    chmodSync(file, 0o755);
    return file;
  };
  run('config', 'core.fsmonitor', script('fsmonitor', `touch ${markers}/ran-fsmonitor`));
  run('config', 'filter.evil.clean', `${script('clean', `touch ${markers}/ran-clean; cat`)}`);
  run('config', 'filter.evil.smudge', `${script('smudge', `touch ${markers}/ran-smudge; cat`)}`);
  run('config', 'filter.evil.required', 'true');
  run('config', 'filter.proc.process', script('process', `touch ${markers}/ran-process; exit 1`));
  const hook = join(dir, '.git', 'hooks', 'reference-transaction');
  writeFileSync(hook, `#!/bin/sh\ntouch ${markers}/ran-hook\n`);
  chmodSync(hook, 0o755);
}

test('checkpoint, diff and rollback execute no fsmonitor, hook or filter of the repository', async () => {
  const ws = tempDir();
  const markers = tempDir('orch-markers-');
  initRepo(ws);
  write(ws, '.gitattributes', '*.txt filter=evil\n*.md filter=proc\n');
  write(ws, 'notes.txt', 'original notes\n');
  write(ws, 'readme.md', '# readme\n');
  git(ws, 'add', '-A');
  git(ws, '-c', 'filter.evil.clean=', '-c', 'filter.evil.smudge=', 'commit', '-q', '-m', 'base');
  rig(ws, markers, (...args) => git(ws, ...args));

  write(ws, 'notes.txt', 'changed before the run\n');
  write(ws, 'new.md', 'untracked\n');
  const checkpoint = await createCheckpoint(ws, 'run-1');
  assert.ok(checkpoint);
  write(ws, 'notes.txt', 'changed by the run\n');
  assert.match(await diffSinceCheckpoint(ws, checkpoint.ref, ['notes.txt']), /\+changed by the run/);
  assert.deepEqual(await changedFiles(ws, checkpoint.ref, ['notes.txt']), [{ path: 'notes.txt', status: 'modified' }]);
  assert.equal((await fileAtCheckpoint(ws, checkpoint.ref, 'notes.txt'))?.toString(), 'changed before the run\n');
  const rolled = await rollbackRun(ws, checkpoint.ref, { written: ['notes.txt'], created: [], deleted: [] });
  assert.deepEqual(rolled.restored, ['notes.txt']);

  assert.deepEqual(
    readdirSync(markers).filter((f) => f.startsWith('ran-')),
    [],
    'something of the repository ran',
  );
});

test('an untrusted run (Restricted Mode) runs no git: no pruning, no checkpoint, nothing of the repository executes', async () => {
  const markers = tempDir('orch-markers-');
  const h = await harness(
    {
      spec: specAnswer('Product API', 'product-api', PRODUCT_API_SPEC),
      backend: writesThenDone({ 'server/entities/product.js': PRODUCT_MODULE }),
    },
    { config: (yaml) => yaml.replace(/\nlimits:/, '\ncheckpoints: { keep: 1 }\nlimits:') },
  );
  try {
    const head = h.shop.git('rev-parse', 'HEAD').trim();
    for (const id of ['20260101-000000-aaaa', '20260102-000000-bbbb'])
      h.shop.git('update-ref', `refs/orchestrator/${id}`, head);
    rig(h.shop.dir, markers, (...args) => h.shop.git(...args));
    h.host.trusted = false;
    const summary = await untrustedRun(
      () => engine.runFeature('Add a Product API', h.options()),
      () => h.calls.length,
    );
    if (summary) {
      assert.equal(summary.status, 'stopped');
      assert.match(summary.report ?? '', /workspace not trusted/);
    }
    // A trusted run would have pruned one of them (checkpoints.keep: 1).
    assert.equal(h.shop.git('for-each-ref', '--format=%(refname)', 'refs/orchestrator/').trim().split('\n').length, 2);
    assert.deepEqual(
      readdirSync(markers).filter((f) => f.startsWith('ran-')),
      [],
      'git ran something of the repository',
    );
  } finally {
    await h.close();
  }
});

test('denied files never enter a checkpoint, tracked or not, and privacy.deny adds to the list', async () => {
  const ws = committedRepo(
    { '.env': 'TRACKED_SECRET=1\n', 'app.ts': 'export {};\n' },
    'a repository that committed its .env',
  );
  write(ws, '.env', 'TRACKED_SECRET=2\n');
  write(ws, 'keys/deploy.PEM', 'pem\n');
  write(ws, 'infra/prod.tfstate', 'state\n');
  write(ws, 'app.ts', 'export const x = 1;\n');
  const checkpoint = await createCheckpoint(ws, 'run-2', () => {}, ['*.tfstate']);
  assert.ok(checkpoint);
  assert.deepEqual(git(ws, 'ls-tree', '-r', '--name-only', checkpoint.ref).trim().split('\n'), ['app.ts']);
  assert.equal((await fileAtCheckpoint(ws, checkpoint.ref, 'app.ts'))?.toString(), 'export const x = 1;\n');
  assert.equal(git(ws, 'status', '--porcelain', '--', '.env').trim(), 'M .env', 'the real index is untouched');
});

test("a repository's core.sshCommand, an ext:: remote and a signing program never run in our git calls, and its config is left as it was", async () => {
  const ws = committedRepo({ 'app.ts': 'export {};\n' });
  const markers = tempDir('orch-markers-');
  const script = (name: string) => {
    const file = join(markers, `${name}.sh`);
    writeFileSync(file, `#!/bin/sh\ntouch ${markers}/ran-${name}\nexit 1\n`);
    chmodSync(file, 0o755);
    return file;
  };
  git(ws, 'config', 'core.sshCommand', script('ssh'));
  git(ws, 'config', 'commit.gpgSign', 'true');
  git(ws, 'config', 'gpg.program', script('gpg'));
  git(ws, 'config', 'protocol.ext.allow', 'always');
  const configBefore = readFileSync(join(ws, '.git', 'config'), 'utf8');

  // ssh: a remote over ssh is reached with plain ssh (the host does not resolve here), never the repository's program.
  await assert.rejects(remoteCommit(ws, 'ssh://git@orchestrator-test.invalid/repo.git', 'refs/heads/main'));
  // ext::: a remote URL that would be a shell command is refused before anything runs.
  await assert.rejects(
    remoteCommit(ws, `ext::sh -c touch% ${markers}/ran-ext`, 'refs/heads/main'),
    /transport 'ext' not allowed|not allowed/,
  );
  // signing: checkpoints are plain commits, whatever commit.gpgSign says.
  write(ws, 'app.ts', 'export const x = 1;\n');
  assert.ok(await createCheckpoint(ws, 'run-3'));

  assert.deepEqual(
    readdirSync(markers).filter((f) => f.startsWith('ran-')),
    [],
    'a program named by the repository ran',
  );
  assert.equal(
    readFileSync(join(ws, '.git', 'config'), 'utf8'),
    configBefore,
    "the repository's own config is untouched",
  );
});
