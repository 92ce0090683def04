/**
 * The CLI's commands (issue 59): each command's forms, the options each form takes, and what it
 * does. The parser (args.ts) refuses any option a form does not list here, and the help and
 * usage lines (help.ts) print these lists: one table, so they never disagree
 * (test/unit/cli/commandTable.test.ts tries every option on every form).
 */
import type { CommandName } from './cliArgs';
import { TASK_STATUSES } from '../core/engineBundle';
import { MERGE_COMMANDS } from './mergeTable';

/**
 * One form of a command, as a usage line shows it. `options`: `--x` optional, `!--x` required
 * (it tells this form from the others: `runs --pool`), `--a|--b` one or the other.
 */
export interface FormSpec {
  /** The first word after the command that selects this form (`task add`). */
  sub?: string;
  /** What follows the command in the usage line, before the options: `add "<title>"`. */
  words?: string;
  options: string[];
  /** A command line of this form that parses (without the options), for the table's test. */
  example: string[];
}

export interface CommandSpec {
  /** Its argument: `required` needs `argName`; several words are the forms' business. */
  arg: 'required' | 'optional' | 'none';
  argName?: string;
  /** What it does, one paragraph; absent: not listed in the help (`help`, `version`). */
  about?: string;
  forms: FormSpec[];
  /** What an option means for this command, when the option table's words are not right here. */
  help?: Record<string, string>;
}

const RUN = ['--approve', '--yes', '--worktree', '--runner', '--pool', '--labels'];
const AUDIT = ['--dimension', '--target', '--max-iterations', '--max-budget'];

export const COMMANDS: Record<CommandName, CommandSpec> = {
  demo: {
    arg: 'optional',
    argName: '[folder]',
    about:
      'One feature on a bundled sample project with a scripted model (no key, no network; under a minute). The result stays in the folder it names (default: a new one in the OS temp folder).',
    forms: [{ words: '[folder]', options: [], example: ['demo'] }],
  },
  init: {
    arg: 'none',
    about:
      'Take a census of the repository and write .claude/ from it: layers, owns, validate commands (each run once unless --no-verify), schema, context files. An existing config is kept and the proposal shown as a diff.',
    forms: [
      { options: ['--force', '--no-verify', '--verify-budget'], example: ['init'] },
      {
        options: ['!--ci', '--dimension', '--target', '--max-budget', '--force', '--yes'],
        example: ['init', '--ci', 'github'],
      },
      { options: ['!--github-action', '--force', '--yes'], example: ['init', '--github-action'] },
    ],
    help: {
      '--yes':
        "--github-action, --ci: add the entries that keep formatters, linters and GitHub's statistics out of the vendored Action without asking",
      '--dimension': '--ci github: the dimensions pull requests are audited on',
      '--target': '--ci github: the score a pull request must reach',
      '--max-budget': "--ci github: each audit's budget",
    },
  },
  feature: {
    arg: 'required',
    argName: '"<request>"',
    about:
      "Write a spec for the request and save it for approval; with --approve implement it too. In the folder holding .claude/workspace.yaml: one spec across its repositories, each member's part implemented producers first, one approval and one budget (docs/changesets.md).",
    forms: [
      {
        words: '"<request>"',
        options: [...RUN, '--attempts', '--workflow', '--allow-untested', '--allow-unchecked', '--dry-run'],
        example: ['feature', 'Add a thing'],
      },
    ],
    help: { '--approve': 'approve the spec without asking, and implement it' },
  },
  bugfix: {
    arg: 'required',
    argName: '"<report>"',
    about: 'Diagnose the report and write a fix spec; with --approve fix it too.',
    forms: [
      {
        words: '"<report>"',
        options: [...RUN, '--attempts', '--workflow', '--allow-unchecked', '--dry-run'],
        example: ['bugfix', 'It breaks'],
      },
    ],
    help: { '--approve': 'approve the fix spec without asking, and implement it' },
  },
  audit: {
    arg: 'required',
    argName: '<path>',
    about:
      'Audit a folder or file and improve it until the target score (default audit.target), the iteration cap or the budget. Dimensions: .claude/audit/<D>.md (compliance, backend, frontend, tests, security, architecture). Exit 1 when it ends below its target.',
    forms: [
      { words: '<path>', options: [...AUDIT, ...RUN.filter((o) => o !== '--approve')], example: ['audit', 'server'] },
    ],
    help: {
      '--yes': 'answer yes to confirmations (also new modules, migrations, audit.core files)',
      '--max-budget': 'a budget for this audit',
    },
  },
  specs: {
    arg: 'none',
    about:
      'Saved specs and their status, then Mustard folders and the Kiro and Spec Kit folders not imported yet (each with its state and the approve command); work no layer owns is listed with its lines.',
    forms: [{ options: [], example: ['specs'] }],
  },
  approve: {
    arg: 'required',
    argName: '<specId | Kiro or Spec Kit folder>',
    about:
      "Approve a saved spec and implement it (in a change-set's folder, a saved change-set by its id: every member's part); or bring a Kiro spec folder (requirements.md or bugfix.md, design.md, tasks.md), a Spec Kit feature folder (spec.md, plan.md, tasks.md) or a Mustard spec folder, converted into a spec and approved the same way. A task that names no file and whose layer cannot be told is named before anything runs: give it a layer with --assign (or the sidebar's layer picker).",
    forms: [
      {
        words: '<specId | folder>',
        options: [
          '--yes',
          '--assign',
          '--allow-untested',
          '--allow-unchecked',
          '--worktree',
          '--runner',
          '--pool',
          '--labels',
          '--attempts',
        ],
        example: ['approve', '2026-11-23-add-a-thing'],
      },
    ],
    help: { '--yes': 'approve even with files no layer owns, and answer confirmations' },
  },
  resume: {
    arg: 'optional',
    argName: '[runId]',
    about:
      'Continue a run that did not complete (default: the latest interrupted, cancelled or stopped one); an audit stopped by its budget continues with --max-budget.',
    forms: [
      {
        words: '[runId]',
        options: ['--approve', '--max-budget', '--yes', '--allow-untested', '--allow-unchecked'],
        example: ['resume'],
      },
    ],
    help: {
      '--approve': "approve the gates the resumed run reaches without asking (the spec's, a workflow phase's)",
      '--max-budget': 'raise the budget of the run',
    },
  },
  workflows: {
    arg: 'none',
    about:
      'The workflows this workspace can run — its own .claude/workflows/*.yaml, then the shipped feature, slice and squads — with their phases, gates and documents; a broken file with its problem.',
    forms: [{ options: ['--json'], example: ['workflows'] }],
  },
  workflow: {
    arg: 'required',
    argName: 'check <file>',
    about:
      'Validate one workflow file as a run would load it: YAML, the schema, references to earlier phases, step gates. Exit 2 naming the file, the line and the key.',
    forms: [{ sub: 'check', words: 'check <file>', options: ['--json'], example: ['workflow', 'check', 'w.yaml'] }],
  },
  check: {
    arg: 'required',
    argName: 'dictionary|workspace',
    about:
      'dictionary: compare the tables and columns of docs/data/dictionary.md (a heading per table with a Markdown table or a list of its columns) with the schema the census finds: SQL migrations, Prisma, Drizzle, Django/SQLAlchemy models, Alembic, EF Core migrations, Rails db/schema.rb or db/migrate, Laravel migrations, TypeORM entities, GORM models. Every difference is named; exit 1 when there is one. workspace: the change-set’s .claude/workspace.yaml found here or above, checked (a mistake names its line and key, exit 2) and its members listed producers first with who uses whom; with none, what init would propose for this folder; --combined: each member’s validate commands run, producers first, in a throwaway worktree of its work tree with its producers’ linked in (exit 1 when one fails); with --branch=NAME each member at that branch (its HEAD where it has none) (docs/changesets.md).',
    forms: [
      { sub: 'dictionary', words: 'dictionary', options: ['--json'], example: ['check', 'dictionary'] },
      {
        sub: 'workspace',
        words: 'workspace',
        options: ['--combined', '--branch', '--json'],
        example: ['check', 'workspace'],
      },
    ],
  },
  runs: {
    arg: 'none',
    about:
      "List runs (an unreadable journal with the reason); --pool: the pool's runs with their status, phase, wave, worker and cost; --watch: then each change as it happens, until Ctrl-C.",
    forms: [
      { options: [], example: ['runs'] },
      { options: ['!--pool', '--watch'], example: ['runs', '--pool'] },
    ],
    help: { '--pool': "the pool's runs instead of this workspace's" },
  },
  runners: {
    arg: 'optional',
    argName: '[stats]',
    about:
      "The CLI agents a layer or role can run on (Claude Code, Codex, Gemini CLI, Copilot CLI, opencode): installed and its version (agentCli.<r>.command, else its usual name on PATH), too old, signed in (by which variable or credential file: names only), and what to do when one is not ready. stats: the runners' record of this repository, per layer, runner and model: runs, passed at once (first-try validation with every proof test green: what runner: auto ranks by), first try, mean retries, proof tests green, approved by review, mean cost and time (docs/runners.md).",
    forms: [
      { options: [], example: ['runners'] },
      {
        sub: 'stats',
        words: 'stats',
        options: ['--layer', '--since', '--pool', '--json'],
        example: ['runners', 'stats'],
      },
    ],
    help: {
      '--pool': "stats: the team's record in the pool's database (queue.url) instead of this machine's",
      '--layer': "stats: only layer L's rows",
      '--since': 'stats: only outcomes since a date (2026-11-01) or the last days (30d)',
    },
  },
  attempts: {
    arg: 'required',
    argName: '<runId>',
    about:
      "A run's attempts layer by layer (docs/attempts.md): each attempt's runner and model, proof tests green of total, validation, retries, cost, time and diff stat, and the one in the run with why. --use: that attempt instead, before the run completes; a run going now takes it between waves or before its review and re-runs the layers after it, a stopped run is resumed with it.",
    forms: [
      { words: '<runId>', options: ['--json'], example: ['attempts', 'r1'] },
      { words: '<runId>', options: ['!--use', '--yes'], example: ['attempts', 'r1', '--use', 'backend/2'] },
    ],
    help: { '--yes': 'answer yes to confirmations of the run it resumes' },
  },
  ...MERGE_COMMANDS,
  rollback: {
    arg: 'required',
    argName: '<runId>',
    about: 'Undo the files a run changed (an applied worktree run: exactly what the apply changed).',
    forms: [{ words: '<runId>', options: [], example: ['rollback', 'r1'] }],
  },
  apply: {
    arg: 'required',
    argName: '<runId>',
    about:
      'Bring a finished worktree run into your working tree as a 3-way merge (HEAD and the index untouched; a conflict stops with both sides shown, nothing written).',
    forms: [{ words: '<runId>', options: ['--branch'], example: ['apply', 'r1'] }],
  },
  worker: {
    arg: 'none',
    about:
      "Join the pool of workers on PostgreSQL (queue.url or ORCHESTRATOR_QUEUE_URL): claim pooled runs and run each in a worktree of this worker's clone of the remote (pool.remote, default origin). SIGTERM drains: it hands back what it holds and exits (docs/pool.md).",
    forms: [{ options: ['--max-runs', '--labels', '--name'], example: ['worker'] }],
    help: {
      '--labels':
        'what this worker offers (gpu…); a run asking for labels goes only to a worker with all of them. runner:<cli> is added by itself for each CLI agent found at start (orchestrator runners)',
    },
  },
  discard: {
    arg: 'required',
    argName: '<runId>',
    about:
      'Drop a worktree run that is not running: its worktree and refs are removed, and nothing of it counts as completed.',
    forms: [{ words: '<runId>', options: [], example: ['discard', 'r1'] }],
  },
  gc: {
    arg: 'none',
    about:
      'Delete checkpoint refs beyond checkpoints.keep, and the worktrees and refs of worktree runs applied, discarded, killed or gone.',
    forms: [{ options: [], example: ['gc'] }],
  },
  trace: {
    arg: 'required',
    argName: '<specId>',
    about:
      'The traceability matrix (requirement → criterion → tasks → files → validation → review → tests): Markdown on stdout, JSON with --json.',
    forms: [{ words: '<specId>', options: ['--xlsx', '--md'], example: ['trace', 's1'] }],
  },
  events: {
    arg: 'required',
    argName: '<runId>',
    about:
      "The run's events as CloudEvents JSON lines (default), or the raw journal lines; a pooled run's are read from the pool.",
    forms: [{ words: '<runId>', options: ['--format'], example: ['events', 'r1'] }],
  },
  mcp: {
    arg: 'none',
    about:
      'Serve the task queue over MCP: stdio, or Streamable HTTP on 127.0.0.1:PORT with a bearer token (kept in a 0600 file).',
    forms: [{ options: ['--http'], example: ['mcp'] }],
  },
  task: {
    arg: 'required',
    argName: 'add "<title>" | list | review [taskId]',
    about:
      'The task queue from the terminal: add a task, list the queue by status, decide on a submitted artifact (asks when no flag).',
    forms: [
      {
        sub: 'add',
        words: 'add "<title>"',
        options: ['--description', '--source'],
        example: ['task', 'add', 'A title'],
      },
      { sub: 'list', words: 'list', options: ['--status'], example: ['task', 'list'] },
      {
        sub: 'review',
        words: 'review [taskId]',
        options: ['--approve|--reject', '--comment'],
        example: ['task', 'review'],
      },
    ],
    help: {
      '--description': "add: the task's description",
      '--source': 'add: where it came from',
      '--status': `list: only tasks in this status: ${TASK_STATUSES.join(', ')}`,
      '--approve': 'review: approve the artifact',
      '--reject': 'review: reject it',
      '--comment': 'review: a comment for the claimer',
    },
  },
  serve: {
    arg: 'none',
    about:
      'The supervisor portal, MCP over HTTP (/mcp) and the task webhooks in one server (default 127.0.0.1:7373). Ctrl-C stops it; the queue stays in its store.',
    forms: [{ options: ['--port', '--host'], example: ['serve'] }],
  },
  user: {
    arg: 'required',
    argName: 'add <name> --role R | list | token <name> [--revoke]',
    about:
      'Accounts of the portal. add: an account (admin, supervisor or agent) or a new role for it; the password from stdin (asked twice on a terminal). list: the accounts and their roles. token: a new MCP token for an agent account, printed once.',
    forms: [
      {
        sub: 'add',
        words: 'add <name>',
        options: ['!--role', '--email'],
        example: ['user', 'add', 'ann', '--role', 'agent'],
      },
      { sub: 'list', words: 'list', options: [], example: ['user', 'list'] },
      { sub: 'token', words: 'token <name>', options: ['--revoke'], example: ['user', 'token', 'bot'] },
    ],
    help: {
      '--role': 'add: admin, supervisor or agent',
      '--email': 'add: its OpenID Connect sign-in (- removes it)',
      '--revoke': "token: the account's token stops working at once",
    },
  },
  change: {
    arg: 'required',
    argName: '<runId> "<request>"',
    about:
      "Amend a run's approved spec: the spec agent writes the amendment, you approve it; only the layers it changes run again (FIX mode). A run going now picks it up between steps; a stopped one resumes.",
    forms: [
      { words: '<runId> "<request>"', options: ['--approve', '--yes'], example: ['change', 'r1', 'Also a price'] },
    ],
    help: { '--approve': 'approve the amendment without asking' },
  },
  verify: {
    arg: 'optional',
    argName: '<specId> | --all | --affected <base>..<head>',
    about:
      "Drift: is a completed spec still true of today's code? Each requirement holds, changed (its files changed, checks pass) or broken (a validate command or one of its tests fails); exit 1 when one is broken. No model call unless --explain.",
    forms: [
      { words: '<specId>', options: ['--strict', '--xlsx', '--explain', '--strength'], example: ['verify', 's1'] },
      { options: ['!--all', '--since', '--strict', '--explain', '--strength'], example: ['verify', '--all'] },
      {
        options: ['!--affected', '--strict', '--explain', '--strength'],
        example: ['verify', '--affected', 'main..HEAD'],
      },
    ],
    help: {
      '--xlsx': 'the matrix and a Drift sheet',
      '--since':
        'with --all, the sweep (D a commit): each criterion red on HEAD bisected from D, or the later commit it was last proven at, to its first red commit',
    },
  },
  help: { arg: 'optional', argName: '[command]', forms: [{ words: '[command]', options: [], example: ['help'] }] },
  version: { arg: 'none', forms: [{ options: ['--verbose'], example: ['--version'] }] },
};

/** The commands the help lists, in its order. */
export type Documented = Exclude<CommandName, 'help' | 'version'>;
export const DOCUMENTED = Object.keys(COMMANDS).filter(
  (name) => COMMANDS[name as CommandName].about !== undefined,
) as Documented[];

/** `!--pool` → `--pool`, `--approve|--reject` → both. */
export const formOptions = (form: FormSpec): string[] =>
  form.options.flatMap((entry) => entry.replace(/^!/, '').split('|'));
export const requiredOptions = (form: FormSpec): string[] =>
  form.options.filter((entry) => entry.startsWith('!')).map((entry) => entry.slice(1));

/** `task add`, `runs --pool`: a form as an error and the help name it (`except`: the option being placed). */
export function formLabel(command: string, form: FormSpec, except?: string): string {
  return [command === 'version' ? '--version' : command, form.sub, ...requiredOptions(form).filter((o) => o !== except)]
    .filter(Boolean)
    .join(' ');
}

/** The forms that take an option: `feature, bugfix, audit, approve, runs, runners stats`. */
export function takersOf(name: string): string[] {
  const labels = Object.entries(COMMANDS).flatMap(([command, spec]) =>
    spec.forms.filter((f) => formOptions(f).includes(name)).map((f) => formLabel(command, f, name)),
  );
  return [...new Set(labels)];
}
