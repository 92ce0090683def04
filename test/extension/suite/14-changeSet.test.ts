// Check Change-Set on Combined Heads (issue 73) in the editor: the command runs the engine's check
// from the folder given, each member in a throwaway worktree with its producer's work tree linked
// in by the user's step (`via: command`); it returns the report, writes it to the log and says in
// one message which members failed and why. lib's change is not committed: app passes only with it
// linked in, and fails naming its command's output when lib's change breaks it.
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as vscode from 'vscode';
import { makeCommandPair, makeTrio, TRIO } from '../../support/changesetExample';
import { recordSavedSet } from '../../support/changesetRecord';
import { git, initRepo, tempDir } from '../../support/gitFixture';
import { invoke, textOf } from '../support/chat';
import { workspaceDir } from '../support/files';
import { activated, until, view } from '../support/host';
import { userPerTest } from '../support/userPerTest';

interface MergeReport {
  outcome: string;
  members: { name: string; status: string }[];
}

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

suite('Merge Change-Set', function () {
  this.timeout(60_000);
  suiteSetup(() => activated());
  const user = userPerTest();
  const mainOf = (bare: string) => git(bare, 'rev-parse', 'main').trim();

  test('the set merged producers first after a modal yes; a member red on the combined heads holds the others, named', async () => {
    // c has no branch v2: at its HEAD it disagrees with b's change.
    const held = makeTrio('v2', ['a', 'b'], false);
    user().onMessage = (m) => (m.modal ? 'Merge' : undefined);
    const before = TRIO.map((m) => mainOf(held.remotes[m]!));
    const red = (await vscode.commands.executeCommand('orchestrator.mergeChangeSet', held.dir, 'v2')) as MergeReport;
    assert.equal(red.outcome, 'held');
    assert.match(
      user().shown.at(-1)!.message,
      /nothing merged: c holds the change-set v2: red on the combined heads: node scripts\/check\.js failed/,
    );
    assert.deepEqual(
      TRIO.map((m) => mainOf(held.remotes[m]!)),
      before,
    );

    const { dir, remotes } = makeTrio('v2', TRIO, false);
    const report = (await vscode.commands.executeCommand('orchestrator.mergeChangeSet', dir, 'v2')) as MergeReport;
    assert.equal(user().shown.filter((m) => m.modal).length, 2, 'asked before each merge');
    assert.deepEqual(
      report.members.map((m) => [m.name, m.status]),
      TRIO.map((m) => [m, 'merged']),
    );
    assert.match(user().shown.at(-1)!.message, /change-set v2 merged, producers first: a, b, c/);
    assert.deepEqual(
      TRIO.map((m) => git(remotes[m]!, 'log', '-1', '--format=%s', 'main').trim()),
      TRIO.map((m, i) => `Merge change-set v2: ${m} (${i + 1}/3)`),
    );
  });

  test('Escape at the modal merges nothing', async () => {
    const { dir, remotes } = makeTrio('v2', TRIO, false);
    const before = TRIO.map((m) => mainOf(remotes[m]!));
    assert.equal(await vscode.commands.executeCommand('orchestrator.mergeChangeSet', dir, 'v2'), undefined);
    assert.deepEqual(
      TRIO.map((m) => mainOf(remotes[m]!)),
      before,
    );
  });
});

suite('The change-set in the sidebar', function () {
  this.timeout(60_000);
  suiteSetup(() => activated());
  const shop = () => workspaceDir();
  suiteTeardown(() => {
    for (const made of ['.claude/workspace.yaml', '.claude/changesets'])
      rmSync(join(shop(), made), { recursive: true, force: true });
  });

  test("the folder's change-set as one run, one status per member producers first, its spend against its one budget", async () => {
    // The folder under test (shop) consumes a second repository (api): a workspace of repositories.
    const api = join(tempDir('orch-set-view-'), 'api');
    mkdirSync(join(api, '.claude'), { recursive: true });
    writeFileSync(join(api, '.claude/orchestrator.yaml'), 'layers:\n  api:\n    owns: ["src/**"]\n');
    initRepo(api);
    git(api, 'add', '-A');
    git(api, 'commit', '-q', '-m', 'api');
    writeFileSync(
      join(shop(), '.claude/workspace.yaml'),
      `version: 1\nrepositories:\n  shop: { path: . }\n  api: { path: ${relative(shop(), api)} }\nuses:\n  - { consumer: shop, producer: api, via: command, link: "true" }\n`,
    );
    const setId = '2026-11-28-show-stock';
    recordSavedSet(shop(), setId, 'Show <b>stock</b>', [
      { member: 'api', path: api, at: '2026-11-28T10:00:00.000Z', costUsd: 0.02 },
      { member: 'shop', path: shop(), at: '2026-11-28T10:01:00.000Z', costUsd: 0.01 },
    ]);
    await vscode.commands.executeCommand('orchestrator.sidebar.focus');
    const [set] = await until(() => view().changeSets, 15_000, "the sidebar's change-sets");
    assert.equal(set!.setId, setId);
    assert.equal(set!.request, 'Show <b>stock</b>', 'carried as text, never HTML');
    assert.equal(set!.status, 'spec-saved');
    assert.deepEqual(
      set!.members.map((m) => [m.name, m.status, m.uses.map((u) => u.producer)]),
      [
        ['api', 'spec-saved', []],
        ['shop', 'spec-saved', ['api']],
      ],
    );
    assert.deepEqual(
      set!.members.map((m) => m.costUsd),
      [0.02, 0.01],
    );
    assert.equal(set!.budget.spentUsd, 0.03);
    assert.equal(typeof set!.budget.limitUsd, 'number');

    // The chat's status tool gives the same set.
    const status = JSON.parse(textOf(await invoke('orchestrator_runStatus', {}))) as {
      changeSets?: { setId: string; members: { name: string; status: string }[] }[];
    };
    assert.deepEqual(
      status.changeSets?.map((s) => [s.setId, s.members.map((m) => `${m.name} ${m.status}`)]),
      [[setId, ['api spec-saved', 'shop spec-saved']]],
    );
  });
});
