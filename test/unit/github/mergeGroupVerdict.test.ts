// A merge group's check run in words (issue 74, src/github/mergeGroup.ts): a group's commit names
// its pull request whether merged or squashed; a flaky proof is quarantined and a proof red on the
// base too is main's drift — neither makes the group red; names from the repository are code spans.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CriterionProofNow, VerifyReport } from '../../../src/core/drift';
import { mergeGroupOf, pullOfSubject, verdictOf } from '../../../src/github/mergeGroup';

test('a group commit names its pull request: a merge commit, a squashed one, or none', () => {
  assert.equal(pullOfSubject('Merge pull request #12 from acme/eur'), 12);
  assert.equal(pullOfSubject('Prices in EUR (#34)'), 34);
  assert.equal(pullOfSubject('a commit of main (see #5 for why)'), undefined);
});

test('a merge_group payload: checks_requested names the group; another action or a payload without its fields is ignored', () => {
  const group = {
    head_sha: 'a'.repeat(40),
    base_sha: 'b'.repeat(40),
    head_ref: 'refs/heads/gh-readonly-queue/main/pr-1-x',
  };
  const payload = { action: 'checks_requested', merge_group: group, repository: { full_name: 'acme/shop' } };
  assert.deepEqual(mergeGroupOf(payload), { head: group.head_sha, base: group.base_sha, headRef: group.head_ref });
  assert.deepEqual(mergeGroupOf({ ...payload, action: 'destroyed' }), {
    ignored: 'merge_group destroyed: no check is asked',
  });
  const noRef = { ...payload, merge_group: { ...group, head_ref: 'refs/heads/../../x y' } };
  assert.ok('ignored' in mergeGroupOf(noRef));
});

test('flaky and red-on-the-base proofs are said, not counted red; a red one names its test and pull request', () => {
  const proof = (
    criterion: string,
    now: CriterionProofNow['now'],
    base?: CriterionProofNow['now'],
  ): CriterionProofNow => ({
    criterion,
    then: 'proven',
    now,
    tests: [
      {
        file: 'test/a.test.js',
        test: `${criterion} \`tick\``,
        outcome: now === 'failing' ? 'failed' : 'passed',
        detail: 'AssertionError: ```x```',
      },
    ],
    ...(base ? { base: { commit: 'b'.repeat(40), now: base } } : {}),
  });
  const group: [string, number | undefined][] = [
    ['1'.repeat(40), 101],
    ['2'.repeat(40), undefined],
  ];
  const report = (proofs: CriterionProofNow[], exitCode: 0 | 1): VerifyReport =>
    ({
      specs: [{ specId: '2026-11-02-spec', requirements: [{ proof: proofs }] }],
      affected: { range: 'b..h', changed: 3, specs: [{ specId: '2026-11-02-spec', files: [] }], untouched: 0 },
      sweep: {
        since: 'b'.repeat(40),
        head: '2'.repeat(40),
        specs: [
          {
            specId: '2026-11-02-spec',
            criteria: [
              {
                criterion: 'REQ-1.3',
                now: 'failing',
                bisect: { from: 'b', commits: 2, firstRed: '2'.repeat(40), probes: 1 },
              },
            ],
          },
        ],
      },
      exitCode,
    }) as unknown as VerifyReport;

  const quiet = verdictOf(report([proof('REQ-1.1', 'flaky'), proof('REQ-1.2', 'failing', 'failing')], 0), group);
  assert.equal(quiet.conclusion, 'success');
  assert.equal(quiet.title, 'Every affected proof holds');
  assert.deepEqual(quiet.red, []);
  assert.match(
    quiet.summary,
    /`2026-11-02-spec` REQ-1\.1: flaky \(failed, then passed on the retry\): quarantined, not red/,
  );
  assert.match(
    quiet.summary,
    /`2026-11-02-spec` REQ-1\.2: red on the base already .*: drift on main, not this group's/,
  );

  const red = verdictOf(report([proof('REQ-1.3', 'failing', 'proven')], 1), group);
  assert.equal(red.conclusion, 'failure');
  assert.equal(red.title, '1 criterion red: 2026-11-02-spec');
  assert.ok(red.text!.includes('- Test: `test/a.test.js › REQ-1.3  tick `'), red.text);
  assert.ok(
    red.text!.includes(`- broken by pull request commit ${'2'.repeat(12)}, merged on top of #101 (${'1'.repeat(12)})`),
  );
  assert.ok(red.text!.includes("AssertionError: '''x'''"), 'a fence in the output cannot close the block');
});
