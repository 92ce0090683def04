import { statSync } from 'node:fs';
import { resolve, join } from 'node:path';
// The engine bundle: dist/engine.js, shared with the extension (see scripts/build.mjs).
import * as engine from '../core/engineBundle';
import type { RunOptions, RunSummary } from '../core/api';
import { CliArgs, parseArgs, usage, UsageError } from './args';
import { CliHost } from './cliHost';
import { exitCodeFor, isConfigurationError, printSpecs, printSummary, printTable } from './output';

/** Where `init` finds its templates: the package's own `.claude/` beside `dist/`. */
const templatesDir = join(__dirname, '..', '.claude');

async function main(argv: string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv, process.cwd());
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`orchestrator: ${error.message}\n\n${usage}\n`);
      return 2;
    }
    throw error;
  }
  const workspace = resolve(args.workspace);
  if (!isDirectory(workspace)) {
    process.stderr.write(`orchestrator: the workspace ${workspace} does not exist or is not a folder${args.workspace === process.cwd() ? '' : ' (--workspace)'}\n`);
    return 2;
  }
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const controller = new AbortController();
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(130); // a second Ctrl-C does not wait
    interrupted = true;
    progress('interrupting… (the run can be resumed with `orchestrator resume`)');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const options: RunOptions = {
    workspace,
    host: new CliHost({ approve: args.approve, yes: args.yes, progress }),
    autoApprove: args.approve,
    assumeYes: args.yes,
    signal: controller.signal,
    baseURL: process.env.ANTHROPIC_BASE_URL || undefined,
  };

  try {
    const summary = await dispatch(args, options);
    if (!summary) return 0;
    printSummary(summary, args.json);
    return interrupted ? 130 : exitCodeFor(summary);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (args.json) process.stdout.write(`${JSON.stringify({ status: 'error', error: message })}\n`);
    process.stderr.write(`orchestrator: ${message}\n`);
    if (interrupted) return 130;
    return isConfigurationError(error) ? 2 : 1;
  }
}

async function dispatch(args: CliArgs, options: RunOptions): Promise<RunSummary | undefined> {
  const { workspace } = options;
  switch (args.command) {
    case 'help':
      process.stdout.write(`${usage}\n`);
      return undefined;
    case 'init': {
      const result = await engine.initWorkspace(workspace, templatesDir);
      if (args.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else {
        result.created.forEach((file) => process.stdout.write(`created ${file}\n`));
        result.skipped.forEach((file) => process.stdout.write(`kept    ${file} (already there)\n`));
      }
      return undefined;
    }
    case 'feature':
      return engine.runFeature(args.positional!, options);
    case 'bugfix':
      return engine.runBugfix(args.positional!, options);
    case 'approve':
      return engine.approveSpec(args.positional!, { ...options, autoApprove: true });
    case 'resume':
      return engine.resumeRun(args.positional, options);
    case 'specs': {
      printSpecs(args.json, await engine.listSpecs(workspace));
      return undefined;
    }
    case 'runs': {
      const runs = await engine.listRuns(workspace);
      // An unreadable journal is listed with why, not hidden.
      const rows = args.json ? runs : runs.map((run) => (run.problem ? { ...run, request: `unreadable journal: ${run.problem}` } : run));
      printTable(args.json, rows, ['runId', 'kind', 'status', 'request']);
      return undefined;
    }
    case 'rollback': {
      const report = await engine.rollback(workspace, args.positional!);
      if (args.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else {
        report.restored.forEach((file) => process.stdout.write(`restored ${file}\n`));
        report.removed.forEach((file) => process.stdout.write(`removed  ${file}\n`));
      }
      return undefined;
    }
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`orchestrator: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
