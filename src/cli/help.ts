/**
 * The CLI's help, one entry per command: `orchestrator <command> --help` prints that entry,
 * a usage error prints its usage lines, and `orchestrator --help` lists them all. One source,
 * so the three never disagree.
 */
import type { CommandName } from './args';

interface CommandHelp {
  /** The forms of the command, as typed. */
  usage: string[];
  /** What it does, one paragraph (wrapped when printed). */
  about: string;
  /** Its own options: [flag, what]. */
  options?: [string, string][];
}

type Documented = Exclude<CommandName, 'help' | 'version'>;

const RUN_OPTIONS: [string, string][] = [
  ['--approve', 'approve the spec without asking, and implement it'],
  ['--yes, -y', 'answer yes to confirmations (large deletions, many files, schema changes)'],
  ['--worktree', 'run in its own git worktree outside the checkout (isolation: worktree); nothing reaches your files before `apply`'],
  ['--runner NAME', 'every layer on one runner: agent, external, claude-code, codex, gemini, copilot or opencode, or auto: each layer on the runner and model with the best record for it among attemptRunners (docs/runners.md)'],
  ['--pool', 'put the run in the pool of workers (queue.url), with your uncommitted changes, and print its id (docs/pool.md)'],
  ['--labels a,b', 'with --pool: the labels a worker needs to take the run'],
];

const ATTEMPTS_OPTION: [string, string] = ['--attempts N', 'try every layer N times (1–8), each attempt in its own worktree, and keep the one its proof tests and checks prove best; kept by the run (docs/attempts.md)'];

const WORKFLOW_OPTION: [string, string] = ['--workflow NAME', 'follow the workflow NAME (.claude/workflows/NAME.yaml, or the shipped feature, slice, squads; default feature)'];

const UNTESTED_OPTION: [string, string] = ['--allow-untested', "a workflow gate's trace check (slice's F) records a requirement with no test as waived, in the matrix and the journal, instead of failing; kept by the run once given, and carried to the worker with --pool (in VS Code: Allow untested… on the phase's step)"];

export const COMMAND_HELP: Record<Documented, CommandHelp> = {
  demo: {
    usage: ['demo [folder]'],
    about: 'One feature on a bundled sample project with a scripted model (no key, no network; under a minute). The result stays in the folder it names (default: a new one in the OS temp folder).',
  },
  init: {
    usage: ['init [--force] [--no-verify]', 'init --ci github [--dimension D[,D…]] [--target N] [--max-budget USD] [--force]'],
    about: 'Take a census of the repository and write .claude/ from it: layers, owns, validate commands (each run once unless --no-verify), schema, context files. An existing config is kept and the proposal shown as a diff.',
    options: [
      ['--force', 'replace an existing config, keeping orchestrator.yaml.bak'],
      ['--no-verify', 'run none of the proposed commands'],
      ['--ci github', 'write .github/workflows/orchestrator.yml instead: audit pull requests to a target, verify --all for drift, report and workbook as artifacts (the key from the repository secret ANTHROPIC_API_KEY); --force replaces an existing one'],
    ],
  },
  feature: {
    usage: ['feature "<request>" [--approve] [--yes] [--worktree] [--workflow NAME] [--allow-untested]'],
    about: 'Write a spec for the request and save it for approval; with --approve implement it too.',
    options: [...RUN_OPTIONS, ATTEMPTS_OPTION, WORKFLOW_OPTION, UNTESTED_OPTION],
  },
  bugfix: {
    usage: ['bugfix "<report>" [--approve] [--yes] [--worktree] [--workflow NAME]'],
    about: 'Diagnose the report and write a fix spec; with --approve fix it too.',
    options: [...RUN_OPTIONS, ATTEMPTS_OPTION, WORKFLOW_OPTION],
  },
  audit: {
    usage: ['audit <path> [--dimension D[,D…]] [--target N] [--max-iterations N] [--max-budget USD] [--yes]'],
    about: 'Audit a folder or file and improve it until the target score (default audit.target), the iteration cap or the budget. Dimensions: .claude/audit/<D>.md (compliance, backend, frontend, tests, security, architecture). Exit 1 when it ends below its target.',
    options: [
      ['--dimension D[,D…]', 'the dimension to audit; several at once (backend,security,tests): each scored, the lowest must reach the target'],
      ['--target N', 'the score to reach, 0 to 100'],
      ['--max-iterations N', 'at most N audit rounds'],
      ['--max-budget USD', 'a budget for this audit'],
      ['--yes, -y', 'answer yes to confirmations (also new modules, migrations, audit.core files)'],
      ['--worktree', 'run in its own git worktree'],
      ATTEMPTS_OPTION,
    ],
  },
  specs: {
    usage: ['specs'],
    about: 'Saved specs and their status, then Mustard folders and the Kiro and Spec Kit folders not imported yet (each with its state and the approve command); work no layer owns is listed with its lines.',
  },
  approve: {
    usage: ['approve <specId> [--yes] [--assign "<task>=<layer>"]… [--allow-untested]', 'approve <folder> [--yes] [--assign "<task>=<layer>"]…'],
    about: 'Approve a saved spec and implement it; or bring a Kiro spec folder (requirements.md or bugfix.md, design.md, tasks.md), a Spec Kit feature folder (spec.md, plan.md, tasks.md) or a Mustard spec folder, converted into a spec and approved the same way. A task that names no file and whose layer cannot be told is named before anything runs: give it a layer with --assign (or the sidebar\'s layer picker).',
    options: [
      ['--assign "<task>=<layer>"', 'the layer of a task that names no file (repeatable), e.g. --assign "T020=backend"; written into the spec\'s task line before approving'],
      ['--yes, -y', 'approve even with files no layer owns, and answer confirmations'],
      ['--worktree', 'run in its own git worktree'],
      UNTESTED_OPTION,
    ],
  },
  resume: {
    usage: ['resume [runId] [--max-budget USD] [--allow-untested]'],
    about: 'Continue a run that did not complete (default: the latest interrupted, cancelled or stopped one); an audit stopped by its budget continues with --max-budget.',
    options: [['--max-budget USD', 'raise the budget of the run'], UNTESTED_OPTION],
  },
  workflows: {
    usage: ['workflows [--json]'],
    about: 'The workflows this workspace can run — its own .claude/workflows/*.yaml, then the shipped feature, slice and squads — with their phases, gates and documents; a broken file with its problem.',
  },
  workflow: {
    usage: ['workflow check <file> [--json]'],
    about: 'Validate one workflow file as a run would load it: YAML, the schema, references to earlier phases, step gates. Exit 2 naming the file, the line and the key.',
  },
  check: {
    usage: ['check dictionary [--json]'],
    about: 'Compare the tables and columns of docs/data/dictionary.md (a heading per table with a Markdown table or a list of its columns) with the schema the census finds: SQL migrations, Prisma, Drizzle, Django/SQLAlchemy models, Alembic, EF Core migrations, Rails db/schema.rb or db/migrate, Laravel migrations, TypeORM entities, GORM models. Every difference is named; exit 1 when there is one.',
  },
  runs: {
    usage: ['runs', 'runs --pool [--watch]'],
    about: "List runs (an unreadable journal with the reason); --pool: the pool's runs with their status, phase, wave, worker and cost; --watch: then each change as it happens, until Ctrl-C.",
  },
  runners: {
    usage: ['runners', 'runners stats [--layer L] [--since D] [--pool] [--json]'],
    about: "The CLI agents a layer or role can run on (Claude Code, Codex, Gemini CLI, Copilot CLI, opencode): installed and its version (agentCli.<r>.command, else its usual name on PATH), too old, signed in (by which variable or credential file: names only), and what to do when one is not ready. stats: the runners' record of this repository, per layer, runner and model: runs, passed at once (first-try validation with every proof test green: what runner: auto ranks by), first try, mean retries, proof tests green, approved by review, mean cost and time (docs/runners.md).",
    options: [
      ['--layer L', "stats: only layer L's rows"],
      ['--since D', 'stats: only outcomes since a date (2026-11-01) or the last days (30d)'],
      ['--pool', "stats: the team's record in the pool's database (queue.url) instead of this machine's"],
    ],
  },
  attempts: {
    usage: ['attempts <runId> [--json]', 'attempts <runId> --use <layer>/<k>'],
    about: "A run's attempts layer by layer (docs/attempts.md): each attempt's runner and model, proof tests green of total, validation, retries, cost, time and diff stat, and the one in the run with why. --use: that attempt instead, before the run completes; a run going now takes it between waves or before its review and re-runs the layers after it, a stopped run is resumed with it.",
    options: [['--use <layer>/<k>', "use attempt k of the layer instead of the one kept (one that passed its validation)"]],
  },
  rollback: {
    usage: ['rollback <runId>'],
    about: 'Undo the files a run changed (an applied worktree run: exactly what the apply changed).',
  },
  apply: {
    usage: ['apply <runId> [--branch[=NAME]]'],
    about: 'Bring a finished worktree run into your working tree as a 3-way merge (HEAD and the index untouched; a conflict stops with both sides shown, nothing written).',
    options: [['--branch[=NAME]', 'keep it as a branch instead (default orchestrator/<spec>)']],
  },
  worker: {
    usage: ['worker [--max-runs N] [--labels a,b] [--name N]'],
    about: "Join the pool of workers on PostgreSQL (queue.url or ORCHESTRATOR_QUEUE_URL): claim pooled runs and run each in a worktree of this worker's clone of the remote (pool.remote, default origin). SIGTERM drains: it hands back what it holds and exits (docs/pool.md).",
    options: [
      ['--max-runs N', 'runs at once (default 1)'],
      ['--labels a,b', 'what this worker offers (gpu…); a run asking for labels goes only to a worker with all of them. runner:<cli> is added by itself for each CLI agent found at start (orchestrator runners)'],
      ['--name N', 'its name in the pool (default <host>/<pid>)'],
    ],
  },
  discard: {
    usage: ['discard <runId>'],
    about: 'Drop a worktree run that is not running: its worktree and refs are removed, and nothing of it counts as completed.',
  },
  gc: {
    usage: ['gc'],
    about: 'Delete checkpoint refs beyond checkpoints.keep, and the worktrees and refs of worktree runs applied, discarded, killed or gone.',
  },
  trace: {
    usage: ['trace <specId> [--xlsx FILE] [--md FILE]'],
    about: 'The traceability matrix (requirement → criterion → tasks → files → validation → review → tests): Markdown on stdout, JSON with --json.',
    options: [
      ['--xlsx FILE', 'write the workbook (sheet Traceability)'],
      ['--md FILE', 'write the Markdown matrix to a file'],
    ],
  },
  events: {
    usage: ['events <runId> [--format cloudevents|journal]'],
    about: "The run's events as CloudEvents JSON lines (default), or the raw journal lines; a pooled run's are read from the pool.",
    options: [['--format cloudevents|journal', 'the output format']],
  },
  mcp: {
    usage: ['mcp [--http PORT]'],
    about: 'Serve the task queue over MCP: stdio, or Streamable HTTP on 127.0.0.1:PORT with a bearer token (kept in a 0600 file).',
    options: [['--http PORT', 'serve over HTTP on this port instead of stdio']],
  },
  task: {
    usage: ['task add "<title>" [--description TEXT] [--source S]', 'task list [--status S]', 'task review [taskId] [--approve | --reject] [--comment TEXT]'],
    about: 'The task queue from the terminal: add a task, list the queue by status, decide on a submitted artifact (asks when no flag).',
    options: [
      ['--description TEXT', 'task add: the task\'s description'],
      ['--source S', 'task add: where it came from'],
      ['--status S', 'task list: only tasks in this status'],
      ['--approve, --reject', 'task review: the decision'],
      ['--comment TEXT', 'task review: a comment for the claimer'],
    ],
  },
  serve: {
    usage: ['serve [--port N] [--host H]'],
    about: 'The supervisor portal, MCP over HTTP (/mcp) and the task webhooks in one server (default 127.0.0.1:7373). Ctrl-C stops it; the queue stays in its store.',
    options: [
      ['--port N', 'the port to listen on (default 7373; 0 picks a free one)'],
      ['--host H', 'the address to listen on (default 127.0.0.1; another address needs HTTPS in front, or you get a warning)'],
    ],
  },
  user: {
    usage: ['user add <name> --role R [--email E]', 'user list', 'user token <name> [--revoke]'],
    about: "Accounts of the portal. add: an account (admin, supervisor or agent) or a new role for it; the password from stdin (asked twice on a terminal). list: the accounts and their roles. token: a new MCP token for an agent account, printed once.",
    options: [
      ['--role R', 'user add: admin, supervisor or agent'],
      ['--email E', 'user add: its OpenID Connect sign-in (- removes it)'],
      ['--revoke', "user token: the account's token stops working at once"],
    ],
  },
  change: {
    usage: ['change <runId> "<request>" [--approve] [--yes]'],
    about: "Amend a run's approved spec: the spec agent writes the amendment, you approve it; only the layers it changes run again (FIX mode). A run going now picks it up between steps; a stopped one resumes.",
    options: [
      ['--approve', 'approve the amendment without asking'],
      ['--yes, -y', 'answer yes to confirmations'],
    ],
  },
  verify: {
    usage: ['verify <specId> [--strict] [--xlsx FILE] [--explain]', 'verify --all [--strict]'],
    about: "Drift: is a completed spec still true of today's code? Each requirement holds, changed (its files changed, checks pass) or broken (a validate command or one of its tests fails); exit 1 when one is broken. No model call unless --explain.",
    options: [
      ['--all', 'one line per completed spec'],
      ['--strict', 'exit 1 on changed too'],
      ['--xlsx FILE', 'the matrix and a Drift sheet'],
      ['--explain', 'the review agent judges the changed requirements against their criteria'],
    ],
  },
};

const COMMON = `Options of every command:
  --workspace DIR   the project folder (default: current directory)
  --json            print one JSON summary on stdout
  --help, -h        this command's help`;

const WIDTH = 100;
const COLUMN = 39;

/** `Usage: orchestrator feature "<request>" …`, one line per form. */
export function usageLines(command: Documented): string {
  return COMMAND_HELP[command].usage.map((form, i) => `${i === 0 ? 'Usage:' : '      '} orchestrator ${form}`).join('\n');
}

/** `orchestrator <command> --help`. */
export function commandHelp(command: Documented): string {
  const entry = COMMAND_HELP[command];
  const lines = [usageLines(command), '', ...wrap(entry.about, WIDTH, '')];
  if (entry.options?.length) {
    lines.push('', 'Options:');
    for (const [flag, what] of entry.options) lines.push(...columns(`  ${flag}`, what, 30));
  }
  lines.push('', COMMON);
  return lines.join('\n');
}

/** `orchestrator --help`: every command, then the shared options, the environment and the exit codes. */
export function generalHelp(): string {
  const lines = ['Usage: orchestrator <command> [options]     (orchestrator <command> --help: that command\'s help)', '', 'Commands:'];
  for (const entry of Object.values(COMMAND_HELP)) {
    const forms = entry.usage.map((form) => `  ${form}`);
    // The text starts beside the last form when that form is short enough, else below it.
    const last = forms.at(-1)!;
    if (last.length < COLUMN - 1) lines.push(...forms.slice(0, -1), ...columns(last, entry.about, COLUMN));
    else lines.push(...forms, ...wrap(entry.about, WIDTH - COLUMN, ' '.repeat(COLUMN)));
  }
  lines.push(
    '',
    'Options:',
    '  --version, -v     print the version (--verbose: also Node and the sandbox: what it enforces here, or what to install)',
    '  --workspace DIR   the project folder (default: current directory)',
    '  --json            print one JSON summary on stdout',
    '  --approve         approve the spec without asking',
    '  --worktree        feature, bugfix, audit, approve: run in its own git worktree outside the',
    '                    checkout (isolation: worktree), applied when you say so',
    '  --pool            feature, bugfix, audit, approve: put the run in the pool of workers and print',
    '                    its id (docs/pool.md); runs --pool: the pool\'s runs',
    '  --runner NAME     feature, bugfix, audit, approve: every layer on one runner (agent, external,',
    '                    claude-code, codex, gemini, copilot, opencode; docs/runners.md); with --pool',
    '                    it travels with the run, and only a worker with that CLI takes it',
    '  --yes             answer yes to confirmations (large deletions, many files, schema changes;',
    '                    for audits also new modules, migrations and audit.core files)',
    '  --help, -h        this help; after a command, that command\'s help',
    '',
    'Environment: ANTHROPIC_API_KEY (required for Claude models), ANTHROPIC_BASE_URL (optional),',
    '  OPENAI_API_KEY for openai:<model> models.',
    'Exit codes: 0 done or spec saved (an audit: its target reached); 1 run stopped, or an audit that',
    '  ended below its target (--json: "targetReached": false and "reason": "no-improvement",',
    '  "max-iterations" or "budget"); 2 usage or configuration error; 130 interrupted.',
  );
  return lines.join('\n');
}

function columns(left: string, text: string, column: number): string[] {
  const wrapped = wrap(text, WIDTH - column, ' '.repeat(column));
  if (left.length >= column - 1) return [left, ...wrapped];
  return [`${left.padEnd(column)}${wrapped[0]!.trimStart()}`, ...wrapped.slice(1)];
}

function wrap(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(`${indent}${line}`);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(`${indent}${line}`);
  return lines;
}
