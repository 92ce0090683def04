import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempWorkspace } from '../../support/tempWorkspace';
import { DICTIONARY, RESERVATIONS_FILES } from '../../support/workflows/reservations';
import { RAILS_MIGRATIONS, RAILS_SCHEMA } from '../../support/workflows/railsConduit';
import { parseArgs, UsageError } from '../../../src/cli/args';
import { buildCli, jsonOf, runCli } from '../../support/cli/cliKit';

buildCli();

test("cli: workflows lists the workspace's and the shipped workflows; workflow check exits 2 naming file, line and key", async () => {
  const ws = await tempWorkspace({
    '.claude/workflows/review-only.yaml':
      'description: a spec, then a review\nphases:\n  - name: SPEC\n    uses: spec\n    gate: human\n',
    'flows/broken.yaml':
      'phases:\n  - name: A\n    outputs:\n      - document: prd\n        path: docs/prd.md\n  - name: B\n    inputs: [A.adr]\n',
  });
  const cli = (...args: string[]) => runCli(args, { cwd: ws.dir, apiKey: null });
  try {
    const listed = await cli('workflows', '--json');
    assert.equal(listed.code, 0, listed.stderr);
    const workflows = JSON.parse(listed.stdout) as {
      name: string;
      origin: string;
      phases: { name: string; gate: string }[];
    }[];
    assert.deepEqual(
      workflows.map((w) => [w.name, w.origin]),
      [
        ['review-only', 'workspace'],
        ['feature', 'shipped'],
        ['slice', 'shipped'],
        ['squads', 'shipped'],
      ],
    );
    assert.deepEqual(
      workflows[1]?.phases.map((p) => `${p.name}:${p.gate}`),
      [
        'SYNC:none',
        'UNDERSTAND:none',
        'SPEC:human',
        'IMPLEMENT:check (validate)',
        'REVIEW:check (review)',
        'COMPLETE:check (trace)',
        'DEPLOY:none',
      ],
    );

    const text = await cli('workflows');
    assert.equal(text.code, 0, text.stderr);
    assert.match(
      text.stdout,
      /^review-only \(\.claude\/workflows\/review-only\.yaml\): a spec, then a review\n {3}1\. SPEC {2}gate human {2}\(uses spec\)\n/,
    );
    assert.match(text.stdout, /\n {3}7\. E {11}gate human \(pm\) {2}→ \{spec\}\/qa-report\.md\n/);

    const broken = await cli('workflow', 'check', 'flows/broken.yaml');
    assert.equal(broken.code, 2);
    assert.equal(
      broken.stderr,
      'orchestrator: flows/broken.yaml:7:14 phases[1].inputs[0]: phase A has no document "adr" (it has: prd)\n',
    );
    const brokenJson = jsonOf(await cli('workflow', 'check', 'flows/broken.yaml', '--json'));
    assert.deepEqual(brokenJson, {
      status: 'error',
      error: 'flows/broken.yaml:7:14 phases[1].inputs[0]: phase A has no document "adr" (it has: prd)',
    });

    const valid = jsonOf(await cli('workflow', 'check', '.claude/workflows/review-only.yaml', '--json'));
    assert.deepEqual(valid, {
      status: 'valid',
      name: 'review-only',
      file: '.claude/workflows/review-only.yaml',
      description: 'a spec, then a review',
      phases: [{ name: 'SPEC', uses: 'spec', gate: 'human', documents: [] }],
    });

    const usage = await cli('workflow', 'lint', 'x.yaml');
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /workflow needs check <file> \(got "lint"\)/);
  } finally {
    await ws.cleanup();
  }
});

test('cli: --workflow NAME belongs to feature and bugfix', () => {
  assert.equal(parseArgs(['feature', 'Add a thing', '--workflow', 'slice'], '/w').workflow, 'slice');
  assert.equal(parseArgs(['bugfix', 'It breaks', '--workflow=squads'], '/w').workflow, 'squads');
  assert.throws(() => parseArgs(['runs', '--workflow', 'slice'], '/w'), /--workflow belongs to feature, bugfix/);
  assert.throws(() => parseArgs(['feature', 'x', '--workflow'], '/w'), /--workflow needs a workflow name/);
});

test('cli: --allow-untested belongs to feature, approve and resume', () => {
  assert.equal(
    parseArgs(['feature', 'Add a thing', '--workflow', 'slice', '--allow-untested'], '/w').allowUntested,
    true,
  );
  assert.equal(parseArgs(['approve', '2026-11-23-add-a-thing', '--allow-untested'], '/w').allowUntested, true);
  assert.equal(parseArgs(['resume', '--allow-untested'], '/w').allowUntested, true);
  assert.equal(parseArgs(['resume'], '/w').allowUntested, false);
  assert.throws(
    () => parseArgs(['bugfix', 'It breaks', '--allow-untested'], '/w'),
    /--allow-untested belongs to feature, approve, resume/,
  );
  assert.throws(
    () => parseArgs(['task', 'list', '--allow-untested'], '/w'),
    /--allow-untested belongs to feature, approve, resume/,
  );
  assert.throws(
    () => parseArgs(['feature', 'x', '--allow-untestd'], '/w'),
    (error: unknown) => error instanceof UsageError && error.hint === 'did you mean --allow-untested?',
  );
});

test('cli: check dictionary names each difference and exits 1; a matching dictionary exits 0; --json gives the report', async () => {
  const ws = await tempWorkspace({
    ...RESERVATIONS_FILES,
    'docs/data/dictionary.md': DICTIONARY.replace('| `lock_version` | INT | optimistic locking |\n', ''),
  });
  const cli = (...args: string[]) => runCli(args, { cwd: ws.dir, apiKey: null });
  try {
    const failing = await cli('check', 'dictionary');
    assert.equal(failing.code, 1, failing.stderr);
    assert.equal(
      failing.stdout,
      'reservations.lock_version is in the schema (migrations/001_reservations.sql) but not in docs/data/dictionary.md (line 5)\n1 difference(s) between docs/data/dictionary.md and the schema (3 schema file(s))\n',
    );
    await writeFile(join(ws.dir, 'docs/data/dictionary.md'), DICTIONARY);
    const passing = await cli('check', 'dictionary', '--json');
    assert.equal(passing.code, 0, passing.stderr);
    const report = jsonOf(passing) as { ok: boolean; tables: unknown[]; differences: unknown[] };
    assert.deepEqual([report.ok, report.tables.length, report.differences], [true, 4, []]);
    const usage = await cli('check', 'schema');
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /check takes dictionary or workspace \(got "schema"\)/);
  } finally {
    await ws.cleanup();
  }
});

test('cli: check dictionary --json on a Rails app reads db/schema.rb and names the column the dictionary misses', async () => {
  const ws = await tempWorkspace({
    Gemfile: "gem 'rails', '~> 7.1'\n",
    'db/schema.rb': RAILS_SCHEMA,
    ...RAILS_MIGRATIONS,
    'docs/data/dictionary.md':
      '## users\n- id\n- email\n- username\n- bio\n- created_at\n- updated_at\n\n## articles\n- id\n- slug\n- title\n- body\n- author_id\n- title_search\n- created_at\n- updated_at\n\n## articles_tags\n- article_id\n- tag_id\n\n## tags\n- name\n',
  });
  try {
    const result = await runCli(['check', 'dictionary', '--json'], { cwd: ws.dir, apiKey: null });
    assert.equal(result.code, 1, result.stderr);
    const report = jsonOf(result) as {
      schemaFiles: string[];
      tables: { name: string }[];
      differences: { kind: string; table: string; column: string }[];
    };
    assert.deepEqual(report.schemaFiles, ['db/schema.rb']);
    assert.deepEqual(
      report.tables.map((t) => t.name),
      ['users', 'articles', 'articles_tags', 'tags'],
    );
    assert.deepEqual(
      report.differences.map((d) => [d.kind, d.table, d.column]),
      [['column-not-documented', 'users', 'image']],
    );
  } finally {
    await ws.cleanup();
  }
});
