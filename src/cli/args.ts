/** Parses `orchestrator <command> [args] [flags]` exactly as DESIGN.md's CLI contract. */

export type CommandName = 'init' | 'feature' | 'bugfix' | 'specs' | 'approve' | 'resume' | 'runs' | 'rollback' | 'help';

export interface CliArgs {
  command: CommandName;
  positional?: string;
  workspace: string;
  json: boolean;
  approve: boolean;
  yes: boolean;
}

export class UsageError extends Error {}

const commands: Record<CommandName, { arg: 'required' | 'optional' | 'none'; argName?: string }> = {
  init: { arg: 'none' },
  feature: { arg: 'required', argName: '"<request>"' },
  bugfix: { arg: 'required', argName: '"<report>"' },
  specs: { arg: 'none' },
  approve: { arg: 'required', argName: '<specId>' },
  resume: { arg: 'optional', argName: '[runId]' },
  runs: { arg: 'none' },
  rollback: { arg: 'required', argName: '<runId>' },
  help: { arg: 'none' },
};

export const usage = `Usage: orchestrator <command> [options]

Commands:
  init                                 scaffold .claude/ (config, context templates, empty registry)
  feature "<request>" [--approve] [--yes]
                                       write a spec; with --approve implement it too
  bugfix "<report>" [--approve] [--yes]
                                       diagnose, write a fix spec; with --approve fix it
  specs                                saved specs and their status
  approve <specId> [--yes]             approve a saved spec and implement it (--yes: even with
                                       work no layer owns)
  resume [runId]                       continue a run that did not complete (default: the latest
                                       interrupted, cancelled or stopped one)
  runs                                 list runs (an unreadable journal with the reason)
  rollback <runId>                     undo the files a run changed

Options:
  --workspace DIR   the project folder (default: current directory)
  --json            print one JSON summary on stdout
  --approve         approve the spec without asking
  --yes             answer yes to confirmations (large deletions, many files, schema changes)

Environment: ANTHROPIC_API_KEY (required for model calls), ANTHROPIC_BASE_URL (optional).
Exit codes: 0 done or spec saved; 1 run stopped; 2 usage or configuration error; 130 interrupted.`;

export function parseArgs(argv: string[], cwd: string): CliArgs {
  const args: CliArgs = { command: 'help', workspace: cwd, json: false, approve: false, yes: false };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === '--json') args.json = true;
    else if (token === '--approve') args.approve = true;
    else if (token === '--yes' || token === '-y') args.yes = true;
    else if (token === '--workspace' || token.startsWith('--workspace=')) {
      const value = token.includes('=') ? token.slice(token.indexOf('=') + 1) : argv[++i];
      if (!value) throw new UsageError('--workspace needs a directory');
      args.workspace = value;
    } else if (token === '--help' || token === '-h') rest.unshift('help');
    else if (token.startsWith('-') && token !== '-') throw new UsageError(`unknown option ${token}`);
    else rest.push(token);
  }
  const [name, ...positionals] = rest;
  if (name === undefined) return args;
  if (!(name in commands)) throw new UsageError(`unknown command "${name}"`);
  args.command = name as CommandName;
  const shape = commands[args.command];
  if (positionals.length > 1) throw new UsageError(`${name} takes one argument; quote the text: ${name} ${shape.argName ?? ''}`);
  if (shape.arg === 'none' && positionals.length > 0) throw new UsageError(`${name} takes no argument`);
  if (shape.arg === 'required' && (positionals[0] === undefined || positionals[0].trim() === '')) {
    throw new UsageError(`${name} needs ${shape.argName}`);
  }
  args.positional = positionals[0];
  return args;
}
