// Check Change-Set on Combined Heads (issue 73) in the editor: the command runs the engine's check
// from the folder given, each member in a throwaway worktree with its producer's work tree linked
// in by the user's step (`via: command`); it returns the report, writes it to the log and says in
// one message which members failed and why. lib's change is not committed: app passes only with it
// linked in, and fails naming its command's output when lib's change breaks it.
import * as assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as vscode from 'vscode';
import { makeCommandPair, makeTrio, TRIO } from '../../support/changesetExample';
import { recordSavedSet } from '../../support/changesetRecord';
import { git, initRepo, tempDir } from '../../support/gitFixture';
import { api, requireApi } from '../support/api';
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

suite('A workspace of repositories in the editor', function () {
  this.timeout(60_000);
  const shop = () => workspaceDir();
  let apiDir = '';
  const apiRepo = () => apiDir;
  const user = userPerTest();
  suiteSetup(async () => {
    await activated();
    // The folder under test (shop) consumes a second repository (api): a workspace of repositories.
    apiDir = join(tempDir('orch-set-view-'), 'api');
    mkdirSync(join(apiDir, '.claude'), { recursive: true });
    writeFileSync(join(apiDir, '.claude/orchestrator.yaml'), 'layers:\n  api:\n    owns: ["src/**"]\n');
    initRepo(apiDir);
    git(apiDir, 'add', '-A');
    git(apiDir, 'commit', '-q', '-m', 'api');
    writeFileSync(
      join(shop(), '.claude/workspace.yaml'),
      `version: 1\nrepositories:\n  shop: { path: . }\n  api: { path: ${relative(shop(), apiDir)} }\nuses:\n  - { consumer: shop, producer: api, via: command, link: "true" }\n`,
    );
  });
  suiteTeardown(() => {
    for (const made of ['.claude/workspace.yaml', '.claude/changesets', '.claude/runs/spec-shop'])
      rmSync(join(shop(), made), { recursive: true, force: true });
  });

  test("the folder's change-set as one run, one status per member producers first, its spend against its one budget", async () => {
    const setId = '2026-11-28-show-stock';
    recordSavedSet(shop(), setId, 'Show <b>stock</b>', [
      { member: 'api', path: apiDir, at: '2026-11-28T10:00:00.000Z', costUsd: 0.02 },
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

  test("New Feature in the workspace's folder is one change-set: each member's part asked producers first", async function () {
    requireApi(this);
    await api.scenario({ name: 'fail', agent: 'spec' });
    await vscode.commands.executeCommand('orchestrator.newFeature', 'Show how many are in stock');
    const said = await until(
      () => user().shown.find((m) => /change-set .* stopped at api/.test(m.message)),
      30_000,
      "the set's end said",
    );
    assert.equal(said.kind, 'error');
    // The producer's spec agent was asked for its part of the one change, not the request alone.
    const [run] = readdirSync(join(apiRepo(), '.claude/runs'), { withFileTypes: true }).filter(
      (r) => r.isDirectory() && !r.name.startsWith('spec-'),
    );
    const journal = readFileSync(join(apiRepo(), '.claude/runs', run!.name, 'events.jsonl'), 'utf8');
    assert.match(journal, /This is api's part of one change across the repositories api → shop/);
  });
});
