/**
 * `orchestrator init --ci github`: seed 001's CI step as a GitHub Actions workflow (issue 59: its
 * own file, `orchestrator-checks.yml`, beside the Action's `orchestrator.yml`). On every pull
 * request it runs the CLI vendored with the Action in `.github/actions/orchestrator/` (the files
 * of the user's own commit: nothing is installed by a registry name), after the sandbox is readied
 * exactly as the Action readies it (the Action itself, `mode: ready-sandbox`). The gate judges the
 * pull request's own tree: the audit scores it along several dimensions and changes nothing
 * (`--max-iterations 0`), and the step fails below the target (`audit` exits 1). Then it checks
 * the completed specs for drift (`verify --all`), writes each completed spec's traceability
 * workbook, and uploads the report, the JSON summary and the workbooks, whatever happened before.
 * The key comes from the repository's secrets only. An existing workflow is never overwritten
 * without `force`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Document } from 'yaml';
import { SANDBOX_PROGRAMS } from './actionWorkflow';
import { VENDORED_ACTION_DIR } from './vendorAction';

export const GITHUB_WORKFLOW_FILE = '.github/workflows/orchestrator-checks.yml';

export interface GithubWorkflowOptions {
  /** Comma-separated dimensions (default seed 001's `backend,security,tests`). */
  dimensions?: string;
  /** Default 90, as in seed 001. */
  targetScore?: number;
  /** Default $2 per pull request, as in seed 001. */
  maxBudgetUsd?: number;
  /** The config file relative to the repository's top level (the workspace's folder, for a workspace in one). */
  config?: string;
}

export const CI_DEFAULTS = { dimensions: 'backend,security,tests', targetScore: 90, maxBudgetUsd: 2 } as const;

const CONFIG_TAIL = '.claude/orchestrator.yaml';

export function githubWorkflow(options: GithubWorkflowOptions): string {
  const dimensions = options.dimensions ?? CI_DEFAULTS.dimensions;
  const target = options.targetScore ?? CI_DEFAULTS.targetScore;
  const budget = options.maxBudgetUsd ?? CI_DEFAULTS.maxBudgetUsd;
  const config = options.config ?? CONFIG_TAIL;
  const folder = config.slice(0, -CONFIG_TAIL.length).replace(/\/$/, '');
  const key = { ANTHROPIC_API_KEY: '${{ secrets.ANTHROPIC_API_KEY }}' };
  const doc = new Document({
    name: 'Orchestrator checks',
    on: { pull_request: null, workflow_dispatch: null },
    permissions: { contents: 'read' },
    concurrency: { group: 'orchestrator-checks-${{ github.ref }}', 'cancel-in-progress': true },
    jobs: {
      audit: {
        'runs-on': 'ubuntu-24.04',
        'timeout-minutes': 60,
        // The vendored CLI, run by path: the commit's own files.
        env: { ORCHESTRATOR_CLI: `\${{ github.workspace }}/${VENDORED_ACTION_DIR}/dist/cli.js` },
        ...(folder ? { defaults: { run: { 'working-directory': folder } } } : {}),
        steps: [
          { uses: 'actions/checkout@v4', with: { 'fetch-depth': 0, 'persist-credentials': false } },
          { uses: 'actions/setup-node@v4', with: { 'node-version': 22 } },
          { name: 'bubblewrap and socat', run: SANDBOX_PROGRAMS },
          {
            name: 'Ready the sandbox as the Orchestrator Action does',
            uses: `./${VENDORED_ACTION_DIR}`,
            with: { mode: 'ready-sandbox', config },
          },
          {
            name: `Audit the pull request's tree along ${dimensions}: at least ${target}/100`,
            env: key,
            run: `node "$ORCHESTRATOR_CLI" audit . --dimension ${dimensions} --target ${target} --max-iterations 0 --max-budget ${budget} --yes --json > orchestrator-audit.json`,
          },
          {
            name: 'Drift: are the completed specs still true?',
            if: 'always()',
            run: 'node "$ORCHESTRATOR_CLI" verify --all',
          },
          {
            name: 'Traceability workbooks of the completed specs',
            if: 'always()',
            run: [
              'mkdir -p orchestrator-workbooks',
              'for dir in spec/completed/*/ .claude/spec/completed/*/; do',
              '  [ -f "$dir/spec.md" ] || continue',
              '  id=$(basename "$dir")',
              '  node "$ORCHESTRATOR_CLI" trace "$id" --xlsx "orchestrator-workbooks/$id.xlsx"',
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
              path: [
                'orchestrator-audit.json',
                'orchestrator-workbooks/',
                '.claude/runs/*/report.md',
                '.claude/runs/*/events.jsonl',
              ]
                .map((path) => (folder ? `${folder}/${path}` : path))
                .join('\n'),
              'if-no-files-found': 'warn',
            },
          },
        ],
      },
    },
  });
  doc.commentBefore = [
    ' Written by `orchestrator init --ci github`. Edit freely; `orchestrator init --ci github --force` rewrites it.',
    ` It runs the Orchestrator vendored in ${VENDORED_ACTION_DIR}/ (the files of your own commit; nothing is installed by name).`,
    ` Each pull request's own tree is scored along ${dimensions} (nothing is changed; the job fails below ${target}/100,`,
    ` at most $${budget} a run), completed specs are checked for drift, and the report and the traceability workbook are kept as artifacts.`,
    ' Add the repository secret ANTHROPIC_API_KEY (Settings → Secrets and variables → Actions); pull requests from',
    ' forks get no secrets. Add the setup steps your validate commands need (as your own CI does) before the audit.',
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}

export interface WrittenWorkflow {
  /** Relative to the repository's top level. */
  path: string;
  status: 'created' | 'replaced' | 'kept';
}

/** Writes `text` to `<top>/<file>`, never over an existing file without `force`. */
export async function writeWorkflowFile(
  top: string,
  file: string,
  text: string,
  force: boolean,
): Promise<WrittenWorkflow> {
  const path = join(top, file);
  const existing = await readFile(path, 'utf8').catch(() => undefined);
  if (existing !== undefined && !force) return { path: file, status: 'kept' };
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  return { path: file, status: existing === undefined ? 'created' : 'replaced' };
}
