// Restricted Mode and the language model tools (issue 38): a chat agent may start a feature up
// to its spec (no workspace command is involved), but the spec's approval, through the chat's
// Approve button (the orchestrator.approveSpec command with the spec id), is refused, and nothing
// from the workspace runs (the runner marked every sync and validate command: ORCH_TEST_RAN_LOG).
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { PRODUCT_REQUEST } from '../../../../bench/support/productFeature';
import { api, requireApi } from '../../support/api';
import { exists, read, wsPath } from '../../support/files';
import { activated, run, until, view, within } from '../../support/host';
import { userPerTest } from '../../support/userPerTest';

const CONFIG = '.claude/orchestrator.yaml';
const RAN_LOG = process.env.ORCH_TEST_RAN_LOG ?? '.claude/commands-ran.log';
const textOf = (result: vscode.LanguageModelToolResult): string =>
  result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');

suite('Restricted Mode: the language model tools', function () {
  this.timeout(120_000);

  suiteSetup(async function () {
    requireApi(this);
    await activated();
  });
  const user = userPerTest({ endRuns: true });

  test('orchestrator_startFeature writes the spec; its approval is refused; nothing from the workspace runs', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    await api.scenario({ name: 'product' });
    const from = await api.count();
    const result = await within(
      Promise.resolve(
        vscode.lm.invokeTool('orchestrator_startFeature', {
          input: { request: PRODUCT_REQUEST },
          toolInvocationToken: undefined,
        }),
      ),
      90_000,
      'the tool call',
    );
    const parsed = JSON.parse(textOf(result)) as { specId: string; status: string };
    assert.equal(parsed.status, 'awaiting-approval');
    assert.equal(view().pendingDecision?.id, parsed.specId);
    assert.equal(exists(RAN_LOG), false, 'a sync or validate command ran');

    // The chat's Approve button: refused in Restricted Mode, the spec still waits.
    await vscode.commands.executeCommand('orchestrator.approveSpec', parsed.specId);
    assert.ok(
      user()
        .messages('warn')
        .some((m) => /Restricted Mode does not allow/.test(m.message) && /Approve and implement/.test(m.message)),
      JSON.stringify(user().shown),
    );
    assert.equal(view().pendingDecision?.id, parsed.specId);

    // Save for later ends the run: only the spec agent was called, no command ran.
    await vscode.commands.executeCommand('orchestrator.saveSpec', parsed.specId);
    await until(() => !view().busy, 30_000, 'the run to end');
    assert.equal(run().status, 'spec-saved');
    assert.deepEqual([...new Set((await api.since(from)).map((q) => q.agent))], ['spec']);
    assert.equal(exists(RAN_LOG), false, 'a sync or validate command ran');
    assert.equal(exists('server/entities/product.js'), false);
  });
});

suite("Restricted Mode: the workspace's own model endpoint", function () {
  this.timeout(120_000);

  suiteSetup(async function () {
    requireApi(this);
    await activated();
  });
  userPerTest({ endRuns: true });

  test('providers.openai.baseURL in an untrusted workspace receives no request; the tool says why nothing runs', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const original = read(CONFIG);
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    writeFileSync(
      wsPath(CONFIG),
      `${original.replace(/^ {4}spec: .*$/m, '    spec: "openai:gpt-test"').trimEnd()}\nproviders:\n  openai:\n    baseURL: "${endpoint}"\n`,
    );
    try {
      const from = await api.count();
      await assert.rejects(
        Promise.resolve(
          vscode.lm.invokeTool('orchestrator_startFeature', {
            input: { request: PRODUCT_REQUEST },
            toolInvocationToken: undefined,
          }),
        ),
        /Restricted Mode: this workspace's \.claude\/orchestrator\.yaml sets providers\.openai\.baseURL, .*until you trust the workspace/,
      );
      assert.deepEqual(seen, [], "the workspace's endpoint was contacted");
      assert.deepEqual(await api.since(from), [], 'a model was called');
    } finally {
      writeFileSync(wsPath(CONFIG), original);
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
