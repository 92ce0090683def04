// The API key: Set API Key stores it in SecretStorage (a password box, never settings), it
// wins over ANTHROPIC_API_KEY, which is the fallback; without either a run stops before any
// model request and offers other ways to run the request (the editor's models, a key, the demo), keeping it; a key the API rejects gives one clear message too.
// What reaches the Messages API test server proves which key the extension used.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { PRODUCT_REQUEST } from '../../../bench/support/productFeature';
import { api, requireApi } from '../support/api';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { workspaceDir, wsPath } from '../support/files';
import { activated, extension, start, until, view, within } from '../support/host';
import { probe } from '../support/probe';
import { FakeUser } from '../support/ui';
import { userPerTest } from '../support/userPerTest';

/** `orchestrator runners --json` of the bundled CLI in the test workspace, on the editor's runtime as the extension runs it. */
function runnersJson(
  path: string | undefined,
): { runner: string; label: string; path?: string; installed: boolean; available: boolean; tooOld: boolean }[] {
  const cli = join(extension().extensionPath, 'dist', 'cli.js');
  const env = { ...process.env, ELECTRON_RUN_AS_NODE: '1', ...(path === undefined ? {} : { PATH: path }) };
  return JSON.parse(
    execFileSync(process.execPath, [cli, 'runners', '--json', '--workspace', workspaceDir()], {
      env,
      encoding: 'utf8',
    }),
  );
}

const runDirs = (): string[] => (existsSync(wsPath('.claude/runs')) ? readdirSync(wsPath('.claude/runs')).sort() : []);
const REJECTED = 'Orchestrator: the Anthropic API rejected the API key (or none is set).';

suite('API key', function () {
  this.timeout(90_000);
  const envKey = process.env.ANTHROPIC_API_KEY;
  // Not shaped like an Anthropic key on purpose: the log redaction of sk-ant-… must not be what keeps it out.
  const storedKey = `orch-stored-key-${randomBytes(12).toString('hex')}`;

  suiteSetup(async function () {
    requireApi(this);
    assert.ok(envKey, 'the runner passes ANTHROPIC_API_KEY through extensionEnvironment');
    probe().secrets.add(storedKey);
    probe().secrets.add(envKey);
    await activated();
  });
  teardown(() => {
    process.env.ANTHROPIC_API_KEY = envKey;
  });
  const user = userPerTest({ endRuns: true });
  suiteTeardown(async () => {
    // Leave no stored key behind for the later suites: they use the environment's.
    const u = new FakeUser();
    u.onInput = () => '';
    try {
      await vscode.commands.executeCommand('orchestrator.setApiKey');
    } finally {
      u.restore();
      process.env.ANTHROPIC_API_KEY = envKey;
    }
  });

  /** New Feature up to the spec decision, then Cancel Run; returns the requests it made. */
  async function runToDecision() {
    await api.scenario({ name: 'product' });
    const from = await api.count();
    const done = start('orchestrator.newFeature', PRODUCT_REQUEST);
    await until(() => view().pendingDecision, 60_000, 'the spec decision');
    const requests = await api.since(from);
    await vscode.commands.executeCommand('orchestrator.cancelRun');
    await within(done, 20_000, 'New Feature after Cancel Run');
    return requests;
  }

  test('Set API Key asks in a password box and stores the key in SecretStorage; it wins over ANTHROPIC_API_KEY', async () => {
    user().onInput = () => storedKey;
    await vscode.commands.executeCommand('orchestrator.setApiKey');
    assert.equal(user().inputBoxes.length, 1);
    assert.equal(user().inputBoxes[0]!.password, true, 'the key is typed into a box that shows it');
    assert.ok(
      user()
        .messages('info')
        .some((m) => /saved in SecretStorage/.test(m.message)),
      'no confirmation that the key was saved',
    );
    const settings = Object.keys(
      (extension().packageJSON as { contributes: { configuration: { properties: object } } }).contributes.configuration
        .properties,
    );
    assert.ok(settings.length > 0);
    assert.deepEqual(
      settings.filter((k) => /key|secret|token|credential/i.test(k)),
      [],
      'a setting that could hold the key',
    );

    const requests = await runToDecision();
    assert.ok(requests.length > 0, 'the run made no model request');
    assert.deepEqual(
      [...new Set(requests.map((r) => r.apiKey))],
      [storedKey],
      'the requests did not carry the stored key',
    );
  });

  test('with no stored key the key comes from ANTHROPIC_API_KEY', async () => {
    user().onInput = () => '';
    await vscode.commands.executeCommand('orchestrator.setApiKey');
    assert.ok(
      user()
        .messages('info')
        .some((m) => /stored API key was removed/.test(m.message)),
      'no confirmation that the key was removed',
    );

    const requests = await runToDecision();
    assert.ok(requests.length > 0, 'the run made no model request');
    assert.deepEqual([...new Set(requests.map((r) => r.apiKey))], [envKey]);
  });

  test("with no key at all the run stops before any model request and offers the editor's models, a key, a local server or the demo, keeping the request", async () => {
    delete process.env.ANTHROPIC_API_KEY;
    const before = view();
    const journalsBefore = runDirs();
    const from = await api.count();
    await within(start('orchestrator.newFeature', PRODUCT_REQUEST), 20_000, 'New Feature without a key');

    assert.equal(await api.count(), from, 'a model request was made without a key');
    assert.deepEqual(user().messages('error'), [], 'no error: a choice instead');
    const offer = user().picks[0];
    assert.ok(offer, JSON.stringify(user().shown));
    assert.match(offer.options?.title ?? '', /no API key yet/);
    assert.match(offer.options?.placeHolder ?? '', /Add a Product entity.*is kept whatever you choose/);
    // The session installs a scripted chat-model provider (08-editorModels): the offer names its models.
    // CLI agents the engine detects (npm's node_modules/.bin holds claude, codex and others) are offered for the layers.
    const cli = offer.items.filter((i) => i.label.startsWith('$(terminal)'));
    assert.ok(
      cli.every((i) => /^\$\(terminal\) Layers on (Claude Code|Codex|Gemini CLI|Copilot CLI|opencode)$/.test(i.label)),
      JSON.stringify(cli),
    );
    assert.deepEqual(
      offer.items.filter((i) => !cli.includes(i)).map((i) => [i.label, i.description]),
      [
        ["$(copilot) Use the Editor's Models", 'Scripted scripted, Scripted small-window'],
        ['$(key) Set an Anthropic API Key', undefined],
        ['$(server) Use a Local Model (Ollama, LM Studio)', undefined],
        ['$(beaker) Try the Demo', undefined],
      ],
    );
    assert.ok(
      user()
        .messages('info')
        .some((m) => /your request is kept — Orchestrator: New Feature starts with it/.test(m.message)),
      JSON.stringify(user().shown),
    );
    const after = view();
    assert.equal(after.busy, false);
    assert.equal(after.run?.runId, before.run?.runId, 'a run started');
    assert.deepEqual(runDirs(), journalsBefore, 'a run journal was created');
  });

  test('with no key, the CLI agents the engine detects are offered for the layers (recent enough, with a runner in this version): picking one sets orchestrator.runner, and the spec and review agents are still asked for', async () => {
    delete process.env.ANTHROPIC_API_KEY;
    const path = process.env.PATH;
    const bin = mkdtempSync(join(tmpdir(), 'orch-cli-'));
    // Every CLI agent the engine knows, first on PATH, each answering --version as the real one does; Codex older than its runner supports.
    const versions: Record<string, string> = {
      claude: '2.1.330 (Claude Code)',
      codex: 'codex-cli 0.100.0',
      gemini: '0.61.0',
      copilot: 'GitHub Copilot CLI 1.0.102',
      opencode: '1.18.33',
    };
    for (const [program, version] of Object.entries(versions))
      writeFileSync(join(bin, program), `#!/bin/sh\necho '${version}'\n`, { mode: 0o755 });
    process.env.PATH = `${bin}${delimiter}${path ?? ''}`;
    const settings = () => vscode.workspace.getConfiguration('orchestrator').inspect<string>('runner')?.globalValue;
    try {
      const from = await api.count();
      user().onPick = (items) =>
        user().picks.length === 1 ? items.find((i) => i.description === join(bin, 'claude')) : undefined;
      await within(
        start('orchestrator.newFeature', PRODUCT_REQUEST),
        20_000,
        'New Feature without a key, layers on Claude Code',
      );
      const offered = user()
        .picks[0]!.items.filter((i) => i.label.startsWith('$(terminal)'))
        .map((i) => [i.label, i.description]);
      // What `orchestrator runners --json` (the engine's detection) says of the same PATH: the offer lists exactly its installed, recent enough agents that have a runner.
      const detected = runnersJson(process.env.PATH);
      assert.deepEqual(
        detected
          .filter((a) => a.path?.startsWith(bin))
          .map((a) => a.runner)
          .sort(),
        ['claude-code', 'codex', 'copilot', 'gemini', 'opencode'],
        JSON.stringify(detected),
      );
      assert.deepEqual(
        offered,
        detected
          .filter((a) => a.installed && a.available && !a.tooOld)
          .map((a) => [`$(terminal) Layers on ${a.label}`, a.path]),
      );
      assert.ok(
        offered.some(([, where]) => where === join(bin, 'claude')),
        `Claude Code at ${bin}: ${JSON.stringify(offered)}`,
      );
      assert.ok(
        !offered.some(([, where]) => where === join(bin, 'codex')),
        `Codex 0.100.0 is older than its runner supports: ${JSON.stringify(offered)}`,
      );
      assert.equal(settings(), 'claude-code');
      // The shop's spec and review agents are on Claude: the run asks again, for them, and keeps the request.
      assert.equal(user().picks.length, 2, JSON.stringify(user().picks.map((p) => p.options?.title)));
      assert.match(
        user().picks[1]!.options?.title ?? '',
        /the layers run on claude-code; the spec and review agents still need a model or a key/,
      );
      assert.equal(await api.count(), from, 'a model request was made without a key');
      assert.ok(
        user()
          .messages('info')
          .some((m) => /every layer now runs on Claude Code/.test(m.message)),
      );
    } finally {
      process.env.PATH = path;
      rmSync(bin, { recursive: true, force: true });
      await vscode.workspace
        .getConfiguration('orchestrator')
        .update('runner', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('a key the API rejects (401) ends the run with one clear message', async () => {
    await api.scenario({ name: 'reject-key' });
    const from = await api.count();
    await within(start('orchestrator.newFeature', PRODUCT_REQUEST), 30_000, 'New Feature with a rejected key');
    const requests = await api.since(from);
    assert.equal(requests.length, 1, 'a 401 was retried or never reached');
    assert.equal(requests[0]!.apiKey, envKey);
    const errors = user().messages('error');
    assert.equal(errors.length, 1, `expected one error message, got ${JSON.stringify(user().shown)}`);
    assert.equal(errors[0]!.message, REJECTED);
    assert.deepEqual(errors[0]!.items, ['Set API Key']);
    assert.equal(view().busy, false);
    assert.notEqual(view().run?.status, 'completed');
  });
});
