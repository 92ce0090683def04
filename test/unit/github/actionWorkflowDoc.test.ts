// The workflow file docs/github-action.md gives (issue 48), which is what `orchestrator init
// --github-action` writes (issue 59), parsed as GitHub reads it: the triggers the action acts on,
// jobs started only for the label and the Orchestrator's commands, the permissions it needs, one
// job per issue at a time, queued (none dropped, a running one never cancelled), `/cancel` beside
// them, the checkout the state ref works from, and the vendored action used with inputs action.yml
// declares, its keys from the repository's secrets and nowhere else; and the page's tables of
// inputs and outputs, action.yml's own.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { actionWorkflow, QUEUED_COMMANDS } from '../../../src/core/ci/actionWorkflow';

interface Step {
  uses?: string;
  run?: string;
  id?: string;
  with?: Record<string, unknown>;
  env?: unknown;
}
interface Job {
  if?: string;
  permissions?: Record<string, string>;
  'timeout-minutes'?: number;
  concurrency?: { group?: string; 'cancel-in-progress'?: boolean; queue?: string };
  'runs-on'?: string;
  steps: Step[];
  env?: unknown;
}
interface Workflow {
  on: Record<
    string,
    { types?: string[]; workflows?: string[]; inputs?: Record<string, unknown> } | { cron: string }[] | null
  >;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
  env?: unknown;
}

interface ActionFile {
  inputs: Record<string, { required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
}

const ROOT = resolve(__dirname, '../../..');
const doc = readFileSync(resolve(ROOT, 'docs/github-action.md'), 'utf8');
const action = parse(readFileSync(resolve(ROOT, 'action.yml'), 'utf8')) as ActionFile;
const blocks = [...doc.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
const workflows = blocks
  .map((text) => parse(text) as Workflow)
  .filter((value) => value && typeof value === 'object' && 'on' in value && 'jobs' in value);

test('docs/github-action.md holds one workflow file', () => {
  assert.equal(workflows.length, 1);
});

const workflow = workflows[0]!;
const job = workflow.jobs.orchestrator!;
const cancel = workflow.jobs.cancel!;
const actionIndex = job.steps.findIndex((step) => step.uses === './.github/actions/orchestrator');

test('it is what init --github-action writes (the label orchestrator, the config at the top, a workflow named CI)', () => {
  assert.deepEqual(
    workflow,
    parse(actionWorkflow({ label: 'orchestrator', config: '.claude/orchestrator.yaml', ciWorkflows: ['CI'] })),
  );
  assert.doesNotMatch(doc, /octo-org|<owner>|spec-orchestrator@v\d/, 'no placeholder owner');
});

const on = workflow.on as Record<string, { types?: string[]; workflows?: string[]; inputs?: Record<string, unknown> }>;

test('its triggers: the events the action acts on, with the activity types it reads', () => {
  assert.deepEqual(Object.keys(workflow.on).sort(), [
    'check_run',
    'issue_comment',
    'issues',
    'merge_group',
    'pull_request_review',
    'schedule',
    'workflow_dispatch',
    'workflow_run',
  ]);
  assert.deepEqual(on.issues?.types, ['labeled']);
  assert.deepEqual(on.issue_comment?.types, ['created']);
  assert.deepEqual(on.pull_request_review?.types, ['submitted']);
  assert.deepEqual(on.check_run?.types, ['completed']);
  assert.deepEqual(on.workflow_run?.types, ['completed']);
  // GitHub runs workflow_run only for the workflows it names.
  assert.ok((on.workflow_run?.workflows ?? []).length > 0);
  assert.deepEqual(Object.keys(on.workflow_dispatch?.inputs ?? {}), ['spec-id']);
  assert.deepEqual(on.merge_group?.types, ['checks_requested']);
  assert.deepEqual(workflow.on.schedule, [{ cron: '0 3 * * *' }]);
  // Each lets through the jobs that act on it: the run's the orchestrator job (and /cancel's), the merge queue's its own.
  const jobsOf: Record<string, string[]> = {
    merge_group: ['proofs'],
    schedule: ['sweep'],
    issue_comment: ['orchestrator', 'cancel'],
  };
  for (const event of Object.keys(workflow.on)) {
    const named = new RegExp(`github\\.event_name == '${event}'`);
    assert.deepEqual(
      Object.keys(workflow.jobs).filter((name) => named.test(workflow.jobs[name]!.if ?? '')),
      jobsOf[event] ?? ['orchestrator'],
      event,
    );
  }
});

test("the merge queue's jobs: no model key, the permissions each needs, the whole history, the sandbox's programs", () => {
  for (const [name, permissions] of [
    ['proofs', { contents: 'read', checks: 'write' }],
    ['sweep', { contents: 'read', issues: 'write' }],
  ] as const) {
    const queueJob = workflow.jobs[name]!;
    assert.deepEqual(queueJob.permissions, permissions, name);
    const [checkout, programs, orchestrator] = queueJob.steps;
    assert.deepEqual(checkout!.with, { 'fetch-depth': 0, 'persist-credentials': false }, name);
    assert.match(programs!.run ?? '', /apt-get install .*bubblewrap socat/);
    assert.equal(orchestrator!.uses, './.github/actions/orchestrator');
    assert.deepEqual(orchestrator!.with, {
      'github-token': '${{ github.token }}',
      label: 'orchestrator',
      config: '.claude/orchestrator.yaml',
    });
    assert.ok(queueJob['timeout-minutes']! > 0);
  }
});

test('its permissions: contents, issues and pull requests written, checks and actions read, nothing else', () => {
  assert.deepEqual(workflow.permissions, {
    contents: 'write',
    issues: 'write',
    'pull-requests': 'write',
    checks: 'read',
    actions: 'read',
  });
});

test("a job starts only for the label and the Orchestrator's commands; /cancel in its own job", () => {
  const filter = job.if ?? '';
  assert.match(filter, /github\.event_name == 'issues' && github\.event\.label\.name == 'orchestrator'/);
  const commands = [...filter.matchAll(/startsWith\(github\.event\.comment\.body, '([^']*)'\)/g)].map((m) => m[1]);
  assert.deepEqual(commands, [...QUEUED_COMMANDS]);
  assert.deepEqual(QUEUED_COMMANDS, ['/orchestrator', '/approve', '/changes', '/allow', '/deny']);
  assert.equal(cancel.if, "github.event_name == 'issue_comment' && startsWith(github.event.comment.body, '/cancel')");
  // The sandbox's programs only where agents may run; /cancel's job starts at once, outside the queue.
  assert.ok(job.steps.some((step) => /apt-get install .*bubblewrap socat/.test(step.run ?? '')));
  assert.ok(!cancel.steps.some((step) => step.run));
  assert.equal(cancel.concurrency, undefined);
  assert.equal(cancel.steps.at(-1)!.uses, './.github/actions/orchestrator');
});

test('one job per issue at a time, the others queued (none dropped), a running one never cancelled', () => {
  assert.deepEqual(Object.keys(workflow.jobs), ['orchestrator', 'cancel', 'proofs', 'sweep']);
  assert.match(
    job.concurrency?.group ?? '',
    /^orchestrator-\$\{\{ github\.event\.issue\.number \|\| github\.event\.pull_request\.number \|\| /,
  );
  assert.equal(job.concurrency?.['cancel-in-progress'], false);
  assert.equal(job.concurrency?.queue, 'max', "GitHub's default keeps one waiting job and cancels it for the next");
});

test("the checkout is actions/checkout's depth 1, without the token left in .git/config, before the action", () => {
  const checkout = job.steps.findIndex((step) => /^actions\/checkout@v\d+$/.test(step.uses ?? ''));
  assert.ok(checkout >= 0 && checkout < actionIndex);
  assert.equal(job.steps[checkout]!.with?.['fetch-depth'], undefined);
  assert.equal(job.steps[checkout]!.with?.['persist-credentials'], false);
});

test('the action, with inputs action.yml declares, its keys from secrets and in no env', () => {
  assert.ok(actionIndex >= 0, 'a step uses ./.github/actions/orchestrator');
  const inputs = job.steps[actionIndex]!.with ?? {};
  assert.deepEqual(
    Object.keys(inputs).filter((name) => !(name in action.inputs)),
    [],
  );
  assert.deepEqual(
    Object.entries(action.inputs).filter(([name, input]) => input.required && !(name in inputs)),
    [],
  );
  assert.equal(inputs['anthropic-api-key'], '${{ secrets.ANTHROPIC_API_KEY }}');
  assert.equal(inputs['openai-api-key'], '${{ secrets.OPENAI_API_KEY }}');
  assert.equal(inputs['github-token'], '${{ github.token }}');
  assert.doesNotMatch(JSON.stringify([workflow.env, job.env, job.steps.map((step) => step.env)]), /secrets\./);
});

/** A table of the page whose first column is headed `head`: each row's cells, the names unquoted. */
function table(head: string): string[][] {
  const lines = doc.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`| ${head} |`));
  assert.ok(start >= 0, `a table headed ${head}`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.split(' | ').map((cell) => cell.replace(/^\| ?| ?\|$/g, '').trim()));
  }
  return rows;
}

test("the page's inputs and outputs are action.yml's, with its defaults and statuses", () => {
  const inputs = table('input');
  assert.deepEqual(
    inputs.map(([name]) => name!.replace(/`/g, '')),
    Object.keys(action.inputs),
  );
  for (const [name, byDefault] of inputs) {
    const declared = action.inputs[name!.replace(/`/g, '')]!.default;
    if (declared !== undefined) assert.equal(byDefault, `\`${declared}\``, name);
  }
  const outputs = table('output');
  assert.deepEqual(
    outputs.map(([name]) => name!.replace(/`/g, '')),
    Object.keys(action.outputs),
  );
  const statuses = action.outputs
    .status!.description.match(/[a-z]+(?:-[a-z]+)*/g)!
    .filter((word) => outputs.find(([name]) => name === '`status`')![1]!.includes(`\`${word}\``));
  assert.deepEqual(statuses, ['awaiting-approval', 'running', 'completed', 'stopped', 'refused', 'ignored']);
});
