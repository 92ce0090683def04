// The editor's models (`vscode-lm:<vendor>/<family>`): runs whose agents talk to chat models
// another extension registered with VS Code's Language Model provider API, here the scripted
// provider of test/extension/fixtures/scripted-lm. No Anthropic key is set during these runs:
// nothing may need one. The workspace is reset to its commit first (earlier suites built the
// Product entity in it).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  PRODUCT_MIGRATION,
  PRODUCT_MODULE,
  PRODUCT_REQUEST,
  PRODUCT_SCREEN,
  productAgents,
} from '../../../bench/support/productFeature';
import { api, controlUrl } from '../support/api';
import { read, git, journal } from '../support/files';
import { activated, run, start, until, view, within } from '../support/host';
import {
  agentsOnLm,
  SCRIPTED_VENDOR,
  scriptedLm,
  scriptedModelId,
  type LmRequestRecord,
  type ScriptedLmApi,
} from '../support/scriptedLm';
import { FakeUser } from '../support/ui';

const MODEL = scriptedModelId('scripted');
const CONSENT = /^Orchestrator: send this run's requests to the editor's model /;

/** Every agent on `model`: the shop's config names the spec and review models itself, so the setting names them too. */
async function everyAgentOn(model: string | undefined): Promise<void> {
  const settings = vscode.workspace.getConfiguration('orchestrator');
  await settings.update('models.default', model, vscode.ConfigurationTarget.Global);
  await settings.update(
    'models.agents',
    model ? { spec: model, review: model } : undefined,
    vscode.ConfigurationTarget.Global,
  );
}

/** A fake user who allows the editor's models and the database agent's schema change. */
function userAllowing(): FakeUser {
  const user = new FakeUser();
  user.onMessage = (m) =>
    m.modal && CONSENT.test(m.message)
      ? 'Allow'
      : m.modal && /will change the schema/.test(m.message)
        ? 'Yes'
        : undefined;
  return user;
}

const consentsAsked = (user: FakeUser) => user.shown.filter((m) => m.modal && CONSENT.test(m.message));
const firstText = (r: LmRequestRecord): string =>
  r.messages[0]?.parts.map((p) => (p.type === 'text' ? p.text : '')).join('') ?? '';

suite('editor models (vscode-lm)', function () {
  this.timeout(180_000);
  const envKey = process.env.ANTHROPIC_API_KEY;
  let lm: ScriptedLmApi;
  let user: FakeUser;

  suiteSetup(async function () {
    lm = await scriptedLm(this);
    await activated();
    assert.equal(view().busy, false, 'a run is still in progress');
    git('checkout', '--', '.');
    git('clean', '-fdq');
  });
  setup(async () => {
    delete process.env.ANTHROPIC_API_KEY;
    user = userAllowing();
    await everyAgentOn(MODEL);
  });
  teardown(async () => {
    user.restore();
    lm.setScript(undefined);
    process.env.ANTHROPIC_API_KEY = envKey;
    if (view().busy) await vscode.commands.executeCommand('orchestrator.cancelRun');
    await until(() => !view().busy, 20_000, 'no run in progress');
    await everyAgentOn(undefined);
  });

  test('the scripted provider is selectable by vendor and family', async () => {
    const [model] = await vscode.lm.selectChatModels({ vendor: SCRIPTED_VENDOR, family: 'scripted' });
    assert.ok(model, 'no scripted model selected');
    assert.equal(model.family, 'scripted');
  });

  test('a feature run goes through vscode-lm: spec, layers calling tools, validation, review; requests counted, no key needed', async () => {
    const { script, calls } = agentsOnLm(productAgents());
    lm.setScript(script);
    const from = lm.requests.length;
    const apiFrom = controlUrl() ? await api.count() : 0;
    const mainJs = read('web/src/main.js');

    const done = start('orchestrator.newFeature', PRODUCT_REQUEST);
    const pending = await until(() => view().pendingDecision, 60_000, 'the spec decision');
    assert.deepEqual([...new Set(calls.map((c) => c.agent))], ['spec'], 'an agent other than spec ran before approval');
    await vscode.commands.executeCommand('orchestrator.approveSpec', pending.id);
    assert.equal(await within(done, 150_000, 'the approved run'), undefined);

    const r = run();
    assert.equal(r.status, 'completed', `run ended ${r.status}: ${r.error ?? ''} ${r.stop?.report ?? ''}`);
    assert.equal(read('db/migrations/003_create_product.sql'), PRODUCT_MIGRATION);
    assert.equal(read('server/entities/product.js'), PRODUCT_MODULE);
    assert.equal(read('web/src/products.js'), PRODUCT_SCREEN);
    assert.equal(read('web/src/main.js'), mainJs);
    assert.equal(r.review?.verdict, 'approved');

    // Asked once, before the first request; every request carried the justification.
    assert.deepEqual(
      consentsAsked(user).map((m) => [m.message, m.items]),
      [
        [
          "Orchestrator: send this run's requests to the editor's model Scripted scripted (vscode-lm:orchestrator-test/scripted)?",
          ['Allow', 'Always Allow'],
        ],
      ],
    );
    assert.match(
      consentsAsked(user)[0]!.detail ?? '',
      /Each model call is one request, counted against your plan with orchestrator-test\. No token usage or cost is reported, so the run counts requests: set limits\.maxRequests to cap them\./,
    );
    const requests = lm.requests.slice(from);
    assert.deepEqual([...new Set(calls.map((c) => c.agent))].sort(), [
      'backend',
      'database',
      'frontend',
      'review',
      'spec',
    ]);
    assert.equal(requests.length, calls.length);
    assert.ok(requests.every((q) => q.family === 'scripted' && q.justification && q.toolMode === 'auto'));
    if (controlUrl()) assert.equal(await api.count(), apiFrom, 'a request went to the Messages API');

    // No system role: each agent's system prompt opens its first user message.
    const backend = requests.filter((q) => /^# You are the BACKEND SPECIALIST/m.test(firstText(q)));
    assert.ok(backend.length >= 3, `backend requests: ${backend.length}`);
    assert.ok(
      backend.every(
        (q) => q.tools.some((t) => t.name === 'write_file') && q.tools.some((t) => t.name === 'submit_result'),
      ),
    );
    // Its tool calls went back to it as tool results paired by call id.
    const last = backend.at(-1)!;
    const calledIds = last.messages
      .filter((m) => m.role === 'assistant')
      .flatMap((m) => m.parts.flatMap((p) => (p.type === 'tool_call' ? [p.callId] : [])));
    const resultIds = last.messages
      .filter((m) => m.role === 'user')
      .flatMap((m) => m.parts.flatMap((p) => (p.type === 'tool_result' ? [p.callId] : [])));
    assert.ok(calledIds.length >= 2, 'the backend agent made no tool calls');
    assert.deepEqual(resultIds, calledIds);

    // The journal: validation the orchestrator ran, tool calls, and requests with no price.
    const events = journal(r.runId!);
    assert.deepEqual([...new Set(events.filter((e) => e.type === 'validation.passed').map((e) => e.layer))].sort(), [
      'backend',
      'database',
      'frontend',
    ]);
    assert.ok(
      events.some(
        (e) => e.type === 'tool.called' && e.agent === 'backend' && e.tool === 'write_file' && e.isError === false,
      ),
    );
    const usage = events.filter((e) => e.type === 'llm.usage');
    assert.equal(usage.length, requests.length);
    assert.ok(
      usage.every((e) => e.provider === 'vscode-lm' && e.priced === false && e.costUsd === 0),
      JSON.stringify(usage[0]),
    );
    assert.equal(r.costUsd, 0);
  });

  test('refusing consent stops the run before any request, naming the model, the agents and the setting', async () => {
    user.onMessage = () => undefined;
    lm.setScript(() => ({ kind: 'reply', parts: [{ type: 'text', text: 'never asked' }] }));
    const from = lm.requests.length;
    await within(start('orchestrator.newFeature', PRODUCT_REQUEST), 30_000, 'New Feature with consent refused');
    assert.equal(consentsAsked(user).length, 1);
    assert.equal(lm.requests.length, from, 'a request was sent without consent');
    const errors = user.messages('error');
    assert.equal(errors.length, 1, JSON.stringify(user.shown));
    assert.match(errors[0]!.message, /You did not allow Orchestrator to use vscode-lm:orchestrator-test\/scripted/);
    assert.match(errors[0]!.message, /orchestrator\.models\.default \(editor setting\)/);
    assert.match(errors[0]!.message, /No model call was made\./);
    assert.equal(view().busy, false);
  });

  test('an unknown model or one that cannot call tools stops before any request, naming the agents and the setting', async () => {
    const from = lm.requests.length;
    for (const [family, problem] of [
      [
        'gpt-99',
        /The editor has no model vscode-lm:orchestrator-test\/gpt-99\. Models that can: vscode-lm:orchestrator-test\/scripted \(Scripted scripted\)/,
      ],
      ['no-tools', /vscode-lm:orchestrator-test\/no-tools \(Scripted no-tools\) cannot call tools/],
    ] as const) {
      user.shown.length = 0;
      await everyAgentOn(`vscode-lm:${SCRIPTED_VENDOR}/${family}`);
      await within(start('orchestrator.newFeature', PRODUCT_REQUEST), 30_000, `New Feature on ${family}`);
      const errors = user.messages('error');
      assert.equal(errors.length, 1, JSON.stringify(user.shown));
      assert.match(errors[0]!.message, problem);
      assert.match(
        errors[0]!.message,
        /the model of the .*spec.* agents .*orchestrator\.models\.default \(editor setting\)/,
      );
      assert.equal(user.shown.filter((m) => m.modal).length, 0, 'consent was asked for a model that cannot run');
    }
    assert.equal(lm.requests.length, from);
  });

  test("the model's refusals stop the run with what to do: NotFound, NoPermissions, Blocked (quota)", async () => {
    const cases = [
      { code: 'NotFound', message: 'model retired', expect: /is not available any more \(NotFound: model retired\)/ },
      {
        code: 'NoPermissions',
        message: 'not allowed',
        expect: /may not use the editor's model .* \(NoPermissions: not allowed\).*Manage Language Model Access/,
      },
      {
        code: 'Blocked',
        message: 'premium request allowance exceeded',
        expect: /refused the request \(Blocked: premium request allowance exceeded\): a quota or plan limit/,
      },
    ] as const;
    for (const c of cases) {
      const from = lm.requests.length;
      lm.setScript(() => ({ kind: 'error', code: c.code, message: c.message }));
      await within(start('orchestrator.newFeature', PRODUCT_REQUEST), 60_000, `New Feature with ${c.code}`);
      const r = run();
      assert.equal(r.status, 'stopped', `${c.code}: run ended ${r.status}`);
      assert.match(`${r.error ?? ''} ${r.stop?.report ?? ''}`, c.expect);
      assert.equal(lm.requests.length - from, 1, `${c.code} was retried`);
    }
    // None of them is an API key problem.
    assert.ok(!user.shown.some((m) => m.items.includes('Set API Key')), JSON.stringify(user.shown));
  });

  test("a prompt larger than the model's input window is counted with its tokenizer and not sent", async () => {
    await everyAgentOn(scriptedModelId('small-window'));
    lm.setScript(() => ({ kind: 'reply', parts: [{ type: 'text', text: 'never asked' }] }));
    const from = lm.requests.length;
    const counted = lm.tokenCounts;
    await within(start('orchestrator.newFeature', PRODUCT_REQUEST), 60_000, 'New Feature on a small window');
    const r = run();
    assert.equal(r.status, 'stopped');
    assert.match(
      `${r.error ?? ''} ${r.stop?.report ?? ''}`,
      /The prompt \(\d+ tokens\) does not fit the input window of vscode-lm:orchestrator-test\/small-window \(1000 tokens\)/,
    );
    assert.ok(lm.tokenCounts > counted, 'countTokens was not asked');
    assert.equal(lm.requests.length, from, 'the prompt was sent');
  });

  test("Cancel Run cancels the model's request through its cancellation token", async () => {
    lm.setScript(() => ({ kind: 'hold' }));
    const from = lm.requests.length;
    const done = start('orchestrator.newFeature', PRODUCT_REQUEST);
    await until(() => lm.requests.length > from, 30_000, 'the held request');
    await vscode.commands.executeCommand('orchestrator.cancelRun');
    await within(done, 30_000, 'New Feature after Cancel Run');
    assert.equal(run().status, 'cancelled');
    await until(() => lm.cancelled.includes(from), 10_000, 'the request cancelled at the provider');
  });

  test("without an API key, New Feature offers the editor's models; picking one sets models.default in the user settings", async () => {
    await everyAgentOn(undefined);
    let picked: string | undefined;
    let offers = 0;
    user.onPick = (items) => {
      const offer = items.find((i) => i.label.includes("Use the Editor's Models"));
      // The first offer takes the editor's models; the shop keeps spec and review on Claude, so the
      // run still has no key for them and asks again: dismissed, the request is kept.
      if (offer) return ++offers === 1 ? offer : undefined;
      const item = items.find((i) => i.description === MODEL);
      picked = item?.description;
      return item;
    };
    await within(start('orchestrator.newFeature', PRODUCT_REQUEST), 30_000, 'New Feature without a key');
    assert.equal(offers, 2, JSON.stringify(user.picks.map((p) => p.options?.title)));
    assert.equal(user.picks[0]!.items[0]!.description, 'Scripted scripted, Scripted small-window');

    const settings = () => vscode.workspace.getConfiguration('orchestrator').inspect<string>('models.default');
    await until(() => settings()?.globalValue === MODEL, 10_000, 'models.default in the user settings');
    assert.equal(picked, MODEL);
    assert.deepEqual(
      user.picks[1]!.items.map((i) => i.description),
      [MODEL, scriptedModelId('small-window')],
      'offered a model that cannot call tools',
    );
    // The shop's config keeps the spec and review agents on their Claude model: the user is told.
    const done = await until(
      () => user.messages('info').find((m) => /agents now run on Scripted scripted/.test(m.message)),
      10_000,
      'the confirmation',
    );
    assert.match(
      done.message,
      /Still on their own models: spec \(claude-opus-5-5, models\.agents\.spec\), review \(claude-opus-5-5, models\.agents\.review\)/,
    );
  });
});
