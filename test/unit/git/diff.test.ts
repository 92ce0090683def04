import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { createCheckpoint } from '../../../src/core/git/checkpoint';
import { changedFiles, diffSinceCheckpoint, fileAtCheckpoint } from '../../../src/core/git/diff';
import { git, gitSnapshot, indexHash, initRepo, isolatedGit, tempDir, write } from '../../support/gitFixture';

describe('diff since the checkpoint', () => {
  const dirs = isolatedGit();

  const BINARY = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0xff, 0x0d, 0x0a, 0x1a]);

  async function repoWithCheckpoint(): Promise<{ dir: string; ref: string }> {
    const dir = tempDir();
    dirs.push(dir);
    initRepo(dir);
    write(dir, '.gitignore', 'secret.env\n');
    write(dir, 'server/api.ts', 'line 1\nline 2\n');
    write(dir, 'server/old.ts', 'obsolete\n');
    write(dir, 'web/a[1].ts', 'bracket name\n');
    write(dir, 'logo.png', BINARY);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'base');
    write(dir, 'web/draft.ts', 'untracked before the run\n');
    const checkpoint = await createCheckpoint(dir, 'diff-run');
    assert.ok(checkpoint);
    return { dir, ref: checkpoint.ref };
  }

  function simulateRun(dir: string): void {
    write(dir, 'server/api.ts', 'line 1\nline 2 changed\n');
    write(dir, 'server/new.ts', 'brand new\n');
    unlinkSync(join(dir, 'server/old.ts'));
    write(dir, 'secret.env', 'ignored, never in a diff\n');
    write(dir, '.claude/runs/diff-run/events.jsonl', '{"seq":1}\n');
  }

  it("never captures or reports the task queue's own files (its database and decision log), in the workspace or a subfolder workspace", async () => {
    const dir = tempDir();
    dirs.push(dir);
    initRepo(dir);
    write(dir, 'server/api.ts', 'line 1\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'base');
    const queueFiles = [
      '.claude/runs/queue.db',
      '.claude/runs/queue.db-wal',
      '.claude/runs/queue-decisions.jsonl',
      '.claude/orchestrator-queue.db',
      '.claude/orchestrator-queue.db-wal',
      '.claude/orchestrator-queue.db-shm',
      '.claude/queue/decisions.jsonl',
    ];
    for (const root of ['', 'apps/shop/']) for (const file of queueFiles) write(dir, `${root}${file}`, 'queue state\n');
    const checkpoint = await createCheckpoint(dir, 'queue-run');
    assert.ok(checkpoint);
    const captured = git(dir, 'ls-tree', '-r', '--name-only', checkpoint.ref).split('\n').filter(Boolean);
    assert.deepEqual(
      captured.filter((p) => p.includes('queue')),
      [],
      'no queue file in the checkpoint',
    );
    for (const root of ['', 'apps/shop/'])
      for (const file of queueFiles) write(dir, `${root}${file}`, 'queue state, changed during the run\n');
    write(dir, 'server/api.ts', 'line 1 changed\n');
    assert.deepEqual(await changedFiles(dir, checkpoint.ref), [{ path: 'server/api.ts', status: 'modified' }]);
    assert.doesNotMatch(
      await diffSinceCheckpoint(dir, checkpoint.ref),
      /orchestrator-queue|queue\.db|decisions\.jsonl/,
    );
  });

  it('lists added, modified and deleted files, untracked new files included', async () => {
    const { dir, ref } = await repoWithCheckpoint();
    assert.deepEqual(await changedFiles(dir, ref), []);
    simulateRun(dir);
    assert.deepEqual(await changedFiles(dir, ref), [
      { path: 'server/api.ts', status: 'modified' },
      { path: 'server/new.ts', status: 'added' },
      { path: 'server/old.ts', status: 'deleted' },
    ]);
  });

  it('produces a unified diff, optionally limited to paths taken literally', async () => {
    const { dir, ref } = await repoWithCheckpoint();
    simulateRun(dir);
    write(dir, 'web/a[1].ts', 'bracket name edited\n');
    write(dir, 'web/a1.ts', 'would match the glob a[1].ts\n');
    const diff = await diffSinceCheckpoint(dir, ref);
    assert.match(diff, /^diff --git a\/server\/api\.ts b\/server\/api\.ts$/m);
    assert.match(diff, /^-line 2\n\+line 2 changed$/m);
    assert.match(diff, /^\+\+\+ b\/server\/new\.ts\n@@ -0,0 \+1 @@\n\+brand new$/m);
    assert.match(diff, /^deleted file mode 100644$/m);
    assert.doesNotMatch(diff, /secret\.env|\.claude\/runs/);
    const limited = await diffSinceCheckpoint(dir, ref, ['web/a[1].ts']);
    assert.match(limited, /a\/web\/a\[1\]\.ts/);
    assert.doesNotMatch(limited, /server\/|web\/a1\.ts/);
    assert.equal(await diffSinceCheckpoint(dir, ref, []), '');
  });

  it('reads a file as it was at the checkpoint, byte-exact', async () => {
    const { dir, ref } = await repoWithCheckpoint();
    simulateRun(dir);
    write(dir, 'logo.png', Buffer.from('overwritten'));
    assert.deepEqual(await fileAtCheckpoint(dir, ref, 'logo.png'), BINARY);
    assert.equal((await fileAtCheckpoint(dir, ref, 'server/old.ts'))?.toString(), 'obsolete\n');
    assert.equal((await fileAtCheckpoint(dir, ref, 'web/draft.ts'))?.toString(), 'untracked before the run\n');
    assert.equal(await fileAtCheckpoint(dir, ref, 'server/new.ts'), undefined);
    assert.equal(await fileAtCheckpoint(dir, ref, 'server'), undefined, 'a directory is not a file');
  });

  it('does not disturb the index or the status while diffing', async () => {
    const { dir, ref } = await repoWithCheckpoint();
    simulateRun(dir);
    const before = gitSnapshot(dir);
    const index = indexHash(dir);
    await diffSinceCheckpoint(dir, ref);
    await changedFiles(dir, ref);
    assert.equal(indexHash(dir), index);
    assert.deepEqual(gitSnapshot(dir), before);
  });

  it('reports paths relative to a workspace that is a sub-directory of the repository', async () => {
    const { dir, ref } = await repoWithCheckpoint();
    simulateRun(dir);
    const workspace = join(dir, 'server');
    assert.deepEqual(await changedFiles(workspace, ref), [
      { path: 'api.ts', status: 'modified' },
      { path: 'new.ts', status: 'added' },
      { path: 'old.ts', status: 'deleted' },
    ]);
    assert.equal((await fileAtCheckpoint(workspace, ref, 'api.ts'))?.toString(), 'line 1\nline 2\n');
  });
});
