// One suite for every queue store: the embedded SQLite file and PostgreSQL pass the same tests.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accountSuite } from './accountSuite';
import { later, T0, type StoreKit } from './storeKit';

export function storeSuite(name: string, kit: () => StoreKit): void {
  accountSuite(name, kit);
  test(`${name}: tasks are created, listed by status and read back with every field`, async () => {
    const store = await kit().fresh();
    try {
      const a = await store.createTask(
        { title: 'Add a Product entity', description: 'with a price', source: 'cli' },
        T0,
      );
      const b = await store.createTask(
        { title: 'Backend of spec X', source: 'spec', layer: 'backend', runId: 'r1', specId: 's1' },
        later(1),
      );
      assert.match(a.id, /^t-[0-9a-f]{10}$/);
      assert.deepEqual(await store.getTask(b.id), {
        id: b.id,
        title: 'Backend of spec X',
        description: '',
        source: 'spec',
        status: 'pending',
        layer: 'backend',
        runId: 'r1',
        specId: 's1',
        createdAt: later(1).toISOString(),
        updatedAt: later(1).toISOString(),
      });
      assert.deepEqual(
        (await store.listTasks()).map((t) => t.id),
        [a.id, b.id],
      );
      await store.claim(a.id, 'copilot', later(2), 60);
      assert.deepEqual(
        (await store.listTasks({ status: 'pending' })).map((t) => t.id),
        [b.id],
      );
      assert.deepEqual(
        (await store.listTasks({ status: 'claimed' })).map((t) => t.id),
        [a.id],
      );
      assert.equal(await store.getTask('t-nothere'), undefined);
    } finally {
      await store.close();
    }
  });

  test(`${name}: a claim wins only on a pending task; a second claim and a claim of a claimed task lose`, async () => {
    const store = await kit().fresh();
    try {
      const task = await store.createTask({ title: 'x' }, T0);
      const won = await store.claim(task.id, 'claude-code', later(1), 900);
      assert.equal(won?.status, 'claimed');
      assert.equal(won?.claimer, 'claude-code');
      assert.equal(won?.leaseUntil, later(901).toISOString());
      assert.equal(await store.claim(task.id, 'copilot', later(2), 900), undefined);
      assert.equal(await store.claim(task.id, 'claude-code', later(2), 900), undefined);
      assert.equal((await store.getTask(task.id))?.claimer, 'claude-code');
    } finally {
      await store.close();
    }
  });

  test(`${name}: 20 claimers on 20 connections at once: exactly one wins`, async () => {
    const k = kit();
    const store = await k.fresh();
    try {
      const task = await store.createTask({ title: 'contended' }, T0);
      const results = await k.claimAtOnce(store, task.id, 20);
      const winners = results.filter((r) => r !== null);
      assert.equal(results.length, 20);
      assert.equal(winners.length, 1, `winners: ${JSON.stringify(winners)}`);
      assert.equal((await store.getTask(task.id))?.claimer, winners[0]!.claimer);
    } finally {
      await store.close();
    }
  });

  test(`${name}: a lease is renewed only by its claimer, and an expired one returns the task to pending`, async () => {
    const store = await kit().fresh();
    try {
      const task = await store.createTask({ title: 'x' }, T0);
      const other = await store.createTask({ title: 'in review' }, T0);
      await store.claim(task.id, 'agent-a', T0, 60);
      await store.claim(other.id, 'agent-b', T0, 60);
      await store.setStatus(other.id, ['claimed'], 'review_pending', T0);
      assert.equal(await store.renewLease(task.id, 'agent-b', later(30), 60), false);
      assert.equal(await store.renewLease(task.id, 'agent-a', later(30), 60), true);
      assert.deepEqual(await store.releaseExpired(later(80)), [], 'renewed at 30 s: still held at 80 s');
      assert.deepEqual(
        await store.releaseExpired(later(91)),
        [task.id],
        'lapsed at 90 s; a task in review never lapses',
      );
      const released = await store.getTask(task.id);
      assert.equal(released?.status, 'pending');
      assert.equal(released?.claimer, undefined);
      assert.equal((await store.claim(task.id, 'agent-c', later(92), 60))?.claimer, 'agent-c');
      assert.equal((await store.getTask(other.id))?.status, 'review_pending');
    } finally {
      await store.close();
    }
  });

  test(`${name}: status changes are compare-and-set`, async () => {
    const store = await kit().fresh();
    try {
      const task = await store.createTask({ title: 'x' }, T0);
      assert.equal(await store.setStatus(task.id, ['claimed'], 'in_progress', T0), false);
      await store.claim(task.id, 'a', T0, 60);
      assert.equal(await store.setStatus(task.id, ['claimed', 'in_progress'], 'in_progress', later(1)), true);
      assert.equal(await store.setStatus(task.id, ['claimed'], 'review_pending', later(2)), false);
      const read = await store.getTask(task.id);
      assert.equal(read?.status, 'in_progress');
      assert.equal(read?.updatedAt, later(1).toISOString());
    } finally {
      await store.close();
    }
  });

  test(`${name}: only the task's claimer submits, in one step that puts the task in review; the thread keeps its order`, async () => {
    const store = await kit().fresh();
    try {
      const task = await store.createTask({ title: 'x' }, T0);
      const work = (by: string, at: number) => ({
        taskId: task.id,
        type: 'code' as const,
        content: 'export {}\n',
        path: 'src/a.ts',
        submittedBy: by,
        submittedAt: later(at).toISOString(),
      });
      assert.equal(await store.submitArtifact(work('a', 1), later(1)), undefined, 'nobody claimed it');
      await store.claim(task.id, 'a', T0, 60);
      assert.equal(await store.submitArtifact(work('b', 1), later(1)), undefined, 'not the claimer');
      const first = await store.submitArtifact(work('a', 2), later(2));
      assert.ok(first);
      assert.equal((await store.getTask(task.id))?.status, 'review_pending');
      assert.equal(await store.submitArtifact(work('a', 3), later(3)), undefined, 'one artifact in review at a time');
      assert.deepEqual(await store.listArtifacts(task.id), [first]);
      await store.addMessage({
        taskId: task.id,
        author: 'a',
        text: 'started with ünïcödé and "quotes"',
        at: later(1).toISOString(),
      });
      await store.addMessage({ taskId: task.id, author: 'ana', text: 'thanks', at: later(5).toISOString() });
      assert.deepEqual(
        (await store.listMessages(task.id)).map((m) => [m.author, m.text]),
        [
          ['a', 'started with ünïcödé and "quotes"'],
          ['ana', 'thanks'],
        ],
      );
    } finally {
      await store.close();
    }
  });

  test(`${name}: a decision is held by one reviewer, recorded once with its effect on the task, and a lapsed hold can be taken over`, async () => {
    const store = await kit().fresh();
    try {
      const task = await store.createTask({ title: 'x' }, T0);
      await store.claim(task.id, 'agent', T0, 60);
      const artifact = (await store.submitArtifact(
        { taskId: task.id, type: 'text', content: 'notes', submittedBy: 'agent', submittedAt: later(1).toISOString() },
        later(1),
      ))!;
      assert.equal(await store.holdDecision(artifact.id, 'ana#1', later(2), 30), true);
      assert.equal(await store.holdDecision(artifact.id, 'bob#1', later(3), 30), false, 'held by ana');
      const reply = { channel: 'whatsapp' as const, recipient: 'whatsapp:+15550100', body: 'Done by bob: x' };
      assert.equal(
        await store.recordDecision(artifact.id, 'bob#1', {
          decision: { verdict: 'approved', by: 'bob', at: later(4).toISOString() },
          taskStatus: 'done',
          reply,
        }),
        false,
        'bob holds nothing',
      );
      assert.deepEqual(await store.listReplies(task.id), [], 'a decision that does not stand owes no reply');
      assert.equal(await store.holdDecision(artifact.id, 'bob#2', later(40), 30), true, "ana's hold lapsed at 32 s");
      assert.equal(
        await store.recordDecision(artifact.id, 'ana#1', {
          decision: { verdict: 'approved', by: 'ana', at: later(41).toISOString() },
          taskStatus: 'done',
        }),
        false,
        'ana lost her hold',
      );
      const rejected = {
        verdict: 'rejected' as const,
        comment: 'use the pattern',
        by: 'bob',
        at: later(42).toISOString(),
      };
      assert.equal(
        await store.recordDecision(artifact.id, 'bob#2', {
          decision: rejected,
          taskStatus: 'in_progress',
          leaseSec: 60,
          message: { author: 'bob', text: 'Rejected: use the pattern', at: later(42).toISOString() },
          reply: { ...reply, body: 'Changes requested by bob: x' },
        }),
        true,
      );
      assert.deepEqual(
        (await store.listReplies(task.id)).map((r) => [r.channel, r.recipient, r.body]),
        [['whatsapp', 'whatsapp:+15550100', 'Changes requested by bob: x']],
        'the reply stored with the decision',
      );
      assert.deepEqual((await store.listArtifacts(task.id))[0]!.decision, rejected);
      const back = await store.getTask(task.id);
      assert.equal(back?.status, 'in_progress');
      assert.equal(back?.leaseUntil, later(102).toISOString(), 'a fresh lease for the claimer');
      assert.deepEqual(
        (await store.listMessages(task.id)).map((m) => m.text),
        ['Rejected: use the pattern'],
      );
      assert.equal(await store.holdDecision(artifact.id, 'carl#1', later(200), 30), false, 'decided: never held again');
    } finally {
      await store.close();
    }
  });

  test(`${name}: 20 reviewers on 20 connections holding one decision at once: exactly one holds it`, async () => {
    const k = kit();
    const store = await k.fresh();
    try {
      const task = await store.createTask({ title: 'contended review' }, T0);
      await store.claim(task.id, 'agent', T0, 60);
      const artifact = (await store.submitArtifact(
        { taskId: task.id, type: 'text', content: 'notes', submittedBy: 'agent', submittedAt: T0.toISOString() },
        T0,
      ))!;
      const results = await k.holdAtOnce(store, artifact.id, 20);
      assert.equal(results.filter(Boolean).length, 1, JSON.stringify(results));
    } finally {
      await store.close();
    }
  });

  test(`${name}: a second connection sees the same queue, and reopening keeps the schema and the rows`, async () => {
    const k = kit();
    const store = await k.fresh();
    const other = await k.reopen(store);
    try {
      const task = await store.createTask({ title: 'shared' }, T0);
      assert.equal((await other.claim(task.id, 'elsewhere', T0, 60))?.claimer, 'elsewhere');
      await other.close();
      await other.open();
      assert.equal((await other.getTask(task.id))?.status, 'claimed');
    } finally {
      await other.close();
      await store.close();
    }
  });

  test(`${name}: a delivery creates one task with its source and requester; a redelivery returns it and creates nothing`, async () => {
    const store = await kit().fresh();
    try {
      const first = await store.createDeliveredTask(
        'd-1',
        { title: 'Fix the footer', source: 'whatsapp', requester: 'whatsapp:+15550001111' },
        T0,
      );
      assert.equal(first.duplicate, false);
      assert.equal(first.task.source, 'whatsapp');
      assert.equal(first.task.requester, 'whatsapp:+15550001111');
      const again = await store.createDeliveredTask(
        'd-1',
        { title: 'Fix the footer (again)', source: 'whatsapp' },
        later(1),
      );
      assert.deepEqual(again, { task: first.task, duplicate: true });
      const other = await store.createDeliveredTask('d-2', { title: 'Another', source: 'form' }, later(2));
      assert.equal(other.duplicate, false);
      assert.deepEqual(
        (await store.listTasks()).map((t) => t.id),
        [first.task.id, other.task.id],
      );
    } finally {
      await store.close();
    }
  });

  test(`${name}: a reply owed to a requester is taken by one sender, kept with its error when it fails, and done once sent`, async () => {
    const k = kit();
    const store = await k.fresh();
    const other = await k.reopen(store);
    try {
      const { task } = await store.createDeliveredTask(
        'd-r',
        { title: 'x', source: 'whatsapp', requester: 'whatsapp:+1555' },
        T0,
      );
      const reply = await store.addReply(
        { taskId: task.id, channel: 'whatsapp', recipient: 'whatsapp:+1555', body: 'On it.' },
        T0,
      );
      assert.equal(reply.attempts, 0);
      const [mine, theirs] = await Promise.all([
        store.takeDueReplies(later(1), 60, 10),
        other.takeDueReplies(later(1), 60, 10),
      ]);
      assert.deepEqual(
        [...mine, ...theirs].map((r) => r.id),
        [reply.id],
        'one sender takes it',
      );
      assert.deepEqual(await store.takeDueReplies(later(2), 60, 10), [], 'held while being sent');
      await store.replyFailed(reply.id, 'Twilio answered 500', later(100));
      assert.deepEqual(await store.takeDueReplies(later(50), 60, 10), [], 'not due before its retry');
      const [failed] = await store.listReplies(task.id);
      assert.equal(failed!.lastError, 'Twilio answered 500');
      assert.equal(failed!.attempts, 1);
      assert.equal((await store.takeDueReplies(later(101), 60, 10)).length, 1);
      await store.replySent(reply.id, later(102));
      const [sent] = await store.listReplies(task.id);
      assert.equal(sent!.sentAt, later(102).toISOString());
      assert.equal(sent!.lastError, undefined);
      assert.deepEqual(await store.takeDueReplies(later(10_000), 60, 10), []);
    } finally {
      await other.close();
      await store.close();
    }
  });
}
