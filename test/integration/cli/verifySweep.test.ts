// The sweep and flaky proofs (issue 74): `verify --all --since <commit>` over a completed spec whose
// REQ-1.2 goes red at a known commit among six bisects to that commit, records REQ-1.1's last
// proven commit in completion.json and reports REQ-1.2 red with its failing test's output (the next
// sweep bisects REQ-1.1 from that recorded commit, the later start); a
// proof test failing one run in two is flaky (retried, passed), quarantined in the record, not red;
// under `--affected`, a proof red on the head and on the base is drift already on the base (exit 0),
// while one the change turned red is the change's (exit 1). Real git, real `node --test`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { test } from 'node:test';
import { buildCli, CLI } from '../../support/cli/cliKit';
import { committedRepo, git, isolatedGit, write } from '../../support/gitFixture';
import { QUEUE_CONFIG } from '../../support/github/mergeQueueKit';
import { NEGATIVE_ACCEPTED, PRICE_MODULE } from '../../support/proofProject';

buildCli();
isolatedGit();

const SPEC = '2026-10-01-price';
const RECORD = `.claude/spec/completed/${SPEC}/completion.json`;
const PROOF = 'test/acceptance/price.test.js';
const FLAKY = 'test/acceptance/flaky.test.js';

const PROOF_TEST = `'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { format } = require('../../lib/price');
test('REQ-1.1 formats cents as euros', () => assert.equal(format(1234), '12.34 €'));
test('REQ-1.2 refuses a negative price', () => assert.throws(() => format(-1), /never negative/));
`;

/** Fails its odd runs, passes its even ones: a count kept beside it (the work tree is what a check may write). */
const FLAKY_TEST = `'use strict';
const test = require('node:test');
const fs = require('node:fs');
const count = require('node:path').join(__dirname, '.runs');
test('REQ-1.3 answers in time', () => {
  const n = (fs.existsSync(count) ? Number(fs.readFileSync(count, 'utf8')) : 0) + 1;
  fs.writeFileSync(count, String(n));
  if (n % 2 === 1) throw new Error('timed out (run ' + n + ')');
});
`;

function criterion(id: string, file: string, name: string) {
  return { id, text: name, proof: { status: 'proven', tests: [{ file, test: name }] } };
}

/** A repository with one completed spec whose three criteria each have a frozen proof test. */
function priceRepo(): string {
  const dir = committedRepo({
    '.claude/orchestrator.yaml': QUEUE_CONFIG,
    '.gitignore': '.runs\n',
    'lib/price.js': PRICE_MODULE,
    [PROOF]: PROOF_TEST,
    [FLAKY]: FLAKY_TEST,
    [`.claude/spec/completed/${SPEC}/spec.md`]: [
      '---',
      `id: ${SPEC}`,
      'title: Price',
      'kind: feature',
      'status: completed',
      'layers:',
      '  - backend',
      'created: 2026-10-01T09:00:00.000Z',
      '---',
      '',
      '## Spec: Price',
      '',
      '### Requirements',
      '- REQ-1: prices',
      '  - REQ-1.1: formats cents as euros',
      '  - REQ-1.2: refuses a negative price',
      '  - REQ-1.3: answers in time',
      '',
    ].join('\n'),
  });
  const record = {
    version: 1,
    specId: SPEC,
    completed: '2026-10-01T10:00:00.000Z',
    commit: null,
    runIds: [],
    files: {},
    requirements: [
      {
        id: 'REQ-1',
        title: 'prices',
        criteria: [
          criterion('REQ-1.1', PROOF, 'REQ-1.1 formats cents as euros'),
          criterion('REQ-1.2', PROOF, 'REQ-1.2 refuses a negative price'),
          criterion('REQ-1.3', FLAKY, 'REQ-1.3 answers in time'),
        ],
        layers: ['backend'],
        files: ['lib/price.js'],
        tests: [],
      },
    ],
  };
  write(dir, RECORD, `${JSON.stringify(record, null, 2)}\n`);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'the completed spec');
  return dir;
}

function commit(dir: string, path: string, text: string, message: string): string {
  write(dir, path, text);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
  return git(dir, 'rev-parse', 'HEAD').trim();
}

const cli = (dir: string, ...args: string[]) =>
  spawnSync(process.execPath, [CLI, 'verify', ...args, '--workspace', dir], { encoding: 'utf8' });

interface Proof {
  criterion: string;
  now: string;
  base?: { commit: string; now: string };
  tests: { outcome: string; detail?: string; flaky?: true }[];
}
const proofsOf = (report: { specs: { requirements: { proof: Proof[] }[] }[] }) =>
  Object.fromEntries(report.specs[0]!.requirements[0]!.proof.map((p) => [p.criterion, p]));

test("cli: verify --all --since bisects REQ-1.2 to the commit that broke it, records REQ-1.1 proven at HEAD (in verify's text and the trace's exports); the flaky REQ-1.3 is quarantined, not red", async () => {
  const dir = priceRepo();
  const since = git(dir, 'rev-parse', 'HEAD').trim();
  const commits = [
    commit(dir, 'README.md', 'one\n', 'readme'),
    commit(dir, 'docs/a.md', 'two\n', 'docs'),
    commit(dir, 'lib/price.js', NEGATIVE_ACCEPTED, 'negative prices get through'),
    commit(dir, 'README.md', 'four\n', 'readme again'),
    commit(dir, 'docs/b.md', 'five\n', 'more docs'),
    commit(dir, 'docs/c.md', 'six\n', 'even more docs'),
  ];
  const head = commits.at(-1)!;

  const run = cli(dir, '--all', '--since', since, '--json');
  assert.equal(run.status, 1, run.stderr);
  const report = JSON.parse(run.stdout) as Parameters<typeof proofsOf>[0] & {
    sweep: {
      since: string;
      head: string;
      specs: { specId: string; criteria: { criterion: string; now: string; bisect?: Record<string, unknown> }[] }[];
    };
  };
  assert.deepEqual([report.sweep.since, report.sweep.head], [since, head]);
  const swept = Object.fromEntries(report.sweep.specs[0]!.criteria.map((c) => [c.criterion, c]));
  assert.equal(swept['REQ-1.1']!.now, 'proven');
  assert.equal(swept['REQ-1.3']!.now, 'flaky');
  assert.equal(swept['REQ-1.2']!.now, 'failing');
  const bisect = swept['REQ-1.2']!.bisect!;
  assert.equal(bisect.firstRed, commits[2], `the third commit broke it, not ${String(bisect.firstRed)}`);
  assert.equal(bisect.lastGreen, commits[1]);
  assert.equal(bisect.from, since);
  assert.equal(bisect.commits, 6);
  assert.ok((bisect.probes as number) <= 4, `⌈log₂ 6⌉ probes and the start: ${String(bisect.probes)}`);
  const proofs = proofsOf(report);
  assert.match(proofs['REQ-1.2']!.tests[0]!.detail!, /REQ-1\.2 refuses a negative price/);
  assert.equal(proofs['REQ-1.3']!.tests[0]!.flaky, true);
  // The report says the commit each criterion was last proven at, as the record now keeps it (the sidebar shows it).
  assert.equal((proofs['REQ-1.1'] as Proof & { lastProven?: { commit: string } }).lastProven?.commit, head);
  assert.equal((proofs['REQ-1.2'] as Proof & { lastProven?: unknown }).lastProven, undefined);
  assert.match(proofs['REQ-1.3']!.tests[0]!.detail!, /^failed, then passed on the retry\n[\s\S]*timed out \(run 1\)/);

  // The trace keeps what the sweep learnt: REQ-1.1 (and the flaky REQ-1.3) proven at HEAD, REQ-1.3 quarantined.
  const record = JSON.parse(readFileSync(join(dir, RECORD), 'utf8')) as {
    requirements: {
      criteria: { id: string; proof: { lastProven?: { commit: string }; flaky?: { note: string } } }[];
    }[];
  };
  const kept = Object.fromEntries(record.requirements[0]!.criteria.map((c) => [c.id, c.proof]));
  assert.equal(kept['REQ-1.1']!.lastProven?.commit, head);
  assert.equal(kept['REQ-1.2']!.lastProven, undefined);
  assert.match(kept['REQ-1.3']!.flaky?.note ?? '', /quarantined; strengthen it/);
  assert.equal(kept['REQ-1.1']!.flaky, undefined);

  // The text says the same, per criterion, with the failing test's output.
  const text = cli(dir, '--all', '--since', since);
  assert.equal(text.status, 1, text.stderr);
  assert.match(
    text.stdout,
    new RegExp(`\\n {2}failing {2}${SPEC} REQ-1\\.2: first red at ${commits[2]!.slice(0, 12)} `),
  );
  assert.match(text.stdout, /\n {6}\| .*REQ-1\.2 refuses a negative price/);
  assert.match(text.stdout, new RegExp(`\\n {2}flaky {4}${SPEC} REQ-1\\.3: failed, then passed on the retry`));
  const proven = `${head.slice(0, 12)} \\(\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\)`;
  assert.match(text.stdout, new RegExp(`\\n {2}proven {3}${SPEC} REQ-1\\.1; last proven at ${proven}\\n`));
  // The probes' worktrees are gone: git knows only the checkout.
  assert.equal(git(dir, 'worktree', 'list', '--porcelain').match(/^worktree /gm)?.length, 1);

  // The commit each criterion was last proven at: per criterion in verify's text of the spec, and in the trace's exports.
  const one = cli(dir, SPEC);
  assert.match(
    one.stdout,
    new RegExp(
      `\\n {2}last proven on main:\\n {4}REQ-1\\.1: ${proven}\\n {4}REQ-1\\.2: not recorded \\(no sweep proved it yet\\)\\n {4}REQ-1\\.3: ${proven}\\n`,
    ),
    one.stdout,
  );
  const out = mkdtempSync(join(tmpdir(), 'orch-sweep-trace-'));
  const traced = spawnSync(
    process.execPath,
    [
      CLI,
      'trace',
      SPEC,
      '--md',
      join(out, 'trace.md'),
      '--xlsx',
      join(out, 'trace.xlsx'),
      '--json',
      '--workspace',
      dir,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(traced.status, 0, traced.stderr);
  const rows = (JSON.parse(traced.stdout) as { rows: { criterion: string; lastProven?: { commit: string } }[] }).rows;
  assert.deepEqual(
    rows.map((row) => [row.criterion, row.lastProven?.commit]),
    [
      ['REQ-1.1', head],
      ['REQ-1.2', undefined],
      ['REQ-1.3', head],
    ],
  );
  const markdown = readFileSync(join(out, 'trace.md'), 'utf8');
  assert.match(markdown, /\| Strength \| Last proven \| Gaps \|\n/);
  assert.match(markdown, new RegExp(`\\| REQ-1\\.1: .* \\| ${proven} \\| [^|]+ \\|\\n`));
  assert.match(markdown, /\| REQ-1\.2: .* \| — \| [^|]+ \|\n/);
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(join(out, 'trace.xlsx'));
  const sheet = book.getWorksheet('Traceability')!;
  const column = (sheet.getRow(1).values as unknown[]).indexOf('Last proven');
  assert.ok(column > 0, 'a Last proven column');
  assert.match(String(sheet.getRow(2).getCell(column).value), new RegExp(`^${proven}$`));
  assert.equal(sheet.getRow(3).getCell(column).value, '—');
  rmSync(out, { recursive: true, force: true });

  // The next sweep starts REQ-1.1 after the commit it was recorded proven at (the later of it and --since).
  const later = [
    commit(dir, 'lib/price.js', NEGATIVE_ACCEPTED.replace('€', 'EUR'), 'prices in EUR'),
    commit(dir, 'docs/d.md', 'eight\n', 'docs'),
    commit(dir, 'docs/e.md', 'nine\n', 'docs'),
  ];
  const again = cli(dir, '--all', '--since', since, '--json');
  assert.equal(again.status, 1, again.stderr);
  const next = Object.fromEntries(
    (JSON.parse(again.stdout) as typeof report).sweep.specs[0]!.criteria.map((c) => [c.criterion, c.bisect]),
  );
  const { probes, ...bisected } = next['REQ-1.1'] as Record<string, unknown>;
  assert.deepEqual(bisected, { from: head, commits: 3, firstRed: later[0], lastGreen: head });
  assert.ok((probes as number) <= 2, `⌈log₂ 3⌉ probes, none at the recorded start: ${String(probes)}`);
  assert.equal(next['REQ-1.2']!.firstRed, commits[2], 'never proven since: bisected from --since again');

  assert.equal(cli(dir, '--all', '--since', 'no-such-commit').status, 2);
  assert.equal(cli(dir, SPEC, '--since', since).status, 2);
});

test('cli: verify --affected — a proof red on the head and on the base is drift already on the base (exit 0); one the change turned red is its own (exit 1)', () => {
  const dir = priceRepo();
  const green = git(dir, 'rev-parse', 'HEAD').trim();
  const broke = commit(dir, 'lib/price.js', NEGATIVE_ACCEPTED, 'negative prices get through');
  const touched = commit(dir, 'lib/price.js', `${NEGATIVE_ACCEPTED}// still\n`, 'a comment');

  const own = cli(dir, '--affected', `${green}..${broke}`, '--json');
  assert.equal(own.status, 1, own.stderr);
  const ownProof = proofsOf(JSON.parse(own.stdout))['REQ-1.2']!;
  assert.deepEqual([ownProof.now, ownProof.base], ['failing', { commit: green, now: 'proven' }]);

  const inherited = cli(dir, '--affected', `${broke}..${touched}`, '--json');
  assert.equal(inherited.status, 0, inherited.stdout);
  const report = JSON.parse(inherited.stdout) as Parameters<typeof proofsOf>[0] & {
    specs: { requirements: { status: string; brokenOnBase?: true }[] }[];
  };
  const proof = proofsOf(report)['REQ-1.2']!;
  assert.deepEqual([proof.now, proof.base], ['failing', { commit: broke, now: 'failing' }]);
  assert.equal(report.specs[0]!.requirements[0]!.status, 'broken', 'the code is red, whoever broke it');
  assert.equal(report.specs[0]!.requirements[0]!.brokenOnBase, true);
  const text = cli(dir, '--affected', `${broke}..${touched}`);
  assert.match(
    text.stdout,
    new RegExp(
      `\\n {2}failing {2}${SPEC} REQ-1\\.2: red on the base ${broke.slice(0, 12)} too: drift already on the base, not this change's fault`,
    ),
  );
});
