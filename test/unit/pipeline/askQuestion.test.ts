// The engine's one way to ask (src/core/pipeline/kernel/askQuestion.ts, issue 62): a question is
// journaled with its id before it is asked, settled up front or by the host (given the id), and
// its answer journaled; a run killed while it waited asks again under the same id without
// journaling it twice; the same question asked after an answer is a new asking; a cancelled run
// stops waiting and journals no answer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EngineEvent } from '../../../src/core/events';
import { askQuestion, type QuestionPlace } from '../../../src/core/pipeline/kernel';
import type { Question } from '../../../src/core/questions';

function place(events: EngineEvent[] = [], signal?: AbortSignal): QuestionPlace & { events: EngineEvent[] } {
  return { events, emit: (e) => events.push(e), ...(signal ? { signal } : {}) };
}

const gate = (upFront: 'approve' | undefined, asked: Question[], answer = 'save' as const) => ({
  kind: 'gate' as const,
  about: { specId: '2026-11-27-discounts' },
  words: 'Approve spec 2026-11-27-discounts?',
  waitSec: null,
  upFront,
  ask: async (q: Question) => {
    asked.push(q);
    return answer;
  },
  parked: () => 'save' as const,
  said: (a: string) => a as 'approve' | 'save',
});

test('askQuestion: journaled with its id, answered by the host given that id, or up front without asking', async () => {
  const p = place();
  const asked: Question[] = [];
  assert.equal(await askQuestion(p, gate(undefined, asked)), 'save');
  assert.equal(asked.length, 1);
  assert.match(asked[0]!.id, /^gate-[0-9a-f]{8}-1$/);
  assert.deepEqual(
    p.events.map((e) => [e.type, 'id' in e ? e.id : undefined]),
    [
      ['question.asked', asked[0]!.id],
      ['question.answered', asked[0]!.id],
    ],
  );
  const [question, answer] = p.events as [
    Extract<EngineEvent, { type: 'question.asked' }>,
    Extract<EngineEvent, { type: 'question.answered' }>,
  ];
  assert.equal(question.kind, 'gate');
  assert.equal(question.words, 'Approve spec 2026-11-27-discounts?');
  assert.match(question.answeredBy, /^--approve \(or approve <specId>\)/);
  assert.deepEqual([answer.answer, answer.by], ['save', 'host']);

  // Asked again after its answer (approved now, up front): a new asking, the host not asked.
  assert.equal(await askQuestion(p, gate('approve', asked)), 'approve');
  assert.equal(asked.length, 1);
  const second = p.events.slice(2) as typeof p.events;
  assert.deepEqual(
    second.map((e) => [e.type, 'id' in e ? e.id : undefined, 'by' in e ? e.by : undefined]),
    [
      ['question.asked', asked[0]!.id.replace(/-1$/, '-2'), undefined],
      ['question.answered', asked[0]!.id.replace(/-1$/, '-2'), 'up-front'],
    ],
  );

  // Another question (a phase's gate, a confirmation) has an id of its own.
  const other: Question[] = [];
  await askQuestion(p, { ...gate(undefined, other), about: { specId: '2026-11-27-discounts', phase: 'UAT' } });
  await askQuestion(p, {
    kind: 'confirmation',
    about: { confirmation: 'delete-lines', agent: 'backend', paths: ['b.js', 'a.js'] },
    words: 'delete 60 lines?',
    waitSec: 60,
    upFront: undefined,
    ask: async (q) => (other.push(q), false),
    parked: () => false,
    said: (a) => (a ? 'yes' : 'no'),
  });
  assert.equal(new Set([asked[0]!.id, ...other.map((q) => q.id)]).size, 3);
  assert.match(other[1]!.id, /^confirmation-[0-9a-f]{8}-1$/);
  assert.equal(other[1]!.waitSec, 60);
});

test('askQuestion: a run killed while it waited asks again under the same id, journaled once; a cancelled wait journals no answer', async () => {
  const journal: EngineEvent[] = [];
  const stop = new AbortController();
  const waiting = askQuestion(place(journal, stop.signal), {
    ...gate(undefined, []),
    ask: () => new Promise<'save'>(() => undefined),
  });
  stop.abort(new Error('cancelled'));
  await assert.rejects(waiting, /cancelled/);
  assert.deepEqual(
    journal.map((e) => e.type),
    ['question.asked'],
  );
  // The same question asked again by the resumed run: the same asking, journaled once.
  const resumed = place([...journal]);
  const asked: Question[] = [];
  await askQuestion(resumed, gate(undefined, asked, 'save'));
  assert.equal(asked[0]!.id, (journal[0] as { id: string }).id);
  assert.deepEqual(
    resumed.events.map((e) => e.type),
    ['question.asked', 'question.answered'],
  );
});
