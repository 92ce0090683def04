// `publish <set>` and `merge <set>` (issue 73) through the built CLI, on three members in a chain
// (a ← b ← c), each with a local bare remote: by git alone (no GitHub token), and on the local
// GitHub (the same bare repositories behind GitHub's API). Merged producers first; a member red
// on the combined heads or held by its own check holds the others, named, with nothing merged; a
// merge killed between the first and the second member is resumed by the next `merge`, to a whole set.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { makeTrio, TRIO } from '../../support/changesetExample';
import { buildCli, runCli, startCli } from '../../support/cli/cliKit';
import { git } from '../../support/gitFixture';
import { type SetGithub, startSetGithub } from '../../support/github/changeSetGithub';

const servers: SetGithub[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

const mainOf = (bare: string) => git(bare, 'rev-parse', 'main').trim();
const valueOn = (bare: string) => git(bare, 'show', 'main:value.txt').trim();
const noGithub = { GITHUB_TOKEN: '' };

async function onGithub(remotes: Record<string, string>) {
  const github = await startSetGithub(Object.fromEntries(TRIO.map((m) => [`shop/${m}`, remotes[m]!])));
  servers.push(github);
  return { github, env: { GITHUB_TOKEN: github.token, GITHUB_API_URL: github.origin } };
}

test('merge by git: a consumer red on the combined heads holds the set, named; then the whole set merges producers first', async () => {
  buildCli();
  // c has no branch v2: at its HEAD its value (1) disagrees with b's changed one (2).
  const { dir, remotes } = makeTrio('v2', ['a', 'b'], false);
  const before = TRIO.map((m) => mainOf(remotes[m]!));
  const red = await runCli(['merge', 'v2'], { cwd: dir, env: noGithub });
  assert.equal(red.code, 1, red.stderr);
  assert.match(
    red.stdout,
    /nothing merged: c holds the set: red on the combined heads: node scripts\/check\.js failed/,
  );
  assert.match(red.stdout, /not in the set \(no branch v2\): c/);
  assert.deepEqual(
    TRIO.map((m) => mainOf(remotes[m]!)),
    before,
    'nothing merged anywhere',
  );

  // c's change made on its branch v2, as the others'.
  const c = join(dir, 'c');
  git(c, 'checkout', '-q', '-b', 'v2');
  writeFileSync(join(c, 'value.txt'), '2\n');
  git(c, 'commit', '-q', '-am', 'c: value 2');
  git(c, 'checkout', '-q', 'main');
  const green = await runCli(['merge', 'v2'], { cwd: dir, env: noGithub });
  assert.equal(green.code, 0, green.stdout + green.stderr);
  assert.deepEqual(
    [...green.stderr.matchAll(/^(\w): merged \((\d)\/3\)$/gm)].map((m) => `${m[1]}${m[2]}`),
    ['a1', 'b2', 'c3'],
    'producers first',
  );
  assert.deepEqual(
    TRIO.map((m) => [valueOn(remotes[m]!), git(remotes[m]!, 'log', '-1', '--format=%s', 'main').trim()]),
    TRIO.map((m, i) => ['2', `Merge change-set v2: ${m} (${i + 1}/3)`]),
  );
  const journal = JSON.parse(readFileSync(join(dir, 'a/.git/orchestrator/change-sets/v2.json'), 'utf8')) as {
    state: string;
  };
  assert.equal(journal.state, 'merged');
  // The user's checkout is left as it was: on main, value 1.
  assert.equal(readFileSync(join(dir, 'a/value.txt'), 'utf8'), '1\n');
});

test('merge by git: a member whose branch conflicts with its base holds the set, named with the file; nothing merges', async () => {
  buildCli();
  const { dir, remotes } = makeTrio('v2', TRIO, false);
  // Someone else's change to b's main, on the same line as the set's.
  const b = join(dir, 'b');
  writeFileSync(join(b, 'value.txt'), '3\n');
  git(b, 'commit', '-q', '-am', 'b: value 3');
  git(b, 'push', '-q', 'origin', 'main');
  const before = TRIO.map((m) => mainOf(remotes[m]!));
  const result = await runCli(['merge', 'v2'], { cwd: dir, env: noGithub });
  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.match(result.stdout, /nothing merged: b holds the set: conflicts with main in value\.txt/);
  assert.match(result.stdout, /a: not merged \(held by b\)/);
  assert.deepEqual(
    TRIO.map((m) => mainOf(remotes[m]!)),
    before,
  );
});

test('publish on the local GitHub: one pull request per member, each listing the others and the order; orchestrator/change-set on each head', async () => {
  buildCli();
  const { dir, remotes } = makeTrio();
  const { github, env } = await onGithub(remotes);
  const result = await runCli(['publish', 'v2', '--json'], { cwd: dir, env });
  assert.equal(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout) as {
    members: { name: string; pull: string; head: string }[];
    passed: boolean;
  };
  assert.equal(report.passed, true);
  const urls = report.members.map((m) => m.pull);
  assert.deepEqual(
    urls,
    TRIO.map((m) => `https://github.example/shop/${m}/pull/${101 + TRIO.indexOf(m)}`),
  );
  for (const [i, m] of TRIO.entries()) {
    const [pull] = github.pulls(`shop/${m}`);
    assert.equal(pull?.head, 'v2');
    const rows = pull!.body.split('\n').filter((line) => /^\| \d \|/.test(line));
    assert.deepEqual(
      rows.map((row) =>
        row
          .split('|')
          .map((cell) => cell.trim())
          .slice(1, 4),
      ),
      TRIO.map((n, j) => [`${j + 1}`, j === i ? `**${n}** (this one)` : n, urls[j]]),
      `${m}'s body lists the set in order`,
    );
    assert.deepEqual(
      github.statuses(`shop/${m}`, report.members[i]!.head).map((s) => [s.context, s.state]),
      [['orchestrator/change-set', 'success']],
    );
  }

  // Run again after b's change is undone on its branch: the same pull requests, each status red naming c.
  git(join(dir, 'b'), 'checkout', '-q', 'v2');
  git(join(dir, 'b'), 'revert', '--no-edit', 'HEAD');
  git(join(dir, 'b'), 'checkout', '-q', 'main');
  const again = await runCli(['publish', 'v2', '--json'], { cwd: dir, env });
  assert.equal(again.code, 1, again.stderr);
  const red = JSON.parse(again.stdout) as { members: { head: string }[] };
  assert.deepEqual(
    TRIO.map((m) => github.pulls(`shop/${m}`).length),
    [1, 1, 1],
    'updated, not opened again',
  );
  const status = github.statuses('shop/a', red.members[0]!.head).at(-1)!;
  assert.equal(status.state, 'failure');
  assert.match(status.description, /^b: node scripts\/check\.js failed/);
  assert.match(github.pulls('shop/c')[0]!.body, /\| 2 \| b \| .* \| ✗ not passed \|/);
});

test('merge on the local GitHub: a red check of its own holds the set, naming the member and the check; nothing merges', async () => {
  buildCli();
  const { dir, remotes } = makeTrio();
  const { github, env } = await onGithub(remotes);
  github.setCheckRun('shop/c', git(join(dir, 'c'), 'rev-parse', 'v2').trim(), 'ci / test', 'failure');
  const result = await runCli(['merge', 'v2'], { cwd: dir, env });
  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.match(result.stdout, /nothing merged: c holds the set: its check ci \/ test is failure/);
  assert.match(result.stdout, /a: not merged \(held by c\)/);
  assert.deepEqual(github.merges, []);
  assert.equal(existsSync(join(dir, 'a/.git/orchestrator/change-sets/v2.json')), false, 'no merge begun');
});

test('merge on the local GitHub: killed between the first and the second merge, the next merge resumes and merges the whole set in order', async () => {
  buildCli();
  const { dir, remotes } = makeTrio();
  const { github, env } = await onGithub(remotes);
  let arrived!: () => void;
  const secondArrived = new Promise<void>((resolve) => (arrived = resolve));
  const release = github.hold((method, path) => {
    const second = method === 'PUT' && path.startsWith('/repos/shop/b/pulls/');
    if (second) arrived();
    return second;
  });
  const run = startCli(['merge', 'v2'], { cwd: dir, env });
  await secondArrived;
  assert.deepEqual(github.merges, ['shop/a'], 'a merged, b asked for');
  run.child.kill('SIGKILL');
  await run.done;
  release();
  assert.deepEqual(github.merges, ['shop/a'], 'the killed request never reached GitHub');

  const resumed = await runCli(['merge', 'v2'], { cwd: dir, env });
  assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
  assert.match(resumed.stdout, /a: merged before [0-9a-f]{12}/);
  assert.match(resumed.stdout, /resumed the merge a killed run left/);
  assert.deepEqual(github.merges, ['shop/a', 'shop/b', 'shop/c'], 'the whole set, producers first');
  assert.match(
    github.pulls('shop/a')[0]!.body,
    /\| 1 \| \*\*a\*\* \(this one\) \| .* \| ✓ merged \|\n\| 2 \| b \| .* \| ✓ merged \|\n\| 3 \| c \| .* \| ✓ merged \|/,
  );
  assert.deepEqual(
    TRIO.map((m) => valueOn(remotes[m]!)),
    ['2', '2', '2'],
  );
});

test('merge on the local GitHub: a member refused after the first merged leaves the set stuck, and a pull request says so and proposes the revert', async () => {
  buildCli();
  const { dir, remotes } = makeTrio();
  const { github, env } = await onGithub(remotes);
  const before = mainOf(remotes.a!);
  // b's branch protection changes while a merges: GitHub refuses b's merge (a required review).
  const release = github.hold((method, path) => {
    const second = method === 'PUT' && path.startsWith('/repos/shop/b/pulls/');
    if (second) github.requireReview('shop/b');
    return false;
  });
  const result = await runCli(['merge', 'v2'], { cwd: dir, env });
  release();
  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.match(
    result.stdout,
    /the set could not finish: b: GitHub refused the merge: At least 1 approving review is required/,
  );
  assert.deepEqual(github.merges, ['shop/a']);
  const revert = github.pulls('shop/a').find((p) => p.head === 'revert-v2');
  assert.ok(revert, 'a pull request proposing the revert on the merged member');
  assert.equal(revert.base, 'main');
  assert.match(revert.body, /b cannot merge \(GitHub refused the merge: At least 1 approving review/);
  assert.match(revert.body, /Merged: a \([0-9a-f]{12}\); not merged: b, c\./);
  assert.match(result.stdout, new RegExp(`a: https://github.example/shop/a/pull/${revert.number}`));
  assert.equal(
    git(remotes.a!, 'rev-parse', 'revert-v2^{tree}').trim(),
    git(remotes.a!, 'rev-parse', `${before}^{tree}`).trim(),
    "the revert puts a's main back as it was",
  );
  const journal = JSON.parse(readFileSync(join(dir, 'a/.git/orchestrator/change-sets/v2.json'), 'utf8')) as {
    state: string;
  };
  assert.equal(journal.state, 'stuck');
});

test('merge without GITHUB_TOKEN: a member naming github: is never pushed past its pull request; it holds the set', async () => {
  buildCli();
  const { dir, remotes } = makeTrio();
  const before = TRIO.map((m) => mainOf(remotes[m]!));
  const result = await runCli(['merge', 'v2'], { cwd: dir, env: noGithub });
  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.match(
    result.stdout,
    /nothing merged: a holds the set: on GitHub \(shop\/a\): merged only through its pull request, with GITHUB_TOKEN set/,
  );
  assert.deepEqual(
    TRIO.map((m) => mainOf(remotes[m]!)),
    before,
  );
});
