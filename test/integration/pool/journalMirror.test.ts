// The pooled run's journal mirror on a real PostgreSQL server: what a push vouches for reaches
// the database only after that push, and entries that wait for a push together get one push.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JournalMirror } from '../../../src/pool/journalMirror';
import { PoolStore, type MirroredEntry } from '../../../src/pool/poolStore';
import { freshDatabase, usePostgres } from '../../support/postgres';
import { poolRequest } from '../../support/pool/poolRequest';

const pg = usePostgres();

const RUN = '20261123-120000-a1b2';

async function heldRun(): Promise<PoolStore> {
  const store = await PoolStore.open(await freshDatabase(pg, 'mirror'));
  await store.dispatch(poolRequest(RUN, { request: 'feature', remote: '/tmp/remote.git', requestedBy: 'test' }));
  assert.equal((await store.claim('w/1', [], 60))?.runId, RUN);
  return store;
}

const entry = (seq: number, type: string, extra: Record<string, unknown> = {}): MirroredEntry => ({
  seq,
  ts: new Date().toISOString(),
  type,
  ...extra,
});

test('journal mirror: a spec saved and its checkpoint waiting together go in one push, and the database hears of neither before it ends', async () => {
  const store = await heldRun();
  try {
    const pushes: { types: string[]; seenBefore: string[] }[] = [];
    let release!: () => void;
    const firstPushHeld = new Promise<void>((resolve) => (release = resolve));
    const mirror = new JournalMirror(
      store,
      RUN,
      'w/1',
      {
        push: async (entries) => {
          const seenBefore = (await store.events(RUN)).map((e) => e.type);
          pushes.push({ types: entries.map((e) => e.type), seenBefore });
          if (pushes.length === 1) await firstPushHeld;
        },
        lost: () => assert.fail("the run is still this worker's"),
        trouble: (message) => assert.fail(message),
      },
      0,
    );
    mirror.add(entry(1, 'run.started'));
    mirror.add(entry(2, 'spec.saved', { specId: 's' }));
    mirror.add(entry(3, 'log'));
    mirror.add(entry(4, 'checkpoint.created', { commit: 'c'.repeat(40) }));
    mirror.add(entry(5, 'phase.started', { phase: 'IMPLEMENT' }));
    // While the push is held, a layer passes: it waits for a push of its own (its work may be newer).
    while (pushes.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    mirror.add(entry(6, 'validation.passed', { layer: 'backend' }));
    release();
    await mirror.flush();
    assert.deepEqual(
      pushes.map((p) => p.types),
      [['spec.saved', 'checkpoint.created'], ['validation.passed']],
      'two pushes, not three',
    );
    assert.deepEqual(
      pushes[0]!.seenBefore,
      ['run.started'],
      'what came before the spec is mirrored at once; the spec and its checkpoint wait for their push',
    );
    assert.deepEqual(
      pushes[1]!.seenBefore,
      ['run.started', 'spec.saved', 'log', 'checkpoint.created', 'phase.started'],
      'the layer waits for its own push',
    );
    assert.deepEqual(
      (await store.events(RUN)).map((e) => e.seq),
      [1, 2, 3, 4, 5, 6],
    );
    assert.equal((await store.get(RUN))?.phase, 'IMPLEMENT');
  } finally {
    await store.close();
  }
});

test('journal mirror: a push that fails is tried again, and nothing it vouches for is mirrored until it succeeds', async () => {
  const store = await heldRun();
  try {
    let attempts = 0;
    const troubles: string[] = [];
    const mirror = new JournalMirror(
      store,
      RUN,
      'w/1',
      {
        push: async () => {
          attempts++;
          if (attempts === 1) {
            assert.deepEqual(
              (await store.events(RUN)).map((e) => e.type),
              ['run.started'],
            );
            throw new Error('remote unreachable');
          }
          return 'f'.repeat(40);
        },
        lost: () => assert.fail("the run is still this worker's"),
        trouble: (message) => troubles.push(message),
      },
      0,
    );
    mirror.add(entry(1, 'run.started'));
    mirror.add(entry(2, 'validation.passed', { layer: 'backend' }));
    await mirror.flush();
    assert.equal(attempts, 2);
    assert.match(troubles[0]!, /cannot push to the git remote yet \(remote unreachable\)/);
    assert.deepEqual(
      (await store.events(RUN)).map((e) => e.type),
      ['run.started', 'validation.passed'],
    );
    assert.equal((await store.get(RUN))?.wipCommit, 'f'.repeat(40), 'the wip commit named once its push succeeded');
  } finally {
    await store.close();
  }
});

test('journal mirror: a saved spec waits for the checkpoint that follows its approval, one push for both, and the wip commit that push left goes to the database with them; a run stopping at the gate pushes at once', async () => {
  const store = await heldRun();
  try {
    const pushes: string[][] = [];
    const mirror = new JournalMirror(
      store,
      RUN,
      'w/1',
      {
        push: async (entries) => {
          pushes.push(entries.map((e) => e.type));
          return `${pushes.length}`.repeat(40);
        },
        lost: () => assert.fail("the run is still this worker's"),
        trouble: (message) => assert.fail(message),
      },
      0,
    );
    mirror.add(entry(1, 'run.started'));
    mirror.add(entry(2, 'spec.saved', { specId: 's' }));
    mirror.add(entry(3, 'spec.approved', { specId: 's' }));
    // The checkpoint comes after the mirror reached the spec (what came before it is in the database).
    while ((await store.events(RUN)).length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    mirror.add(entry(4, 'phase.started', { phase: 'IMPLEMENT' }));
    mirror.add(entry(5, 'checkpoint.created', { commit: 'c'.repeat(40) }));
    await mirror.flush();
    assert.deepEqual(pushes, [['spec.saved', 'checkpoint.created']], 'one push for the spec and its checkpoint');
    assert.deepEqual(
      (await store.events(RUN)).map((e) => e.seq),
      [1, 2, 3, 4, 5],
    );
    const run = await store.get(RUN);
    assert.deepEqual(
      [run?.wipCommit, run?.phase],
      ['1'.repeat(40), 'IMPLEMENT'],
      'the wip commit and the phase with the entries they vouch for',
    );
    // A spec saved, then the run ends at the gate: its push does not wait for a checkpoint that never comes.
    const gate = new JournalMirror(
      store,
      RUN,
      'w/1',
      {
        push: async (entries) => {
          pushes.push(entries.map((e) => e.type));
          return 'e'.repeat(40);
        },
        lost: () => assert.fail("the run is still this worker's"),
        trouble: (message) => assert.fail(message),
      },
      0,
    );
    gate.add(entry(6, 'spec.saved', { specId: 's' }));
    await gate.flush();
    assert.deepEqual(pushes.at(-1), ['spec.saved']);
    assert.equal((await store.get(RUN))?.wipCommit, 'e'.repeat(40));
  } finally {
    await store.close();
  }
});
