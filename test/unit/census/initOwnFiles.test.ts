/**
 * Our files never fail the project's checks (issue 70), at `init`: a repository that formats with
 * Prettier (`npm run lint`: `prettier --check .`, the real Prettier linked from this repository's
 * node_modules), its files as Prettier writes them. init verifies the gate in a worktree holding our
 * files as init and a run write them (config, schema, context files, templates, a spec with its
 * trace, a run folder's trace), written as the project's Prettier writes them: the gate passes
 * there, and in the checkout after init. A check our files break however written (a markdownlint
 * rule every Markdown file must meet) is known at init and said: not a gate, with what to change.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { initFromCensus } from '../../../src/core/census/init/initFromCensus';
import { CONFIG_SCHEMA_FILE } from '../../../src/core/project/config/configJsonSchema';
import { makeRepo } from '../../support/census';
import { linkPackage, sandboxReadsSharedModules } from '../../support/jsRunnerProject';
import { LINT_MARKDOWN } from '../../support/markdownLint';

const TEMPLATES = join(__dirname, '../../../.claude');

// Verification runs in the run's sandbox: the Prettier linked from this repository must be readable there.
let restorePath: () => void;
before(() => (restorePath = sandboxReadsSharedModules()));
after(() => restorePath());

/** A committed repository using Prettier: its scripts, its code formatted, Prettier installed. */
async function prettierRepo(scripts: Record<string, string>) {
  const repo = await makeRepo({
    'package.json': `${JSON.stringify({ name: 'sum', private: true, scripts, devDependencies: { prettier: '3.10.1' } }, null, 2)}\n`,
    '.gitignore': 'node_modules/\n',
    'README.md': '# sum\n\nAdds numbers.\n',
    'src/sum.js': 'exports.sum = (a, b) => a + b;\n',
    'test/sum.test.js':
      'const test = require("node:test");\nconst assert = require("node:assert");\nconst { sum } = require("../src/sum");\n\ntest("sum", () => assert.equal(sum(1, 2), 3));\n',
    'scripts/lint-markdown.mjs': LINT_MARKDOWN,
  });
  linkPackage(repo.dir, 'prettier');
  execFileSync(process.execPath, [join(repo.dir, 'node_modules/.bin/prettier'), '--write', '.'], { cwd: repo.dir });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo.dir, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'base');
  return repo;
}

const prettierCheck = (dir: string) =>
  execFileSync(process.execPath, [join(dir, 'node_modules/.bin/prettier'), '--check', '.'], {
    cwd: dir,
    encoding: 'utf8',
    stdio: 'pipe',
  });

test("init: a `prettier --check .` gate, verified with our files present, passes there and in the checkout: init writes them as the project's Prettier does", async () => {
  const repo = await prettierRepo({ lint: 'prettier --check .', test: 'node --test' });
  try {
    prettierCheck(repo.dir);
    const report = await initFromCensus(repo.dir, { trusted: true, templatesDir: TEMPLATES });
    const gates = report.census.layers.flatMap((l) => l.validate.map((v, i) => [v.command, l.verified?.[i]] as const));
    const lint = gates.find(([command]) => command === 'npm run lint');
    assert.ok(lint, JSON.stringify(gates));
    assert.equal(lint[1]?.status, 'passed', JSON.stringify(lint[1]));
    assert.ok(report.formatted?.includes(CONFIG_SCHEMA_FILE), JSON.stringify(report.formatted));
    assert.ok(report.formatted?.some((file) => file.startsWith('.claude/context/')));
    // The checkout after init: the project's own check passes on everything init wrote.
    prettierCheck(repo.dir);
    // init again: the schema as Prettier wrote it is the same schema, kept.
    const again = await initFromCensus(repo.dir, { trusted: true, verify: false, templatesDir: TEMPLATES });
    assert.ok(again.kept.includes(CONFIG_SCHEMA_FILE), JSON.stringify(again.created));
  } finally {
    await repo.cleanup();
  }
});

test('init: a check that fails only on our files (a markdownlint rule) is known at init: not a gate, said with what to change', async () => {
  const repo = await prettierRepo({ lint: 'node scripts/lint-markdown.mjs', test: 'node --test' });
  try {
    // It passes on the repository as it is.
    execFileSync(process.execPath, ['scripts/lint-markdown.mjs'], { cwd: repo.dir, stdio: 'pipe' });
    const report = await initFromCensus(repo.dir, { trusted: true, templatesDir: TEMPLATES });
    const layer = report.census.layers.find((l) => l.validate.some((v) => v.command === 'npm run lint'))!;
    const outcome = layer.verified![layer.validate.findIndex((v) => v.command === 'npm run lint')]!;
    assert.equal(outcome.status, 'failed', JSON.stringify(outcome));
    assert.match(
      outcome.status === 'failed' ? (outcome.fix ?? '') : '',
      /^it fails only on Orchestrator's own files \((spec|\.claude)\/[^)]*\): leave `\.claude\/` and `spec\/` out through its ignore file or option \(`\.prettierignore`, ESLint's `ignores`, `\.markdownlintignore`\)/,
    );
    assert.doesNotMatch(report.proposal, /^\s+validate:.*npm run lint/m);
  } finally {
    await repo.cleanup();
  }
});
