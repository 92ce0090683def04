// Issue 38: VS Code's own chat. `@orchestrator` receives requests typed into the real Chat view
// (workbench.action.chat.open with a query; the scripted language models of the test extension
// make the chat available), and the language model tools run through vscode.lm.invokeTool.
// Every run goes through the same run controller and the same gate as the sidebar's: the gate's
// buttons are the existing commands, a decision taken elsewhere ends the chat's wait, and no
// tool approves a spec. What a response showed is read from the extension's chat transcripts
// (the workbench's rendering is the UI test's: test/e2e/ui/chat.test.ts).
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { PRODUCT_PROOF_TESTS, PRODUCT_REQUEST, withProof } from '../../../../bench/support/productFeature';
import { PRODUCT_PROOF_FILE, PRODUCT_PROOF_TEST } from '../../../support/productFeature';
import { api } from '../../support/api';
import { ask, buttons, chatOnScriptedModel, invoke, markdown, newest, textOf, transcripts } from '../../support/chat';
import { exists, git, read, wsPath } from '../../support/files';
import { readyForARun, userApprovingSchemaChanges } from '../../support/featureRun';
import { run, until, view, within } from '../../support/host';
import { userPerTest } from '../../support/userPerTest';

suite('chat: @orchestrator and the language model tools', function () {
  this.timeout(300_000);

  suiteSetup(async function () {
    await readyForARun(this);
    await chatOnScriptedModel(this);
  });
  userPerTest({ user: userApprovingSchemaChanges, endRuns: true });

  test('the tools are registered with their contract names and tag', () => {
    const ours = vscode.lm.tools
      .filter((t) => t.name.startsWith('orchestrator_'))
      .map((t) => t.name)
      .sort();
    assert.deepEqual(ours, [
      'orchestrator_listSpecs',
      'orchestrator_runStatus',
      'orchestrator_startBugfix',
      'orchestrator_startFeature',
      'orchestrator_verifySpec',
    ]);
    assert.ok(vscode.lm.tools.find((t) => t.name === 'orchestrator_startFeature')?.tags.includes('orchestrator'));
  });

  // Its confirmation (prepareInvocation) is a modal dialog here, which the workbench answers itself
  // during extension tests ("refused to show confirmation dialog in tests"): the UI test clicks it.
  test('orchestrator_startFeature: returns the saved spec awaiting approval, approves nothing', async () => {
    await api.scenario({ name: 'product' });
    const from = await api.count();
    const result = await within(
      invoke('orchestrator_startFeature', { request: PRODUCT_REQUEST }),
      120_000,
      'the tool call',
    );
    const parsed = JSON.parse(textOf(result)) as { specId: string; status: string; spec: string; specPath: string };
    assert.equal(parsed.status, 'awaiting-approval');
    assert.match(parsed.specId, /^\d{4}-\d{2}-\d{2}-product-entity(-\d+)?$/);
    assert.match(parsed.spec, /## Spec: Product entity/);
    assert.ok(exists(parsed.specPath), `${parsed.specPath} is not on disk`);
    assert.match(read(parsed.specPath), /## Spec: Product entity/);
    // The run waits at the gate, in the sidebar's view model too; only the spec agent ran.
    assert.equal(view().pendingDecision?.id, parsed.specId);
    assert.equal(run().status, 'awaiting-approval');
    assert.deepEqual([...new Set((await api.since(from)).map((r) => r.agent))], ['spec']);
    assert.equal(exists('server/entities/product.js'), false);

    // runStatus says a person must decide; listSpecs lists the spec.
    const status = JSON.parse(textOf(await invoke('orchestrator_runStatus', {}))) as {
      runs: { status: string; awaitingDecision?: { specId: string } }[];
    };
    assert.equal(status.runs[0]?.status, 'awaiting-approval');
    assert.equal(status.runs[0]?.awaitingDecision?.specId, parsed.specId);
    const specs = JSON.parse(textOf(await invoke('orchestrator_listSpecs', {}))) as { specs: { id: string }[] };
    assert.ok(specs.specs.some((x) => x.id === parsed.specId));

    // The person saves it for later (the chat's and the sidebar's Save for later): the run ends, nothing implemented.
    await vscode.commands.executeCommand('orchestrator.saveSpec', parsed.specId);
    await until(() => !view().busy, 30_000, 'the run to end');
    assert.equal(run().status, 'spec-saved');
    assert.equal(exists('server/entities/product.js'), false);
  });

  test('the tools check their own input: a bad input is refused with the field named, nothing starts', async () => {
    await assert.rejects(
      invoke('orchestrator_startFeature', { request: 'x', approve: true }),
      /Invalid input: (request|input)/,
    );
    await assert.rejects(invoke('orchestrator_verifySpec', { specId: '../../etc' }), /Invalid input: specId/);
    assert.equal(view().busy, false);
  });

  // The workspace's config gets a proof section for this run (docs/proof.md): the scripted proof
  // agent (bench/support/productFeature.ts) writes REQ-1's tests before the code, REQ-2.1 untestable.
  test('@orchestrator /feature: the run streams into the chat, its Approve button approves, PROVE before IMPLEMENT, review, proof and file tree at the end', async () => {
    await api.scenario({ name: 'product' });
    const config = wsPath('.claude/orchestrator.yaml');
    const original = readFileSync(config, 'utf8');
    // Three mutants per criterion: STRENGTH is measured and shown, in seconds (as the UI's feature test).
    writeFileSync(config, `${withProof(original).trimEnd()}\n  maxMutants: 3\n`);
    try {
      await featureProvenInTheChat();
    } finally {
      writeFileSync(config, original);
    }
  });

  async function featureProvenInTheChat(): Promise<void> {
    const from = await api.count();
    const before = transcripts().length;
    ask(`@orchestrator /feature ${PRODUCT_REQUEST}`);
    const chat = await until(() => newest(/^\/feature /, before), 30_000, 'the participant to receive /feature');
    assert.equal(chat.request, `/feature ${PRODUCT_REQUEST}`);
    const approve = await until(() => buttons(chat).find((b) => b.title === 'Approve'), 90_000, 'the gate in the chat');
    const specId = view().pendingDecision?.id;
    assert.ok(specId, 'no spec waits in the sidebar');
    // The gate's three buttons are the existing commands, with the spec id.
    assert.deepEqual(
      buttons(chat).map((b) => [b.title, b.command, b.arguments]),
      [
        ['Approve', 'orchestrator.approveSpec', [specId]],
        ['Request changes', 'orchestrator.requestChanges', [specId]],
        ['Save for later', 'orchestrator.saveSpec', [specId]],
      ],
    );
    assert.match(markdown(chat), /Spec: Product entity/);
    assert.ok(
      chat.parts.some((p) => p.kind === 'progress' && /^Phase SPEC/i.test(p.value)),
      'no phase progress',
    );
    // The same run is the sidebar's and the status bar's.
    assert.equal(run().status, 'awaiting-approval');

    await vscode.commands.executeCommand(approve.command, ...approve.arguments);
    const shown = await until(
      () => buttons(chat).find((b) => b.title === 'Show Changes'),
      // PROVE, IMPLEMENT, review and STRENGTH (StrykerJS on each proven criterion's tests).
      210_000,
      'the run to complete in the chat',
    );
    const text = markdown(chat);
    assert.equal(run().status, 'completed', `run ${run().status}: ${run().error ?? ''}`);
    assert.match(text, /Spec approved\./);
    assert.match(
      text,
      /\*\*backend\*\* \(agent\) submitted: server\/entities\/product\\\.js follows the simple pattern/,
    );
    assert.match(text, /runs `[^`]+`/, 'no validation command shown');
    assert.match(text, /### Review \(round 1\): approved/);
    // The Product entity's three files, main.js's note and the proof agent's test.
    assert.match(text, /completed\*\*: 5 file\(s\) changed/);
    assert.ok(run().filesChanged.includes(PRODUCT_PROOF_FILE), JSON.stringify(run().filesChanged));
    assert.deepEqual(shown.arguments, [run().runId]);
    assert.ok(buttons(chat).some((b) => b.title === 'Rollback' && b.command === 'orchestrator.rollbackRun'));
    const tree = chat.parts.find((p) => p.kind === 'filetree');
    assert.ok(tree, 'no file tree');
    assert.deepEqual(
      tree.tree.map((n) => n.name),
      ['db', 'server', 'web'],
    );
    assert.ok(
      chat.parts.some((p) => p.kind === 'reference' && p.path.endsWith('server/entities/product.js')),
      'no file reference',
    );

    // Proof per criterion in the real extension host: PROVE ran after the spec's gate and before
    // IMPLEMENT, the proof agent was asked before any layer agent.
    const r = run();
    const phases = r.phases.map((p) => p.name);
    assert.ok(
      phases.includes('PROVE') &&
        phases.indexOf('SPEC') < phases.indexOf('PROVE') &&
        phases.indexOf('PROVE') < phases.indexOf('IMPLEMENT'),
      `phases: ${phases.join(' ')}`,
    );
    assert.equal(r.phases.find((p) => p.name === 'PROVE')?.state, 'done');
    assert.ok(
      chat.parts.some((p) => p.kind === 'progress' && /^Phase PROVE/.test(p.value)),
      'the chat showed no PROVE phase',
    );
    const agents = (await api.since(from)).map((q) => q.agent);
    const layers = ['database', 'backend', 'frontend'].map((a) => agents.indexOf(a));
    assert.ok(
      agents.includes('proof') && layers.every((i) => i > agents.lastIndexOf('proof')),
      `model calls in order: ${agents.join(' ')}`,
    );
    assert.equal(read(PRODUCT_PROOF_FILE), PRODUCT_PROOF_TEST, 'the proof test is not as the proof agent wrote it');
    // The sidebar's matrix: each criterion's proof, red on the base, green after; REQ-2.1 untestable.
    const proofs = r.trace?.rows.map((row) => [
      row.criterion,
      row.proof?.status,
      row.proof?.red,
      row.proof?.green,
      row.proof?.test ?? row.proof?.untestable,
    ]);
    assert.deepEqual(proofs, [
      ['REQ-1.1', 'proven', 'failed', 'passed', PRODUCT_PROOF_TESTS[0].name],
      ['REQ-1.2', 'proven', 'failed', 'passed', PRODUCT_PROOF_TESTS[1].name],
      [
        'REQ-2.1',
        'unproven',
        undefined,
        'not-run',
        'the list is what the screen shows in a browser; the review judges it',
      ],
    ]);
    // The chat's report gives the count line and each criterion's mark; the run's status (what /status
    // renders, through the tool: a /status request costs a new chat) each criterion's proof.
    assert.match(text, /### Traceability\n/);
    assert.match(
      text,
      /Proof: 2 proven, 1 unproven: ✓ REQ\\-1\\.1 proven · ✓ REQ\\-1\\.2 proven · ○ REQ\\-2\\.1 unproven\./,
    );
    const status = JSON.parse(textOf(await invoke('orchestrator_runStatus', { runId: r.runId }))) as {
      runs: {
        runId?: string;
        proof?: { criterion: string; status: string; strength?: { tried: number; killed: number; survived: number } }[];
      }[];
    };
    // STRENGTH measured each proven criterion's tests with StrykerJS (every mutant judged); the untestable one has none.
    const judged = (s?: { tried: number; killed: number; survived: number }) =>
      s !== undefined && s.tried > 0 && s.killed + s.survived === s.tried;
    assert.deepEqual(
      status.runs.map((x) => [
        x.runId,
        x.proof?.map((p) => ({ criterion: p.criterion, status: p.status, measured: judged(p.strength) })),
      ]),
      [
        [
          r.runId,
          [
            { criterion: 'REQ-1.1', status: 'proven', measured: true },
            { criterion: 'REQ-1.2', status: 'proven', measured: true },
            { criterion: 'REQ-2.1', status: 'unproven', measured: false },
          ],
        ],
      ],
    );
    // Verify with strength through the chat's tool (as `/status <specId> --strength`): the completed
    // spec's proof tests against mutants again, from the base its run journaled.
    const verified = JSON.parse(textOf(await invoke('orchestrator_verifySpec', { specId, strength: true }))) as {
      strength?: { base?: string; criteria: { criterion: string; tried: number; killed: number; survived: number }[] };
    };
    assert.deepEqual(
      verified.strength?.criteria.map((c) => [c.criterion, c.tried > 0 && c.killed + c.survived === c.tried]),
      [
        ['REQ-1.1', true],
        ['REQ-1.2', true],
      ],
      JSON.stringify(verified.strength),
    );
  }

  test("a decision taken elsewhere (Save for later from the palette or the sidebar) ends the chat's wait", async () => {
    git('checkout', '--', '.');
    await api.scenario({ name: 'product' });
    const before = transcripts().length;
    ask('@orchestrator /feature Add a Product entity again');
    const chat = await until(() => newest(/^\/feature /, before), 30_000, 'the participant to receive /feature');
    await until(() => buttons(chat).find((b) => b.title === 'Save for later'), 90_000, 'the gate in the chat');
    assert.ok(view().pendingDecision?.id);
    // Not the chat's button: no id, whatever waits (the palette's Save Spec for Later; the sidebar's goes through the same SpecDecisions).
    await vscode.commands.executeCommand('orchestrator.saveSpec');
    await until(
      () => /saved for later/.test(markdown(chat)) && /The spec is saved; nothing was implemented/.test(markdown(chat)),
      30_000,
      'the chat to show the decision and end',
    );
    assert.equal(view().busy, false);
  });
});
