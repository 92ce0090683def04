// Issue 38: the participant's other commands end to end, each sent from the real Chat view with
// its outcome in the chat (a command sent while a run's response is still going is sent from a
// second chat: the Chat view holds a request to the same chat until the response before it ends). `/change` at the gate asks for changes on the spec waiting (the same
// SpecDecisions as the sidebar's Request changes): the spec agent writes it again and the run's
// response shows the new gate. `/cancel` stops a run held in IMPLEMENT; `/resume` continues it
// at its first unfinished step to the end, its response holding the review and Show Changes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { PRODUCT_REQUEST } from '../../../../bench/support/productFeature';
import { api } from '../../support/api';
import { ask, askInNewChat, buttons, chatOnScriptedModel, markdown, newest, transcripts } from '../../support/chat';
import { exists, git, journal } from '../../support/files';
import { readyForARun, userApprovingSchemaChanges } from '../../support/featureRun';
import { run, until, view } from '../../support/host';
import { userPerTest } from '../../support/userPerTest';

suite('chat: /change, /cancel and /resume', function () {
  this.timeout(300_000);

  suiteSetup(async function () {
    await readyForARun(this);
    await chatOnScriptedModel(this);
  });
  setup(() => {
    git('checkout', '--', '.');
  });
  userPerTest({ user: userApprovingSchemaChanges, endRuns: true });

  test('/change at the gate: the spec is written again with the feedback, the chat shows the new gate', async () => {
    await api.scenario({ name: 'product' });
    const before = transcripts().length;
    const from = await api.count();
    ask(`@orchestrator /feature ${PRODUCT_REQUEST}`);
    const chat = await until(() => newest(/^\/feature /, before), 30_000, 'the participant to receive /feature');
    await until(() => buttons(chat).find((b) => b.title === 'Request changes'), 90_000, 'the gate in the chat');
    const specId = view().pendingDecision?.id;
    assert.ok(specId, 'no spec waits');

    // The gate says where a /change goes: this chat sends nothing more while its response follows the run.
    assert.match(
      markdown(chat),
      /this chat sends no other request: type `\/change <feedback>`, `\/status` or `\/cancel` in a new chat/,
    );
    const feedback = 'Also keep the price as an integer number of cents';
    // From a second chat: the first one's response is still going (it follows the run to its end).
    await askInNewChat(`@orchestrator /change ${feedback}`);
    const change = await until(() => newest(/^\/change /, before), 30_000, 'the participant to receive /change');
    await until(() => /Changes requested on/.test(markdown(change)), 30_000, 'the /change response');
    assert.match(
      markdown(change),
      new RegExp(`Changes requested on \`${specId}\`: the spec is written again with them\\.`),
    );

    // The run's response: the feedback, then the spec agent again and a second gate with its buttons.
    await until(
      () => buttons(chat).filter((b) => b.title === 'Approve').length === 2,
      90_000,
      'the second gate in the chat',
    );
    assert.match(markdown(chat), /\*\*Changes requested:\*\* Also keep the price as an integer number of cents/);
    // The spec agent wrote it twice: a second attempt, or a second conversation from its first turn.
    const specCalls = (await api.since(from)).filter((r) => r.agent === 'spec');
    assert.ok(
      new Set(specCalls.map((r) => r.attempt)).size >= 2 || specCalls.filter((r) => r.turn === 0).length >= 2,
      'the spec agent did not write the spec again',
    );
    const runId = run().runId;
    assert.ok(runId);
    assert.ok(
      journal(runId).some((e) => e.type === 'spec.changes-requested' && e.feedback === feedback),
      'no spec.changes-requested with the feedback in the journal',
    );
    assert.equal(run().status, 'awaiting-approval');
    assert.deepEqual(
      [...new Set((await api.since(from)).map((r) => r.agent))],
      ['spec'],
      'an agent other than the spec agent ran before an approval',
    );

    await vscode.commands.executeCommand('orchestrator.saveSpec', view().pendingDecision?.id);
    await until(
      () => /The spec is saved; nothing was implemented/.test(markdown(chat)),
      30_000,
      'the run to end saved',
    );
  });

  test('/cancel stops the run held in IMPLEMENT; /resume continues it to the end in the chat', async () => {
    await api.scenario({ name: 'hold', agent: 'backend' });
    const before = transcripts().length;
    const from = await api.count();
    ask(`@orchestrator /feature ${PRODUCT_REQUEST}`);
    const chat = await until(() => newest(/^\/feature /, before), 30_000, 'the participant to receive /feature');
    const approve = await until(() => buttons(chat).find((b) => b.title === 'Approve'), 90_000, 'the gate in the chat');
    await vscode.commands.executeCommand(approve.command, ...approve.arguments);
    await until(
      async () => (await api.since(from)).some((r) => r.agent === 'backend' && r.held),
      60_000,
      'the held backend request',
    );
    await until(
      () => run().agents.find((a) => a.name === 'database')?.state === 'passed',
      60_000,
      'the database layer to pass',
    );
    const runId = run().runId;
    assert.ok(runId);

    await askInNewChat('@orchestrator /cancel');
    const cancel = await until(() => newest(/^\/cancel/, before), 30_000, 'the participant to receive /cancel');
    assert.match(markdown(cancel), /Cancelling the run\(s\) in progress\./);
    await until(() => /Run \S+ cancelled\./.test(markdown(chat)), 30_000, 'the cancelled run in its response');
    assert.equal(run().status, 'cancelled');
    const wrote = (file: string) => journal(runId).some((e) => e.type === 'file.written' && e.path === file);
    assert.equal(wrote('server/entities/product.js'), false, 'the held backend agent wrote its file');

    await api.scenario({ name: 'product' });
    const resumedFrom = await api.count();
    ask('@orchestrator /resume');
    const resume = await until(() => newest(/^\/resume/, before), 30_000, 'the participant to receive /resume');
    await until(
      () => buttons(resume).find((b) => b.title === 'Show Changes'),
      150_000,
      'the resumed run to complete in the chat',
    );
    assert.equal(run().runId, runId, 'resumed a different run');
    assert.equal(run().status, 'completed', `run ${run().status}: ${run().error ?? ''}`);
    const text = markdown(resume);
    assert.match(text, new RegExp(`\\*\\*Run ${runId.replace(/-/g, '\\\\-')} completed\\*\\*`));
    assert.match(text, /### Review\n/);
    assert.match(text, /### Traceability\n/);
    // From its first unfinished step: neither the spec nor the database layer (passed before the cancel) ran again.
    const agents = new Set((await api.since(resumedFrom)).map((r) => r.agent));
    assert.ok(
      agents.has('backend') && agents.has('frontend') && !agents.has('spec') && !agents.has('database'),
      [...agents].join(', '),
    );
    assert.ok(
      wrote('server/entities/product.js') && exists('server/entities/product.js'),
      'the resumed backend agent did not write its file',
    );
  });
});
