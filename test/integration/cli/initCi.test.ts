import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

test("init --ci github writes orchestrator-checks.yml: the vendored CLI after the Action readies the sandbox, the pull request's own tree scored to a target (nothing changed), drift, the report and the workbooks; never over an existing one without --force", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'orchestrator-ci-'));
  try {
    const first = await runCli(['init', '--ci', 'github', '--target', '85', '--json'], { cwd: dir, apiKey: null });
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(jsonOf(first), {
      ci: 'github',
      root: dir,
      action: { path: '.github/actions/orchestrator', status: 'created', files: vendored().length },
      path: '.github/workflows/orchestrator-checks.yml',
      status: 'created',
    });
    assertVendored(dir);
    const text = readFileSync(join(dir, '.github/workflows/orchestrator-checks.yml'), 'utf8');
    const workflow = parse(text) as {
      name: string;
      on: Record<string, unknown>;
      permissions: Record<string, string>;
      jobs: { audit: { env: Record<string, string>; steps: Step[] } };
    };
    assert.equal(workflow.name, 'Orchestrator checks');
    assert.ok('pull_request' in workflow.on);
    assert.deepEqual(workflow.permissions, { contents: 'read' });
    const { steps, env } = workflow.jobs.audit;
    assert.equal(
      env.ORCHESTRATOR_CLI,
      '${{ github.workspace }}/.github/actions/orchestrator/dist/cli.js',
      'the vendored CLI, by path',
    );
    assert.doesNotMatch(text, /npm (install|i)\b|npx /, 'nothing installed by a name');
    // The sandbox: its programs, then the Action itself readies AppArmor, before any command of the CLI.
    const programs = steps.findIndex((s) => /apt-get install .*bubblewrap socat/.test(s.run ?? ''));
    const ready = steps.findIndex((s) => s.uses === './.github/actions/orchestrator');
    assert.deepEqual(steps[ready]!.with, { mode: 'ready-sandbox', config: '.claude/orchestrator.yaml' });
    const audit = steps.find((s) => s.run?.includes(' audit '))!;
    assert.ok(programs >= 0 && programs < ready && ready < steps.indexOf(audit));
    assert.equal(
      audit.run,
      'node "$ORCHESTRATOR_CLI" audit . --dimension backend,security,tests --target 85 --max-iterations 0 --max-budget 2 --yes --json > orchestrator-audit.json',
    );
    assert.deepEqual(
      audit.env,
      { ANTHROPIC_API_KEY: '${{ secrets.ANTHROPIC_API_KEY }}' },
      'the key from the repository secrets, nowhere else',
    );
    assert.equal(audit.if, undefined, 'the audit step fails the job below the target');
    const drift = steps.find((s) => s.run === 'node "$ORCHESTRATOR_CLI" verify --all')!;
    assert.equal(drift.if, 'always()');
    const workbooks = steps.find((s) => s.run?.includes(' trace '))!;
    assert.match(workbooks.run!, /node "\$ORCHESTRATOR_CLI" trace "\$id" --xlsx "orchestrator-workbooks\/\$id\.xlsx"/);
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    assert.equal(upload.if, 'always()');
    assert.deepEqual(String(upload.with!.path).split('\n'), [
      'orchestrator-audit.json',
      'orchestrator-workbooks/',
      '.claude/runs/*/report.md',
      '.claude/runs/*/events.jsonl',
    ]);
    assert.ok(steps.indexOf(upload) > steps.indexOf(drift) && steps.indexOf(drift) > steps.indexOf(audit));
    assert.doesNotMatch(text, /sk-|test-key/);

    // The Action's own workflow: another file; the vendored folder, already there, kept.
    const action = await runCli(['init', '--github-action'], { cwd: dir, apiKey: null });
    assert.equal(action.code, 0, action.stderr);
    assert.match(
      action.stdout,
      /^\.github\/actions\/orchestrator\/ exists and was kept \(`orchestrator init --github-action --force` replaces it/m,
    );
    assert.match(action.stdout, /^created \.github\/workflows\/orchestrator\.yml: /m);
    assert.ok(existsSync(join(dir, '.github/workflows/orchestrator-checks.yml')));

    writeFileSync(join(dir, '.github/workflows/orchestrator-checks.yml'), 'name: mine\n');
    const kept = await runCli(['init', '--ci', 'github'], { cwd: dir, apiKey: null });
    assert.equal(kept.code, 0, kept.stderr);
    assert.match(
      kept.stdout,
      /orchestrator-checks\.yml exists and was kept; `orchestrator init --ci github --force` replaces it/,
    );
    assert.equal(readFileSync(join(dir, '.github/workflows/orchestrator-checks.yml'), 'utf8'), 'name: mine\n');
    writeFileSync(join(dir, '.github/actions/orchestrator/dist/action.js'), 'stale');
    const forced = await runCli(['init', '--ci', 'github', '--force', '--dimension', 'security'], {
      cwd: dir,
      apiKey: null,
    });
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /^replaced \.github\/actions\/orchestrator\//m);
    assert.match(
      readFileSync(join(dir, '.github/workflows/orchestrator-checks.yml'), 'utf8'),
      /--dimension security --target 90/,
    );
    assertVendored(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** What init vendors: the build's lists of the Action's and the CLI's files (dist/artifacts.json), without the demo's sample project. */
function vendored(): string[] {
  const lists = JSON.parse(readFileSync(join(ROOT, 'dist/artifacts.json'), 'utf8')) as {
    cli: string[];
    action: string[];
  };
  return [...new Set([...lists.action, ...lists.cli])].filter((path) => !path.startsWith('examples/'));
}

function assertVendored(dir: string): void {
  const at = join(dir, '.github/actions/orchestrator');
  for (const path of vendored()) assert.deepEqual(readFileSync(join(at, path)), readFileSync(join(ROOT, path)), path);
  // Kept in the commit even where the repository ignores dist/ or .claude/.
  assert.equal(
    readFileSync(join(at, '.gitignore'), 'utf8')
      .split('\n')
      .filter((line) => !line.startsWith('#') && line)
      .join(' '),
    '!* !.*',
  );
  assert.equal(parse(readFileSync(join(at, 'action.yml'), 'utf8')).runs.main, 'dist/action.js');
}

test('init --ci: only github; --target and --dimension belong to init only with --ci; --github-action to init alone', () => {
  assert.throws(() => parseArgs(['init', '--ci', 'gitlab'], '/w'), /--ci supports github \(got "gitlab"\)/);
  assert.equal(parseArgs(['init', '--github-action', '--force'], '/w').githubAction, true);
  assert.throws(() => parseArgs(['feature', 'x', '--github-action'], '/w'), /--github-action belongs to init/);
  assert.throws(
    () => parseArgs(['init', '--github-action', '--ci', 'github'], '/w'),
    /--github-action is not an option of init --ci/,
  );
  assert.equal(parseArgs(['audit', '.', '--max-iterations', '0'], '/w').maxIterations, 0, 'score only');
  assert.throws(() => parseArgs(['init', '--target', '90'], '/w'), /--target is not an option of init/);
  assert.throws(() => parseArgs(['feature', 'x', '--ci', 'github'], '/w'), /--ci belongs to init/);
  assert.equal(
    parseArgs(['audit', '.', '--dimension', 'backend,security,tests'], '/w').dimension,
    'backend,security,tests',
  );
});
