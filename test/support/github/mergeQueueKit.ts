// The merge queue's world (issue 74): a shop whose prices are formatted by lib/price.js from a
// currency and a separator, on a bare remote behind the git server that wants the token, the local
// GitHub REST server, and a work clone where a test makes commits (pull requests' branches, a merge
// queue's group, main's own). Completed specs are written as a run leaves them: spec.md and
// completion.json naming each criterion's frozen proof test and the files the spec recorded.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { committedRepo, git, write } from '../gitFixture';
import { startGitHttpServer, type GitHttpServer } from '../gitHttpServer';
import { startGithubApi, type GithubApi } from '../githubApiServer';
import { parse } from 'yaml';
import { actionWorkflow } from '../../../src/core/ci/actionWorkflow';
import { INPUT_NAMES, inputVariable } from '../../../src/github/action/inputs';
import { runActionJob, type JobResult } from './actionKit';
import { REPO, TOKEN } from './githubKit';

export const PRICE = `'use strict';
const { symbol } = require('./currency');
const { separator } = require('./separator');
exports.format = (cents) => Math.trunc(cents / 100) + separator + String(cents % 100).padStart(2, '0') + ' ' + symbol;
`;

/** One layer owning lib/, proof tests under test/acceptance run by `node --test`. */
export const QUEUE_CONFIG = [
  'version: 1',
  'layers:',
  '  backend:',
  '    owns: ["lib/**"]',
  '    validate: []',
  'proof:',
  '  tests: ["test/acceptance/**"]',
  '  command: ["node --test {files}"]',
  '',
].join('\n');

export interface QueueWorld {
  api: GithubApi;
  git: GitHttpServer;
  bare: string;
  /** The clone commits are made in (origin is the bare remote, by path). */
  work: string;
  /** `path → text` written and committed in the work clone; the commit. */
  commit(files: Record<string, string>, message: string): string;
  /** The job `init --github-action` writes for `event`, as a runner runs it: its checkout's depth, the Action with its inputs. */
  job(event: string, payload: unknown): Promise<JobResult>;
  close(): Promise<void>;
}

export async function queueWorld(): Promise<QueueWorld> {
  const root = mkdtempSync(join(tmpdir(), 'orch-queue-remote-'));
  const bare = join(root, REPO.owner, `${REPO.name}.git`);
  mkdirSync(bare, { recursive: true });
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
  const work = committedRepo({
    '.claude/orchestrator.yaml': QUEUE_CONFIG,
    'lib/price.js': PRICE,
    'lib/currency.js': "exports.symbol = '€';\n",
    'lib/separator.js': "exports.separator = '.';\n",
  });
  git(work, 'remote', 'add', 'origin', bare);
  git(work, 'push', '-q', 'origin', 'main');
  const api = await startGithubApi({ owner: REPO.owner, repo: REPO.name, roles: {}, token: TOKEN });
  const server = await startGitHttpServer(root, TOKEN);
  const servers = {
    gitOrigin: server.origin,
    repo: REPO,
    apiUrl: api.url,
    // No model is called by these jobs: nothing listens there.
    modelUrl: 'http://127.0.0.1:9/',
    token: TOKEN,
  };
  let runs = 0;
  return {
    api,
    git: server,
    bare,
    work,
    commit(files, message) {
      for (const [path, text] of Object.entries(files)) write(work, path, text);
      git(work, 'add', '-A');
      git(work, 'commit', '-q', '-m', message);
      return git(work, 'rev-parse', 'HEAD').trim();
    },
    job: (event, payload) => runActionJob(servers, event, payload, { ...writtenJob(event), runId: 7_000 + ++runs }),
    async close() {
      await server.close();
      await api.close();
      rmSync(root, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** A completed spec of one requirement whose criteria each have a test in `proofFile`; `files`: what it recorded. */
export function completedSpec(
  specId: string,
  title: string,
  criteria: { id: string; test: string }[],
  proofFile: string,
  proofText: string,
  files: string[],
): Record<string, string> {
  const folder = `.claude/spec/completed/${specId}`;
  const record = {
    version: 1,
    specId,
    completed: '2026-11-01T10:00:00.000Z',
    commit: null,
    runIds: [],
    files: {},
    requirements: [
      {
        id: 'REQ-1',
        title,
        criteria: criteria.map((c) => ({
          id: c.id,
          text: c.test,
          proof: { status: 'proven', tests: [{ file: proofFile, test: c.test }] },
        })),
        layers: ['backend'],
        files,
        tests: [],
      },
    ],
  };
  return {
    [proofFile]: proofText,
    [`${folder}/completion.json`]: `${JSON.stringify(record, null, 2)}\n`,
    [`${folder}/spec.md`]: [
      '---',
      `id: ${specId}`,
      `title: ${title}`,
      'kind: feature',
      'status: completed',
      'layers:',
      '  - backend',
      'created: 2026-11-01T09:00:00.000Z',
      '---',
      '',
      `## Spec: ${title}`,
      '',
      '### Requirements',
      `- REQ-1: ${title}`,
      ...criteria.map((c) => `  - ${c.id}: ${c.test.replace(/^REQ-[\d.]+ /, '')}`),
      '',
    ].join('\n'),
  };
}

/** A proof test file: each test asserts `format(cents)` is `expected`. */
export function formatTests(tests: { name: string; cents: number; expected: string }[]): string {
  return [
    "'use strict';",
    "const test = require('node:test');",
    "const assert = require('node:assert/strict');",
    "const { format } = require('../../lib/price');",
    ...tests.map(
      (t) => `test(${JSON.stringify(t.name)}, () => assert.equal(format(${t.cents}), ${JSON.stringify(t.expected)}));`,
    ),
    '',
  ].join('\n');
}

interface WrittenStep {
  uses?: string;
  with?: Record<string, string | number | boolean>;
}

/**
 * What the workflow `init --github-action` writes runs for `event`: the one job its filter lets
 * through, checked out as its first step says, the Action given only the inputs its step gives
 * (an input it leaves out is empty, as the runner leaves it: no model key).
 */
function writtenJob(event: string): { fullHistory: boolean; inputs: Record<string, string> } {
  const workflow = parse(
    actionWorkflow({ label: 'orchestrator', config: '.claude/orchestrator.yaml', ciWorkflows: [] }),
  ) as { jobs: Record<string, { if: string; steps: WrittenStep[] }> };
  const jobs = Object.values(workflow.jobs).filter((job) => job.if.includes(`github.event_name == '${event}'`));
  if (jobs.length !== 1) throw new Error(`the written workflow has ${jobs.length} jobs for ${event}`);
  const steps = jobs[0]!.steps;
  const given = steps.find((step) => step.uses === './.github/actions/orchestrator')?.with ?? {};
  const inputs = Object.fromEntries(
    INPUT_NAMES.map((name) => [inputVariable(name), String(given[name] ?? '').replace('${{ github.token }}', TOKEN)]),
  );
  const unfilled = Object.values(inputs).find((value) => value.includes('${{'));
  if (unfilled) throw new Error(`an input the test cannot fill: ${unfilled}`);
  return { fullHistory: steps[0]?.with?.['fetch-depth'] === 0, inputs };
}
