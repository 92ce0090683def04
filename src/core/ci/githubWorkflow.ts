/**
 * `orchestrator init --ci github`: seed 001's CI step as a GitHub Actions workflow. On every
 * pull request it installs the CLI from npm, audits the repository along several dimensions
 * to one target (the step fails below it: `audit` exits 1), checks the completed specs for
 * drift (`verify --all`), writes each completed spec's traceability workbook, and uploads the report, the JSON
 * summary and the workbook as artifacts, whatever happened before. The key comes from the
 * repository's secrets only. An existing workflow is never overwritten without `force`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Document } from 'yaml';

export const GITHUB_WORKFLOW_FILE = '.github/workflows/orchestrator.yml';

export interface GithubWorkflowOptions {
  /** The CLI version to install (`spec-orchestrator@<version>`). */
  version: string;
  /** Comma-separated dimensions (default seed 001's `backend,security,tests`). */
  dimensions?: string;
  /** Default 90, as in seed 001. */
  targetScore?: number;
  /** Default $2 per pull request, as in seed 001. */
  maxBudgetUsd?: number;
}

export const CI_DEFAULTS = { dimensions: 'backend,security,tests', targetScore: 90, maxBudgetUsd: 2 } as const;

export function githubWorkflow(options: GithubWorkflowOptions): string {
  const dimensions = options.dimensions ?? CI_DEFAULTS.dimensions;
  const target = options.targetScore ?? CI_DEFAULTS.targetScore;
  const budget = options.maxBudgetUsd ?? CI_DEFAULTS.maxBudgetUsd;
  const key = { ANTHROPIC_API_KEY: '${{ secrets.ANTHROPIC_API_KEY }}' };
  const doc = new Document({
    name: 'Orchestrator',
    on: { pull_request: null, workflow_dispatch: null },
    permissions: { contents: 'read' },
    concurrency: { group: 'orchestrator-${{ github.ref }}', 'cancel-in-progress': true },
    jobs: {
      audit: {
        'runs-on': 'ubuntu-latest',
        'timeout-minutes': 60,
        steps: [
          { uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } },
          { uses: 'actions/setup-node@v4', with: { 'node-version': 22 } },
          { name: 'Install the Orchestrator CLI', run: `npm install --global spec-orchestrator@${options.version}` },
          {
            name: `Audit ${dimensions} to ${target}/100`,
            env: key,
            run: `orchestrator audit . --dimension ${dimensions} --target ${target} --max-budget ${budget} --yes --json > orchestrator-audit.json`,
          },
          { name: 'Drift: are the completed specs still true?', if: 'always()', run: 'orchestrator verify --all' },
          {
            name: 'Traceability workbooks of the completed specs',
            if: 'always()',
            run: [
              'mkdir -p orchestrator-workbooks',
              'for dir in spec/completed/*/ .claude/spec/completed/*/; do',
              '  [ -f "$dir/spec.md" ] || continue',
              '  id=$(basename "$dir")',
              '  orchestrator trace "$id" --xlsx "orchestrator-workbooks/$id.xlsx"',
              'done',
              '',
            ].join('\n'),
          },
          {
            name: 'Upload the report and the workbook',
            if: 'always()',
            uses: 'actions/upload-artifact@v4',
            with: {
              name: 'orchestrator-report',
              path: ['orchestrator-audit.json', 'orchestrator-workbooks/', '.claude/runs/*/report.md', '.claude/runs/*/events.jsonl'].join('\n'),
              'if-no-files-found': 'warn',
            },
          },
        ],
      },
    },
  });
  doc.commentBefore = [
    ' Written by `orchestrator init --ci github`. Edit freely; `orchestrator init --ci github --force` rewrites it.',
    ` Each pull request is audited along ${dimensions} to ${target}/100 (the job fails below it, at most $${budget} a run),`,
    ' completed specs are checked for drift, and the report and the traceability workbook are kept as artifacts.',
    ' Add the repository secret ANTHROPIC_API_KEY (Settings → Secrets and variables → Actions); pull requests from',
    " forks get no secrets. Add the setup steps your validate commands need (as your own CI does) before the audit.",
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}

export interface WrittenWorkflow {
  path: string;
  status: 'created' | 'replaced' | 'kept';
  text: string;
}

export async function writeGithubWorkflow(workspace: string, options: GithubWorkflowOptions & { force?: boolean }): Promise<WrittenWorkflow> {
  const path = join(workspace, GITHUB_WORKFLOW_FILE);
  const text = githubWorkflow(options);
  const existing = await readFile(path, 'utf8').catch(() => undefined);
  if (existing !== undefined && !options.force) return { path: GITHUB_WORKFLOW_FILE, status: 'kept', text };
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  return { path: GITHUB_WORKFLOW_FILE, status: existing === undefined ? 'created' : 'replaced', text };
}
