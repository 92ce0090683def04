// A question's life across processes (issue 72): a host parks a question (the run is saved at its
// gate, or set aside on a confirmation), and another process answers it by the run's id and the
// question's through the engine's one verb, `answerQuestion` (dist/engine.js, as the Action's next
// job, a second `serve` or the portal call it): the answer is journaled and the run continues there.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { engine } from '../../../src/core/engine';
import { acquireRunLock } from '../../../src/core/journal';
import { say, specAnswer, writesThenDone } from '../../support/engine/agentScript';
import { PRODUCT_MIGRATION, PRODUCT_SPEC } from '../../support/engine/fixtures';
import { harness, journalOf, type Harness } from '../../support/engine/harness';
import { TEST_KEYS } from '../../support/modelServer';

const ROOT = join(__dirname, '..', '..', '..');

/** The product's migration only: the spec names 003, the database agent writes it (and 004 when `extra`). */
const migrationRun = (extra = false) => ({
  spec: specAnswer(
    'Product entity',
    'product-entity',
    PRODUCT_SPEC.replace(/#### Backend[\s\S]*?### Tasks/, '### Tasks')
      .replace(/\n2\. .*\n3\. .*/, '')
      .replace(/#### REQ-2[\s\S]*?### API Contracts/, '### API Contracts'),
  ),
  database: writesThenDone({
    'db/migrations/003_create_product.sql': PRODUCT_MIGRATION,
    ...(extra ? { 'db/migrations/004_product_index.sql': 'CREATE INDEX products_name ON products(name);\n' } : {}),
  }),
  review: () => say.approve(),
});

/** `engine.answerQuestion` called in another process (dist/engine.js), its host answering nothing itself. */
async function answerElsewhere(
  h: Harness,
  runId: string,
  questionId: string,
  answer: Record<string, string>,
): Promise<{ status?: string; error?: string }> {
  const script = `
    const { engine, HeadlessHost } = require(${JSON.stringify(join(ROOT, 'dist', 'engine.js'))});
    class Elsewhere extends HeadlessHost {
      async decideSpec() { return { action: 'save' }; }
      async confirm() { return false; }
      onEvent() {}
    }
    const [runId, questionId, answer, workspace, baseURL] = process.argv.slice(1);
    engine
      .answerQuestion(runId, questionId, JSON.parse(answer), { workspace, baseURL, host: new Elsewhere() })
      .then((s) => console.log(JSON.stringify({ status: s.status, error: s.error })))
      .catch((e) => console.log(JSON.stringify({ error: e.message })));
  `;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['-e', script, runId, questionId, JSON.stringify(answer), h.shop.dir, h.api.url],
    { env: { ...process.env, ANTHROPIC_API_KEY: TEST_KEYS.anthropic } },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { status?: string; error?: string };
}

const parkedIn = (h: Harness, runId: string, kind: string) => {
  const journal = journalOf(h.shop, runId);
  const asked = journal.find((e) => e.type === 'question.asked' && e.kind === kind)!;
  assert.ok(
    journal.some((e) => e.type === 'question.parked' && e.id === asked.id),
    `${kind} ${String(asked.id)} journaled as parked`,
  );
  return String(asked.id);
};

test('answerQuestion: a parked spec gate approved from another process: recorded, journaled, the run continues there', async () => {
  const h = await harness(migrationRun());
  try {
    h.host.parks.gates = 'the spec waits on issue #7';
    const saved = await engine.runFeature('Add a Product entity', h.options({ autoApprove: false }));
    assert.equal(saved.status, 'spec-saved', saved.error);
    const gate = parkedIn(h, saved.runId, 'gate');
    assert.ok(!journalOf(h.shop, saved.runId).some((e) => e.type === 'question.answered' && e.id === gate));

    // The wrong kind of answer, or an unknown question, is refused and changes nothing.
    assert.match(
      (
        await engine
          .answerQuestion(saved.runId, gate, { answer: 'yes', by: 'octocat' }, h.options())
          .catch((e: Error) => ({ error: e.message }))
      ).error ?? '',
      /A gate is answered approve or changes, not "yes"/,
    );
    await assert.rejects(
      engine.answerQuestion(saved.runId, 'gate-00000000-1', { answer: 'approve', by: 'o' }, h.options()),
      /asked no question "gate-00000000-1"/,
    );

    const done = await answerElsewhere(h, saved.runId, gate, { answer: 'approve', by: 'octocat' });
    assert.equal(done.status, 'completed', done.error);
    const journal = journalOf(h.shop, saved.runId);
    const answered = journal.find((e) => e.type === 'question.answered' && e.id === gate)!;
    assert.deepEqual([answered.answer, answered.by, answered.who], ['approve', 'later', 'octocat']);
    assert.ok(journal.some((e) => e.type === 'spec.approved'));
    assert.equal(h.shop.read('db/migrations/003_create_product.sql'), PRODUCT_MIGRATION);
    // Answered once: a second answer is refused.
    await assert.rejects(
      engine.answerQuestion(saved.runId, gate, { answer: 'approve', by: 'octocat' }, h.options()),
      /was answered already/,
    );
  } finally {
    await h.close();
  }
});

test('answerQuestion: a parked confirmation answered from another process: the run, set aside, continues and takes the answer', async () => {
  const h = await harness(migrationRun(true));
  try {
    h.host.parks.confirmations = 'asked in the portal';
    const aside = await engine.runFeature('Add a Product entity', h.options({ assumeYes: false }));
    assert.equal(aside.status, 'cancelled', aside.error);
    const question = parkedIn(h, aside.runId, 'confirmation');
    assert.equal(h.host.confirmations[0]?.questionId, question);

    const done = await answerElsewhere(h, aside.runId, question, { answer: 'yes', by: 'sam' });
    assert.equal(done.status, 'completed', done.error);
    const journal = journalOf(h.shop, aside.runId);
    const answers = journal.filter(
      (e) => e.type === 'question.answered' && String(e.id).startsWith(question.slice(0, -1)),
    );
    // The parked asking answered later; the run's asking again took that answer, without asking its host.
    assert.deepEqual(
      answers.map((e) => [e.id, e.answer, e.by]),
      [
        [question, 'yes', 'later'],
        [question.replace(/-1$/, '-2'), 'yes', 'later'],
      ],
    );
    assert.ok(journal.some((e) => e.type === 'confirmation' && e.answer === true && e.kind === 'schema-change'));
    assert.equal(h.shop.read('db/migrations/004_product_index.sql'), 'CREATE INDEX products_name ON products(name);\n');
  } finally {
    await h.close();
  }
});

test('answerQuestion: a question its process stopped asking before journaling it parked (serve killed between) is answered once no process runs it', async () => {
  const h = await harness(migrationRun(true));
  try {
    h.host.parks.confirmations = 'asked on issue #7';
    const aside = await engine.runFeature('Add a Product entity', h.options({ assumeYes: false }));
    assert.equal(aside.status, 'cancelled', aside.error);
    const question = parkedIn(h, aside.runId, 'confirmation');
    // The journal as a kill right after the question was shown leaves it: asked, never parked.
    const file = `.claude/runs/${aside.runId}/events.jsonl`;
    const lines = h.shop.read(file).trim().split('\n');
    const asked = lines.findIndex((l) => l.includes('"question.asked"') && l.includes(question));
    h.shop.write(file, `${lines.slice(0, asked + 1).join('\n')}\n`);

    // While a process runs it (its lock held, alive), the answer is its own to take there.
    const lock = acquireRunLock(h.shop.dir, aside.runId);
    try {
      await assert.rejects(
        engine.answerQuestion(aside.runId, question, { answer: 'yes', by: 'sam' }, h.options()),
        /is asking .* where it runs/,
      );
    } finally {
      lock.release();
    }
    const done = await answerElsewhere(h, aside.runId, question, { answer: 'yes', by: 'sam' });
    assert.equal(done.status, 'completed', done.error);
    assert.equal(h.shop.read('db/migrations/004_product_index.sql'), 'CREATE INDEX products_name ON products(name);\n');
  } finally {
    await h.close();
  }
});
