// The GitHub Action's test world (issue 48): the GitHub channel's world (githubKit.ts: the shop's
// bare remote behind a git server that wants the token, the scripted GitHub REST and Messages API
// servers), and jobs run as a runner runs them: each in a fresh folder with a depth-1 clone of the
// remote (actions/checkout's default, its token persisted in the clone's config), the event's
// payload in a file, the variables a runner sets and the action's inputs; the folder removed after.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';
import { runAction } from '../../../src/github/action';
import { actionTree } from '../cli/artifactKit';
import { filesUnder, githubRemote, REPO, TOKEN, type GithubRemote } from './githubKit';
import type { AgentScript } from '../engine/agentScript';
import type { GithubApiOptions } from '../githubApiServer';

/** Shaped like an Anthropic key, so the redaction patterns would know it too. */
export const MODEL_KEY = 'sk-ant-api03-ACTIONtestKEY0123456789abcdefghijklmnopqrstuvwxyzABCDEF';

export interface JobResult {
  code: number | null;
  log: string;
  outputs: Record<string, string>;
  summary: string;
  /** Files of the job's folder (its checkout, its temporary folder) that held the token or the key. */
  leaks: string[];
}

export interface ActionWorld extends GithubRemote {
  /** One job for `event`; `bundle`: the Action's tree (artifactKit) in its own process, as the runner starts it (else its door, in this process); `vendored`: the action.yml at that folder of the checkout, its `runs.main` so started; `child`: that process. */
  job(
    event: string,
    payload: unknown,
    options?: {
      bundle?: boolean;
      vendored?: string;
      inputs?: Record<string, string>;
      child?: (child: ChildProcess) => void;
    },
  ): Promise<JobResult>;
  /** Every file the jobs leaked a secret into, every line they wrote: scanned at the end. */
  said: string[];
}

/** Where a job's remote, GitHub and model are. */
export interface JobServers {
  /** The git server's origin (http://127.0.0.1:<port>/) and the repository's path on it. */
  gitOrigin: string;
  repo: { owner: string; name: string };
  apiUrl: string;
  modelUrl: string;
  token: string;
}

/** action.yml's runs.main in the Action's tree, as a runner starts it. */
function actionMain(): string {
  const tree = actionTree();
  return join(tree, /^\s+main: (\S+)$/m.exec(readFileSync(join(tree, 'action.yml'), 'utf8'))![1]!);
}

/** One job for `event`, as a runner runs it; `bundle`: the Action's tree's runs.main (the build's `action` list, away from the checkout) in its own process (else its door, in this process); `vendored`: the action.yml at that folder of the checkout; `started`: when it began. */
export async function runActionJob(
  servers: JobServers,
  event: string,
  payload: unknown,
  options: {
    bundle?: boolean;
    vendored?: string;
    inputs?: Record<string, string>;
    runId?: number;
    /** actions/checkout's `fetch-depth: 0`: the whole history (else depth 1, its default). */
    fullHistory?: boolean;
    started?: (at: number) => void;
    heard?: (text: string, at: number) => void;
    child?: (child: ChildProcess) => void;
  } = {},
): Promise<JobResult> {
  const dir = mkdtempSync(join(tmpdir(), 'orch-action-job-'));
  const { repo, token } = servers;
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  try {
    const checkout = join(dir, 'work', repo.name);
    const temp = join(dir, 'runner-temp');
    mkdirSync(temp, { recursive: true });
    // actions/checkout: depth 1, the token persisted as an extraheader of the clone's config.
    // (Asynchronously: the git server answers in this process.)
    await git([
      '-c',
      `http.extraHeader=Authorization: Basic ${basic}`,
      'clone',
      '--quiet',
      ...(options.fullHistory ? [] : ['--depth=1']),
      '--no-tags',
      `${servers.gitOrigin}${repo.owner}/${repo.name}.git`,
      checkout,
    ]);
    await git(
      ['config', '--local', `http.${servers.gitOrigin}.extraheader`, `Authorization: Basic ${basic}`],
      checkout,
    );
    const files = { event: join(dir, 'event.json'), output: join(temp, 'output'), summary: join(temp, 'summary.md') };
    writeFileSync(files.event, JSON.stringify(payload));
    writeFileSync(files.output, '');
    writeFileSync(files.summary, '');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: event,
      GITHUB_EVENT_PATH: files.event,
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_REPOSITORY: `${repo.owner}/${repo.name}`,
      GITHUB_WORKSPACE: checkout,
      GITHUB_API_URL: servers.apiUrl,
      GITHUB_RUN_ID: String(options.runId ?? 9_000),
      GITHUB_RUN_ATTEMPT: '1',
      RUNNER_TEMP: temp,
      ANTHROPIC_BASE_URL: servers.modelUrl,
      'INPUT_ANTHROPIC-API-KEY': MODEL_KEY,
      'INPUT_GITHUB-TOKEN': token,
      INPUT_LABEL: 'orchestrator',
      INPUT_CONFIG: '.claude/orchestrator.yaml',
      'INPUT_MAX-BUDGET-USD': '3',
      ...options.inputs,
    };
    delete env.ANTHROPIC_API_KEY;
    delete env.ORCHESTRATOR_DATA_DIR;
    let main = options.bundle && !options.vendored ? actionMain() : '';
    if (options.vendored) {
      // `uses: ./<folder>`: the runner reads the checkout's action.yml, fills the inputs it defaults, and starts its runs.main.
      const action = parse(readFileSync(join(checkout, options.vendored, 'action.yml'), 'utf8')) as {
        inputs: Record<string, { default?: string }>;
        runs: { using: string; main: string };
      };
      for (const [name, input] of Object.entries(action.inputs)) {
        const variable = `INPUT_${name.toUpperCase()}`;
        if (env[variable] === undefined && input.default !== undefined && !input.default.includes('${{'))
          env[variable] = input.default;
      }
      main = join(checkout, options.vendored, action.runs.main);
    }
    let log = '';
    options.started?.(performance.now());
    const code =
      options.bundle || options.vendored
        ? await new Promise<number | null>((done) => {
            const child = spawn(process.execPath, [main], { cwd: checkout, env, stdio: ['ignore', 'pipe', 'pipe'] });
            options.child?.(child);
            child.stdout.on('data', (chunk: Buffer) => {
              log += chunk.toString('utf8');
              options.heard?.(chunk.toString('utf8'), performance.now());
            });
            child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
            child.on('close', done);
          })
        : await runAction(env, (text) => (log += text));
    const summary = readFileSync(files.summary, 'utf8');
    const outputs = outputsOf(readFileSync(files.output, 'utf8'));
    const leaks = [...filesUnder(dir)]
      .filter((file) => file.bytes.includes(token) || file.bytes.includes(basic) || file.bytes.includes(MODEL_KEY))
      .map((file) => file.path.slice(dir.length));
    return { code, log, outputs, summary, leaks };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function actionWorld(
  agents: Record<string, AgentScript>,
  roles: GithubApiOptions['roles'],
  options: { config?: (yaml: string) => string } = {},
): Promise<ActionWorld> {
  const remote = await githubRemote(agents, roles, options);
  const said: string[] = [];
  const servers: JobServers = {
    gitOrigin: remote.git.origin,
    repo: REPO,
    apiUrl: remote.api.url,
    modelUrl: remote.h.api.url,
    token: TOKEN,
  };
  let runs = 0;
  return {
    ...remote,
    said,
    async job(event, payload, options = {}) {
      const result = await runActionJob(servers, event, payload, { ...options, runId: 9_000 + ++runs });
      said.push(result.log, result.summary, JSON.stringify(result.outputs));
      return result;
    },
  };
}

const git = (args: string[], cwd?: string) => promisify(execFile)('git', args, { ...(cwd ? { cwd } : {}) });

/** $GITHUB_OUTPUT's `name<<delimiter` blocks, as the runner reads them. */
function outputsOf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const head = /^([\w-]+)<<(\S+)$/.exec(lines[i]!);
    if (!head) continue;
    const end = lines.indexOf(head[2]!, i + 1);
    out[head[1]!] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return out;
}

/** Every object of a bare repository (its branches, the state refs), as git stores them uncompressed. */
export function objectsOf(bare: string): string {
  return execFileSync('git', ['--git-dir', bare, 'cat-file', '--batch-all-objects', '--batch'], {
    encoding: 'latin1',
    maxBuffer: 256 * 1024 * 1024,
  });
}
