/**
 * `orchestrator init --github-action`: the workflow that runs the vendored Action (issue 59,
 * docs/github-action.md). A job starts only for what the Action acts on: an issue labelled with
 * the configured label, the Orchestrator's own commands in a comment, a review asking for changes,
 * a failure on a pull request, workflow_dispatch. One job of an issue runs at a time, and the
 * others wait in order (`queue: max`: GitHub's default keeps one waiting job and cancels it when
 * another arrives, which would drop an `/approve` without a word). `/cancel` has a job of its own
 * outside that queue: it must reach the job it cancels while that job runs. The merge queue's
 * jobs (issue 74, docs/merge-queue.md) call no model, so they get no key and only the
 * permissions each needs: `proofs` on `merge_group` posts the required check
 * `orchestrator/proofs`, `sweep` on `schedule` opens an issue for a spec gone red on main. Both
 * check out the whole history: a group's base and its commits, the commits a sweep bisects.
 */
import { Document } from 'yaml';
import { VENDORED_ACTION_DIR } from './vendorAction';

export const ACTION_WORKFLOW_FILE = '.github/workflows/orchestrator.yml';

/** The comment commands a job starts for (src/github/commands.ts); `/cancel` apart. GitHub's startsWith ignores case, as the commands do. */
export const QUEUED_COMMANDS = ['/orchestrator', '/approve', '/changes', '/allow', '/deny'] as const;

export interface ActionWorkflowOptions {
  /** The label that starts a run (the config's github.label). */
  label: string;
  /** The config file relative to the repository's top level (`<folder>/.claude/orchestrator.yaml` for a workspace in a folder). */
  config: string;
  /** The names of the repository's other workflows, whose failures on the orchestrator's pull requests are fed back. */
  ciWorkflows: string[];
}

const startsWithAny = (commands: readonly string[]) =>
  commands.map((command) => `startsWith(github.event.comment.body, '${command}')`).join(' || ');

export function actionWorkflow(options: ActionWorkflowOptions): string {
  const label = options.label.replace(/'/g, "''");
  const issueOrPull =
    'github.event.issue.number || github.event.pull_request.number || github.event.check_run.pull_requests[0].number || github.event.workflow_run.pull_requests[0].number || inputs.spec-id || github.run_id';
  // The Action gives git its token for each push itself: none is left in .git/config, where agents and commands run.
  const checkout = () => ({ uses: 'actions/checkout@v4', with: { 'persist-credentials': false } });
  const action = (withBudget: boolean) => ({
    id: 'orchestrator',
    uses: `./${VENDORED_ACTION_DIR}`,
    with: {
      'anthropic-api-key': '${{ secrets.ANTHROPIC_API_KEY }}',
      'openai-api-key': '${{ secrets.OPENAI_API_KEY }}',
      'github-token': '${{ github.token }}',
      label: options.label,
      config: options.config,
      ...(withBudget ? { 'max-budget-usd': '20' } : {}),
    },
  });
  /** A merge-queue job (no model, so no key): the whole history, the sandbox's programs, the Action. */
  const proofJob = (filter: string, permissions: Record<string, string>, minutes: number) => ({
    if: filter,
    permissions,
    'runs-on': 'ubuntu-24.04',
    'timeout-minutes': minutes,
    steps: [
      { uses: 'actions/checkout@v4', with: { 'fetch-depth': 0, 'persist-credentials': false } },
      { name: 'bubblewrap and socat', run: SANDBOX_PROGRAMS },
      {
        id: 'orchestrator',
        uses: `./${VENDORED_ACTION_DIR}`,
        with: { 'github-token': '${{ github.token }}', label: options.label, config: options.config },
      },
    ],
  });
  const doc = new Document({
    name: 'Orchestrator',
    on: {
      issues: { types: ['labeled'] },
      issue_comment: { types: ['created'] },
      pull_request_review: { types: ['submitted'] },
      check_run: { types: ['completed'] },
      ...(options.ciWorkflows.length > 0
        ? { workflow_run: { workflows: options.ciWorkflows, types: ['completed'] } }
        : {}),
      workflow_dispatch: {
        inputs: { 'spec-id': { description: 'The spec to run (its id under .claude/specs)', required: true } },
      },
      merge_group: { types: ['checks_requested'] },
      schedule: [{ cron: SWEEP_CRON }],
    },
    permissions: { contents: 'write', issues: 'write', 'pull-requests': 'write', checks: 'read', actions: 'read' },
    jobs: {
      orchestrator: {
        if: [
          `(github.event_name == 'issues' && github.event.label.name == '${label}')`,
          "github.event_name == 'workflow_dispatch'",
          `(github.event_name == 'issue_comment' && (${startsWithAny(QUEUED_COMMANDS)}))`,
          "(github.event_name == 'pull_request_review' && github.event.review.state == 'changes_requested')",
          "(github.event_name == 'check_run' && github.event.check_run.conclusion == 'failure' && github.event.check_run.app.slug != 'github-actions')",
          ...(options.ciWorkflows.length > 0
            ? ["(github.event_name == 'workflow_run' && github.event.workflow_run.conclusion == 'failure')"]
            : []),
        ].join(' ||\n'),
        concurrency: { group: `orchestrator-\${{ ${issueOrPull} }}`, 'cancel-in-progress': false, queue: 'max' },
        'runs-on': 'ubuntu-24.04',
        'timeout-minutes': 120,
        steps: [checkout(), { name: 'bubblewrap and socat', run: SANDBOX_PROGRAMS }, action(true)],
      },
      cancel: {
        if: "github.event_name == 'issue_comment' && startsWith(github.event.comment.body, '/cancel')",
        'runs-on': 'ubuntu-24.04',
        'timeout-minutes': 10,
        steps: [checkout(), action(false)],
      },
      proofs: proofJob("github.event_name == 'merge_group'", { contents: 'read', checks: 'write' }, 60),
      sweep: proofJob("github.event_name == 'schedule'", { contents: 'read', issues: 'write' }, 120),
    },
  });
  doc.commentBefore = [
    ' Written by `orchestrator init --github-action`; `--force` rewrites it and the Action beside it.',
    ` It runs the Action vendored in ${VENDORED_ACTION_DIR}/ (the files of your own commit; nothing is installed by name).`,
    ` An issue labelled "${options.label}" gets a spec to approve; /approve, /changes, /cancel, /allow and /deny decide (docs: github-action.md).`,
    ' Add the repository secret ANTHROPIC_API_KEY, and tick Settings → Actions → General → "Allow GitHub Actions to create and approve pull requests".',
    ' Add the setup steps your validate commands need (as your own CI does) before the Action.',
    " The jobs proofs (merge_group) and sweep (schedule) re-run the completed specs' proofs (docs: merge-queue.md):",
    ' in the ruleset of main, tick "Require merge queue" and require the status check orchestrator/proofs.',
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}

/** When the Action sweeps main (on: schedule, UTC; GitHub runs it from the default branch only). */
export const SWEEP_CRON = '0 3 * * *';

/** The sandbox's programs (not on GitHub's Ubuntu image); the Action readies the rest (AppArmor), docs/github-action.md. */
export const SANDBOX_PROGRAMS =
  'command -v bwrap > /dev/null && command -v socat > /dev/null || { sudo apt-get update -qq && sudo apt-get install -y -qq --no-install-recommends bubblewrap socat; }';
