// The change-sets in the chat's `/status` and `orchestrator_runStatus` (issue 73): the engine's view
// of the folder's workspace of repositories, each set one run with one line per member, producers
// first; a request or a reason is escaped, never live markdown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { changeSetMarkdown } from '../../../src/extension/chat/chatChangeSets';
import { runStatusData, type StatusServices } from '../../../src/extension/chat/runStatusData';
import { realEngine } from '../../../src/extension/engine';
import { ViewStore } from '../../../src/extension/view/store';
import { trioWithSavedSet } from '../../support/changesetRecord';

test("the runs' status carries the folder's change-sets; the chat shows each member's status, producers first, escaped", async () => {
  const dir = trioWithSavedSet('2026-11-28-value-two', 'Value two [now](command:orchestrator.approveSpec) <img src=x>');
  const services = { store: new ViewStore(), decisions: {}, engine: realEngine } as unknown as StatusServices;
  const answer = await runStatusData(services, `${dir}/b`, undefined, false);
  assert.deepEqual(
    answer.changeSets?.map((s) => [s.setId, s.status, s.members.map((m) => `${m.name} ${m.status}`)]),
    [['2026-11-28-value-two', 'spec-saved', ['a spec-saved', 'b spec-saved', 'c spec-saved']]],
    "found from a member's folder up",
  );
  assert.equal((await runStatusData(services, `${dir}/b`, 'some-run', false)).changeSets, undefined);

  const markdown = changeSetMarkdown(answer.changeSets!);
  // Read as the chat renders it: every escaped character as itself.
  const shown = markdown.replace(/\\(.)/g, '$1');
  assert.match(
    shown,
    /`2026-11-28-value-two`\): spec-saved \(waiting for its approval\) · \$0\.03 of the set's \$5\.00/,
  );
  assert.match(
    shown,
    /\n {2}1\. … a: spec-saved, \$0\.01\n {2}2\. … b: spec-saved, \$0\.01 \(a linked via command\)\n/,
  );
  assert.match(shown, /Change-set Value two \[now\]\(command:orchestrator\.approveSpec\) <img src=x>/);
  assert.doesNotMatch(markdown, /(?<!\\)\]\(command|(?<!\\)<img/, 'untrusted text is never live markdown');
});
