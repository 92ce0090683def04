// The channel's outbox of github.* events (issue 39): kept on disk until the run's journal takes them, added once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal, readEvents } from '../../../src/core/journal/journal';
import { GithubOutbox } from '../../../src/github/outbox';

const RUN = '20261124-101010-abcd';
const linked = {
  type: 'github.issue.linked' as const,
  url: 'https://github.com/acme/shop/issues/7',
  detail: 'resumed after serve restarted',
};
const cancelled = {
  type: 'github.cancelled' as const,
  url: 'https://github.com/acme/shop/issues/7#issuecomment-9',
  by: 'alice',
};

test("GitHub outbox: kept events join the run's journal once: one the journal took before serve was killed (before the outbox was emptied) is not added again, an earlier identical one does not hide a new one", async () => {
  const workspace = mkdtempSync(join(tmpdir(), 'orch-outbox-'));
  try {
    const journal = Journal.create(workspace, RUN);
    journal.append({ ...linked }); // serve's first restart: the same event, journaled long before
    journal.close();
    const outbox = new GithubOutbox(join(workspace, 'data', 'outbox'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    outbox.keep(RUN, linked);
    outbox.keep(RUN, cancelled);
    // The engine took the first one, then serve was killed before the outbox was emptied.
    const taken = Journal.open(workspace, RUN);
    taken.append(linked);
    taken.close();
    assert.deepEqual(await outbox.replay(workspace), []);
    const githubEvents = readEvents(workspace, RUN).map((e) => e.type);
    assert.deepEqual(githubEvents, ['github.issue.linked', 'github.issue.linked', 'github.cancelled']);
    assert.equal(existsSync(join(workspace, 'data', 'outbox', `${RUN}.jsonl`)), false, 'forgotten once in the journal');
    // Replayed again (serve restarts once more): nothing added twice.
    assert.deepEqual(await outbox.replay(workspace), []);
    assert.equal(readEvents(workspace, RUN).length, 3);

    // A run that never got a journal: nowhere to show them, said and dropped.
    outbox.keep('20261124-101010-ffff', cancelled);
    const said = await outbox.replay(workspace);
    assert.match(said[0]!, /run 20261124-101010-ffff never got a journal: its 1 GitHub event/);
    assert.equal(existsSync(join(workspace, 'data', 'outbox', '20261124-101010-ffff.jsonl')), false);
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
});
