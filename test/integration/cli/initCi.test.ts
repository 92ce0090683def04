import { before, test } from 'node:test';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseArgs } from '../../../src/cli/args';
import { buildCli, CLI, FAKE_KEY, jsonOf, ROOT, runCli } from '../../support/cli/cliKit';
import { pipelineScript, specAnswer } from '../../support/engine/agentScript';
import { PRODUCT_SPEC } from '../../support/engine/fixtures';
import { startMessagesApiServer } from '../../support/messagesApiServer';

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
      action: {
        path: '.github/actions/orchestrator',
        status: 'created',
        files: vendored().length + 3,
        bytes: treeBytes(join(dir, '.github/actions/orchestrator')),
      },
      path: '.github/workflows/orchestrator-checks.yml',
      status: 'created',
      // Nothing added without --yes nor a terminal to ask: said on stderr, with the way to add them.
      ignores: {
        edits: [
          {
            file: '.gitattributes',
            tool: 'GitHub',
            entry: '.github/actions/orchestrator/** linguist-vendored linguist-generated',
            create: true,
          },
        ],
        byHand: [],
        added: false,
      },
    });
    assert.match(
      first.stderr,
      /^Not added \(nobody to ask without a terminal or with --json; `orchestrator init --ci github --yes` adds them\)/m,
    );
    assert.ok(!existsSync(join(dir, '.gitattributes')));
    assertVendored(dir);
    // The vendored CLI runs from the tree: its version from the tree's own package.json; a command
    // whose bundle the tree leaves out says so (exit 2), not Node's require stack.
    const vendoredCli = (...args: string[]) =>
      spawnSync(process.execPath, [join(dir, '.github/actions/orchestrator/dist/cli.js'), ...args], {
        cwd: dir,
        encoding: 'utf8',
      });
    assert.match(vendoredCli('--version').stdout, /^spec-orchestrator \d+\.\d+\.\d+ /);
    const mcp = vendoredCli('mcp');
    assert.equal(mcp.status, 2, mcp.stderr);
    assert.match(
      mcp.stderr,
      /^orchestrator: `orchestrator mcp` needs dist\/mcp\.js, which this installation of the Orchestrator does not hold: the Orchestrator vendored with the GitHub Action/,
    );
    assert.doesNotMatch(mcp.stderr, /Require stack/);
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
    // With the merge queue's jobs: the required check on merge_group, main's sweep on schedule (issue 74).
    const written = readFileSync(join(dir, '.github/workflows/orchestrator.yml'), 'utf8');
    const { on, jobs } = parse(written) as { on: Record<string, unknown>; jobs: Record<string, { if: string }> };
    assert.deepEqual([on.merge_group, on.schedule], [{ types: ['checks_requested'] }, [{ cron: '0 3 * * *' }]]);
    assert.deepEqual(
      [jobs.proofs?.if, jobs.sweep?.if],
      ["github.event_name == 'merge_group'", "github.event_name == 'schedule'"],
    );
    // A workflow of one's own is never replaced without --force.
    writeFileSync(join(dir, '.github/workflows/orchestrator.yml'), 'name: mine too\n');
    const again = await runCli(['init', '--github-action'], { cwd: dir, apiKey: null });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(readFileSync(join(dir, '.github/workflows/orchestrator.yml'), 'utf8'), 'name: mine too\n');
    assert.match(
      again.stdout,
      /orchestrator\.yml exists and was kept; `orchestrator init --github-action --force` replaces it/,
    );

    writeFileSync(join(dir, '.github/workflows/orchestrator-checks.yml'), 'name: mine\n');
    const kept = await runCli(['init', '--ci', 'github'], { cwd: dir, apiKey: null });
    assert.equal(kept.code, 0, kept.stderr);
    assert.match(
      kept.stdout,
      /orchestrator-checks\.yml exists and was kept; `orchestrator init --ci github --force` replaces it/,
    );
    assert.equal(readFileSync(join(dir, '.github/workflows/orchestrator-checks.yml'), 'utf8'), 'name: mine\n');
    writeFileSync(join(dir, '.github/actions/orchestrator/dist/action.js'), 'stale');
    const forced = await runCli(['init', '--ci', 'github', '--force', '--dimension', 'security', '--yes'], {
      cwd: dir,
      apiKey: null,
    });
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /^replaced \.github\/actions\/orchestrator\//m);
    // --yes: the one entry this repository needs (no Prettier, no ESLint here), added.
    assert.equal(
      readFileSync(join(dir, '.gitattributes'), 'utf8').split('\n').at(-2),
      '.github/actions/orchestrator/** linguist-vendored linguist-generated',
    );
    assert.match(
      readFileSync(join(dir, '.github/workflows/orchestrator-checks.yml'), 'utf8'),
      /--dimension security --target 90/,
    );
    assertVendored(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** What init vendors: the build's list of the Action's files (dist/artifacts.json). */
function vendored(): string[] {
  return (JSON.parse(readFileSync(join(ROOT, 'dist/artifacts.json'), 'utf8')) as { action: string[] }).action;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => statSync(join(dir, file)).isFile())
    .sort();
}

function treeBytes(dir: string): number {
  return filesUnder(dir).reduce((sum, file) => sum + statSync(join(dir, file)).size, 0);
}

function assertVendored(dir: string): void {
  const at = join(dir, '.github/actions/orchestrator');
  for (const path of vendored()) assert.deepEqual(readFileSync(join(at, path)), readFileSync(join(ROOT, path)), path);
  // Only what runs, and its own README and package.json: no templates, no demo, none of the bundles it never loads.
  assert.deepEqual(filesUnder(at), [...vendored(), '.gitignore', 'README.md', 'package.json'].sort());
  assert.deepEqual(
    filesUnder(at).filter((path) =>
      /^(examples|\.claude\/context)\/|^dist\/(mermaid|pool|mcp|portal)\.js$|^CHANGELOG|^\.claude\/orchestrator\.yaml$/.test(
        path,
      ),
    ),
    [],
  );
  const manifest = JSON.parse(readFileSync(join(at, 'package.json'), 'utf8')) as Record<string, unknown>;
  assert.deepEqual(Object.keys(manifest).sort(), ['description', 'license', 'name', 'private', 'type', 'version']);
  assert.equal(manifest.type, 'commonjs', "the bundles stay CommonJS whatever the repository's package.json says");
  assert.match(readFileSync(join(at, 'README.md'), 'utf8'), /orchestrator init --github-action --force/);
  assert.ok(existsSync(join(at, 'LICENSE')));
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

test("the vendored Action kept out of Prettier, ESLint and GitHub's statistics only with consent: not without a terminal, asked in one (n declines, Enter agrees); the real tools then skip it", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'orchestrator-ignores-'));
  try {
    const files: Record<string, string> = {
      'package.json':
        '{\n  "name": "app",\n  "private": true,\n  "devDependencies": {\n    "prettier": "3.10.1"\n  }\n}\n',
      // In Prettier's style, as the entry added to it must be.
      'eslint.config.mjs': 'export default [\n  { rules: { semi: "error" } },\n];\n',
      '.prettierignore': 'coverage/',
      'index.js': 'export const answer = 42;\n',
    };
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
    git('init', '-q', '-b', 'main');
    const untouched = () => {
      for (const [file, text] of Object.entries(files)) assert.equal(readFileSync(join(dir, file), 'utf8'), text, file);
      assert.ok(!existsSync(join(dir, '.gitattributes')));
    };

    const quiet = await runCli(['init', '--github-action'], { cwd: dir, apiKey: null });
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.match(
      quiet.stdout,
      /^Not added \(nobody to ask without a terminal or with --json; `orchestrator init --github-action --yes` adds them\), to keep formatters, linters and GitHub's statistics out of \.github\/actions\/orchestrator\/:\n {2}\.gitattributes \(new\): \.github\/actions\/orchestrator\/\*\* linguist-vendored linguist-generated {2}\(GitHub\)\n {2}\.prettierignore: \.github\/actions\/orchestrator\/ {2}\(Prettier\)\n {2}eslint\.config\.mjs: \{ ignores: \["\.github\/actions\/orchestrator\/"\] \} {2}\(ESLint\)$/m,
    );
    untouched();

    // In a terminal (script(1) gives the CLI one): asked, with every entry; "n" declines.
    const inTerminal = (answer: string) =>
      execFileSync('script', ['-qec', `"${process.execPath}" "${CLI}" init --github-action`, '/dev/null'], {
        cwd: dir,
        input: answer,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
    const declined = inTerminal('n\n');
    assert.match(
      declined,
      /Keep the vendored Action out of formatters, linters and GitHub's language statistics\? This adds:/,
    );
    assert.match(declined, /^Not added \(you said no; `orchestrator init --github-action --yes` adds them\)/m);
    untouched();

    // Enter agrees.
    assert.match(
      inTerminal('\n'),
      /^Added, to keep formatters, linters and GitHub's statistics out of \.github\/actions\/orchestrator\/:$/m,
    );
    assert.equal(
      readFileSync(join(dir, '.prettierignore'), 'utf8').split('\n').at(-2),
      '.github/actions/orchestrator/',
    );

    // The tools themselves: Git (what GitHub's Linguist reads), ESLint 9 and Prettier 3, as the repository runs them.
    const bundle = '.github/actions/orchestrator/dist/cli.js';
    assert.equal(
      git('check-attr', 'linguist-vendored', 'linguist-generated', '--', bundle),
      `${bundle}: linguist-vendored: set\n${bundle}: linguist-generated: set\n`,
    );
    const eslint = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', '.', bundle],
      { cwd: dir, encoding: 'utf8' },
    );
    assert.equal(eslint.status, 0, eslint.stdout + eslint.stderr);
    const linted = JSON.parse(eslint.stdout) as { filePath: string; messages: { message: string }[] }[];
    assert.deepEqual(
      linted.map((file) => [file.filePath.slice(dir.length + 1), file.messages.map((m) => m.message.split('.')[0])]),
      [
        ['.github/actions/orchestrator/dist/cli.js', ['File ignored because of a matching ignore pattern']],
        ['eslint.config.mjs', []],
        ['index.js', []],
      ],
    );
    const prettier = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/prettier/bin/prettier.cjs'), '--check', '.'],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );
    assert.equal(prettier.status, 0, prettier.stdout + prettier.stderr);

    // Once there, nothing more to add or ask.
    const again = await runCli(['init', '--github-action', '--yes', '--json'], { cwd: dir, apiKey: null });
    assert.deepEqual(jsonOf(again).ignores, { edits: [], byHand: [], added: false });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the vendored tree leaves the Mermaid check out: a run whose workflow asks for it stops at that gate saying so, with the way out', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'orchestrator-vendored-mermaid-'));
  const api = await startMessagesApiServer(
    pipelineScript({ spec: specAnswer('Product entity', 'product-entity', PRODUCT_SPEC) }).script,
  );
  try {
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args], { cwd: dir });
    const shipped = readFileSync(join(ROOT, '.claude/workflows/feature.yaml'), 'utf8');
    mkdirSync(join(dir, '.claude/workflows'), { recursive: true });
    writeFileSync(
      join(dir, '.claude/workflows/feature.yaml'),
      shipped.replace('path: "{spec}/spec.md"', 'path: "{spec}/spec.md"\n        checks: [mermaid]'),
    );
    writeFileSync(join(dir, '.claude/orchestrator.yaml'), 'version: 1\n');
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'first');
    assert.equal((await runCli(['init', '--github-action'], { cwd: dir, apiKey: null })).code, 0);
    // Asynchronously: the scripted model answers from this process.
    const run = await new Promise<{ code: number | null; said: string }>((done) => {
      const child = spawn(
        process.execPath,
        [join(dir, '.github/actions/orchestrator/dist/cli.js'), 'feature', 'Add a Product entity', '--approve'],
        { cwd: dir, env: { ...process.env, ANTHROPIC_API_KEY: FAKE_KEY, ANTHROPIC_BASE_URL: api.url } },
      );
      let said = '';
      child.stdout.on('data', (chunk: Buffer) => (said += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (said += chunk.toString('utf8')));
      child.on('close', (code) => done({ code, said }));
    });
    assert.notEqual(run.code, 0, run.said);
    assert.match(
      run.said,
      /The gate's Mermaid check \(`checks: \[mermaid\]` in the workflow\) needs dist\/mermaid\.js, which this installation of the Orchestrator does not hold/,
    );
    assert.match(run.said, /Or take `mermaid` out of the workflow's checks\./);
  } finally {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

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
