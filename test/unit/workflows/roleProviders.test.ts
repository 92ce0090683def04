import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { agentOfRequest } from '../../support/agentCalls';
import { say, specAnswer } from '../../support/engine/agentScript';
import { PRODUCT_SPEC } from '../../support/engine/fixtures';
import { mixedRun, refusedBeforeAnyCall, withModels } from '../../support/engine/mixedProviders';
import { withSections, writesDocuments } from '../../support/workflows/fastapiSlice';

// A workflow whose NOTES role (and the CTO who judges it) use what no other agent of the run uses:
// every layer, the spec and the review stay on the Messages API.
const NOTES = (role: string) => `version: 1
phases:
  - { name: UNDERSTAND, uses: understand, inputs: [request, census], gate: none }
  - name: SPEC
    uses: spec
    inputs: [request, UNDERSTAND]
    outputs: [{ document: spec, path: "{spec}/spec.md" }]
    gate: human
  - name: NOTES
    role: ${role}
    reviewer: cto
    maxRounds: 1
    inputs: [SPEC.spec]
    outputs: [{ document: notes, path: "{spec}/notes.md", sections: [Notes] }]
    gate: { check: [sections] }
`;
const agents = {
  spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC),
  writer: writesDocuments(() => withSections('Release notes', ['Notes'])),
  cto: () => say.approve(),
};
const openaiAt = (url: string) => `\nproviders:\n  openai:\n    baseURL: "${url}"\n`;
const served = (requests: { body: Parameters<typeof agentOfRequest>[0]['body'] }[]) =>
  [...new Set(requests.map((r) => agentOfRequest(r as never)))].sort();

test("a workflow role on a provider no other agent uses is opened at the run's start (and when its saved spec is approved): its calls and its reviewer's go there", async () => {
  const h = await mixedRun(agents, (yaml, url) => withModels({ cto: 'openai:local-coder' }, openaiAt(url))(yaml));
  try {
    h.shop.write('.claude/workflows/notes.yaml', NOTES('{ agent: writer, access: write, model: "openai:gpt-test" }'));
    const saved = await engine.runFeature(
      'Add a Product entity with name and price',
      h.options({ workflow: 'notes', autoApprove: false }),
    );
    assert.equal(saved.status, 'spec-saved', saved.error);
    // `approve <specId>` starts a run of the workflow that saved the spec: its roles are opened too.
    const summary = await engine.approveSpec(saved.specPath!.split('/')[2]!, h.options());
    assert.equal(summary.status, 'completed', summary.error ?? summary.report);
    assert.deepEqual(served(h.openai.requests), ['cto', 'writer']);
    assert.deepEqual(h.openai.requests.map((r) => r.wire.model).sort(), ['gpt-test', 'gpt-test', 'local-coder']);
    assert.deepEqual(served(h.anthropic.requests), ['spec']);
    assert.match(h.shop.read(`${summary.specPath!.replace(/spec\.md$/, '')}notes.md`), /## Notes/);
  } finally {
    await h.close();
  }
});

test("a workflow role's provider without its key, or its CLI agent missing, stops the run at its start: one line naming the role, no model call", async () => {
  const cases: [string, string, (yaml: string, url: string) => string, RegExp][] = [
    [
      "the role's own model on a hosted endpoint without a key",
      '{ agent: writer, access: write, model: "openai:gpt-test" }',
      (yaml) => `${yaml}${openaiAt('https://gateway.example.com/v1')}`,
      /^No key for the OpenAI-compatible endpoint https:\/\/gateway\.example\.com\/v1: set OPENAI_API_KEY [^\n]* — the model of the writer agent \(phase NOTES: role\.model\)\. No model call was made\.\nWays to run the agents:\n/,
    ],
    [
      "the reviewer's configured model on a hosted endpoint without a key",
      'writer',
      (yaml) => withModels({ cto: 'openai:gpt-test' }, openaiAt('https://gateway.example.com/v1'))(yaml),
      /^No key for the OpenAI-compatible endpoint [^\n]* — the model of the cto agent \(phase NOTES: models\.agents\.cto\)\. No model call was made\.\nWays to run the agents:\n/,
    ],
    [
      "the role's CLI agent not installed",
      '{ agent: writer, access: write, runner: codex }',
      (yaml) => `${yaml}\nagentCli:\n  codex: { command: /nonexistent/bin/codex }\n`,
      /^codex: \/nonexistent\/bin\/codex does not exist or is not executable \(the runner of writer \(the role of phase NOTES in workflow notes\)\) — install it \([^\n]*\) or set agentCli\.codex\.command in \.claude\/orchestrator\.yaml\. No model call was made\.$/,
    ],
  ];
  for (const [what, role, config, message] of cases) {
    const h = await mixedRun(agents, config, { models: ['gpt-test', 'local-coder'] });
    try {
      h.host.providerKeys = {};
      h.shop.write('.claude/workflows/notes.yaml', NOTES(role));
      await refusedBeforeAnyCall(
        h,
        engine.runFeature('Add a Product entity with name and price', h.options({ workflow: 'notes' })),
        what,
        message,
      );
    } finally {
      await h.close();
    }
  }
});
