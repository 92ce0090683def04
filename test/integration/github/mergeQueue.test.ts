// GitHub's merge queue (issue 74): the job `init --github-action` writes for `merge_group` (no model
// key), with GitHub's payload
// (`checks_requested`, the group's head on its gh-readonly-queue branch and its base). Two pull
// requests green alone — one moves prices to EUR, the other to a decimal comma, each with a spec
// whose criterion relies on what the other changes — are queued together: the group is red, the
// check run `orchestrator/proofs` on its head names both specs, their criteria, their tests and the
// pull request whose change broke them. The first pull request's group alone is green.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildCli } from '../../support/cli/cliKit';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startGithub } from '../../../src/github';
import { git, isolatedGit } from '../../support/gitFixture';
import { REPO, SECRET, TOKEN } from '../../support/github/githubKit';
import { signDelivery } from '../../support/githubWebhooks';
import { completedSpec, formatTests, queueWorld, type QueueWorld } from '../../support/github/mergeQueueKit';

isolatedGit();

const EUR = '2026-11-02-prices-in-eur';
const COMMA = '2026-11-03-decimal-comma';

/** The payload GitHub sends for a group (docs: "Webhook events and payloads", merge_group). */
function mergeGroup(head: string, base: string, headRef: string, message: string) {
  return {
    action: 'checks_requested',
    merge_group: {
      head_sha: head,
      head_ref: headRef,
      base_sha: base,
      base_ref: 'refs/heads/main',
      head_commit: {
        id: head,
        tree_id: '0'.repeat(40),
        message,
        timestamp: '2026-11-04T10:00:00Z',
        author: { name: 'GitHub', email: 'noreply@github.com' },
        committer: { name: 'GitHub', email: 'noreply@github.com' },
      },
    },
    repository: { id: 1, full_name: `${REPO.owner}/${REPO.name}`, html_url: 'https://github.example/acme/shop' },
    sender: { login: 'github-merge-queue[bot]', type: 'Bot' },
  };
}

let w: QueueWorld;
/** The red group of the first test (main, #101, #102), delivered to serve by the second. */
let redGroup: ReturnType<typeof mergeGroup> | undefined;
before(async () => {
  buildCli();
  w = await queueWorld();
});
after(() => w?.close());

test('merge_group: two pull requests green alone break each other once combined; the group is red naming both specs, their criteria, tests and the pull request', async () => {
  const base = git(w.work, 'rev-parse', 'HEAD').trim();
  // Pull request #101: prices in EUR; its spec's criterion relies on the point as separator.
  git(w.work, 'checkout', '-q', '-b', 'eur');
  w.commit(
    {
      'lib/currency.js': "exports.symbol = 'EUR';\n",
      ...completedSpec(
        EUR,
        'Prices in EUR',
        [{ id: 'REQ-1.1', test: 'REQ-1.1 formats 1234 cents as 12.34 EUR' }],
        'test/acceptance/eur.test.js',
        formatTests([{ name: 'REQ-1.1 formats 1234 cents as 12.34 EUR', cents: 1234, expected: '12.34 EUR' }]),
        ['lib/currency.js', 'lib/price.js', 'lib/separator.js'],
      ),
    },
    'prices in EUR',
  );
  // Pull request #102: a decimal comma; its spec's criterion relies on the euro sign.
  git(w.work, 'checkout', '-q', '-b', 'comma', base);
  w.commit(
    {
      'lib/separator.js': "exports.separator = ',';\n",
      ...completedSpec(
        COMMA,
        'Decimal comma',
        [{ id: 'REQ-1.1', test: 'REQ-1.1 formats 1234 cents as 12,34 €' }],
        'test/acceptance/comma.test.js',
        formatTests([{ name: 'REQ-1.1 formats 1234 cents as 12,34 €', cents: 1234, expected: '12,34 €' }]),
        ['lib/currency.js', 'lib/price.js', 'lib/separator.js'],
      ),
    },
    'a decimal comma',
  );
  // The queue's group: main, then #101's merge, then #102's, each on its gh-readonly-queue branch.
  git(w.work, 'checkout', '-q', '--detach', base);
  git(w.work, 'merge', '-q', '--no-ff', '-m', 'Merge pull request #101 from acme/eur\n\nPrices in EUR', 'eur');
  const first = git(w.work, 'rev-parse', 'HEAD').trim();
  git(w.work, 'merge', '-q', '--no-ff', '-m', 'Merge pull request #102 from acme/comma\n\nDecimal comma', 'comma');
  const second = git(w.work, 'rev-parse', 'HEAD').trim();
  const firstRef = `refs/heads/gh-readonly-queue/main/pr-101-${base}`;
  const secondRef = `refs/heads/gh-readonly-queue/main/pr-102-${first}`;
  git(w.work, 'push', '-q', 'origin', `${first}:${firstRef}`, `${second}:${secondRef}`);

  // #101's group alone (main + #101): green, the one spec it touches proven.
  const alone = await w.job('merge_group', mergeGroup(first, base, firstRef, 'Merge pull request #101'));
  assert.equal(alone.code, 0, alone.log);
  assert.equal(alone.outputs.status, 'completed', alone.log);
  const green = w.api.checkRuns.find((c) => c.head_sha === first)!;
  assert.ok(green, alone.log);
  assert.deepEqual([green.name, green.status, green.conclusion], ['orchestrator/proofs', 'completed', 'success']);
  assert.match(green.output.summary!, /^1 completed spec affected by the group of 1 commit; 0 criteria red/);

  // Both queued: red, each spec named with its criterion, its test, and #102 merged on top of #101.
  const both = await w.job('merge_group', mergeGroup(second, base, secondRef, 'Merge pull request #102'));
  assert.equal(both.code, 1, both.log);
  assert.deepEqual(alone.leaks.concat(both.leaks), [], 'no token in any file of the jobs');
  const red = w.api.checkRuns.find((c) => c.head_sha === second)!;
  assert.ok(red, both.log);
  assert.deepEqual([red.name, red.status, red.conclusion], ['orchestrator/proofs', 'completed', 'failure']);
  assert.match(red.output.title!, new RegExp(`^2 criteria red: ${EUR}, ${COMMA}$`));
  const text = red.output.text!;
  for (const [spec, name] of [
    [EUR, 'REQ-1.1 formats 1234 cents as 12.34 EUR'],
    [COMMA, 'REQ-1.1 formats 1234 cents as 12,34 €'],
  ] as const) {
    const section = text.split('### ').find((s) => s.startsWith(`\`${spec}\` REQ-1.1 is red`));
    assert.ok(section, `${spec} named in:\n${text}`);
    assert.ok(
      section.includes(`- Test: \`test/acceptance/${spec === EUR ? 'eur' : 'comma'}.test.js › ${name}\``),
      section,
    );
    assert.ok(
      section.includes(
        `- broken by pull request #102 (${second.slice(0, 12)}), merged on top of #101 (${first.slice(0, 12)})`,
      ),
      section,
    );
    // The failing test's own output: what it got.
    assert.match(section, /12,34 EUR/);
  }
  assert.match(both.log, /Red: 2026-11-02-prices-in-eur REQ-1\.1 .*broken by pull request #102/);
  // The check run went to GitHub's endpoint with the job's token, on the group's head.
  const posts = w.api.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/check-runs'));
  assert.equal(posts.length, 2);
  assert.equal(w.api.requests.filter((r) => r.method === 'POST' && !r.path.endsWith('/check-runs')).length, 0);

  redGroup = mergeGroup(second, base, secondRef, 'Merge pull request #102');

  // An event that asks no check (the group left the queue): nothing runs, nothing is posted.
  const gone = await w.job('merge_group', { ...mergeGroup(second, base, secondRef, ''), action: 'destroyed' });
  assert.equal(gone.outputs.status, 'ignored', gone.log);
  assert.equal(w.api.checkRuns.length, 2);
});

test('serve: a merge_group delivery proves the group in a worktree of its head, the check run posted, its checkout untouched', async () => {
  assert.ok(redGroup, 'the first test made the group');
  const dir = mkdtempSync(join(tmpdir(), 'orch-queue-serve-'));
  const checkout = join(dir, 'shop');
  git(dir, 'clone', '-q', w.bare, checkout);
  git(checkout, 'remote', 'set-url', 'origin', `${w.git.origin}${REPO.owner}/${REPO.name}.git`);
  // serve's own settings, beside the committed config (the group's head has its own).
  const yaml = join(checkout, '.claude/orchestrator.yaml');
  writeFileSync(yaml, `${readFileSync(yaml, 'utf8')}github:\n  apiUrl: ${w.api.url}\n`);
  const lines: string[] = [];
  const env = { ...process.env, GITHUB_TOKEN: TOKEN, GITHUB_WEBHOOK_SECRET: SECRET };
  const { github, off } = await startGithub(checkout, env, (line) => lines.push(line));
  assert.ok(github, off);
  try {
    const before = w.api.checkRuns.length;
    const delivery = signDelivery(SECRET, 'merge_group', redGroup);
    const answer = await github.receive(delivery.headers, Buffer.from(delivery.body));
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    for (let i = 0; i < 1200 && w.api.checkRuns.length === before; i++) await sleep(50);
    const run = w.api.checkRuns.at(-1)!;
    assert.equal(w.api.checkRuns.length, before + 1, lines.join('\n'));
    assert.deepEqual(
      [run.name, run.head_sha, run.conclusion],
      ['orchestrator/proofs', redGroup.merge_group.head_sha, 'failure'],
    );
    assert.match(run.output.text!, /broken by pull request #102 .*merged on top of #101/);
    // Once the delivery is handled (its worktree and fetched head dropped after the check run)…
    for (let i = 0; i < 200 && git(checkout, 'for-each-ref', 'refs/orchestrator/') !== ''; i++) await sleep(50);
    // The checkout serve works in: still main, its one change kept; the group's worktree gone.
    assert.equal(git(checkout, 'rev-parse', 'HEAD').trim(), redGroup.merge_group.base_sha);
    assert.equal(git(checkout, 'status', '--porcelain').trim(), 'M .claude/orchestrator.yaml');
    assert.equal(git(checkout, 'worktree', 'list', '--porcelain').match(/^worktree /gm)?.length, 1);
    assert.equal(git(checkout, 'for-each-ref', 'refs/orchestrator/'), '', 'the fetched head dropped');
  } finally {
    await github.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
