import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseArgs } from '../../../src/cli/args';
import { buildCli, jsonOf, ROOT, runCli } from '../../support/cli/cliKit';

before(() => buildCli());

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}

test('init --ci github writes a workflow that audits pull requests to a target, checks drift, and uploads the report and the workbooks; never over an existing one without --force', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'orchestrator-ci-'));
  try {
    const first = await runCli(['init', '--ci', 'github', '--target', '85', '--json'], { cwd: dir, apiKey: null });
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(jsonOf(first), { ci: 'github', path: '.github/workflows/orchestrator.yml', status: 'created' });
    const text = readFileSync(join(dir, '.github/workflows/orchestrator.yml'), 'utf8');
    const workflow = parse(text) as { on: Record<string, unknown>; permissions: Record<string, string>; jobs: { audit: { steps: Step[] } } };
    assert.ok('pull_request' in workflow.on);
    assert.deepEqual(workflow.permissions, { contents: 'read' });
    const steps = workflow.jobs.audit.steps;
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(steps.find((s) => s.name === 'Install the Orchestrator CLI')!.run, `npm install --global spec-orchestrator@${version}`);
    const audit = steps.find((s) => s.run?.startsWith('orchestrator audit'))!;
    assert.equal(audit.run, 'orchestrator audit . --dimension backend,security,tests --target 85 --max-budget 2 --yes --json > orchestrator-audit.json');
    assert.deepEqual(audit.env, { ANTHROPIC_API_KEY: '${{ secrets.ANTHROPIC_API_KEY }}' }, 'the key from the repository secrets, nowhere else');
    assert.equal(audit.if, undefined, 'the audit step fails the job below the target');
    const drift = steps.find((s) => s.run === 'orchestrator verify --all')!;
    assert.equal(drift.if, 'always()');
    const workbooks = steps.find((s) => s.run?.includes('orchestrator trace'))!;
    assert.match(workbooks.run!, /orchestrator trace "\$id" --xlsx "orchestrator-workbooks\/\$id\.xlsx"/);
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    assert.equal(upload.if, 'always()');
    assert.deepEqual(String(upload.with!.path).split('\n'), ['orchestrator-audit.json', 'orchestrator-workbooks/', '.claude/runs/*/report.md', '.claude/runs/*/events.jsonl']);
    assert.ok(steps.indexOf(upload) > steps.indexOf(drift) && steps.indexOf(drift) > steps.indexOf(audit));
    assert.doesNotMatch(text, /sk-|test-key/);

    writeFileSync(join(dir, '.github/workflows/orchestrator.yml'), 'name: mine\n');
    const kept = await runCli(['init', '--ci', 'github'], { cwd: dir, apiKey: null });
    assert.equal(kept.code, 0, kept.stderr);
    assert.match(kept.stdout, /exists and was kept; `orchestrator init --ci github --force` replaces it/);
    assert.equal(readFileSync(join(dir, '.github/workflows/orchestrator.yml'), 'utf8'), 'name: mine\n');
    const forced = await runCli(['init', '--ci', 'github', '--force', '--dimension', 'security'], { cwd: dir, apiKey: null });
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(readFileSync(join(dir, '.github/workflows/orchestrator.yml'), 'utf8'), /--dimension security --target 90/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('init --ci: only github; --target and --dimension belong to init only with --ci', () => {
  assert.throws(() => parseArgs(['init', '--ci', 'gitlab'], '/w'), /--ci supports github \(got "gitlab"\)/);
  assert.throws(() => parseArgs(['init', '--target', '90'], '/w'), /--target is not an option of init/);
  assert.throws(() => parseArgs(['feature', 'x', '--ci', 'github'], '/w'), /--ci belongs to init/);
  assert.equal(parseArgs(['audit', '.', '--dimension', 'backend,security,tests'], '/w').dimension, 'backend,security,tests');
});
