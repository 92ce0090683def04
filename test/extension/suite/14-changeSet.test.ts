// Check Change-Set on Combined Heads (issue 73) in the editor: the command runs the engine's check
// from the folder given, each member in a throwaway worktree with its producer's work tree linked
// in by the user's step (`via: command`); it returns the report, writes it to the log and says in
// one message which members failed and why. lib's change is not committed: app passes only with it
// linked in, and fails naming its command's output when lib's change breaks it.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { makeCommandPair } from '../../support/changesetExample';
import { activated } from '../support/host';
import { userPerTest } from '../support/userPerTest';

interface Report {
  members: { name: string; status: string; linked: { producer: string; via: string }[] }[];
  passed: boolean;
}

suite('Change-set on combined heads', function () {
  this.timeout(60_000);
  suiteSetup(() => activated());
  const user = userPerTest();

  test("each member's checks with its producer's uncommitted change linked in; a breaking one named in the message", async () => {
    const dir = makeCommandPair('2');
    const green = (await vscode.commands.executeCommand('orchestrator.checkChangeSet', join(dir, 'app'))) as Report;
    assert.deepEqual(
      green.members.map((m) => [m.name, m.status, m.linked.map((l) => `${l.producer} via ${l.via}`)]),
      [
        ['lib', 'passed', []],
        ['app', 'passed', ['lib via command']],
      ],
    );
    assert.match(user().shown.at(-1)!.message, /every member passed on the combined heads/);

    writeFileSync(join(dir, 'lib/value.txt'), '3\n');
    const red = (await vscode.commands.executeCommand('orchestrator.checkChangeSet', dir)) as Report;
    assert.equal(red.passed, false);
    const said = user().shown.at(-1)!;
    assert.equal(said.kind, 'error');
    assert.match(said.message, /1 of 2 members failed on the combined heads: app \(node scripts\/check\.js\)/);
  });
});
