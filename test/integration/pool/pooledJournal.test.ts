// A pooled run's journal shown whole where a local run's is: one real run on a worker (its
// journal mirrored into PostgreSQL as it went), then read back from the user's checkout, which
// has no journal of it, by `orchestrator events`, and by the portal's Pool page (its API: a page
// at a time from the journal's end, zod-checked paging, signed-in accounts only), and by the VS
// Code sidebar's run panel (the Pool section's Journal: the live follower's read, the reducer, the
// webview message).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { buildCli, runCli } from '../../support/cli/cliKit';
import { entityAgents, entityFile, featureRequest } from '../../support/engine/worktreeFeatures';
import { followPool } from '../../../src/pool/board';
import { reduce } from '../../../src/extension/view/reducer';
import { emptyViewState, parseWebviewMessage, viewStateSchema } from '../../../src/shared/protocol';
import { portalWorld } from '../../support/portal/portalKit';
import { GIT_ENV, poolWorld, type PoolWorld } from '../../support/pool/poolKit';

let w: PoolWorld;
/** A port nothing listens on: a database that cannot be reached. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
let runId: string;
before(async () => {
  buildCli();
  w = await poolWorld(entityAgents());
  w.worker('journal-keeper');
  runId = (await w.cli(['feature', featureRequest('Address'), '--pool', '--approve', '--yes'])).stdout.trim();
  await w.waitFor(`run ${runId} completed`, (runs) => runs.find((run) => run.runId === runId)?.status === 'completed');
});
after(() => w?.close());

test("events: a pooled run not in this workspace is read from the pool, whole, in the lines a local run's journal gives (--format journal and the CloudEvents default)", async () => {
  const mirrored = await w.store.events(runId);
  const journal = await w.cli(['events', runId, '--format', 'journal']);
  assert.equal(journal.code, 0, journal.stderr);
  const lines = journal.stdout.trimEnd().split('\n');
  assert.equal(lines.length, mirrored.length, 'every mirrored entry, none left out');
  const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.deepEqual(entries, mirrored, 'as the workers mirrored it');
  assert.deepEqual(
    entries.map((entry) => entry.seq),
    mirrored.map((_, i) => i + 1),
    'in order',
  );
  assert.deepEqual([entries[0]!.type, entries.at(-1)!.type], ['run.started', 'run.completed']);
  for (const line of lines)
    assert.match(line, /^\{"seq":\d+,"ts":"[^"]+","type":"/, 'seq, ts and type first, as the journal writes them');

  // The same journal kept locally (another checkout, no pool) gives the very same CloudEvents.
  const cloudEvents = await w.cli(['events', runId]);
  assert.equal(cloudEvents.code, 0, cloudEvents.stderr);
  const local = w.clone('local-copy');
  mkdirSync(join(local, '.claude', 'runs', runId), { recursive: true });
  writeFileSync(join(local, '.claude', 'runs', runId, 'events.jsonl'), journal.stdout);
  const expected = await runCli(['events', runId], { cwd: local, env: GIT_ENV });
  assert.equal(expected.code, 0, expected.stderr);
  assert.equal(cloudEvents.stdout, expected.stdout);
  const first = JSON.parse(cloudEvents.stdout.split('\n')[0]!) as Record<string, unknown>;
  assert.deepEqual([first.specversion, first.id, first.source], ['1.0', `${runId}-1`, `/.claude/runs/${runId}`]);
});

test('events: a pooled entry holding terminal control sequences is printed inert, the JSON keeping its value', async () => {
  const hostile = 'see \u001b]8;;https://evil.example\u0007here\u001b]8;;\u0007 \u001b[2J \u009b31mred';
  assert.ok(
    await w.store.note(runId, [
      {
        type: 'github.change.requested',
        ts: new Date().toISOString(),
        url: 'https://github.example/acme/shop/pull/1',
        text: hostile,
      },
    ]),
  );
  const printed = await w.cli(['events', runId, '--format', 'journal']);
  assert.equal(printed.code, 0, printed.stderr);
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  const control = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
  assert.doesNotMatch(printed.stdout, control, 'no control character reaches the terminal');
  assert.equal((JSON.parse(printed.stdout.trimEnd().split('\n').at(-1)!) as { text: string }).text, hostile);
});

test('events: a run in neither the workspace nor the pool is a usage error; a pool that cannot be reached is said, exit 1', async () => {
  const unknown = await w.cli(['events', '20260101-000000-dead']);
  assert.equal(unknown.code, 2, unknown.stderr);
  assert.match(unknown.stderr, /No run 20260101-000000-dead in this workspace/);

  const port = await closedPort();
  const down = await runCli(['events', runId], {
    cwd: w.shop.dir,
    env: { ...GIT_ENV, ORCHESTRATOR_QUEUE_URL: `postgres://team:s3cret@127.0.0.1:${port}/pool` },
  });
  assert.equal(down.code, 1, down.stderr);
  assert.equal(down.stdout, '');
  assert.match(
    down.stderr,
    new RegExp(
      `run ${runId} is not in this workspace, and the pool cannot be read: queue\\.url: cannot use the PostgreSQL .* at postgres://team:(\\*\\*\\*|\\[REDACTED\\])@127\\.0\\.0\\.1:${port}/pool`,
    ),
  );
  assert.doesNotMatch(down.stderr, /s3cret/, 'the password is not printed');
});

test("portal: a pooled run's journal is read a page at a time from its end (time, type, text), paged back to its start; bad paging is a 400, an unknown run a 404", async () => {
  const mirrored = await w.store.events(runId);
  const world = await portalWorld({ config: (yaml) => `${yaml}\nqueue:\n  url: ${w.url}\n` });
  try {
    const path = `/api/pool/runs/${runId}/events`;
    assert.equal((await world.http('GET', path)).status, 401, 'signed in only');
    const bot = await world.signIn('bot');
    const newest = await world.as(bot, 'GET', path);
    assert.equal(newest.status, 200, newest.text);
    const all = mirrored.length;
    assert.ok(all > 10, `a journal of ${all} entries pages`);
    assert.deepEqual(
      newest.json.events.map((e: { seq: number }) => e.seq),
      mirrored.slice(-100).map((e) => e.seq),
      'the newest 100 by default',
    );

    // Five at a time, back to the start: every entry once, in order, with its time, type and text.
    const seen: { seq: number; ts: string; type: string; text: string }[] = [];
    let before: number | undefined;
    for (let pages = 0; ; pages++) {
      assert.ok(pages <= all / 5 + 1, 'paging back ends');
      const page = await world.as(bot, 'GET', `${path}?limit=5${before !== undefined ? `&before=${before}` : ''}`);
      assert.equal(page.status, 200, page.text);
      assert.ok(page.json.events.length <= 5);
      seen.unshift(...page.json.events);
      before = page.json.earlier;
      if (before === undefined) break;
      assert.equal(before, page.json.events[0].seq);
    }
    assert.deepEqual(
      seen.map((e) => [e.seq, e.ts, e.type]),
      mirrored.map((e) => [e.seq, e.ts, e.type]),
    );
    const started = seen[0]!;
    assert.equal(started.type, 'run.started');
    assert.match(
      started.text,
      /^run \S+ started \(feature\) — Add an Address entity to the API/,
      'the entry in words, as the CLI and the log say it',
    );
    assert.doesNotMatch(started.text, /runId|"seq"|"ts"/, 'the fields shown elsewhere are not repeated');
    assert.ok(
      seen.every((e) => e.text.length <= 400),
      'each text bounded',
    );

    for (const query of ['?limit=0', '?limit=201', '?limit=abc', '?before=1', '?before=2.5']) {
      const refused = await world.as(bot, 'GET', `${path}${query}`);
      assert.equal(refused.status, 400, `${query}: ${refused.text}`);
    }
    assert.equal((await world.as(bot, 'GET', '/api/pool/runs/20260101-000000-dead/events')).status, 404);
  } finally {
    await world.close();
  }
});

test("sidebar: the Pool section's Journal shows a pooled run in the run panel from its mirrored journal, read-only, never over a run going in this window; only that run is read again", async () => {
  const queueUrl = process.env.ORCHESTRATOR_QUEUE_URL;
  process.env.ORCHESTRATOR_QUEUE_URL = w.url;
  const follower = await followPool(w.shop.dir, () => undefined);
  try {
    const read = await follower.journal(runId);
    assert.ok(read);
    assert.deepEqual(
      [read.info.runId, read.info.kind, read.info.status, read.info.request],
      [runId, 'feature', 'completed', featureRequest('Address')],
    );
    assert.equal(read.events.length, (await w.store.events(runId)).length, 'the whole journal');
    assert.equal(await follower.journal('20260101-000000-dead'), undefined);

    const shown = reduce(emptyViewState(), { type: 'run.pooled', ...read });
    const run = shown.run!;
    assert.deepEqual(
      [run.runId, run.pooled, run.status, run.live, run.elsewhere],
      [runId, true, 'completed', false, undefined],
    );
    assert.deepEqual(run.filesChanged, [entityFile('Address')], 'what its worker wrote, from its journal');
    assert.ok(
      run.agents.some((agent) => agent.name === 'backend' && agent.state === 'passed'),
      JSON.stringify(run.agents),
    );
    assert.ok(viewStateSchema.safeParse(shown).success, 'the state the webview is sent parses');

    // Over another run shown (a past local run), never over one going here; read again only while shown.
    const local = reduce(emptyViewState(), {
      type: 'run.restored',
      info: { ...read.info, runId: '20260101-000000-cafe' },
      events: [],
    });
    assert.equal(reduce(local, { type: 'run.pooled', ...read }).run?.runId, runId);
    const busy = { ...local, busy: true };
    assert.equal(reduce(busy, { type: 'run.pooled', ...read }), busy);
    assert.equal(
      reduce(local, { type: 'run.pooled', ...read, follow: true }),
      local,
      'a follow-up read does not bring it back once another run is shown',
    );
    assert.equal(reduce(shown, { type: 'run.pooled', ...read, follow: true }).run?.runId, runId);
    // A pooled run that stopped without a word in its journal is stopped, not offered to resume here.
    const cut = reduce(emptyViewState(), {
      type: 'run.pooled',
      info: { ...read.info, status: 'stopped' },
      events: read.events.slice(0, 5),
    });
    assert.equal(cut.run?.status, 'stopped');
  } finally {
    await follower.close();
    // Put back for the files a shard runs after this one.
    if (queueUrl === undefined) delete process.env.ORCHESTRATOR_QUEUE_URL;
    else process.env.ORCHESTRATOR_QUEUE_URL = queueUrl;
  }
  assert.ok(parseWebviewMessage({ type: 'poolShow', runId }).ok);
  for (const bad of [{ type: 'poolShow', runId: '../../etc' }, { type: 'poolShow' }, { type: 'poolShow', runId: '' }])
    assert.equal(parseWebviewMessage(bad).ok, false, JSON.stringify(bad));
});
