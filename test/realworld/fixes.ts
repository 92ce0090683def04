// `npm run realworld` (issue 58, item 7; issue 70, item 10): the loop on real public repositories,
// each at the parent of a real merged fix (fixes.json and unseen.json: repository, runner, fix
// commit, the tests the fix added; nothing of the projects' code is stored here: it is read from
// each repository's git history at run time). Per fix, with the built CLI as the README gives it:
//
//   install   a clone at the fix's parent, installed as its users install it (install.ts)
//   init      `orchestrator init`, no flag: its verification until every command has a verdict
//   feature   `orchestrator feature "<the fix's subject>" --approve --yes --json` against a
//             scripted model replaying the fix: the proof agent writes the fix's tests into the
//             proof folder init chose, holding only the fix's tests (kits.ts: JavaScript and
//             TypeScript, Python, Go; named by the criterion) and submits them; the layer's first
//             attempt is a WRONG fix (the fix's source change left out), its retry the fix's own
//             source change; the reviewer approves
//   judged    proof required; each test red on the base (failed, not broken); the wrong fix
//             stopped by the proof naming the criterion; the criterion proven; the run completed
//             with exit 0, never on a change nothing checked (a run ending unchecked, exit 3, is
//             a finding, not a pass)
//
//   node --import tsx test/realworld/fixes.ts [--repos DIR] [--list FILE] [filter]
//
// --repos DIR: a folder of git repositories, each `owner+name` (a clone, or holding `repo/`) or
// `name`; without it each is cloned from GitHub. --list FILE: one list of fixes, not both. What
// each CLI call printed, init's configuration and the run's journal are kept under
// test-output/realworld/<owner+name@commit>/.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import picomatch from 'picomatch';
import { loadConfig } from '../../src/core/project/config';
import type { AgentCall } from '../support/agentCalls';
import { pipelineScript, say } from '../support/engine/agentScript';
import { reply, type Scripted } from '../support/messagesApiServer';
import { startModelServer } from '../support/modelServer';
import { installOf, run, sourceOf, withTool } from './install';
import { CRITERION, judge, type Journal, type Outcome, type Plan } from './judge';
import { kitOf, type AddedTest, type Kit } from './kits';
import { proofPath } from './proofPaths';

interface Fix {
  repo: string;
  runner: string;
  fix: string;
  /** The fix's tests, by full path (`describe > it`, `Class::method`, `TestX`): what the driver must find in its diff. */
  tests: string[];
}

const args = process.argv.slice(2);
const reposAt = args.indexOf('--repos');
const listAt = args.indexOf('--list');
const repos = reposAt >= 0 ? resolve(args[reposAt + 1]!) : undefined;
// fixes.json: the fixes the rules were first built on; unseen.json: repositories first measured as they came (issue 70).
const lists = listAt >= 0 ? [resolve(args[listAt + 1]!)] : ['fixes.json', 'unseen.json'].map((f) => join(__dirname, f));
const filter = args.filter((a, i) => !a.startsWith('--') && i !== reposAt + 1 && i !== listAt + 1)[0];
const CLI = resolve(__dirname, '../../dist/cli.js');
const LOGS = resolve(__dirname, '../../test-output/realworld');

const git = (cwd: string, ...a: string[]) => {
  const r = run(cwd, 'git', a);
  if (r.status !== 0) throw new Error(`git ${a.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout;
};

interface Change {
  path: string;
  before: string | undefined;
  after: string;
}

/** The fix's changed files, split: its tests, and its source (docs, lockfiles and manifests left out). */
function changesOf(ws: string, fix: string, kit: Kit): { tests: Change[]; source: Change[] } {
  const show = (rev: string, path: string) => {
    const r = run(ws, 'git', ['show', `${rev}:${path}`]);
    return r.status === 0 ? r.stdout : undefined;
  };
  const paths = git(ws, 'diff', '--name-only', '--diff-filter=AM', `${fix}^`, fix).trim().split('\n').filter(Boolean);
  const changes = paths.map((path) => ({ path, before: show(`${fix}^`, path), after: show(fix, path)! }));
  return {
    tests: changes.filter((c) => kit.isTest(c.path)),
    source: changes.filter((c) => !kit.isTest(c.path) && kit.isSource(c.path)),
  };
}

function planOf(
  fix: Fix,
  subject: string,
  changes: ReturnType<typeof changesOf>,
  proofGlobs: readonly string[],
  layer: string,
  ws: string,
  kit: Kit,
): Plan {
  const proofFiles: Record<string, string> = {};
  const submitted: Plan['submitted'] = [];
  const found: string[] = [];
  for (const change of changes.tests) {
    const added: AddedTest[] = kit.added(change.path, change.before, change.after);
    if (added.length === 0) continue;
    const to = proofPath(proofGlobs, change.path, kit);
    proofFiles[to] = kit.proofFile(ws, change.path, to, change.before, change.after);
    for (const t of added) {
      found.push(t.name);
      submitted.push({ criterion: CRITERION, file: to, name: t.submitted });
    }
  }
  if (submitted.length === 0)
    throw new Error(
      "the fix's test changes hold no test call of their own (rows of a table?): nothing to copy as a proof test",
    );
  if (JSON.stringify([...found].sort()) !== JSON.stringify([...fix.tests].sort()))
    throw new Error(
      `the fix's tests read from its diff are ${JSON.stringify(found)}, fixes.json says ${JSON.stringify(fix.tests)}`,
    );
  if (changes.source.length === 0) throw new Error('the fix changes no source file');
  const right = Object.fromEntries(changes.source.map((c) => [c.path, c.after]));
  // The wrong fix: the fix's source change left out (the base's files as they were; a new file empty).
  const wrong = Object.fromEntries(changes.source.map((c) => [c.path, c.before ?? '']));
  const files = changes.source.map((c) => `\`${c.path}\``).join(', ');
  // As a spec for the fix would, it names the functions the fix adds (a test calling one fails to build on the base).
  const addsOf = (c: Change) => {
    const names = kit.addedNames?.(c.before, c.after) ?? [];
    return names.length === 0 ? '' : ` (adds ${names.map((n) => `\`${n}\``).join(', ')})`;
  };
  const spec = `## Spec: ${subject}

### Summary
${subject} (the fix ${fix.repo}@${fix.fix.slice(0, 7)}).

### Requirements

#### REQ-1: ${subject}
**Acceptance criteria**
- ${CRITERION}: THE project SHALL behave as these tests say: ${fix.tests.map((t) => `"${t}"`).join('; ')}.

### Files to Create/Modify

#### ${layer}
${changes.source.map((c) => `- [ ] \`${c.path}\`: ${subject}${addsOf(c)}`).join('\n')}

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

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The built CLI as a user runs it in the project's folder (`orchestrator init`, `orchestrator
 * feature …`), its output kept in `log`. Spawned, not run synchronously: the scripted model server
 * answering the feature's agents lives in this process.
 */
function cli(ws: string, cliArgs: string[], log: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...cliArgs], {
      cwd: ws,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    // A bound for a run that never ends (not init's budget: it has none).
    const limit = setTimeout(() => child.kill('SIGINT'), 90 * 60_000);
    child.on('close', (code) => {
      clearTimeout(limit);
      writeFileSync(
        log,
        `$ orchestrator ${cliArgs.join(' ')}\n--- exit ${code}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`,
      );
      done({ code, stdout, stderr });
    });
  });
}

/** One line: `pass …` or `FAIL …: why`, with the times and what init wrote. */
async function runFix(fix: Fix): Promise<string> {
  // REALWORLD_DIR: where the clones go (default the machine's temporary folder).
  const ws = mkdtempSync(join(process.env.REALWORLD_DIR ?? tmpdir(), 'orch-realworld-'));
  const logs = join(LOGS, `${fix.repo.replace('/', '+')}@${fix.fix.slice(0, 7)}`);
  rmSync(logs, { recursive: true, force: true });
  mkdirSync(logs, { recursive: true });
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
    git(tmpdir(), 'clone', '-q', sourceOf(repos, fix.repo), ws);
    git(ws, 'checkout', '-q', `${fix.fix}^`);
    git(ws, 'checkout', '-q', '-b', 'realworld');
    const install = installOf(ws);
    if (install.tool) restorePath = withTool(install.tool);
    await timed('install', () => {
      for (const [command, ...rest] of install.steps) {
        let r = run(ws, command!, rest, 1_800_000);
        // A lifecycle script the install runs failing here (xregexp's prepublish runs its whole test
        // suite, whose dtslint fetches TypeScript@next): installed without scripts, as a user would.
        if (r.status !== 0 && /^(npm|pnpm|yarn)$/.test(command!) && /command sh -c/.test(r.stderr)) {
          times.push(`${[command, ...rest].join(' ')} failed in a lifecycle script: run with --ignore-scripts`);
          r = run(ws, command!, [...rest, '--ignore-scripts'], 1_800_000);
        }
        if (r.status !== 0)
          throw new Error(
            `${[command, ...rest].join(' ')} failed: ${(r.stderr || r.stdout || String(r.error)).trim().split('\n').slice(-3).join(' / ')}`,
          );
      }
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
    // `orchestrator init` as the README gives it: no flag, its verification until every command has a verdict.
    const init = await timed('init', () => cli(ws, ['init'], join(logs, 'init.log')));
    if (init.code !== 0)
      throw new Error(`orchestrator init exited ${init.code}: ${init.stderr.trim().split('\n').at(-1)}`);
    copyFileSync(join(ws, '.claude/orchestrator.yaml'), join(logs, 'orchestrator.yaml'));
    const config = await loadConfig(ws);
    const kit = kitOf(ws, CRITERION);
    const layers = Object.keys(config.layers);
    const changes = changesOf(ws, fix.fix, kit);
    const owned = (l: string) => picomatch(config.layers[l]!.owns, { dot: true });
    const owner =
      layers.find((l) => changes.source.every((c) => owned(l)(c.path))) ??
      layers.find((l) => changes.source.some((c) => owned(l)(c.path))) ??
      layers[0]!;
    // A file no layer owns (a committed build's output: zx's build/) is in no task: no agent may write it.
    const unowned = changes.source.filter((c) => !layers.some((l) => owned(l)(c.path)));
    if (unowned.length > 0 && unowned.length < changes.source.length) {
      times.push(`owned by no layer, left out of the fix: ${unowned.map((c) => c.path).join(', ')}`);
      changes.source = changes.source.filter((c) => !unowned.includes(c));
    }
    const subject = git(ws, 'log', '-1', '--format=%s', fix.fix).trim();
    const plan = planOf(fix, subject, changes, config.proof.tests, owner, ws, kit);
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
    // `orchestrator feature "…" --approve`: the spec approved as written, the confirmations a terminal would ask answered.
    const feature = await timed('feature', () =>
      cli(ws, ['feature', subject, '--approve', '--yes', '--json'], join(logs, 'feature.log'), {
        ANTHROPIC_BASE_URL: model.url,
      }),
    ).finally(() => model.close());
    const summary = (feature.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Outcome['summary'])
      .find((o) => o.status !== undefined) ?? {}) as Outcome['summary'];
    const events = summary.runId ? join(ws, `.claude/runs/${summary.runId}/events.jsonl`) : '';
    const journal = existsSync(events)
      ? readFileSync(events, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as Journal[number])
      : [];
    if (existsSync(events)) copyFileSync(events, join(logs, 'events.jsonl'));
    const gates = Object.values(config.layers).reduce((n, l) => n + l.validate.length, 0);
    const mode = config.proof.mode ?? 'off';
    times.push(`proof ${mode}, ${gates} gate${gates === 1 ? '' : 's'}`);
    // Why init wrote that mode: the comment on the `mode:` line.
    const why = /^\s+mode: \w+ # (.*)$/m.exec(readFileSync(join(logs, 'orchestrator.yaml'), 'utf8'))?.[1];
    return judge(name, plan, { mode, ...(why ? { why } : {}), gates, code: feature.code, summary, journal }, times);
  } catch (e) {
    return `FAIL ${name} (${times.join(', ')}): ${(e as Error).message.split('\n')[0]}`;
  } finally {
    restorePath();
    if (process.env.REALWORLD_KEEP) process.stdout.write(`  kept ${ws}\n`);
    else rmSync(ws, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const fixes = lists
    .flatMap((list) => JSON.parse(readFileSync(list, 'utf8')) as Fix[])
    .filter((f) => !filter || `${f.repo}@${f.fix}`.includes(filter));
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
