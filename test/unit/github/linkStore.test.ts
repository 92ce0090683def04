// The GitHub channel's link store (src/github/store.ts): a write is acknowledged only once it is on
// disk. `record` and `handled` resolve once what they stored can be read back by a new store (as
// serve started again reads it); those made together share one write; a synchronous `put` made
// while such a write is under way is never overwritten by it; a write of what is on disk is skipped.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { GithubStore, type IssueLink } from '../../../src/github/store';

const root = mkdtempSync(join(tmpdir(), 'link-store-'));
const env = { ...process.env, XDG_DATA_HOME: join(root, 'data') };
after(() => rmSync(root, { recursive: true, force: true }));

let workspaces = 0;
const workspace = () => {
  const dir = join(root, `ws${++workspaces}`);
  mkdirSync(dir);
  return dir;
};
const link = (issue: number, extra: Partial<IssueLink> = {}): IssueLink => ({
  issue,
  issueUrl: `https://github.com/o/r/issues/${issue}`,
  runId: `run-${issue}`,
  kind: 'feature',
  by: 'alice',
  status: 'running',
  ...extra,
});

test('twenty links recorded together share one write, and each is on disk when its promise resolves', async () => {
  const ws = workspace();
  const store = new GithubStore(ws, env);
  const writes = Array.from({ length: 20 }, (_, i) => store.record(link(100 + i)));
  const delivered = store.handled('delivery-1');
  assert.equal(new Set([...writes, delivered]).size, 1, 'one write for all of them');
  await Promise.all(writes);
  const reread = new GithubStore(ws, env);
  assert.deepEqual(
    reread.links().map((l) => l.issue),
    Array.from({ length: 20 }, (_, i) => 100 + i),
  );
  assert.equal(reread.firstDelivery('delivery-1'), false, 'the handled delivery is remembered');
});

test('a link changed while a write is under way goes in the next write, not lost', async () => {
  const ws = workspace();
  const store = new GithubStore(ws, env);
  const first = link(1);
  const writing = store.record(first);
  await Promise.resolve(); // the write has started: it holds the link as it was then
  await Promise.resolve();
  first.status = 'waiting';
  const second = store.record(first);
  assert.notEqual(second, writing);
  await Promise.all([writing, second]);
  assert.equal(new GithubStore(ws, env).ofRun('run-1')?.status, 'waiting');
});

test('a synchronous put made while a write is under way is not overwritten by that older write', async () => {
  const ws = workspace();
  const store = new GithubStore(ws, env);
  const writing = store.record(link(1));
  await Promise.resolve();
  await Promise.resolve();
  store.put(link(2));
  assert.deepEqual(
    new GithubStore(ws, env).links().map((l) => l.issue),
    [1, 2],
    'put returns once on disk',
  );
  await writing;
  assert.deepEqual(
    new GithubStore(ws, env).links().map((l) => l.issue),
    [1, 2],
  );
});

test('storing what is already on disk writes nothing', async () => {
  const ws = workspace();
  const store = new GithubStore(ws, env);
  const one = link(7, { specId: 'spec-7' });
  store.put(one);
  const files = [join(store.dir, 'state.json'), join(store.dir, 'state.behind.json')];
  const inodes = () => files.map((file) => (existsSync(file) ? statSync(file).ino : 0)).join(',');
  const written = inodes();
  store.put({ ...one });
  await store.record({ ...one });
  assert.equal(inodes(), written, 'neither state file was replaced');
  // Read back by a new store: nothing to write either.
  const again = new GithubStore(ws, env);
  again.put({ ...one });
  assert.equal(inodes(), written);
  one.status = 'completed';
  await store.record(one);
  assert.notEqual(inodes(), written);
  assert.equal(new GithubStore(ws, env).ofRun('run-7')?.status, 'completed');
});

test('of the two state files, the one written last is read, whichever it is; one from before the numbering is the older', () => {
  const ws = workspace();
  const dir = new GithubStore(ws, env).dir;
  mkdirSync(dir, { recursive: true });
  const state = (seq: number | undefined, status: IssueLink['status']) =>
    JSON.stringify({ ...(seq === undefined ? {} : { seq }), deliveries: [], links: [link(1, { status })] });
  writeFileSync(join(dir, 'state.json'), state(3, 'waiting'));
  writeFileSync(join(dir, 'state.behind.json'), state(4, 'completed'));
  assert.equal(new GithubStore(ws, env).ofRun('run-1')?.status, 'completed');
  writeFileSync(join(dir, 'state.json'), state(5, 'failed'));
  assert.equal(new GithubStore(ws, env).ofRun('run-1')?.status, 'failed');
  writeFileSync(join(dir, 'state.json'), state(undefined, 'stopped'));
  assert.equal(new GithubStore(ws, env).ofRun('run-1')?.status, 'completed');
  rmSync(join(dir, 'state.behind.json'));
  assert.equal(
    new GithubStore(ws, env).ofRun('run-1')?.status,
    'stopped',
    'a store written before the numbering is read as it is',
  );
});

test('puts and records interleaved at random: what a new store reads is the last state, each time a write is acknowledged', async () => {
  const ws = workspace();
  const store = new GithubStore(ws, env);
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const pending: Promise<void>[] = [];
  for (let step = 0; step < 300; step++) {
    const changed = link(1 + Math.floor(random() * 5), {
      status: random() < 0.5 ? 'running' : 'waiting',
      specId: `spec-${step}`,
    });
    if (random() < 0.4) {
      store.put(changed);
      assert.deepEqual(
        new GithubStore(ws, env).links(),
        store.links(),
        `step ${step}: a put is on disk when it returns`,
      );
    } else {
      pending.push(store.record(changed));
    }
    const pause = random();
    if (pause < 0.3) await new Promise((resolve) => setImmediate(resolve));
    else if (pause < 0.4) await pending.at(-1);
  }
  await Promise.all(pending);
  assert.deepEqual(new GithubStore(ws, env).links(), store.links());
});
