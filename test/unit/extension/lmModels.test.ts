// The editor's models (vscode-lm): which model an id names and what a run is told when none
// fits, before any request (src/extension/lm/lmModels.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  malformedProblem,
  noToolsProblem,
  parseVendorFamily,
  pickMatch,
  toolModels,
  unknownModelProblem,
  type EditorModel,
} from '../../../src/extension/lm/lmModels';

const model = (vendor: string, family: string, name: string, toolCalling?: boolean): EditorModel => ({
  vendor,
  family,
  name,
  maxInputTokens: 128_000,
  ...(toolCalling === undefined ? {} : { toolCalling }),
});

const gpt = model('copilot', 'gpt-4o', 'GPT-4o', true);
const claude = model('copilot', 'claude-sonnet-4', 'Claude Sonnet 4', true);
const mini = model('copilot', 'gpt-4o-mini', 'GPT-4o mini', false);
const local = model('ollama', 'llama3', 'Llama 3');

test('vendor/family parses; anything else is malformed with the expected form', () => {
  assert.deepEqual(parseVendorFamily('copilot/gpt-4o'), { vendor: 'copilot', family: 'gpt-4o' });
  assert.deepEqual(parseVendorFamily(' copilot/claude-3.5-sonnet '), {
    vendor: 'copilot',
    family: 'claude-3.5-sonnet',
  });
  for (const bad of ['copilot', 'copilot/', '/gpt-4o', 'copilot/gpt 4o', ''])
    assert.equal(parseVendorFamily(bad), undefined, bad);
  assert.equal(
    malformedProblem('gpt-4o'),
    '"vscode-lm:gpt-4o" does not name a model: write vscode-lm:<vendor>/<family>, e.g. vscode-lm:copilot/gpt-4o.',
  );
});

test('an unknown model lists the models that can call tools, each once', () => {
  const message = unknownModelProblem('copilot/gpt-5', [gpt, mini, claude, gpt, local]);
  assert.equal(
    message,
    'The editor has no model vscode-lm:copilot/gpt-5. Models that can: vscode-lm:copilot/gpt-4o (GPT-4o), vscode-lm:copilot/claude-sonnet-4 (Claude Sonnet 4), vscode-lm:ollama/llama3 (Llama 3).',
  );
});

test('with no models at all the message says how to get some', () => {
  assert.match(
    unknownModelProblem('copilot/gpt-4o', []),
    /^The editor has no model vscode-lm:copilot\/gpt-4o\. No language models are available in this editor: install and sign in to an extension that provides them \(e\.g\. GitHub Copilot\), or use a Claude model id\.$/,
  );
});

test('a model without tool calls is refused with the ones that can', () => {
  assert.equal(
    noToolsProblem(mini, [mini, gpt]),
    "The editor's model vscode-lm:copilot/gpt-4o-mini (GPT-4o mini) cannot call tools, which every Orchestrator agent needs. Models that can: vscode-lm:copilot/gpt-4o (GPT-4o).",
  );
  assert.match(noToolsProblem(mini, [mini]), /None of the editor's models can call tools\.$/);
});

test('of several versions the one that can call tools is picked; an editor that does not say is trusted', () => {
  const old = { ...gpt, toolCalling: false };
  assert.equal(pickMatch([old, gpt]), gpt);
  assert.equal(pickMatch([old]), old);
  assert.equal(pickMatch([]), undefined);
  assert.deepEqual(toolModels([local]), [local]);
});
