// Main watched (issue 74): the job `init --github-action` writes for `schedule` (its checkout with
// the history, fetch-depth: 0; the Action with its inputs, no model key) sweeps main. A completed spec broken on main by a commit outside any run (a decimal comma
// pushed straight to main) gets exactly one issue naming its criterion, its test and the first red
// commit; a spec that still holds gets none; the next sweep updates that issue, never a second.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildCli } from '../../support/cli/cliKit';
import { git, isolatedGit } from '../../support/gitFixture';
import { REPO } from '../../support/github/githubKit';
import { completedSpec, formatTests, queueWorld, type QueueWorld } from '../../support/github/mergeQueueKit';

isolatedGit();

const PRICE = '2026-11-05-price-format';
const SUFFIX = '2026-11-06-euro-suffix';
const SCHEDULE = { schedule: '0 3 * * *', repository: { full_name: `${REPO.owner}/${REPO.name}` } };

let w: QueueWorld;
before(async () => {
  buildCli();
  w = await queueWorld();
});
after(() => w?.close());

test('schedule: a spec broken on main outside any run gets one issue naming the criterion, the test and the first red commit; the next sweep updates it', async () => {
  const files = ['lib/currency.js', 'lib/price.js', 'lib/separator.js'];
  w.commit(
    {
      ...completedSpec(
        PRICE,
        'Price format',
        [{ id: 'REQ-1.1', test: 'REQ-1.1 formats 1234 cents as 12.34 €' }],
        'test/acceptance/price.test.js',
        formatTests([{ name: 'REQ-1.1 formats 1234 cents as 12.34 €', cents: 1234, expected: '12.34 €' }]),
        files,
      ),
      ...completedSpec(
        SUFFIX,
        'Euro suffix',
        [{ id: 'REQ-1.1', test: 'REQ-1.1 ends with the euro sign' }],
        'test/acceptance/suffix.test.js',
        [
          "'use strict';",
          "const test = require('node:test');",
          "const assert = require('node:assert/strict');",
          "const { format } = require('../../lib/price');",
          "test('REQ-1.1 ends with the euro sign', () => assert.match(format(5), / €$/));",
          '',
        ].join('\n'),
        files,
      ),
    },
    'the completed specs',
  );
  w.commit({ 'docs/a.md': 'a\n' }, 'docs');
  w.commit({ 'docs/b.md': 'b\n' }, 'more docs');
  const broke = w.commit({ 'lib/separator.js': "exports.separator = ',';\n" }, 'a decimal comma, straight on main');
  w.commit({ 'docs/c.md': 'c\n' }, 'even more docs');
  git(w.work, 'push', '-q', 'origin', 'main');

  const first = await w.job('schedule', SCHEDULE);
  assert.equal(first.code, 1, first.log);
  assert.equal(first.outputs.status, 'stopped', first.log);
  assert.deepEqual(first.leaks, [], 'no token in any file of the job');
  assert.equal(w.api.issues.length, 1, first.log);
  const issue = w.api.issues[0]!;
  assert.deepEqual([issue.state, issue.labels], ['open', ['orchestrator-drift']]);
  assert.match(issue.title, new RegExp(`^Spec ${PRICE} went red on main: REQ-1\\.1$`));
  assert.ok(issue.body.includes('### REQ-1.1'), issue.body);
  assert.ok(issue.body.includes('- Test: `test/acceptance/price.test.js › REQ-1.1 formats 1234 cents as 12.34 €`'));
  assert.ok(issue.body.includes(`- First red commit: \`${broke}\``), issue.body);
  assert.match(issue.body, /12,34 €/, "the failing test's output");
  assert.ok(!issue.body.includes(SUFFIX) && !w.api.issues.some((i) => i.title.includes(SUFFIX)), 'the spec that holds');
  assert.match(first.log, new RegExp(`Opened #${issue.number} for ${PRICE}: REQ-1\\.1`));

  // The next night: main moved on, still red; the one issue is updated, not doubled.
  w.commit({ 'docs/d.md': 'd\n' }, 'docs again');
  git(w.work, 'push', '-q', 'origin', 'main');
  const second = await w.job('schedule', SCHEDULE);
  assert.equal(second.code, 1, second.log);
  assert.equal(w.api.issues.length, 1, second.log);
  assert.equal(issue.edits, 1);
  assert.ok(issue.body.includes(`- First red commit: \`${broke}\``), issue.body);
  assert.match(second.log, new RegExp(`Updated #${issue.number} for ${PRICE}`));
  assert.equal(w.api.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/issues')).length, 1);
});
