// `npm run realworld` (issue 58, item 7): the loop on real public repositories, each at the parent
// of a real merged fix (test/realworld/fixes.json: repository, runner, fix commit, the tests the
// fix added; nothing of the projects' code is stored here: it is read from each repository's git
// history at run time). Per fix:
//
//   install   a clone at the fix's parent, installed from its lockfile (npm ci, pnpm install
//             --frozen-lockfile, yarn --frozen-lockfile; npm install where it commits none)
//   init      `orchestrator init` with its verification: proof must be on
//   feature   a feature run against a scripted model replaying the fix: the proof agent writes the
//             fix's test file into the proof folder init chose, holding only the fix's tests (its
//             relative imports kept, the tests named by the criterion) and submits them; the layer's first
//             attempt is a WRONG fix (the fix's source change left out), its retry the fix's own
//             source change; the reviewer approves
//   judged    each test red on the base (failed, not broken), the wrong fix stopped by the proof
//             naming the criterion and the test, then the criterion proven and the run completed
//
//   node --import tsx test/realworld/fixes.ts [--repos DIR] [filter]
//
// --repos DIR: a folder of git repositories, each `owner+name` (a clone, or holding `repo/`) or
// `name`; without it each is cloned from GitHub.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, posix, resolve } from 'node:path';
import picomatch from 'picomatch';
import { engine } from '../../src/core/engine';
import { loadConfig } from '../../src/core/project/config';
import { proofOfRun } from '../../src/core/trace';
import type { AgentCall } from '../support/agentCalls';
import { pipelineScript, say } from '../support/engine/agentScript';
import { TestHost } from '../support/engine/testHost';
import { reply, type Scripted } from '../support/messagesApiServer';
import { startModelServer } from '../support/modelServer';
import { addedTests, movedTest, onlyTests, testsOf, type TestCall } from './testTree';

interface Fix {
  repo: string;
  runner: string;
  fix: string;
  /** The fix's tests, by full path (`describe > it`): what the driver must find in its diff. */
  tests: string[];
}

const args = process.argv.slice(2);
const reposAt = args.indexOf('--repos');
const repos = reposAt >= 0 ? resolve(args[reposAt + 1]!) : undefined;
const filter = args.filter((a, i) => !a.startsWith('--') && i !== reposAt + 1)[0];
const templates = resolve(__dirname, '../../.claude');
const CRITERION = 'REQ-1.1';

const run = (cwd: string, command: string, cmdArgs: string[], timeout = 600_000) =>
  spawnSync(command, cmdArgs, { cwd, encoding: 'utf8', timeout, maxBuffer: 64 << 20 });
const git = (cwd: string, ...a: string[]) => {
  const r = run(cwd, 'git', a);
  if (r.status !== 0) throw new Error(`git ${a.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout;
};

/** Where the repository comes from: the folder's clone of it, else GitHub. */
function sourceOf(repo: string): string {
  if (!repos) return `https://github.com/${repo}.git`;
  const [owner, name] = repo.split('/');
  for (const dir of [`${owner}+${name}/repo`, `${owner}+${name}`, `${owner}__${name}`, `${name}`])
    if (existsSync(join(repos, dir))) return join(repos, dir);
  throw new Error(`${repos} holds no clone of ${repo} (as ${owner}+${name} or ${name})`);
}

/** The install the lockfile asks for, and the package manager it needs (`pnpm@9.4.0` when `packageManager` pins it); npm install where the project commits none. */
function installCommand(ws: string): { command: string[]; tool?: string } {
  const manager = (JSON.parse(readFileSync(join(ws, 'package.json'), 'utf8')) as { packageManager?: string })
    .packageManager;
  const pinned = (tool: string) => (manager?.startsWith(`${tool}@`) ? manager.replace(/\+.*$/, '') : tool);
  if (existsSync(join(ws, 'pnpm-lock.yaml')))
    return { command: ['pnpm', 'install', '--frozen-lockfile'], tool: pinned('pnpm') };
  if (existsSync(join(ws, 'yarn.lock')))
    return { command: ['yarn', 'install', '--frozen-lockfile'], tool: pinned('yarn') };
  if (existsSync(join(ws, 'package-lock.json')) || existsSync(join(ws, 'npm-shrinkwrap.json')))
    return { command: ['npm', 'ci', '--no-audit', '--no-fund'] };
  return { command: ['npm', 'install', '--no-audit', '--no-fund'] };
}

/**
 * The package manager on PATH for the install, init and the run, as a user of the project has it:
 * init's commands call `pnpm lint`, and a pnpm project without pnpm has no gate and no proof.
 * Installed once per version under test-output/ (a global-style prefix, `bin/` beside `lib/`: the
 * run's sandbox binds a PATH entry's whole installation, and never sees the machine's /tmp).
 */
function withTool(tool: string): () => void {
  const dir = resolve(__dirname, '../../test-output/realworld-tools', tool.replace(/[^\w.@-]/g, '_'));
  const bin = join(dir, 'bin');
  if (!existsSync(join(bin, tool.replace(/@.*$/, '')))) {
    const r = run(tmpdir(), 'npm', ['install', '--global', '--prefix', dir, '--no-audit', '--no-fund', tool]);
    if (r.status !== 0)
      throw new Error(`npm install ${tool} failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' / ')}`);
  }
  const before = process.env.PATH;
  process.env.PATH = `${bin}${delimiter}${before ?? ''}`;
  return () => {
    process.env.PATH = before;
  };
}

const TEST_PATH = /(^|\/)(tests?|__tests__|specs?)\/|\.(test|spec)\.[cm]?[jt]sx?$|(^|\/)test\.[cm]?[jt]s$/;
const CODE = /\.([cm]?[jt]sx?|json)$/;

interface Change {
  path: string;
  before: string | undefined;
  after: string;
}

/** The fix's changed files, split: its tests, and its source (docs, lockfiles and package.json left out). */
function changesOf(ws: string, fix: string): { tests: Change[]; source: Change[] } {
  const show = (rev: string, path: string) => {
    const r = run(ws, 'git', ['show', `${rev}:${path}`]);
    return r.status === 0 ? r.stdout : undefined;
  };
  const paths = git(ws, 'diff', '--name-only', '--diff-filter=AM', `${fix}^`, fix).trim().split('\n').filter(Boolean);
  const changes = paths.map((path) => ({ path, before: show(`${fix}^`, path), after: show(fix, path)! }));
  return {
    tests: changes.filter((c) => TEST_PATH.test(c.path) && /\.[cm]?[jt]sx?$/.test(c.path)),
    source: changes.filter(
      (c) =>
        !TEST_PATH.test(c.path) &&
        CODE.test(c.path) &&
        !/(^|\/)(package(-lock)?\.json|tsconfig[^/]*\.json)$/.test(c.path),
    ),
  };
}

/** Where the proof test goes: the proof folder nearest the original test (the most folders in common), under a name its glob takes. */
function proofPath(globs: readonly string[], original: string): string {
  const bases = globs.map((g) => ({ glob: g, base: picomatch.scan(g).base }));
  const folders = original.split('/').slice(0, -1);
  const near = (b: string) => {
    const parts = b === '' ? [] : b.split('/');
    const common = parts.findIndex((part, i) => folders[i] !== part);
    return common < 0 ? parts.length : common;
  };
  const best = [...bases].sort((a, b) => near(b.base) - near(a.base) || a.base.length - b.base.length)[0]!;
  const file = posix.basename(original);
  const stem = file.replace(/(\.(test|spec))?\.[cm]?[jt]sx?$/, '');
  const ext = /\.[cm]?[jt]sx?$/.exec(file)![0];
  for (const name of [file, `${stem}.test${ext}`, `${stem}.spec${ext}`, `${stem}_test${ext}`]) {
    const path = posix.join(best.base, name);
    if (picomatch(best.glob, { dot: true })(path)) return path;
  }
  throw new Error(`no name for ${original} under the proof folder ${best.glob}`);
}

interface Plan {
  proofFiles: Record<string, string>;
  submitted: { criterion: string; file: string; name: string }[];
  right: Record<string, string>;
  wrong: Record<string, string>;
  spec: string;
}

function planOf(
  fix: Fix,
  subject: string,
  changes: ReturnType<typeof changesOf>,
  proofGlobs: readonly string[],
  layer: string,
): Plan {
  const proofFiles: Record<string, string> = {};
  const submitted: Plan['submitted'] = [];
  for (const change of changes.tests) {
    const added: TestCall[] = addedTests(change.path, change.before, change.after);
    if (added.length === 0) continue;
    const to = proofPath(proofGlobs, change.path);
    const only = onlyTests(change.path, change.after, added);
    proofFiles[to] = movedTest(change.path, to, only, testsOf(change.path, only), CRITERION);
    for (const t of added)
      submitted.push({
        criterion: CRITERION,
        file: to,
        name: [...t.path.slice(0, -1), `${CRITERION} ${t.path.at(-1)}`].join(' > '),
      });
  }
  if (submitted.length === 0)
    throw new Error(
      "the fix's test changes hold no test call of their own (rows of a table?): nothing to copy as a proof test",
    );
  const found = submitted.map((s) => s.name.replace(`${CRITERION} `, ''));
  if (JSON.stringify([...found].sort()) !== JSON.stringify([...fix.tests].sort()))
    throw new Error(
      `the fix's tests read from its diff are ${JSON.stringify(found)}, fixes.json says ${JSON.stringify(fix.tests)}`,
    );
  if (changes.source.length === 0) throw new Error('the fix changes no source file');
  const right = Object.fromEntries(changes.source.map((c) => [c.path, c.after]));
  // The wrong fix: the fix's source change left out (the base's files as they were; a new file empty).
  const wrong = Object.fromEntries(changes.source.map((c) => [c.path, c.before ?? '']));
  const files = changes.source.map((c) => `\`${c.path}\``).join(', ');
  const spec = `## Spec: ${subject}

### Summary
${subject} (the fix ${fix.repo}@${fix.fix.slice(0, 7)}).

### Requirements

#### REQ-1: ${subject}
**Acceptance criteria**
- ${CRITERION}: THE project SHALL behave as these tests say: ${fix.tests.map((t) => `"${t}"`).join('; ')}.

### Files to Create/Modify

#### ${layer}
${changes.source.map((c) => `- [ ] \`${c.path}\`: ${subject}`).join('\n')}

### Tasks
1. [ ] ${layer}: ${subject} in ${files} (REQ-1)
`;
  return { proofFiles, submitted, right, wrong, spec };
}

function agents(plan: Plan, subject: string): Record<string, (call: AgentCall) => Scripted> {
  return new Proxy({} as Record<string, (call: AgentCall) => Scripted>, {
    get: (_t, agent: string) => {
      if (agent === 'spec') return () => say.spec(subject, 'realworld-fix', plan.spec);
      if (agent === 'proof')
        return (call: AgentCall) => {
          if (call.turn === 0) return say.write(plan.proofFiles);
          // Sent back: a test the fix added that already passes on the base proves nothing; as a
          // person would, the agent drops the tests the send-back names and keeps the others.
          const sentBack =
            call.attempt > 1 ? (t: Plan['submitted'][number]) => call.task.includes(`(${t.name})`) : () => false;
          const kept = plan.submitted.filter((t) => !sentBack(t));
          return reply.toolUse('submit_proof', { tests: kept.length > 0 ? kept : plan.submitted });
        };
      if (agent === 'review') return () => say.approve();
      if (agent === 'diagnose')
        return () =>
          say.diagnosis(
            'The source change the criterion needs is missing.',
            'Make the change.',
            Object.keys(plan.right),
          );
      if (agent === 'layers') return () => say.layers([]);
      return (call: AgentCall) =>
        call.turn === 0 ? say.write(call.attempt === 1 ? plan.wrong : plan.right) : say.done();
    },
  });
}

type Journal = (Record<string, unknown> & { type: string })[];

/** One line: `pass …` or `FAIL …: why`, with the times and what init wrote. */
async function runFix(fix: Fix): Promise<string> {
  const ws = mkdtempSync(join(tmpdir(), 'orch-realworld-'));
  const times: string[] = [];
  const timed = async <T>(what: string, f: () => T | Promise<T>): Promise<T> => {
    const started = Date.now();
    try {
      return await f();
    } finally {
      times.push(`${what} ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  };
  const name = `${fix.repo}@${fix.fix.slice(0, 7)} (${fix.runner})`;
  let restorePath = () => {};
  try {
    // A local clone (no --no-local): a mirror may lack blobs its history no longer needs (the fix's
    // parent checks out whole; --no-local would repack every object and stop on the first missing).
    git(tmpdir(), 'clone', '-q', sourceOf(fix.repo), ws);
    git(ws, 'checkout', '-q', `${fix.fix}^`);
    git(ws, 'checkout', '-q', '-b', 'realworld');
    const install = installCommand(ws);
    if (install.tool) restorePath = withTool(install.tool);
    await timed('install', () => {
      const [command, ...rest] = install.command;
      const r = run(ws, command!, rest);
      if (r.status !== 0)
        throw new Error(
          `${install.command.join(' ')} failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' / ')}`,
        );
      // tap installs the plugins its config names on its first run (init's verification runs offline
      // and says so): as a user who has run the project's tap once, which is the fix init names.
      if (fix.runner === 'tap') {
        const built = run(ws, 'npx', ['tap', 'build']);
        if (built.status !== 0)
          throw new Error(
            `npx tap build failed: ${(built.stderr || built.stdout).trim().split('\n').slice(-3).join(' / ')}`,
          );
      }
    });
    await timed('init', () => engine.initWorkspace(ws, templates, { verify: true, trusted: true }));
    const config = await loadConfig(ws);
    if (config.proof.mode === 'off') throw new Error('init turned proof off');
    const layers = Object.keys(config.layers);
    const changes = changesOf(ws, fix.fix);
    const owner =
      layers.find((l) => changes.source.every((c) => picomatch(config.layers[l]!.owns, { dot: true })(c.path))) ??
      layers[0]!;
    const subject = git(ws, 'log', '-1', '--format=%s', fix.fix).trim();
    const plan = planOf(fix, subject, changes, config.proof.tests, owner);
    git(ws, 'add', '-A');
    git(
      ws,
      '-c',
      'user.name=realworld',
      '-c',
      'user.email=realworld@example.invalid',
      'commit',
      '-qm',
      'orchestrator init',
      '--no-verify',
    );
    const scripted = pipelineScript(agents(plan, subject));
    const model = await startModelServer('anthropic', scripted.script);
    const summary = await timed('feature', () =>
      engine.runFeature(subject, {
        workspace: ws,
        host: new TestHost(),
        baseURL: model.url,
        autoApprove: true,
        assumeYes: true,
      }),
    ).finally(() => model.close());
    const journal = readFileSync(join(ws, `.claude/runs/${summary.runId}/events.jsonl`), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Journal[number]);
    // What init wrote, beside the times: proof's mode and how many validate commands became gates.
    const gates = Object.values(config.layers).reduce((n, l) => n + l.validate.length, 0);
    times.push(`proof ${config.proof.mode}, ${gates} gate${gates === 1 ? '' : 's'}`);
    return judge(name, plan, summary, journal, times);
  } catch (e) {
    return `FAIL ${name} (${times.join(', ')}): ${(e as Error).message.split('\n')[0]}`;
  } finally {
    restorePath();
    if (process.env.REALWORLD_KEEP) process.stdout.write(`  kept ${ws}\n`);
    else rmSync(ws, { recursive: true, force: true });
  }
}

function judge(
  name: string,
  plan: Plan,
  summary: Awaited<ReturnType<typeof engine.runFeature>>,
  journal: Journal,
  times: string[],
): string {
  const why: string[] = [];
  // The last round's tests: those the proof agent kept after a send-back.
  const lastRound = journal.map((e) => e.type).lastIndexOf('proof.started');
  const reds = journal.slice(lastRound).filter((e) => e.type === 'proof.test');
  if (reds.length === 0) why.push('no proof test was run on the base');
  for (const red of reds)
    if (red.red !== 'failed') why.push(`"${String(red.name)}" was ${String(red.red)} on the base, not failed`);
  const dropped = plan.submitted.length - reds.length;
  if (dropped > 0) times.push(`${dropped} of the fix's ${plan.submitted.length} tests dropped: they pass on the base`);
  const stopped = journal.find(
    (e) =>
      e.type === 'validation.failed' &&
      typeof e.output === 'string' &&
      e.output.includes(`Proof test failed: ${CRITERION}`),
  );
  if (!stopped) why.push(`the wrong fix was not stopped by a proof test naming ${CRITERION}`);
  const proof = proofOfRun(journal as never).get(CRITERION);
  if (proof?.status !== 'proven') why.push(`${CRITERION} is ${proof?.status ?? 'absent'}, not proven`);
  if (summary.status !== 'completed')
    why.push(`the run ${summary.status}: ${(summary.error ?? '').split('\n')[0]?.slice(0, 300)}`);
  return `${why.length === 0 ? 'pass' : 'FAIL'} ${name} (${times.join(', ')})${why.length ? `: ${why.join('; ')}` : ''}`;
}

async function main(): Promise<void> {
  const fixes = (JSON.parse(readFileSync(join(__dirname, 'fixes.json'), 'utf8')) as Fix[]).filter(
    (f) => !filter || `${f.repo}@${f.fix}`.includes(filter),
  );
  let passed = 0;
  for (const fix of fixes) {
    const line = await runFix(fix);
    if (line.startsWith('pass ')) passed += 1;
    process.stdout.write(`${line}\n`);
  }
  process.stdout.write(`${passed}/${fixes.length} fixes proven end to end\n`);
  process.exitCode = passed === fixes.length && passed > 0 ? 0 : 1;
}

void main();
