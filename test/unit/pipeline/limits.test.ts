import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { engine } from '../../../src/core/engine';
import { block, lastToolResults, reply, type ScriptedReply } from '../../support/messagesApiServer';
import { say, specAnswer, writesThenDone } from '../../support/engine/agentScript';
import { PRODUCT_API_SPEC, PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SPEC } from '../../support/engine/fixtures';
import { harness, journalOf } from '../../support/engine/harness';
import { withLimit } from '../../support/engine/shopWorkspace';

test('owns: a layer agent writing outside its globs is refused with an error result and goes on', async () => {
  const h = await harness({
    spec: specAnswer('Product API', 'product-api', PRODUCT_API_SPEC),
    backend: ({ turn }) => {
      if (turn === 0)
        return say.write({
          'web/src/sneaky.js': 'export const x = 1;\n',
          'server/entities/product.js': PRODUCT_MODULE,
        });
      return say.done();
    },
    review: () => say.approve(),
  });
  try {
    const summary = await engine.runFeature('Add a Product entity to the API', h.options());
    assert.equal(summary.status, 'completed', summary.error);
    assert.ok(!existsSync(join(h.shop.dir, 'web/src/sneaky.js')));
    assert.equal(h.shop.read('server/entities/product.js'), PRODUCT_MODULE);
    const results = lastToolResults(h.callsOf('backend')[1]!.req);
    assert.equal(results.length, 2);
    assert.equal(results[0]!.is_error, true);
    assert.match(
      results[0]!.text,
      /refused: "web\/src\/sneaky\.js" is outside this agent's owned paths \(server\/\*\*\)/,
    );
    assert.equal(results[1]!.is_error, false);
    assert.deepEqual(summary.filesChanged, ['server/entities/product.js']);
  } finally {
    await h.close();
  }
});

test('confirmations: a schema path, more than 5 files, or more than 50 deleted lines ask the host; no means error results and a refusal report', async () => {
  const six = Object.fromEntries(
    [1, 2, 3, 4, 5, 6].map((n) => [`server/extra/file${n}.js`, `module.exports = ${n};\n`]),
  );
  const h = await harness({
    spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
    // The spec names 003 (its approval answers for it), not 004: the turn asks about 004 only.
    database: writesThenDone({
      'db/migrations/003_create_product.sql': PRODUCT_MIGRATION,
      'db/migrations/004_product_index.sql': 'CREATE INDEX products_name ON products(name);\n',
    }),
    backend: ({ turn }) => {
      if (turn === 0) return say.write(six);
      if (turn === 1) return reply.turn([block.toolUse('delete_file', { path: 'server/entities/order.js' })]);
      return say.done();
    },
    frontend: ({ turn }) => (turn === 0 ? say.write({ 'web/src/note.js': 'export const note = 1;\n' }) : say.done()),
    review: () => say.approve(),
  });
  try {
    h.host.confirmAnswer = false;
    const summary = await engine.runFeature(
      'Add a Product entity with name and price',
      h.options({ assumeYes: false }),
    );
    // Every write for REQ-1 was refused: the run stops, and says it stopped on the refusals.
    assert.equal(summary.status, 'stopped', summary.error);
    assert.match(summary.report!, /^## Pipeline stopped: confirmation refused\n/);
    assert.match(
      summary.report!,
      /- Refused \(schema-change, database agent\): `db\/migrations\/004_product_index\.sql`\n/,
    );
    assert.match(summary.report!, /- Refused \(many-files, backend agent\): `server\/extra\/file1\.js`/);
    assert.match(summary.report!, /- Left with no implementing file: REQ-1/);
    assert.doesNotMatch(summary.report!, /requirements with no implementing file/);
    assert.match(summary.error!, /^confirmation refused: schema-change of db\/migrations\/004_product_index\.sql; /);
    assert.deepEqual(h.host.confirmations.map((c) => c.kind).sort(), ['delete-lines', 'many-files', 'schema-change']);
    const schema = h.host.confirmations.find((c) => c.kind === 'schema-change')!;
    assert.equal(schema.agent, 'database');
    assert.deepEqual(schema.paths, ['db/migrations/004_product_index.sql']);
    const specId = h.host.ofType('spec.approved')[0]!.specId;
    assert.deepEqual(
      h.host
        .ofType('confirmation')
        .filter((c) => c.covered)
        .map((c) => [c.paths, c.answer, c.covered]),
      [[['db/migrations/003_create_product.sql'], true, specId]],
    );
    assert.ok(!existsSync(join(h.shop.dir, 'db/migrations/003_create_product.sql')));
    assert.ok(!existsSync(join(h.shop.dir, 'server/extra')));
    assert.ok(existsSync(join(h.shop.dir, 'server/entities/order.js')));
    assert.equal(h.shop.read('web/src/note.js'), 'export const note = 1;\n', 'an ordinary write needs no confirmation');
    const refused = lastToolResults(h.callsOf('database')[1]!.req);
    assert.deepEqual(
      refused.map((r) => [r.is_error, r.text]),
      [
        [true, 'refused: not confirmed by the user'],
        [true, 'refused: not confirmed by the user'],
      ],
    );
    assert.equal(lastToolResults(h.callsOf('backend')[1]!.req).filter((r) => r.is_error).length, 6);
    assert.ok(
      h.host
        .ofType('confirmation')
        .filter((c) => !c.covered)
        .every((c) => c.answer === false),
    );
    // Each question journaled with its id before it was asked, and how it was settled: the spec's
    // gate by the run's own approval, each confirmation by the host, which was given its id.
    const asked = h.host.ofType('question.asked');
    const answerOf = (id: string) => h.host.ofType('question.answered').find((a) => a.id === id);
    const gate = asked.filter((q) => q.kind === 'gate');
    assert.deepEqual(
      gate.map((q) => [q.about, answerOf(q.id)?.answer, answerOf(q.id)?.by]),
      [[{ specId }, 'approve', 'up-front']],
    );
    const confirmations = asked.filter((q) => q.kind === 'confirmation');
    assert.deepEqual(
      h.host.confirmations.map((c) => c.questionId),
      confirmations.map((q) => q.id),
    );
    assert.deepEqual(
      confirmations.map((q) => [q.about, q.words]),
      h.host.confirmations.map((c) => [{ confirmation: c.kind, agent: c.agent, paths: c.paths }, c.question]),
    );
    assert.ok(confirmations.every((q) => q.waitSec === 86_400 && /^--yes/.test(q.answeredBy)));
    assert.ok(confirmations.every((q) => answerOf(q.id)?.answer === 'no' && answerOf(q.id)?.by === 'host'));
  } finally {
    await h.close();
  }
});

/** A spec of the product's migration only (its backend and frontend parts cut), the database agent writing it, an approving review. */
const migrationOnly = () => ({
  spec: specAnswer(
    'Product entity',
    'product-entity',
    PRODUCT_SPEC.replace(/#### Backend[\s\S]*?### Tasks/, '### Tasks')
      .replace(/\n2\. .*\n3\. .*/, '')
      .replace(/#### REQ-2[\s\S]*?### API Contracts/, '### API Contracts'),
  ),
  database: writesThenDone({ 'db/migrations/003_create_product.sql': PRODUCT_MIGRATION }),
  review: () => say.approve(),
});

test('confirmations: the approved spec naming the schema file is the confirmation for exactly that file, journaled as such', async () => {
  const h = await harness(migrationOnly());
  try {
    // Nobody to ask (the host refuses everything): the approval is the answer.
    h.host.confirmAnswer = false;
    const summary = await engine.runFeature(
      'Add a Product entity with name and price',
      h.options({ assumeYes: false }),
    );
    assert.equal(summary.status, 'completed', summary.error);
    assert.equal(h.host.confirmations.length, 0);
    const [covered, ...others] = h.host.ofType('confirmation');
    assert.deepEqual(others, []);
    const specId = h.host.ofType('spec.approved')[0]!.specId;
    assert.deepEqual(
      [covered!.kind, covered!.agent, covered!.paths, covered!.answer, covered!.covered],
      ['schema-change', 'database', ['db/migrations/003_create_product.sql'], true, specId],
    );
    assert.equal(h.shop.read('db/migrations/003_create_product.sql'), PRODUCT_MIGRATION);
  } finally {
    await h.close();
  }
});

test('confirmations: assumeYes (--yes) answers yes without asking the host, journaled as a question answered up front', async () => {
  // 003 is the spec's (its approval answers for it); 004 is not: --yes answers for it.
  const h = await harness({
    ...migrationOnly(),
    database: writesThenDone({
      'db/migrations/003_create_product.sql': PRODUCT_MIGRATION,
      'db/migrations/004_product_index.sql': 'CREATE INDEX products_name ON products(name);\n',
    }),
  });
  try {
    const summary = await engine.runFeature('Add a Product entity with name and price', h.options({ assumeYes: true }));
    assert.equal(summary.status, 'completed', summary.error);
    assert.equal(h.host.confirmations.length, 0);
    assert.deepEqual(
      h.host.ofType('confirmation').map((c) => [c.paths, c.answer, c.covered]),
      [
        [['db/migrations/003_create_product.sql'], true, h.host.ofType('spec.approved')[0]!.specId],
        [['db/migrations/004_product_index.sql'], true, undefined],
      ],
    );
    const questions = h.host.ofType('question.asked').filter((q) => q.kind === 'confirmation');
    assert.deepEqual(
      questions.map((q) => q.about),
      [{ confirmation: 'schema-change', agent: 'database', paths: ['db/migrations/004_product_index.sql'] }],
    );
    assert.deepEqual(
      h.host
        .ofType('question.answered')
        .filter((a) => a.id === questions[0]!.id)
        .map((a) => [a.answer, a.by]),
      [['yes', 'up-front']],
    );
    assert.equal(h.shop.read('db/migrations/003_create_product.sql'), PRODUCT_MIGRATION);
    assert.ok(h.shop.read('db/migrations/004_product_index.sql').startsWith('CREATE INDEX'));
  } finally {
    await h.close();
  }
});

test('budget: the hard cap stops the run with a partial report; no call starts once it is reached', async () => {
  // Every reply costs the same: 1000 input + 100 output tokens, no cache. The spec agent
  // runs on claude-opus-5-5 ($4/$20 per MTok) = $0.006, the layers on claude-sonnet-5-5
  // ($2/$10) = $0.003 each: after the spec and one turn each of database and backend the
  // $0.012 cap is reached and neither may take its second turn.
  const usage = { input_tokens: 1000, output_tokens: 100, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  const priced = (scripted: ScriptedReply): ScriptedReply => ({ ...scripted, usage });
  const h = await harness(
    {
      spec: () => priced(say.spec('Product entity', 'product-entity', PRODUCT_SPEC)),
      database: ({ turn }) =>
        priced(turn === 0 ? say.write({ 'db/migrations/003_create_product.sql': PRODUCT_MIGRATION }) : say.done()),
      backend: ({ turn }) =>
        priced(turn === 0 ? say.write({ 'server/entities/product.js': PRODUCT_MODULE }) : say.done()),
    },
    { config: withLimit('maxBudgetUsd', 0.012) },
  );
  try {
    const summary = await engine.runFeature('Add a Product entity with name and price', h.options());
    assert.equal(summary.status, 'stopped');
    assert.equal(h.api.requests.length, 3);
    assert.ok(Math.abs(summary.costUsd - 0.012) < 1e-9, String(summary.costUsd));
    assert.match(
      summary.report!,
      /^## Pipeline stopped: budget reached\n- Spent: \$0\.0120 of \$0\.0120 \(limits\.maxBudgetUsd\)/,
    );
    assert.match(summary.report!, /Layers not done: database, backend/);
    assert.match(summary.error!, /budget/);
    const events = journalOf(h.shop, summary.runId);
    const exceeded = events.filter((e) => e.type === 'budget.exceeded');
    assert.equal(exceeded.length, 1);
    assert.equal(exceeded[0]!.limitUsd, 0.012);
    assert.equal(events.at(-1)!.type, 'run.stopped');
    assert.equal(h.callsOf('frontend').length, 0);
  } finally {
    await h.close();
  }
});

test('iteration cap: an agent that never submits stops at maxAgentTurns; a blocked agent stops with its reason', async () => {
  const looping = await harness(
    {
      spec: specAnswer('Product API', 'product-api', PRODUCT_API_SPEC),
      backend: ({ turn }) => reply.toolUse('list_files', { path: 'server', pattern: `*.js${'*'.repeat(turn)}` }),
    },
    { config: withLimit('maxAgentTurns', 3) },
  );
  try {
    const summary = await engine.runFeature('Add a Product entity to the API', looping.options());
    assert.equal(summary.status, 'stopped');
    assert.equal(looping.callsOf('backend').length, 3);
    assert.match(
      summary.report!,
      /^## Pipeline stopped: agent did not finish\n### Agent: backend\n- Outcome: max_turns/,
    );
  } finally {
    await looping.close();
  }

  const blocked = await harness({
    spec: specAnswer('Product API', 'product-api', PRODUCT_API_SPEC),
    backend: () => say.blocked('The spec does not say which currency prices are in.'),
  });
  try {
    const summary = await engine.runFeature('Add a Product entity to the API', blocked.options());
    assert.equal(summary.status, 'stopped');
    assert.match(
      summary.report!,
      /^## Pipeline stopped: agent blocked\n### Agent: backend\n- Reason: The spec does not say which currency prices are in\./,
    );
    assert.equal(blocked.host.ofType('validation.started').length, 0, 'a blocked layer is not validated');
  } finally {
    await blocked.close();
  }
});
