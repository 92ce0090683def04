// A change-set's members at once (issue 73): a ← b and a ← c. b's and c's parts are written once a's
// is (each shown a's, never the other's); every member's agents then work at the same time; b's and
// c's checks begin on a's work once it is in, its head linked in again then (the user's `via:
// command` step), and count once a's work is accepted, before each is checked on the combined heads.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { engine } from '../../../src/core/engine';
import type { EngineEvent } from '../../../src/core/events';
import { readEvents } from '../../../src/core/journal/journal';
import { makeTrio, trioSpecAgent } from '../../support/changesetExample';
import { pipelineScript, say, type AgentScript } from '../../support/engine/agentScript';
import { TestHost } from '../../support/engine/testHost';
import { reply, startMessagesApiServer } from '../../support/messagesApiServer';

/** The set run on the trio with these agents, its scripted server closed after. */
async function runValues(dir: string, agents: Record<string, AgentScript>, host = new TestHost()) {
  const scripted = pipelineScript(agents);
  const api = await startMessagesApiServer(scripted.script);
  try {
    const set = await engine.runChangeSet('Values to 2', {
      workspace: dir,
      host,
      baseURL: api.url,
      autoApprove: true,
      assumeYes: true,
    });
    return { set, scripted };
  } finally {
    await api.close();
  }
}

/** How long a's layer agent waits for b's and c's to be asked before it answers (they never are, one after another). */
const AT_ONCE_MS = 60_000;

test('a change-set of a ← b, a ← c: the members’ agents work at once, b’s and c’s checks begin on a’s work and count once it is accepted, and the set completes', async () => {
  const { dir } = makeTrio('v2', [], false, 'fan');
  // a's layer agent answers only once b's and c's have been asked: the three at work together, whatever the machine's load.
  const asked = new Set<string>();
  let allAsked!: () => void;
  const together = new Promise<boolean>((resolve) => (allAsked = () => resolve(true)));
  let aWaited: boolean | undefined;
  const layer =
    (member: string): AgentScript =>
    async ({ turn }) => {
      if (turn > 0) return say.done();
      asked.add(member);
      if (asked.size === 3) allAsked();
      if (member === 'a')
        aWaited = await Promise.race([together, new Promise<boolean>((r) => setTimeout(() => r(false), AT_ONCE_MS))]);
      return say.write({ 'value.txt': '2\n' });
    };
  const agents: Record<string, AgentScript> = {
    spec: trioSpecAgent,
    a: layer('a'),
    b: layer('b'),
    c: layer('c'),
    review: () => say.approve(),
  };
  const host = new TestHost();
  const { set } = await runValues(dir, agents, host);
  assert.equal(set.status, 'completed', JSON.stringify(set.members.map((m) => [m.name, m.reason])));
  assert.deepEqual(
    set.members.map((m) => [m.name, m.status, m.linked.map((l) => l.producer)]),
    [
      ['a', 'completed', []],
      ['b', 'completed', ['a']],
      ['c', 'completed', ['a']],
    ],
  );
  assert.deepEqual(
    set.combined?.members.map((m) => [m.name, m.status]),
    [
      ['a', 'passed'],
      ['b', 'passed'],
      ['c', 'passed'],
    ],
  );
  for (const member of ['a', 'b', 'c']) assert.equal(readFileSync(join(dir, member, 'value.txt'), 'utf8'), '2\n');
  // Every member's layer agent at work together: b's and c's asked while a's had not answered.
  assert.equal(aWaited, true, "b's and c's layer agents asked while a's was at work");
  // Each consumer's checks began on a's work once it was in (a's agent done), and counted only once it was accepted (its journal's times).
  const journal = (member: string) =>
    readEvents(join(dir, member), set.members.find((m) => m.name === member)!.runIds.at(-1)!);
  const at = (member: string, type: EngineEvent['type'], which: 'first' | 'last') => {
    const found = journal(member).filter((e) => e.type === type);
    return (which === 'first' ? found[0] : found.at(-1))!.ts;
  };
  const aDone = journal('a').find((e) => e.type === 'agent.completed' && e.agent === 'a')!.ts;
  for (const consumer of ['b', 'c']) {
    assert.ok(at(consumer, 'validation.started', 'first') >= aDone, `${consumer}'s check on a's work`);
    assert.ok(
      at(consumer, 'validation.passed', 'first') >= at('a', 'validation.passed', 'last'),
      `${consumer}'s check counted once a's work was accepted`,
    );
  }
  // Each consumer's part was asked with its producer's, never its sibling's.
  const partOf = (member: string) =>
    host.events.filter(
      (e): e is Extract<EngineEvent, { type: 'run.started' }> =>
        e.type === 'run.started' && e.request.includes(`This is ${member}'s part`),
    )[0]!.request;
  assert.match(partOf('b'), /a's part, made before this one/);
  assert.doesNotMatch(partOf('b'), /c's part/);
  assert.doesNotMatch(partOf('c'), /b's part/);
});

test('a consumer’s checks begun on a producer’s work its retry then changes run again on the accepted work: never judged on the first, never the consumer’s retry', async () => {
  const { dir } = makeTrio('v2', [], false, 'fan');
  const host = new TestHost();
  // b's checks began on a's work: seen in the set's events.
  const bChecking = async () => {
    for (let waited = 0; waited < AT_ONCE_MS; waited += 20) {
      if (host.events.some((e) => e.type === 'validation.started' && e.layer === 'b')) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  let aAttempts = 0;
  const agents: Record<string, AgentScript> = {
    spec: trioSpecAgent,
    // a's first work (0) breaks its consumers at their HEAD (1): its gate fails and it is retried. Its retry
    // writes 2 only once b's checks have begun on the 0.
    a: async ({ turn }) => {
      if (turn > 0) return say.done();
      aAttempts++;
      if (aAttempts === 1) return say.write({ 'value.txt': '0\n' });
      await bChecking();
      return say.write({ 'value.txt': '2\n' });
    },
    b: ({ turn }) => (turn === 0 ? say.write({ 'value.txt': '2\n' }) : say.done()),
    c: ({ turn }) => (turn === 0 ? say.write({ 'value.txt': '1\n' }) : say.done()),
    review: () => say.approve(),
  };
  const { set, scripted } = await runValues(dir, agents, host);
  assert.equal(set.status, 'completed', JSON.stringify(set.members.map((m) => [m.name, m.reason])));
  assert.equal(aAttempts, 2);
  // b's checks on a's first work (0 under b's 2) failed, yet said nothing of b: run again on a's accepted work.
  const logs = host.events.flatMap((e) => (e.type === 'log' ? [e.message] : []));
  assert.ok(
    logs.some((m) => /b's checks run again: a's accepted work is not what they ran on/.test(m)),
    logs.join('\n'),
  );
  const b = (type: EngineEvent['type']) =>
    host.events.filter((e) => e.type === type && 'layer' in e && e.layer === 'b');
  assert.ok(b('validation.started').length >= 2, "b's checks ran twice");
  assert.equal(b('validation.failed').length, 0, 'never judged on the first');
  assert.equal(b('retry').length, 0, 'never retried');
  assert.equal(scripted.calls.filter((c) => c.agent === 'b' && c.turn === 0).length, 1);
  assert.equal(readFileSync(join(dir, 'b', 'upstream.txt'), 'utf8'), '2\n');
});

test('a change-set of a ← b, a ← c where b’s run stops: c, not using b, still completes; the set stops at b, naming it', async () => {
  const { dir } = makeTrio('v2', [], false, 'fan');
  const agents: Record<string, AgentScript> = {
    spec: trioSpecAgent,
    a: ({ turn }) => (turn === 0 ? say.write({ 'value.txt': '2\n' }) : say.done()),
    b: () => say.blocked('b may not change its value.'),
    c: ({ turn }) => (turn === 0 ? reply.slow(say.write({ 'value.txt': '2\n' }), { beforeMs: 500 }) : say.done()),
    review: () => say.approve(),
  };
  const { set } = await runValues(dir, agents);
  assert.equal(set.status, 'stopped');
  assert.equal(set.stoppedAt, 'b');
  assert.deepEqual(
    set.members.map((m) => [m.name, m.status]),
    [
      ['a', 'completed'],
      ['b', 'stopped'],
      ['c', 'completed'],
    ],
  );
  assert.match(set.members[1]!.reason!, /may not change its value/);
});
