// The editor's models (`vscode-lm:<vendor>/<family>`): runs whose agents talk to a chat model
// another extension registered with VS Code's Language Model provider API, here the scripted
// provider of test/extension/fixtures/scripted-lm.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SCRIPTED_VENDOR, scriptedLm, type ScriptedLmApi } from '../support/scriptedLm';

suite('editor models (vscode-lm)', function () {
  this.timeout(180_000);
  let lm: ScriptedLmApi;

  suiteSetup(async function () {
    lm = await scriptedLm(this);
  });
  teardown(() => lm.setScript(undefined));

  test('the scripted provider is selectable by vendor and family and plays back its script', async () => {
    const [model] = await vscode.lm.selectChatModels({ vendor: SCRIPTED_VENDOR, family: 'scripted' });
    assert.ok(model, 'no scripted model selected');
    assert.equal(model.family, 'scripted');
    lm.setScript(() => ({ kind: 'reply', parts: [{ type: 'text', text: 'hi' }, { type: 'tool_call', callId: 'c1', name: 'read_file', input: { path: 'a' } }] }));
    const from = lm.requests.length;
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('hello')], {
      tools: [{ name: 'read_file', description: 'reads', inputSchema: { type: 'object' } }],
    });
    const parts: unknown[] = [];
    for await (const part of response.stream) parts.push(part);
    assert.equal((parts[0] as vscode.LanguageModelTextPart).value, 'hi');
    assert.ok(parts[1] instanceof vscode.LanguageModelToolCallPart);
    assert.deepEqual(lm.requests.slice(from).map((r) => [r.family, r.messages, r.tools.map((t) => t.name)]), [
      ['scripted', [{ role: 'user', parts: [{ type: 'text', text: 'hello' }] }], ['read_file']],
    ]);
  });
});
