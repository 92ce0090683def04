/**
 * Parses `orchestrator <command> [args] [flags]` exactly as docs/cli.md: the options and which
 * command takes which come from optionTable.ts and commandTable.ts, the table the help prints;
 * what is left here is each command's words and the checks across options.
 */
import { nearMiss } from '../core/text/nearMiss';
import { COMMANDS, formLabel, formOptions, requiredOptions, takersOf, type FormSpec } from './commandTable';
import {
  DEPRECATED_OPTIONS,
  deprecatedOf,
  OPTIONS,
  optionOf,
  readValue,
  type DeprecatedOption,
  type OptionSpec,
} from './optionTable';
import { UsageError } from './usageError';

export type { CliArgs, CommandName } from './cliArgs';
import type { CliArgs, CommandName } from './cliArgs';
export { UsageError } from './usageError';

function knownCommand(name: string | undefined): CommandName | undefined {
  return name !== undefined && Object.hasOwn(COMMANDS, name) ? (name as CommandName) : undefined;
}

/** `deprecated`: the table of removed and renamed flags (a test gives its own). */
export function parseArgs(
  argv: string[],
  cwd: string,
  deprecated: readonly DeprecatedOption[] = DEPRECATED_OPTIONS,
): CliArgs {
  const args: CliArgs = {
    command: 'help',
    workspace: cwd,
    json: false,
    verbose: false,
    approve: false,
    yes: false,
    reject: false,
    all: false,
    strict: false,
    explain: false,
    strength: false,
    force: false,
    noVerify: false,
    worktree: false,
    revoke: false,
    pool: false,
    watch: false,
    allowUntested: false,
    allowUnchecked: false,
    dryRun: false,
    githubAction: false,
  };
  const rest: string[] = [];
  const given: string[] = [];
  let wantsHelp = false;
  for (let i = 0; i < argv.length; i++) {
    // A removed or renamed flag: read as its replacement (or dropped), with a warning.
    const renamed = deprecatedOf(argv[i]!, deprecated);
    if (renamed) {
      (args.warnings ??= []).push(renamed.warning);
      if (renamed.token === undefined) {
        i += renamed.skip;
        continue;
      }
    }
    const token = renamed?.token ?? argv[i]!;
    const spec = optionOf(token);
    if (!spec) {
      if (token.startsWith('-') && token !== '-') {
        const near = nearMiss(
          token.split('=')[0]!,
          OPTIONS.map((o) => o.name),
        );
        throw new UsageError(
          `unknown option ${token}`,
          knownCommand(rest[0]),
          near ? `did you mean ${near}?` : undefined,
        );
      }
      rest.push(token);
      continue;
    }
    const inline = token.startsWith('--') && token.includes('=') ? token.slice(token.indexOf('=') + 1) : undefined;
    if (!given.includes(spec.name)) given.push(spec.name);
    if (spec.key === 'help') wantsHelp = true;
    else if (spec.key === 'version') rest.unshift('version');
    else if (spec.kind === 'flag') withCommand(() => setFlag(args, spec, inline), knownCommand(rest[0]));
    else {
      const value = withCommand(() => readValue(spec, inline ?? argv[++i]), knownCommand(rest[0]));
      if (spec.kind === 'repeatable')
        ((args as unknown as Record<string, unknown[] | undefined>)[spec.key] ??= []).push(value);
      else (args as unknown as Record<string, unknown>)[spec.key] = value;
    }
  }
  const [name, ...positionals] = rest;
  if (name !== undefined && !knownCommand(name)) {
    const near = nearMiss(name, Object.keys(COMMANDS));
    throw new UsageError(
      `unknown command "${name}"`,
      undefined,
      near ? `did you mean \`orchestrator ${near}\`?` : 'the commands: orchestrator --help',
    );
  }
  // `orchestrator <command> --help` and `orchestrator help <command>`: that command's help, whatever else was typed.
  if (wantsHelp || name === 'help') {
    const topic = name === 'help' ? positionals[0] : name;
    if (topic !== undefined && !knownCommand(topic)) {
      const near = nearMiss(topic, Object.keys(COMMANDS));
      throw new UsageError(
        `no command "${topic}" to help with`,
        undefined,
        near ? `did you mean \`orchestrator ${near} --help\`?` : undefined,
      );
    }
    return { ...args, command: 'help', ...(topic !== undefined && topic !== 'help' ? { positional: topic } : {}) };
  }
  if (name === undefined) return args;
  args.command = name as CommandName;
  try {
    checkOptions(args.command, positionals, given);
    return commandArgs(args, name, positionals);
  } catch (error) {
    if (error instanceof UsageError) error.command ??= args.command;
    throw error;
  }
}

/** A bad value's usage error shows the usage lines of the command typed before it. */
function withCommand<T>(read: () => T, command: CommandName | undefined): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof UsageError) error.command ??= command;
    throw error;
  }
}

/** `--yes`; `--branch` or `--branch=NAME`; a flag given a value is a mistake. */
function setFlag(args: CliArgs, spec: OptionSpec, inline: string | undefined): void {
  if (inline !== undefined && !spec.inline) throw new UsageError(`${spec.name} takes no value (got "${inline}")`);
  if (inline === '') throw new UsageError(`${spec.name}= needs a ${spec.inline === 'NAME' ? 'branch name' : 'value'}`);
  (args as unknown as Record<string, unknown>)[spec.key] = inline ?? true;
}

/**
 * Every option given must be one the command's form takes, as its usage line shows it. The form:
 * the one whose first word (`task add`) and required options (`runs --pool`) were given.
 */
function checkOptions(command: CommandName, positionals: string[], given: string[]): void {
  const all = COMMANDS[command].forms;
  const forms = all.some((form) => form.sub !== undefined && form.sub === positionals[0])
    ? all.filter((form) => form.sub === positionals[0])
    : all.filter((form) => form.sub === undefined);
  const form =
    forms
      .filter((f) => requiredOptions(f).every((o) => given.includes(o)))
      .sort((a, b) => requiredOptions(b).length - requiredOptions(a).length)[0] ?? forms[0];
  const takes = (f: FormSpec, name: string) => formOptions(f).includes(name);
  for (const name of given) {
    const spec = OPTIONS.find((o) => o.name === name)!;
    // `--yes` on a command that asks nothing: accepted, ignored (its help says so).
    if (spec.common || spec.elsewhere !== undefined || name === '--version') continue;
    const here = form ? takes(form, name) : COMMANDS[command].forms.some((f) => takes(f, name));
    if (!here)
      throw new UsageError(
        `${name} is not an option of ${form ? formLabel(command, form) : command}; ${name} belongs to ${takersOf(name).join(', ')}`,
      );
  }
}

/** The command's own words and the checks across its options (a usage error then shows its usage lines). */
function commandArgs(args: CliArgs, name: string, positionals: string[]): CliArgs {
  const shape = COMMANDS[args.command];
  if (args.command === 'task') return taskArgs(args, positionals);
  if (args.command === 'user') return userArgs(args, positionals);
  if (args.command === 'change') return changeArgs(args, positionals);
  if (args.command === 'workflow') return workflowArgs(args, positionals);
  if (args.command === 'runners') runnersArgs(args, positionals);
  if (args.command === 'check' && positionals[0] !== undefined && !['dictionary', 'workspace'].includes(positionals[0]))
    throw new UsageError(`check takes dictionary or workspace (got "${positionals[0]}")`);
  if (args.command === 'verify') verifyArgs(args, positionals);
  if (args.command === 'queue') {
    // No branch named: the pool's completed runs, with --pool or `runs.dispatch: pool` (mergeQueueOutput.ts).
    if (positionals.length > 0 && args.pool)
      throw new UsageError("queue takes named branches or --pool (the pool's completed runs), not both");
    args.branches = positionals;
    return args;
  }
  if (args.pool && args.worktree)
    throw new UsageError('--pool and --worktree: a pooled run always works in a worktree of its worker');
  if (positionals.length > 1)
    throw new UsageError(`${name} takes one argument; quote the text: ${name} ${shape.argName ?? ''}`);
  if (shape.arg === 'none' && positionals.length > 0) throw new UsageError(`${name} takes no argument`);
  if (shape.arg === 'required' && (positionals[0] === undefined || positionals[0].trim() === ''))
    throw new UsageError(`${name} needs ${shape.argName}`);
  args.positional = positionals[0];
  return args;
}

/** `runners` (the CLI agents here), or `runners stats [--layer L] [--since D] [--pool] [--json]` (issue 47). */
function runnersArgs(args: CliArgs, positionals: string[]): void {
  const [sub] = positionals;
  if (sub !== undefined && sub !== 'stats') throw new UsageError(`runners takes stats or nothing (got "${sub}")`);
  if (sub === 'stats') args.subcommand = sub;
  if (args.since !== undefined) sinceDate(args.since);
}

/**
 * `--since`: a date or time JavaScript reads (`2026-11-01`, `2026-11-01T09:00Z`), or `<n>d` for the
 * last n days counted back from `now`.
 */
export function sinceDate(value: string, now = Date.now()): Date {
  const days = /^(\d{1,5})d$/.exec(value.trim());
  const at = days
    ? now - Number(days[1]) * 86_400_000
    : /^\d{4}-\d{2}-\d{2}/.test(value.trim())
      ? Date.parse(value.trim())
      : Number.NaN;
  if (!Number.isFinite(at))
    throw new UsageError(`--since needs a date (2026-11-01) or a number of days (30d) (got "${value}")`);
  return new Date(at);
}

/** `user add <name> --role R [--email E]`, `user list`, `user token <name> [--revoke]`. */
function userArgs(args: CliArgs, positionals: string[]): CliArgs {
  const [sub, ...rest] = positionals;
  if (sub !== 'add' && sub !== 'list' && sub !== 'token')
    throw new UsageError(`user needs add, list or token (got ${sub === undefined ? 'nothing' : `"${sub}"`})`);
  args.subcommand = sub;
  if (sub === 'list' ? rest.length > 0 : rest.length !== 1 || rest[0]!.trim() === '')
    throw new UsageError(sub === 'list' ? 'user list takes nothing' : `user ${sub} needs one account name`);
  args.positional = rest[0];
  if (sub === 'add' && args.role === undefined)
    throw new UsageError('user add needs --role admin, supervisor or agent');
  return args;
}

/** `workflow check <file> [--json]`. */
function workflowArgs(args: CliArgs, positionals: string[]): CliArgs {
  const [sub, file, ...extra] = positionals;
  if (sub !== 'check')
    throw new UsageError(`workflow needs check <file> (got ${sub === undefined ? 'nothing' : `"${sub}"`})`);
  if (!file || extra.length > 0)
    throw new UsageError('workflow check needs one file: workflow check .claude/workflows/<name>.yaml');
  args.subcommand = sub;
  args.positional = file;
  return args;
}

/** `change <runId> "<request>" [--approve] [--yes]`. */
function changeArgs(args: CliArgs, positionals: string[]): CliArgs {
  const [runId, request, ...extra] = positionals;
  if (!runId || request === undefined || request.trim() === '' || extra.length > 0)
    throw new UsageError('change needs a run id and one quoted request: change <runId> "<request>"');
  args.positional = runId;
  args.request = request;
  return args;
}

/** `verify <specId>`, `verify --all` or `verify --affected base..head`: one of them. */
function verifyArgs(args: CliArgs, positionals: string[]): void {
  const picks = [positionals.length > 0, args.all, args.affected !== undefined].filter(Boolean).length;
  if (picks > 1) throw new UsageError('verify takes one of a spec id, --all or --affected');
  if (picks === 0) throw new UsageError('verify needs <specId>, --all or --affected <base>..<head>');
  if (args.since !== undefined && !args.all) throw new UsageError('verify --since <commit> sweeps: use it with --all');
}

/** `task add "<title>" [--description T] [--source S]`, `task list [--status S]`, `task review [id] [--approve|--reject] [--comment T]`. */
function taskArgs(args: CliArgs, positionals: string[]): CliArgs {
  const [sub, ...rest] = positionals;
  const shapes = { add: 'a title', list: 'nothing', review: 'at most a task id' } as const;
  if (sub !== 'add' && sub !== 'list' && sub !== 'review')
    throw new UsageError(`task needs add, list or review (got ${sub === undefined ? 'nothing' : `"${sub}"`})`);
  args.subcommand = sub;
  if (sub === 'add' && (rest.length !== 1 || rest[0]!.trim() === ''))
    throw new UsageError('task add needs one quoted title: task add "<title>"');
  if (sub !== 'add' && rest.length > (sub === 'review' ? 1 : 0))
    throw new UsageError(`task ${sub} takes ${shapes[sub]}`);
  args.positional = rest[0];
  if (args.approve && args.reject) throw new UsageError('task review takes --approve or --reject, not both');
  return args;
}
