// Our files never fail the project's checks (issue 70), in a run: the shop shaped as a repository
// that formats with Prettier and lints with an ESLint flat config (`npm run lint`: `eslint . &&
// prettier --check .`, the real tools linked from this repository's node_modules), its files as
// Prettier writes them. The spec the run writes is written as the project's Prettier writes it
// before the gate reads it, and everything of ours the run leaves passes both tools. A check that
// fails only on files no layer may write (a markdownlint-style rule on the spec) stops the run at
// once, naming the file and the tool, never retried as the layer's fault.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { engine } from '../../../src/core/engine';
import { say, specAnswer } from '../../support/engine/agentScript';
import { PRODUCT_API_SPEC, PRODUCT_MODULE } from '../../support/engine/fixtures';
import { harness, journalOf } from '../../support/engine/harness';
import { linkPackage, sandboxReadsSharedModules } from '../../support/jsRunnerProject';
import { LINT_MARKDOWN } from '../../support/markdownLint';

const MODULE = 'server/entities/product.js';

const ESLINT_CONFIG = `import js from "@eslint/js";

const node = ["require", "module", "process", "console", "URL", "__dirname"];

export default [
  { ignores: ["web/**"] },
  js.configs.recommended,
  { files: ["**/*.js"], languageOptions: { sourceType: "commonjs" } },
  {
    languageOptions: { globals: Object.fromEntries(node.map((name) => [name, "readonly"])) },
    rules: { "no-unused-vars": ["error", { caughtErrors: "none" }] },
  },
];
`;

let restorePath: () => void;
before(() => {
  restorePath = sandboxReadsSharedModules();
});
after(() => restorePath());

/** The shop as a repository using Prettier and ESLint: its tools installed, its files formatted, committed. */
async function lintedShop(validate: string[], agents: Parameters<typeof harness>[0]) {
  const h = await harness(agents, {
    config: (yaml) =>
      yaml.replace('validate: ["node scripts/check-server.js server"]', `validate: ${JSON.stringify(validate)}`),
    files: { 'eslint.config.mjs': ESLINT_CONFIG, 'scripts/lint-markdown.mjs': LINT_MARKDOWN },
  });
  for (const name of ['prettier', 'eslint', '@eslint/js']) linkPackage(h.shop.dir, name);
  const manifest = JSON.parse(h.shop.read('package.json')) as { scripts: Record<string, string> };
  manifest.scripts.lint = 'eslint . && prettier --check .';
  writeFileSync(join(h.shop.dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  tool(h.shop.dir, 'prettier', '--write', '.');
  h.shop.git('add', '-A');
  h.shop.git('commit', '-q', '-m', 'formatted with Prettier, linted with ESLint');
  return h;
}

function tool(dir: string, name: string, ...args: string[]): string {
  return execFileSync(process.execPath, [join(dir, 'node_modules/.bin', name), ...args], {
    cwd: dir,
    encoding: 'utf8',
  });
}

/** The product module as the project's Prettier writes it: the layer's own file passes the gate. */
async function formatted(code: string): Promise<string> {
  const prettier = (await import('prettier')) as typeof import('prettier');
  return prettier.format(code, { parser: 'babel' });
}

test("a Prettier and ESLint gate: the spec the run writes is formatted by the project's Prettier before the gate reads it; what the run leaves passes both", async () => {
  const module = await formatted(PRODUCT_MODULE);
  const h = await lintedShop(['node scripts/check-server.js server', 'npm run lint'], {
    spec: specAnswer('Product API', 'product-api', PRODUCT_API_SPEC),
    backend: ({ turn }) => (turn === 0 ? say.write({ [MODULE]: module }) : say.done()),
    review: () => say.approve(),
  });
  try {
    const summary = await engine.runFeature('Add a Product entity to the API', h.options());
    const journal = journalOf(h.shop, summary.runId);
    assert.equal(summary.status, 'completed', summary.report);
    assert.ok(!journal.some((e) => e.type === 'retry'), 'the gate passed at once');
    const formats = journal.filter((e) => e.type === 'command.ran' && e.kind === 'format');
    assert.ok(formats.length >= 1, "the project's Prettier ran on our files");
    assert.ok(
      journal.some((e) => e.type === 'validation.passed' && e.layer === 'backend'),
      JSON.stringify(journal.filter((e) => e.type === 'validation.failed')),
    );
    // What the run left in the work tree (the spec in spec/completed/, its completion record, the registry) passes both tools.
    assert.match(h.shop.git('status', '--porcelain'), /spec\//);
    tool(h.shop.dir, 'eslint', '.');
    tool(h.shop.dir, 'prettier', '--check', '.');
  } finally {
    await h.close();
  }
});

test('a check failing only on the spec the run wrote (a markdownlint rule) stops the run at once, naming the file and the tool; the layer is not retried', async () => {
  const module = await formatted(PRODUCT_MODULE);
  const h = await lintedShop(['node scripts/check-server.js server', 'node scripts/lint-markdown.mjs'], {
    spec: specAnswer('Product API', 'product-api', PRODUCT_API_SPEC),
    backend: ({ turn }) => (turn === 0 ? say.write({ [MODULE]: module }) : say.done()),
    review: () => say.approve(),
  });
  try {
    const summary = await engine.runFeature('Add a Product entity to the API', h.options());
    assert.equal(summary.status, 'stopped');
    const journal = journalOf(h.shop, summary.runId);
    assert.ok(!journal.some((e) => e.type === 'retry'), "never retried as the layer's fault");
    assert.equal(h.callsOf('backend').filter((c) => c.turn === 0).length, 1);
    const spec = summary.specPath!;
    assert.match(
      summary.report!,
      /^## Pipeline stopped: markdownlint fails on files no layer may write\n### Agent: backend\n/,
    );
    assert.ok(summary.report!.includes(`  - ${spec}\n`), summary.report);
    assert.match(summary.report!, /`\.markdownlintignore`/);
    assert.match(summary.error!, new RegExp(`\\(markdownlint\\) fails only on ${spec.replaceAll('.', '\\.')}`));
  } finally {
    await h.close();
  }
});
