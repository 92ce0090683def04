/** Parses `orchestrator <command> [args] [flags]` exactly as docs/cli.md. */
import { nearMiss } from '../core/text/nearMiss';
import { LAYER_RUNNERS, type LayerRunner, MAX_ATTEMPTS } from '../core/runnerNames';

export type { CliArgs, CommandName } from './cliArgs';
import type { CliArgs, CommandName } from './cliArgs';

/** Bad usage: main prints this line, the command's usage lines and the near-miss hint (never the whole help). */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose usage lines follow the error. */
    public command?: CommandName,
    /** `did you mean "feature"?` */
    readonly hint?: string,
  ) {
    super(message);
  }
}

const commands: Record<CommandName, { arg: 'required' | 'optional' | 'none'; argName?: string }> = {
  init: { arg: 'none' },
  feature: { arg: 'required', argName: '"<request>"' },
  bugfix: { arg: 'required', argName: '"<report>"' },
  audit: { arg: 'required', argName: '<path>' },
  specs: { arg: 'none' },
  approve: { arg: 'required', argName: '<specId | Kiro or Spec Kit folder>' },
  resume: { arg: 'optional', argName: '[runId]' },
  runs: { arg: 'none' },
  rollback: { arg: 'required', argName: '<runId>' },
  gc: { arg: 'none' },
  help: { arg: 'optional', argName: '[command]' },
  version: { arg: 'none' },
  demo: { arg: 'optional', argName: '[folder]' },
  trace: { arg: 'required', argName: '<specId>' },
  events: { arg: 'required', argName: '<runId>' },
  mcp: { arg: 'none' },
  task: { arg: 'required', argName: 'add "<title>" | list | review [taskId]' },
  serve: { arg: 'none' },
  user: { arg: 'required', argName: 'add <name> --role R | list | token <name> [--revoke]' },
  verify: { arg: 'optional', argName: '<specId> | --all' },
  change: { arg: 'required', argName: '<runId> "<request>"' },
  apply: { arg: 'required', argName: '<runId>' },
  discard: { arg: 'required', argName: '<runId>' },
  workflows: { arg: 'none' },
  workflow: { arg: 'required', argName: 'check <file>' },
  check: { arg: 'required', argName: 'dictionary' },
  worker: { arg: 'none' },
  runners: { arg: 'optional', argName: '[stats]' },
  attempts: { arg: 'required', argName: '<runId>' },
};

/** Every option the CLI knows, for the near-miss hint of an unknown one. */
function knownOptions(): string[] {
  const flags = ['--json', '--approve', '--reject', '--revoke', '--all', '--strict', '--explain', '--force', '--no-verify', '--worktree', '--pool', '--watch', '--runner', '--branch', '--yes', '--workspace', '--assign', '--allow-untested', '--help', '--version', '--verbose'];
  return [...flags, ...AUDIT_OPTIONS, ...Object.keys(valueOptions)];
}

function knownCommand(name: string | undefined): CommandName | undefined {
  return name !== undefined && name in commands ? (name as CommandName) : undefined;
}

/** The commands that start or continue a run, where `--worktree` applies. */
const RUN_COMMANDS: CommandName[] = ['feature', 'bugfix', 'audit', 'approve'];

/** Where `--allow-untested` applies: the commands that start or continue a feature's workflow. */
const UNTESTED_COMMANDS: CommandName[] = ['feature', 'approve', 'resume'];

/** Options that take a value, and the commands they belong to. */
const valueOptions: Record<string, { key: 'xlsx' | 'md' | 'format' | 'http' | 'description' | 'source' | 'status' | 'comment' | 'port' | 'host' | 'role' | 'email' | 'maxRuns' | 'labels' | 'name' | 'workflow' | 'ci' | 'attempts' | 'use' | 'layer' | 'since'; commands: CommandName[]; what: string }> = {
  '--attempts': { key: 'attempts', commands: ['feature', 'bugfix', 'approve'], what: `a whole number from 1 to ${MAX_ATTEMPTS}` },
  '--use': { key: 'use', commands: ['attempts'], what: '<layer>/<k>, such as backend/2' },
  '--layer': { key: 'layer', commands: ['runners'], what: 'a layer name' },
  '--since': { key: 'since', commands: ['runners'], what: 'a date (2026-11-01) or a number of days (30d)' },
  '--ci': { key: 'ci', commands: ['init'], what: 'a CI provider (github)' },
  '--max-runs': { key: 'maxRuns', commands: ['worker'], what: 'a whole number ≥ 1' },
  '--labels': { key: 'labels', commands: ['worker', ...RUN_COMMANDS], what: 'labels, such as gpu,claude-code' },
  '--name': { key: 'name', commands: ['worker'], what: "the worker's name" },
  '--port': { key: 'port', commands: ['serve'], what: 'a port' },
  '--workflow': { key: 'workflow', commands: ['feature', 'bugfix'], what: 'a workflow name (orchestrator workflows lists them)' },
  '--host': { key: 'host', commands: ['serve'], what: 'an address to listen on' },
  '--role': { key: 'role', commands: ['user'], what: 'admin, supervisor or agent' },
  '--email': { key: 'email', commands: ['user'], what: 'an email address' },
  '--http': { key: 'http', commands: ['mcp'], what: 'a port' },
  '--description': { key: 'description', commands: ['task'], what: 'a text' },
  '--source': { key: 'source', commands: ['task'], what: 'a name' },
  '--status': { key: 'status', commands: ['task'], what: 'a task status' },
  '--comment': { key: 'comment', commands: ['task'], what: 'a text' },
  '--xlsx': { key: 'xlsx', commands: ['trace', 'verify'], what: 'a file' },
  '--md': { key: 'md', commands: ['trace'], what: 'a file' },
  '--format': { key: 'format', commands: ['events'], what: 'cloudevents or journal' },
};

/** The audit's options (`--name value` or `--name=value`); `resume` takes `--max-budget` too. */
const AUDIT_OPTIONS = ['--dimension', '--target', '--max-iterations', '--max-budget'];

function numberOption(name: string, value: string, check: (n: number) => boolean, expected: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !check(n)) throw new UsageError(`${name} needs ${expected} (got "${value}")`);
  return n;
}

export function parseArgs(argv: string[], cwd: string): CliArgs {
  const args: CliArgs = { command: 'help', workspace: cwd, json: false, verbose: false, approve: false, yes: false, reject: false, all: false, strict: false, explain: false, force: false, noVerify: false, worktree: false, revoke: false, pool: false, watch: false, allowUntested: false };
  const rest: string[] = [];
  const given = new Set<string>();
  let wantsHelp = false;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    const option = AUDIT_OPTIONS.find((name) => token === name || token.startsWith(`${name}=`));
    if (option) {
      const value = token.includes('=') ? token.slice(token.indexOf('=') + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`${option} needs a value`);
      given.add(option);
      if (option === '--dimension') args.dimension = value;
      else if (option === '--target') args.target = numberOption(option, value, (n) => n >= 0 && n <= 100, 'a score from 0 to 100');
      else if (option === '--max-iterations') args.maxIterations = numberOption(option, value, (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1');
      else args.maxBudget = numberOption(option, value, (n) => n > 0, 'an amount of USD above 0');
    } else if (token === '--json') args.json = true;
    else if (token === '--verbose') args.verbose = true;
    else if (token === '--approve') args.approve = true;
    else if (token === '--reject') args.reject = true;
    else if (token === '--revoke') args.revoke = true;
    else if (token === '--all' || token === '--strict' || token === '--explain') args[token.slice(2) as 'all' | 'strict' | 'explain'] = true;
    else if (token === '--force') args.force = true;
    else if (token === '--no-verify') args.noVerify = true;
    else if (token === '--worktree') args.worktree = true;
    else if (token === '--allow-untested') args.allowUntested = true;
    else if (token === '--pool') args.pool = true;
    else if (token === '--watch') args.watch = true;
    else if (token === '--runner' || token.startsWith('--runner=')) {
      const value = token.includes('=') ? token.slice(token.indexOf('=') + 1) : argv[++i];
      if (!value || !(LAYER_RUNNERS as readonly string[]).includes(value)) throw new UsageError(`--runner needs one of ${LAYER_RUNNERS.join(', ')}${value ? ` (got "${value}")` : ''}`);
      args.runner = value as LayerRunner;
    }
    else if (token === '--branch') args.branch = true;
    else if (token.startsWith('--branch=')) {
      const value = token.slice('--branch='.length);
      if (!value) throw new UsageError('--branch= needs a branch name');
      args.branch = value;
    }
    else if (token === '--yes' || token === '-y') args.yes = true;
    else if (token === '--workspace' || token.startsWith('--workspace=')) {
      const value = token.includes('=') ? token.slice(token.indexOf('=') + 1) : argv[++i];
      if (!value) throw new UsageError('--workspace needs a directory');
      args.workspace = value;
    } else if (Object.hasOwn(valueOptions, token.split('=')[0]!)) {
      const option = valueOptions[token.split('=')[0]!]!;
      const value = token.includes('=') ? token.slice(token.indexOf('=') + 1) : argv[++i];
      if (!value) throw new UsageError(`${token.split('=')[0]} needs ${option.what}`);
      args[option.key] = value;
    } else if (token === '--assign' || token.startsWith('--assign=')) {
      const value = token.includes('=') ? token.slice(token.indexOf('=') + 1) : argv[++i];
      const pick = /^\s*([^=\s]+)\s*=\s*([A-Za-z0-9_-]+)\s*$/.exec(value ?? '');
      if (!pick) throw new UsageError(`--assign needs <task id>=<layer>, such as "3.2=backend"${value ? ` (got "${value}")` : ''}`);
      (args.assign ??= []).push({ task: pick[1]!, layer: pick[2]! });
    } else if (token === '--help' || token === '-h') wantsHelp = true;
    else if (token === '--version' || token === '-v') rest.unshift('version');
    else if (token.startsWith('-') && token !== '-') {
      const near = nearMiss(token.split('=')[0]!, knownOptions());
      throw new UsageError(`unknown option ${token}`, knownCommand(rest[0]), near ? `did you mean ${near}?` : undefined);
    } else rest.push(token);
  }
  const [name, ...positionals] = rest;
  if (name !== undefined && !(name in commands)) {
    const near = nearMiss(name, Object.keys(commands));
    throw new UsageError(`unknown command "${name}"`, undefined, near ? `did you mean \`orchestrator ${near}\`?` : 'the commands: orchestrator --help');
  }
  // `orchestrator <command> --help` and `orchestrator help <command>`: that command's help, whatever else was typed.
  if (wantsHelp || name === 'help') {
    const topic = name === 'help' ? positionals[0] : name;
    if (topic !== undefined && !(topic in commands)) {
      const near = nearMiss(topic, Object.keys(commands));
      throw new UsageError(`no command "${topic}" to help with`, undefined, near ? `did you mean \`orchestrator ${near} --help\`?` : undefined);
    }
    return { ...args, command: 'help', ...(topic !== undefined && topic !== 'help' ? { positional: topic } : {}) };
  }
  if (name === undefined) return args;
  args.command = name as CommandName;
  try {
    return commandArgs(args, name, positionals, given);
  } catch (error) {
    if (error instanceof UsageError) error.command ??= args.command;
    throw error;
  }
}

/** The command's own checks, once the command is known (a usage error then shows its usage lines). */
function commandArgs(args: CliArgs, name: string, positionals: string[], given: Set<string>): CliArgs {
  const shape = commands[args.command];
  if (args.revoke && args.command !== 'user') throw new UsageError('--revoke belongs to user token');
  if (args.allowUntested && !UNTESTED_COMMANDS.includes(args.command)) throw new UsageError(`--allow-untested belongs to ${UNTESTED_COMMANDS.join(', ')}`);
  for (const key of ['port', 'host', 'role', 'email'] as const) {
    const [flag, option] = Object.entries(valueOptions).find(([, o]) => o.key === key)!;
    if (args[key] !== undefined && !option.commands.includes(args.command)) throw new UsageError(`${flag} belongs to ${option.commands.join(', ')}`);
  }
  if (args.command === 'task') return taskArgs(args, positionals);
  if (args.command === 'user') return userArgs(args, positionals);
  if (args.command === 'change') return changeArgs(args, positionals);
  if (args.command === 'workflow') return workflowArgs(args, positionals);
  if (args.command === 'runners') runnersArgs(args, positionals);
  if (args.command === 'check' && positionals[0] !== undefined && positionals[0] !== 'dictionary') throw new UsageError(`check takes dictionary (got "${positionals[0]}")`);
  if (args.reject) throw new UsageError('--reject belongs to task review');
  if ((args.all || args.strict || args.explain) && args.command !== 'verify') throw new UsageError('--all, --strict and --explain belong to verify');
  if (args.command === 'verify') verifyArgs(args, positionals);
  if ((args.force || args.noVerify) && args.command !== 'init') throw new UsageError(`${args.force ? '--force' : '--no-verify'} belongs to init`);
  if (args.worktree && !RUN_COMMANDS.includes(args.command)) throw new UsageError(`--worktree belongs to ${RUN_COMMANDS.join(', ')}`);
  if (args.runner && !RUN_COMMANDS.includes(args.command)) throw new UsageError(`--runner belongs to ${RUN_COMMANDS.join(', ')}`);
  poolArgs(args);
  if (args.branch !== undefined && args.command !== 'apply') throw new UsageError('--branch belongs to apply');
  if (positionals.length > 1) throw new UsageError(`${name} takes one argument; quote the text: ${name} ${shape.argName ?? ''}`);
  if (shape.arg === 'none' && positionals.length > 0) throw new UsageError(`${name} takes no argument`);
  if (shape.arg === 'required' && (positionals[0] === undefined || positionals[0].trim() === '')) {
    throw new UsageError(`${name} needs ${shape.argName}`);
  }
  args.positional = positionals[0];
  if (args.assign && args.command !== 'approve') throw new UsageError('--assign belongs to approve');
  if (args.attempts !== undefined) numberOption('--attempts', args.attempts, (n) => Number.isInteger(n) && n >= 1 && n <= MAX_ATTEMPTS, `a whole number from 1 to ${MAX_ATTEMPTS}`);
  if (args.use !== undefined && !/^[A-Za-z0-9_-]+\/[1-9]\d*$/.test(args.use)) throw new UsageError(`--use needs <layer>/<k>, such as backend/2 (got "${args.use}")`);
  const allowed = args.command === 'audit' ? AUDIT_OPTIONS : args.command === 'resume' ? ['--max-budget'] : args.command === 'init' && args.ci !== undefined ? ['--dimension', '--target', '--max-budget'] : [];
  if (args.ci !== undefined && args.ci !== 'github') throw new UsageError(`--ci supports github (got "${args.ci}")`);
  const misplaced = [...given].filter((option) => !allowed.includes(option));
  if (misplaced.length > 0) throw new UsageError(`${misplaced.join(', ')} ${misplaced.length === 1 ? 'is' : 'are'} not an option of ${name}`);
  for (const [flag, option] of Object.entries(valueOptions)) {
    if (args[option.key] !== undefined && !option.commands.includes(args.command)) throw new UsageError(`${flag} belongs to ${option.commands.join(', ')}`);
  }
  if (args.format !== undefined && !['cloudevents', 'journal'].includes(args.format)) throw new UsageError(`--format must be cloudevents or journal`);
  if (args.http !== undefined && !/^\d{1,5}$/.test(args.http)) throw new UsageError(`--http needs a port number (got "${args.http}")`);
  if (args.port !== undefined && !(/^\d{1,5}$/.test(args.port) && Number(args.port) <= 65535)) throw new UsageError(`--port needs a port number (got "${args.port}")`);
  return args;
}

/** `--pool` (run commands, `runs`), `worker --max-runs N --labels a,b --name N`. */
function poolArgs(args: CliArgs): void {
  if (args.pool && ![...RUN_COMMANDS, 'runs'].includes(args.command) && args.subcommand !== 'stats') throw new UsageError(`--pool belongs to ${RUN_COMMANDS.join(', ')}, runs and runners stats`);
  if (args.watch && !(args.command === 'runs' && args.pool)) throw new UsageError('--watch belongs to runs --pool');
  if (args.pool && args.worktree) throw new UsageError('--pool and --worktree: a pooled run always works in a worktree of its worker');
  if (args.maxRuns !== undefined) numberOption('--max-runs', args.maxRuns, (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1');
  if (args.labels !== undefined && !/^[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$/.test(args.labels)) throw new UsageError(`--labels needs names separated by commas, such as gpu,claude-code (got "${args.labels}")`);
  if (args.name !== undefined && !/^[\x21-\x7e]{1,100}$/.test(args.name)) throw new UsageError('--name needs a name of printable characters without spaces (at most 100)');
}

/** `runners` (the CLI agents here), or `runners stats [--layer L] [--since D] [--pool] [--json]` (issue 47). */
function runnersArgs(args: CliArgs, positionals: string[]): void {
  const [sub] = positionals;
  if (sub !== undefined && sub !== 'stats') throw new UsageError(`runners takes stats or nothing (got "${sub}")`);
  if (sub === 'stats') args.subcommand = sub;
  else if (args.layer !== undefined || args.since !== undefined) throw new UsageError('--layer and --since belong to runners stats');
  if (args.since !== undefined) sinceDate(args.since);
}

/**
 * `--since`: a date or time JavaScript reads (`2026-11-01`, `2026-11-01T09:00Z`), or `<n>d` for the
 * last n days counted back from `now`.
 */
export function sinceDate(value: string, now = Date.now()): Date {
  const days = /^(\d{1,5})d$/.exec(value.trim());
  const at = days ? now - Number(days[1]) * 86_400_000 : /^\d{4}-\d{2}-\d{2}/.test(value.trim()) ? Date.parse(value.trim()) : Number.NaN;
  if (!Number.isFinite(at)) throw new UsageError(`--since needs a date (2026-11-01) or a number of days (30d) (got "${value}")`);
  return new Date(at);
}

/** `user add <name> --role R [--email E]`, `user list`, `user token <name> [--revoke]`. */
function userArgs(args: CliArgs, positionals: string[]): CliArgs {
  const [sub, ...rest] = positionals;
  if (sub !== 'add' && sub !== 'list' && sub !== 'token') throw new UsageError(`user needs add, list or token (got ${sub === undefined ? 'nothing' : `"${sub}"`})`);
  args.subcommand = sub;
  if (sub === 'list' ? rest.length > 0 : rest.length !== 1 || rest[0]!.trim() === '') throw new UsageError(sub === 'list' ? 'user list takes nothing' : `user ${sub} needs one account name`);
  args.positional = rest[0];
  if (sub === 'add' && args.role === undefined) throw new UsageError('user add needs --role admin, supervisor or agent');
  if (sub !== 'add' && args.role !== undefined) throw new UsageError('--role belongs to user add');
  if (sub !== 'add' && args.email !== undefined) throw new UsageError('--email belongs to user add');
  if (sub !== 'token' && args.revoke) throw new UsageError('--revoke belongs to user token');
  for (const [flag, option] of Object.entries(valueOptions)) {
    if (args[option.key] !== undefined && !option.commands.includes('user')) throw new UsageError(`${flag} belongs to ${option.commands.join(', ')}`);
  }
  if (args.approve || args.reject) throw new UsageError('--approve and --reject belong to task review');
  return args;
}

/** `workflow check <file> [--json]`. */
function workflowArgs(args: CliArgs, positionals: string[]): CliArgs {
  const [sub, file, ...extra] = positionals;
  if (sub !== 'check') throw new UsageError(`workflow needs check <file> (got ${sub === undefined ? 'nothing' : `"${sub}"`})`);
  if (!file || extra.length > 0) throw new UsageError('workflow check needs one file: workflow check .claude/workflows/<name>.yaml');
  if (args.approve || args.yes || args.reject || args.all || args.strict || args.explain || args.force || args.worktree) throw new UsageError('workflow check takes only --json and --workspace');
  args.subcommand = sub;
  args.positional = file;
  return args;
}

/** `change <runId> "<request>" [--approve] [--yes]`. */
function changeArgs(args: CliArgs, positionals: string[]): CliArgs {
  const [runId, request, ...extra] = positionals;
  if (!runId || request === undefined || request.trim() === '' || extra.length > 0) throw new UsageError('change needs a run id and one quoted request: change <runId> "<request>"');
  if (args.reject || args.all || args.strict || args.explain) throw new UsageError('change takes only --approve, --yes, --json and --workspace');
  args.positional = runId;
  args.request = request;
  return args;
}

/** `verify <specId>` or `verify --all`, never both; `--xlsx` is one spec's workbook. */
function verifyArgs(args: CliArgs, positionals: string[]): void {
  if (args.all && positionals.length > 0) throw new UsageError('verify takes a spec id or --all, not both');
  if (!args.all && positionals.length === 0) throw new UsageError('verify needs <specId> or --all');
  if (args.all && args.xlsx !== undefined) throw new UsageError('--xlsx writes one spec\'s workbook: verify <specId> --xlsx FILE');
}

/** `task add "<title>" [--description T] [--source S]`, `task list [--status S]`, `task review [id] [--approve|--reject] [--comment T]`. */
function taskArgs(args: CliArgs, positionals: string[]): CliArgs {
  const [sub, ...rest] = positionals;
  const shapes = { add: 'a title', list: 'nothing', review: 'at most a task id' } as const;
  if (sub !== 'add' && sub !== 'list' && sub !== 'review') throw new UsageError(`task needs add, list or review (got ${sub === undefined ? 'nothing' : `"${sub}"`})`);
  args.subcommand = sub;
  if (sub === 'add' && (rest.length !== 1 || rest[0]!.trim() === '')) throw new UsageError('task add needs one quoted title: task add "<title>"');
  if (sub !== 'add' && rest.length > (sub === 'review' ? 1 : 0)) throw new UsageError(`task ${sub} takes ${shapes[sub]}`);
  args.positional = rest[0];
  const belongs: Record<string, string[]> = { add: ['description', 'source'], list: ['status'], review: ['comment'] };
  for (const key of ['description', 'source', 'status', 'comment'] as const) {
    if (args[key] !== undefined && !belongs[sub]!.includes(key)) throw new UsageError(`--${key} is not an option of task ${sub}`);
  }
  if ((args.approve || args.reject) && sub !== 'review') throw new UsageError(`--approve and --reject belong to task review`);
  if (args.approve && args.reject) throw new UsageError('task review takes --approve or --reject, not both');
  return args;
}
