// `feature` in a workspace of repositories (issue 73) through the built CLI, on examples/changeset's
// three repositories and the scripted Messages API: one spec written part by part (one spec agent
// per member, producers first), one approval, each member an ordinary run in its own repository on
// the set's branch, all at once, a consumer's proof run once its producers' work is accepted, their
// changed heads linked in; then the combined check. A breaking producer change fails the producer's
// layer with the consumer's test, retried as any failed gate; retries spent, the set stops at the
// producer naming it, its consumers stopped at their checks.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readEvents } from '../../../src/core/journal/journal';
import { makeChangeset } from '../../support/changesetExample';
import { changesetAgents } from '../../support/changesetFeature';
import { pipelineScript } from '../../support/engine/agentScript';
import { startMessagesApiServer } from '../../support/messagesApiServer';
import { buildCli, jsonOf, runCli } from '../../support/cli/cliKit';

interface SetJson {
  setId: string;
  specPath: string;
  branch: string;
  status: string;
  stoppedAt?: string;
  costUsd: number;
  budgetUsd: number;
  members: {
    name: string;
    status: string;
    runIds: string[];
    costUsd: number;
    filesChanged: string[];
    linked: { producer: string; via: string; step: string }[];
    reason?: string;
    report?: string;
  }[];
  combined?: { passed: boolean; members: { name: string; status: string; reason?: string }[] };
}

const git = (repo: string, ...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();

const REQUEST = 'Show how many of each product are in stock';

/** The example's three repositories, web's sdk installed (a copy), and the CLI against the set's scripted agents. */
async function setWorld(options: { breaking?: number; prepare?: (dir: string) => void } = {}) {
  buildCli();
  const dir = makeChangeset();
  // Mutation strength is not what these tests are about: each member's proof without it (seconds each).
  for (const member of ['service', 'sdk', 'web']) {
    appendFileSync(join(dir, member, '.claude/orchestrator.yaml'), '  strength: off\n');
    git(join(dir, member), 'commit', '-qam', 'no strength');
  }
  options.prepare?.(dir);
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund'], { cwd: join(dir, 'web'), stdio: 'pipe' });
  const scripted = pipelineScript(changesetAgents(options));
  const api = await startMessagesApiServer(scripted.script);
  const cli = async (...args: string[]) => {
    const result = await runCli([...args, '--json'], { cwd: dir, baseURL: api.url });
    return { result, set: (jsonOf(result) as { set: SetJson }).set };
  };
  return { dir, scripted, cli, close: () => api.close() };
}

async function runSet(options: { breaking?: number; prepare?: (dir: string) => void }) {
  const world = await setWorld(options);
  try {
    return { ...(await world.cli('feature', REQUEST, '--approve', '--yes')), ...world };
  } finally {
    await world.close();
  }
}

test('feature in a workspace: one spec, one approval, the members at once, the consumers proven against their producers’ accepted changed heads; each part committed on the set’s branch, published with no commit by hand', async () => {
  const world = await setWorld({
    prepare: (dir) => {
      // Each member's remote, a local bare repository; and a note of the user's, not committed, in the service.
      for (const member of ['service', 'sdk', 'web']) {
        git(dir, 'init', '-q', '--bare', '-b', 'main', `remotes/${member}.git`);
        git(join(dir, member), 'remote', 'add', 'origin', `../remotes/${member}.git`);
        git(join(dir, member), 'push', '-q', 'origin', 'HEAD:main');
      }
      writeFileSync(join(dir, 'service/notes.txt'), 'mine\n');
    },
  });
  const { dir, scripted } = world;
  // Without --approve: every member's part written and saved, no layer at work, the set waiting for its one approval.
  const saved = await world.cli('feature', REQUEST).catch(async (error: unknown) => {
    await world.close();
    throw error;
  });
  assert.equal(saved.result.code, 0, saved.result.stderr);
  assert.equal(saved.set.status, 'spec-saved');
  assert.deepEqual(
    saved.set.members.map((m) => [m.name, m.status]),
    [
      ['service', 'spec-saved'],
      ['sdk', 'spec-saved'],
      ['web', 'spec-saved'],
    ],
  );
  assert.ok(!scripted.calls.some((c) => ['proof', 'service', 'sdk', 'web'].includes(c.agent)));
  const { result, set } = await world.cli('approve', saved.set.setId, '--yes').finally(() => world.close());
  assert.equal(result.code, 0, result.stderr);
  assert.equal(set.status, 'completed', JSON.stringify(set, null, 2));
  assert.deepEqual(
    set.members.map((m) => [m.name, m.status, m.linked.map((l) => `${l.producer} via ${l.via}`)]),
    [
      ['service', 'completed', []],
      ['sdk', 'completed', ['service via openapi']],
      ['web', 'completed', ['sdk via npm']],
    ],
  );
  // Producer first: each member's spec in the workspace's order.
  const order = (agent: string) => scripted.calls.filter((c) => c.agent === agent && c.turn === 0).map((c) => c.task);
  assert.deepEqual(
    order('spec').map((task) => /This is (\w+)'s part/.exec(task)?.[1]),
    ['service', 'sdk', 'web'],
  );
  // Then the members at once: each consumer's checks begun on its producer's work once it was in (its agent
  // done), and counted only once that work was accepted (their journals' times).
  const journal = (member: string) =>
    readEvents(join(dir, member), set.members.find((m) => m.name === member)!.runIds.at(-1)!);
  const first = (member: string, type: string) => journal(member).find((e) => e.type === type)!.ts;
  const last = (member: string, type: string) =>
    journal(member)
      .filter((e) => e.type === type)
      .at(-1)!.ts;
  assert.ok(first('web', 'run.started') < last('service', 'run.completed'), 'web at work while the service was');
  const agentDone = (member: string) =>
    journal(member).find((e) => e.type === 'agent.completed' && e.agent === member)!.ts;
  for (const [consumer, producer] of [
    ['sdk', 'service'],
    ['web', 'sdk'],
  ] as const) {
    assert.ok(
      first(consumer, 'validation.started') >= agentDone(producer),
      `${consumer}'s check on ${producer}'s work`,
    );
    assert.ok(
      first(consumer, 'validation.passed') >= last(producer, 'validation.passed'),
      `${consumer}'s check counted once ${producer}'s work was accepted`,
    );
  }
  // The consumer's spec agent saw its producer's part.
  assert.match(order('spec')[1]!, /service's part, made before this one/);
  // One spec for the set: every part, requirements named by repository, layers as repo/layer.
  const specText = readFileSync(set.specPath, 'utf8');
  assert.match(specText, /sdk:REQ-1\.1: WHEN inStock/);
  assert.match(specText, /layers web\/web/);
  // Each member on the set's branch, with its part's files (the sdk's client regenerated from the service's schema).
  for (const member of ['service', 'sdk', 'web'])
    assert.equal(git(join(dir, member), 'branch', '--show-current'), set.branch);
  assert.match(readFileSync(join(dir, 'sdk/src/client.js'), 'utf8'), /getStock: /);
  assert.ok(existsSync(join(dir, 'web/src/stockBadge.js')));
  // Web's proof passed against the sdk's work tree: the copy npm installed has no inStock, and is back as it was.
  const installed = join(dir, 'web/node_modules/@changeset-example/sdk');
  assert.equal(lstatSync(installed).isSymbolicLink(), false);
  assert.ok(!existsSync(join(installed, 'src/stock.js')));
  assert.equal(set.combined?.passed, true);
  // Each member's own checks stand for its check on the combined heads: they ran with its producers'
  // accepted heads linked in, and nothing but our own files (the spec's ticks and archive) changed after.
  assert.deepEqual(
    set.combined?.members.map((m) => [m.name, m.status, /its run's own checks stand/.test(m.reason ?? '')]),
    [
      ['service', 'passed', true],
      ['sdk', 'passed', true],
      ['web', 'passed', true],
    ],
  );
  // One budget: the members' figures add up to the set's.
  assert.ok(set.members.every((m) => m.costUsd > 0));
  assert.equal(set.costUsd.toFixed(6), set.members.reduce((s, m) => s + m.costUsd, 0).toFixed(6));
  assert.ok(set.budgetUsd > 0);

  // Each part committed on the set's branch (its files, its proof test, its spec); the user's note left as it was.
  assert.equal(git(join(dir, 'service'), 'status', '--porcelain'), '?? notes.txt');
  for (const member of ['sdk', 'web']) assert.equal(git(join(dir, member), 'status', '--porcelain'), '', member);
  assert.match(git(join(dir, 'web'), 'log', '-1', '--format=%B'), new RegExp(`Change-set ${set.setId}: web \\(3/3\\)`));
  // publish <branch> pushes each member's branch as the set made it: no commit by hand in between.
  const published = await runCli(['publish', set.branch, '--json'], { cwd: dir, env: { GITHUB_TOKEN: '' } });
  assert.equal(published.code, 0, published.stdout + published.stderr);
  const report = jsonOf(published) as { passed: boolean; members: { name: string }[]; outside: string[] };
  assert.equal(report.passed, true);
  assert.deepEqual(
    report.members.map((m) => m.name),
    ['service', 'sdk', 'web'],
  );
  const remote = (member: string) => join(dir, 'remotes', `${member}.git`);
  assert.match(git(remote('service'), 'show', `${set.branch}:openapi.yaml`), /operationId: getStock/);
  assert.match(git(remote('service'), 'show', `${set.branch}:test/acceptance/stock.test.js`), /REQ-1\.1/);
  assert.match(git(remote('sdk'), 'show', `${set.branch}:src/client.js`), /getStock: /);
  assert.match(git(remote('web'), 'show', `${set.branch}:src/stockBadge.js`), /in stock/);
  assert.ok(git(remote('web'), 'ls-tree', '-r', '--name-only', set.branch).includes(`spec/completed/`));
  assert.ok(!git(remote('service'), 'ls-tree', '-r', '--name-only', set.branch).includes('notes.txt'));
});

test("feature in a workspace: a producer change breaking a consumer's test fails the producer's layer, retried with the consumer's test; fixed, the set completes", async () => {
  const { result, set, scripted } = await runSet({ breaking: 1 });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(set.status, 'completed', JSON.stringify(set, null, 2));
  // The service's second attempt is its layer's retry, told the sdk's failing test on the combined heads.
  const attempts = scripted.calls.filter((c) => c.agent === 'service' && c.turn === 0);
  assert.equal(attempts.length, 2);
  assert.match(attempts[1]!.task, /^## RETRY MODE/);
  assert.match(attempts[1]!.task, /sdk: npm run test \(a consumer of service, its change linked in via openapi\)/);
  assert.match(attempts[1]!.task, /- listProducts gets \/products and gives its JSON/);
  assert.deepEqual(
    set.members.map((m) => [m.name, m.status]),
    [
      ['service', 'completed'],
      ['sdk', 'completed'],
      ['web', 'completed'],
    ],
  );
  assert.equal(set.combined?.passed, true);
});

test('feature in a workspace: a producer change breaking a consumer, retries spent, stops the set at the producer naming the consumer’s test, its consumers at their checks; approve <setId> again resumes them and finishes the set', async () => {
  // The service's layer breaks the sdk on its one attempt (no retry: limits.maxRetries 0).
  const world = await setWorld({
    breaking: 1,
    prepare: (dir) => {
      appendFileSync(join(dir, 'service/.claude/orchestrator.yaml'), 'limits:\n  maxRetries: 0\n');
      git(join(dir, 'service'), 'commit', '-qam', 'no retry');
    },
  });
  try {
    const { result, set } = await world.cli('feature', REQUEST, '--approve', '--yes');
    assert.equal(result.code, 1, result.stderr);
    assert.equal(set.stoppedAt, 'service', JSON.stringify(set, null, 2));
    // Its consumers worked beside it and stopped at their checks: nothing of theirs checked against a producer that stopped.
    assert.deepEqual(
      set.members.map((m) => [m.name, m.status]),
      [
        ['service', 'stopped'],
        ['sdk', 'stopped'],
        ['web', 'stopped'],
      ],
    );
    assert.equal(
      set.members[0]!.reason,
      'its change breaks sdk: npm run test failed: listProducts gets /products and gives its JSON',
    );
    for (const consumer of set.members.slice(1))
      assert.match(consumer.reason ?? '', /^its producer service stopped before its work was accepted/, consumer.name);
    // Their checks began on its work, yet none was judged: no verdict, no retry of theirs.
    const sdkRuns = set.members[1]!.runIds;
    assert.ok(
      !readEvents(join(world.dir, 'sdk'), sdkRuns.at(-1)!).some((e) =>
        ['validation.passed', 'validation.failed', 'retry'].includes(e.type),
      ),
      "the sdk's checks never judged",
    );

    // The rename undone by hand, approved again: the service's stopped run resumes (its work kept, checked again), then the rest.
    const schema = join(world.dir, 'service/openapi.yaml');
    writeFileSync(schema, readFileSync(schema, 'utf8').replace('listAllProducts', 'listProducts'));
    const again = await world.cli('approve', set.setId, '--yes');
    assert.equal(again.result.code, 0, again.result.stderr);
    assert.deepEqual(
      again.set.members.map((m) => [m.name, m.status]),
      [
        ['service', 'completed'],
        ['sdk', 'completed'],
        ['web', 'completed'],
      ],
    );
    for (const [i, member] of again.set.members.entries())
      assert.deepEqual(member.runIds, set.members[i]!.runIds.slice(-1), `${member.name}: the same run resumed`);
    assert.equal(again.set.combined?.passed, true);
  } finally {
    await world.close();
  }
});

test('feature in a workspace: --pool and --worktree are refused (exit 2), nothing run', async () => {
  buildCli();
  const dir = makeChangeset();
  for (const flag of ['--pool', '--worktree']) {
    const result = await runCli(['feature', REQUEST, flag], { cwd: dir, apiKey: null });
    assert.equal(result.code, 2, result.stderr);
    assert.match(
      result.stderr,
      new RegExp(`a change-set runs its members in place on this machine: ${flag} is not for a change-set yet`),
    );
  }
  assert.ok(!existsSync(join(dir, 'service/spec')), 'no spec written');
});

test("feature in a workspace: one budget across the set (the members' lowest limits.maxBudgetUsd), the member whose run reaches it stops the set", async () => {
  const { result, set } = await runSet({
    prepare: (dir) => {
      const service = join(dir, 'service');
      appendFileSync(join(service, '.claude/orchestrator.yaml'), 'limits:\n  maxBudgetUsd: 0.02\n');
      git(service, 'commit', '-qam', 'a budget');
    },
  });
  assert.equal(result.code, 1, result.stderr);
  assert.equal(set.budgetUsd, 0.02);
  const stopped = set.members.find((m) => m.name === set.stoppedAt);
  assert.ok(stopped, JSON.stringify(set, null, 2));
  assert.match(stopped.reason ?? '', /change-set's limits\.maxBudgetUsd \(\$0\.02, spent across its members\)/);
  // Every part of the spec was written (under the cap); the cap was reached across members, not by one run alone.
  assert.ok(set.members.every((m) => m.costUsd < 0.02));
  assert.ok(set.costUsd >= 0.02);
});
