// Pooled specs in the portal: a pooled run waiting at the gate is listed on the Specs page of a
// `serve` on the same PostgreSQL; a supervisor's approval queues it again for any free worker
// (no model call in the portal); an agent account cannot approve it. The Pool page's API: every
// pooled run and the team's spend today, pushed live to open pages. A run's page: poolRunPage.test.ts.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { PoolStore } from '../../../src/pool/poolStore';
import type { Me } from '../../../src/shared/portalApi';
import { parseHTML } from 'linkedom';
import { browserBundle } from '../../support/browserBundle';
import { freshDatabase, usePostgres } from '../../support/postgres';
import { poolRequest } from '../../support/pool/poolRequest';
import { portalWorld } from '../../support/portal/portalKit';

const pg = usePostgres();

/** The Specs page of the portal at `port` for `session`, its decisions answered by the server: what `act` does there, and the notice it brings. */
async function onSpecsPage(
  port: number,
  session: { cookie: string; csrf: string },
  act: (main: HTMLElement, click: (el: Element) => void) => void,
): Promise<string> {
  const globals = { document: Object.getOwnPropertyDescriptor(globalThis, 'document'), fetch: globalThis.fetch };
  const { document, Event, window } = parseHTML('<!doctype html><html><body><main id="main"></main></body></html>');
  // The spec's markdown goes through DOMPurify, which takes the window it finds when loaded.
  Object.assign(globalThis, { window });
  const page = await browserBundle<{
    specsView: (main: HTMLElement, me: Me, deciders: boolean, notify: (text: string) => void) => Promise<void>;
    setCsrf: (token: string) => void;
  }>({ specsView: 'src/portal/client/specsView.ts', setCsrf: 'src/portal/client/api.ts' });
  Object.assign(globalThis, {
    document,
    fetch: (path: string, init: RequestInit = {}) =>
      globals.fetch(`http://127.0.0.1:${port}${path}`, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), cookie: session.cookie },
      }),
  });
  try {
    page.setCsrf(session.csrf);
    const main = document.getElementById('main') as unknown as HTMLElement;
    let notified!: (text: string) => void;
    const notice = new Promise<string>((resolve) => (notified = resolve));
    await page.specsView(main, { name: 'sam', role: 'supervisor', csrf: session.csrf, pool: true }, true, notified);
    act(main, (el) => el.dispatchEvent(new Event('click')));
    return await notice;
  } finally {
    Object.assign(globalThis, { fetch: globals.fetch });
    delete (globalThis as { window?: unknown }).window;
    if (globals.document) Object.defineProperty(globalThis, 'document', globals.document);
    else delete (globalThis as { document?: unknown }).document;
  }
}

test('portal: a pooled spec at the gate is listed with its run; a supervisor approves it for the pool, an agent cannot', async () => {
  const url = await freshDatabase(pg, 'poolportal');
  const store = await PoolStore.open(url);
  const world = await portalWorld({ config: (yaml) => `${yaml}\nqueue:\n  url: ${url}\n` });
  try {
    const runId = '20261123-110000-beef';
    await store.dispatch(
      poolRequest(runId, { request: 'Add an Address entity to the API', flags: { assumeYes: true } }),
    );
    await store.claim('busy/1', [], 60);
    const specId = '2026-11-23-address-api';
    await store.finish(runId, 'busy/1', {
      status: 'awaiting-approval',
      specId,
      spec: { path: `spec/active/${specId}/spec.md`, markdown: '---\ntitle: Address API\n---\n## Spec: Address API\n' },
    });

    const bot = await world.signIn('bot');
    const listed = await world.as(bot, 'GET', '/api/specs');
    assert.equal(listed.status, 200, listed.text);
    const shown = listed.json.find((s: { id: string }) => s.id === specId);
    assert.deepEqual([shown.title, shown.status, shown.pool.runId], ['Address API', 'awaiting-approval', runId]);
    assert.match(shown.markdown, /## Spec: Address API/);
    assert.equal((await world.as(bot, 'POST', `/api/specs/${specId}/decision`, { action: 'approve' })).status, 403);

    const sam = await world.signIn('sam');
    assert.equal(
      (await world.as(sam, 'POST', `/api/specs/${specId}/decision`, { action: 'save' })).status,
      400,
      'only approval goes to the pool',
    );
    // Attempts per layer (issue 47) go with the approval: a bad number is refused naming the field, nothing decided.
    for (const attempts of [0, 9, 2.5, 'three']) {
      const refused = await world.as(sam, 'POST', `/api/specs/${specId}/decision`, { action: 'approve', attempts });
      assert.equal(refused.status, 400, `${attempts}: ${refused.text}`);
      assert.match(refused.json.error, /attempts: /);
    }
    assert.match(
      (
        await world.as(sam, 'POST', `/api/specs/${specId}/decision`, {
          action: 'changes',
          feedback: 'More',
          attempts: 3,
        })
      ).json.error,
      /^attempts: only an approval/,
    );
    assert.equal((await store.get(runId))!.status, 'awaiting-approval');
    // Approved on the Specs page, built by its own code on a DOM from what this server answers: 3 in the box beside Approve.
    const notice = await onSpecsPage(world.port, sam, async (main, click) => {
      const card = main.querySelector(`article[data-spec="${specId}"]`)!;
      const box = card.querySelector('input[data-testid="attempts"]') as HTMLInputElement;
      assert.deepEqual(
        [box.getAttribute('min'), box.getAttribute('max'), box.value],
        ['1', '8', ''],
        "empty: the config's",
      );
      box.value = '3';
      click(card.querySelector('button[data-action="approve"]')!);
    });
    assert.equal(notice, 'Approved: Address API (by sam, 3 attempts per layer)');
    const queued = await store.get(runId);
    assert.deepEqual(
      [
        queued!.status,
        queued!.flags.approveGates,
        queued!.flags.approval,
        queued!.flags.assumeYes,
        queued!.flags.attempts,
      ],
      ['queued', undefined, { seq: 0, by: 'sam' }, true, 3],
      'queued again with this gate approved (not every later one) and 3 attempts per layer; the dispatch flags travel on',
    );
    assert.equal(
      (await world.as(sam, 'POST', `/api/specs/${specId}/decision`, { action: 'approve' })).status,
      404,
      'no longer waiting',
    );
    assert.equal(
      (await world.as(sam, 'GET', '/api/specs')).json.some((s: { id: string }) => s.id === specId),
      false,
    );
    // Any free worker takes it next.
    assert.equal((await store.claim('free/2', [], 60))?.runId, runId);
  } finally {
    await world.close();
    await store.close();
  }
});

test("portal: the Pool page's API lists every pooled run (status, phase, wave, worker, cost, reason) and the day's spend against limits.poolBudgetUsdPerDay; a change is pushed as a `pool` event", async () => {
  const url = await freshDatabase(pg, 'poolboard');
  const store = await PoolStore.open(url);
  const world = await portalWorld({
    config: (yaml) => `${yaml.replace('limits:\n', 'limits:\n  poolBudgetUsdPerDay: 10\n')}\nqueue:\n  url: ${url}\n`,
  });
  try {
    const bot = await world.signIn('bot');
    assert.equal((await world.as(bot, 'GET', '/api/me')).json.pool, true, 'the page shows Pool in its navigation');
    assert.equal((await world.http('GET', '/api/pool')).status, 401, 'signed in only');
    const empty = await world.as(bot, 'GET', '/api/pool');
    assert.equal(empty.status, 200, empty.text);
    assert.deepEqual(
      [empty.json.configured, empty.json.board.runs, empty.json.board.spentTodayUsd, empty.json.board.budgetUsdPerDay],
      [true, [], 0, 10],
    );

    const events: string[] = [];
    const stream = request({
      host: '127.0.0.1',
      port: world.port,
      path: '/api/events',
      headers: { host: `127.0.0.1:${world.port}`, cookie: bot.cookie },
    });
    await new Promise<void>((resolve) =>
      stream
        .on('response', (res) => {
          res.on('data', (chunk: Buffer) => events.push(chunk.toString('utf8')));
          resolve();
        })
        .end(),
    );
    const runId = '20261123-130000-cafe';
    await store.dispatch(
      poolRequest(runId, {
        kind: 'bugfix',
        request: 'Orders total ignores discounts',
        flags: { autoApprove: true, approveGates: true },
      }),
    );
    await store.claim('build-7', [], 60);
    await store.update(runId, 'build-7', { phase: 'IMPLEMENT', wave: '2/3', costUsd: 0.42 });
    await store.charge(2.5);
    await store.finish(runId, 'build-7', { status: 'stopped', reason: 'validation failed: npm test' });
    for (const end = Date.now() + 5000; !events.join('').includes('event: pool') && Date.now() < end;) await sleep(20);
    assert.match(events.join(''), /event: pool\n/, 'the open pages hear it');
    stream.destroy();

    const board = (await world.as(bot, 'GET', '/api/pool')).json.board;
    assert.deepEqual(
      board.runs.map((r: Record<string, unknown>) => [
        r.runId,
        r.status,
        r.phase,
        r.wave,
        r.worker,
        r.costUsd,
        r.reason,
        r.kind,
      ]),
      [[runId, 'stopped', 'IMPLEMENT', '2/3', 'build-7', 0.42, 'validation failed: npm test', 'bugfix']],
    );
    assert.deepEqual([board.spentTodayUsd, board.requestsToday, board.budgetUsdPerDay], [2.5, 1, 10]);
  } finally {
    await world.close();
    await store.close();
  }
});

test('portal: without PostgreSQL there is no pool: /api/me says so and /api/pool answers configured: false', async () => {
  const world = await portalWorld();
  try {
    const ada = await world.signIn('ada');
    assert.equal((await world.as(ada, 'GET', '/api/me')).json.pool, false);
    assert.deepEqual((await world.as(ada, 'GET', '/api/pool')).json, { configured: false });
  } finally {
    await world.close();
  }
});

test('portal: a supervisor asks changes of a pooled spec (queued again for its spec agent, with the feedback) and stops pooled runs from the Pool page, queued or running; an agent can do neither', async () => {
  const url = await freshDatabase(pg, 'poolportalstop');
  const store = await PoolStore.open(url);
  const world = await portalWorld({ config: (yaml) => `${yaml}\nqueue:\n  url: ${url}\n` });
  const dispatch = (runId: string) =>
    store.dispatch(poolRequest(runId, { request: 'Add an Address entity to the API' }));
  try {
    const waiting = '20261124-110000-0a0a';
    await dispatch(waiting);
    await store.claim('busy/1', [], 60);
    const specId = '2026-11-24-address-api';
    await store.finish(waiting, 'busy/1', {
      status: 'awaiting-approval',
      specId,
      spec: { path: `spec/active/${specId}/spec.md`, markdown: '---\ntitle: Address API\n---\n## Spec: Address API\n' },
    });
    const bot = await world.signIn('bot');
    const sam = await world.signIn('sam');
    assert.equal(
      (await world.as(bot, 'POST', `/api/specs/${specId}/decision`, { action: 'changes', feedback: 'Add a postcode' }))
        .status,
      403,
    );
    assert.equal(
      (await world.as(sam, 'POST', `/api/specs/${specId}/decision`, { action: 'changes', feedback: '  ' })).status,
      400,
      'say what to change',
    );
    const changed = await world.as(sam, 'POST', `/api/specs/${specId}/decision`, {
      action: 'changes',
      feedback: 'Add a postcode',
    });
    assert.equal(changed.status, 200, changed.text);
    const requeued = await store.get(waiting);
    assert.deepEqual(
      [requeued!.status, requeued!.flags.changes, requeued!.flags.approval],
      ['queued', { seq: 0, feedback: 'Add a postcode', by: 'sam' }, undefined],
    );

    // Stop: a queued run at once; a running one is no longer its worker's (its heartbeat and writes are refused).
    const queued = '20261124-110001-0b0b';
    await dispatch(queued);
    assert.equal((await world.as(bot, 'POST', `/api/pool/runs/${queued}/cancel`)).status, 403);
    const stopped = await world.as(sam, 'POST', `/api/pool/runs/${queued}/cancel`);
    assert.equal(stopped.status, 200, stopped.text);
    assert.deepEqual([stopped.json.was, stopped.json.status], ['queued', 'stopped']);
    assert.deepEqual(
      [(await store.get(queued))!.status, (await store.get(queued))!.reason],
      ['stopped', 'cancelled by sam in the portal'],
    );
    assert.equal((await world.as(sam, 'POST', `/api/pool/runs/${queued}/cancel`)).status, 409, 'stopped once');

    const running = (await store.claim('w/2', [], 60))!.runId;
    assert.equal(running, waiting);
    assert.equal((await world.as(sam, 'POST', `/api/pool/runs/${running}/cancel`)).json.was, 'running');
    assert.equal(await store.heartbeat(running, 'w/2', 60), false);
    assert.equal(await store.stoppedUnder(running, 'w/2'), true, 'stopped under its worker, not taken by another');
    assert.equal(
      await store.appendEvents(running, 'w/2', [{ seq: 1, type: 'log' }]),
      false,
      'its worker writes nothing more',
    );
    assert.equal(await store.claim('w/3', [], 60), undefined, 'no worker takes a stopped run');
  } finally {
    await world.close();
    await store.close();
  }
});
