import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  answerTo,
  askedSchema,
  confirmedUpFront,
  gateAnsweredUpFront,
  questionKey,
  sameQuestion,
  type Answered,
  type ConfirmationAsk,
  type Question,
} from '../../../src/core/questions';
import { CliHost } from '../../../src/cli/cliHost';
import { GithubRunHost } from '../../../src/github/runHost';
import { WorkerHost } from '../../../src/pool/workerHost';

// Issue 62: a question's rules are the engine's, written once (src/core/questions.ts); every host
// (the GitHub issue's link, the pool's table, the portal) keeps and compares what was asked by them.

const SCHEMA = { kind: 'schema-change' as const, agent: 'database', paths: ['db/a.sql', 'db/b.sql'] };

test('the same question again: its kind, agent and paths, in any order; not its words nor the lines counted', () => {
  const askedAgain = { ...SCHEMA, paths: ['db/b.sql', 'db/a.sql'], question: 'Asked in other words?', lines: 60 };
  assert.ok(sameQuestion(SCHEMA, askedAgain));
  assert.equal(questionKey(askedAgain), questionKey(SCHEMA));
  assert.ok(!sameQuestion(SCHEMA, { ...SCHEMA, paths: ['db/a.sql'] }), 'fewer paths: another question');
  assert.ok(!sameQuestion(SCHEMA, { ...SCHEMA, agent: 'backend' }));
  assert.ok(!sameQuestion(SCHEMA, { ...SCHEMA, kind: 'migration' }));
  assert.ok(!sameQuestion(undefined, SCHEMA));
});

test('an answer given to a wider question answers this one; the latest answer wins', () => {
  const answered: Answered[] = [
    { ...SCHEMA, allowed: false, by: 'alice' },
    { ...SCHEMA, paths: [...SCHEMA.paths, 'db/c.sql'], allowed: true, by: 'bob' },
    { ...SCHEMA, agent: 'backend', allowed: false, by: 'carol' },
  ];
  assert.equal(answerTo(answered, { ...SCHEMA, paths: ['db/a.sql'] })?.by, 'bob');
  assert.equal(answerTo(answered, { ...SCHEMA, paths: ['db/d.sql'] }), undefined);
  assert.equal(answerTo(answered, { ...SCHEMA, kind: 'many-files' }), undefined);
});

test("answers given up front: --approve answers every gate, the run's own approval the spec's only; --yes every confirmation; a shown placement only the placement", () => {
  assert.equal(gateAnsweredUpFront({ autoApprove: true }, undefined), true);
  assert.equal(
    gateAnsweredUpFront({ autoApprove: true }, 'UAT'),
    undefined,
    'approve <specId> does not sign off a later phase',
  );
  assert.equal(gateAnsweredUpFront({ approveGates: true }, 'UAT'), true);
  assert.equal(gateAnsweredUpFront({}, undefined), undefined);
  assert.equal(confirmedUpFront({ assumeYes: true }, SCHEMA), true);
  assert.equal(confirmedUpFront({ placementShown: true }, { kind: 'layer-proposal' }), true);
  assert.equal(confirmedUpFront({ placementShown: true }, SCHEMA), undefined);
  assert.equal(confirmedUpFront({ placementShown: true }, { kind: 'unowned-work' }), undefined);
});

test("what was asked, as a host keeps it, is checked by the one schema: an unknown kind is refused, a later build's field kept", () => {
  assert.deepEqual(askedSchema.parse({ ...SCHEMA, since: 'x' }), { ...SCHEMA, since: 'x' });
  assert.throws(() => askedSchema.parse({ ...SCHEMA, kind: 'format-disk' }));
});

test('the headless hosts answer nothing the flags did not (the engine decides with those): keys from their environment, the folder trusted', async () => {
  const request = { ...SCHEMA, question: 'Allow it?' };
  const env = { ANTHROPIC_API_KEY: 'sk-ant-test', OPENAI_API_KEY: 'sk-openai-test' };
  const cli = new CliHost({ progress: () => undefined });
  const worker = new WorkerHost(
    () => undefined,
    () => undefined,
  );
  const github = new GithubRunHost(
    'run-1',
    { gate: async () => ({ action: 'save' }), confirm: async () => true, heard: () => undefined },
    env,
  );
  const question: Question = { id: 'q-1', kind: 'confirmation', about: { specId: 's' }, words: '?', answeredBy: '' };
  const confirmation = (asked: ConfirmationAsk) => ({
    question,
    confirmation: { ...asked, waitSec: 60, questionId: question.id },
  });
  assert.deepEqual(await cli.ask(confirmation(request)), { allowed: false });
  assert.deepEqual(
    await worker.ask(confirmation({ kind: 'layer-proposal', agent: 'spec', paths: [], question: 'Accept?' })),
    { allowed: false },
    "the placement is the engine's to take",
  );
  // A pooled gate parks (the run saved there): the approval, given anywhere, is answered by the worker that takes the run.
  assert.deepEqual(await worker.ask({ question, gate: { specId: 's', specPath: 'spec/s.md', markdown: '' } }), {
    parked: 'it waits at its gate for approve s, the portal or its issue',
  });
  assert.equal(await github.getApiKey(), 'sk-ant-test');
  assert.equal(await github.getProviderKey('openai'), 'sk-openai-test');
  assert.equal(await github.getProviderKey('gemini'), undefined);
  assert.ok(cli.isTrusted() && worker.isTrusted() && github.isTrusted());
});
