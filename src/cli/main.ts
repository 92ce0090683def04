import { readFileSync, statSync } from 'node:fs';
import { resolve, join } from 'node:path';
// The engine bundle: dist/engine.js, shared with the extension (see scripts/build.mjs).
import { ApplyConflictError, engine, goesToPool, stopSpawnerHelper } from '../core/engineBundle';
import type { RunOptions, RunSummary } from '../core/api';
import type { Census, VerifyOutcome } from '../core/census';
import { leftOutBundle } from '../core/text/leftOutBundle';
import { redactSecrets } from '../core/text/secrets';
import { CliArgs, parseArgs, UsageError, type CommandName } from './args';
import { COMMAND_HELP, commandHelp, generalHelp, usageLines, type Documented } from './help';
import { CliHost } from './cliHost';
import { serve, userCommand } from './portalCommands';
import { initGithub } from './initGithub';
import { printInit, printProposal, verifyLines } from './initOutput';
import { runDemo } from './demo';
import { serveMcp, taskCommand } from './queueCommands';
import {
  applyPooled,
  approveInPool,
  dispatchCommand,
  pooledEventLines,
  withPooledSpecs,
  workerCommand,
} from './poolCommands';
import { choicesOf } from './runChoices';
import { verifyCommand } from './verifyOutput';
import { queueCommand } from './mergeQueueOutput';
import { printDictionaryCheck, printWorkflowCheck, printWorkflows } from './workflowOutput';
import { combinedAt, combinedProgress, printCombinedCheck } from './combinedOutput';
import { printChangeSetCheck } from './changeSetOutput';
import { changeSetRun, printChangeSetRun } from './changeSetRunOutput';
import { publishOrMerge } from './mergeOutput';
import { applyCommand, describeConflicts, discardCommand } from './worktreeCommands';
import { exitCodeFor, isConfigurationError, printSpecs, printSummary, printTrace } from './output';
import { err, out, outJson, quietWhenReadersGo } from './terminal';
import { sandboxLines } from './sandboxOutput';
import { printAttempts } from './attemptsOutput';
import { printPlan } from './planOutput';
import { gcCommand, rollbackCommand, runnersCommand, runsCommand } from './listingCommands';
import { builtFrom, versionLine } from '../shared/buildInfo';

/** Where `init` finds its templates: the package's own `.claude/` beside `dist/`. */
const templatesDir = join(__dirname, '..', '.claude');

async function main(argv: string[]): Promise<number> {
  quietWhenReadersGo();
  let args: CliArgs;
  try {
    args = parseArgs(argv, process.cwd());
  } catch (error) {
    if (error instanceof UsageError) {
      // The parser may stop before it reads --json: a script that asked for JSON gets JSON anyway.
      if (argv.includes('--json'))
        outJson({
          status: 'error',
          error: error.message,
          ...(error.hint ? { hint: error.hint } : {}),
          ...(documented(error.command)
            ? { usage: COMMAND_HELP[error.command].usage.map((form) => `orchestrator ${form}`) }
            : {}),
        });
      err(usageErrorText(error));
      return 2;
    }
    throw error;
  }
  // A removed or renamed flag still works, one minor version long: said on stderr, never on stdout.
  for (const warning of args.warnings ?? []) err(`${warning}\n`);
  const workspace = resolve(args.workspace);
  if (!isDirectory(workspace)) {
    const message = `the workspace ${workspace} does not exist or is not a folder${args.workspace === process.cwd() ? '' : ' (--workspace)'}`;
    if (args.json) outJson({ status: 'error', error: message });
    err(`orchestrator: ${message}\n`);
    return 2;
  }
  const progress = (line: string) => err(`${line}\n`);
  const controller = new AbortController();
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(130); // a second Ctrl-C does not wait
    interrupted = true;
    progress(interruptLine(args.command));
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const options: RunOptions = {
    ...choicesOf(args),
    workspace,
    host: new CliHost({ progress }),
    signal: controller.signal,
    baseURL: process.env.ANTHROPIC_BASE_URL || undefined,
    templatesDir,
  };

  try {
    // `task` answers with its own exit code: 1 when an approval could not be applied.
    if (args.command === 'task') return await taskCommand(workspace, args);
    if (args.command === 'user') return await userCommand(workspace, args);
    // `verify` answers with drift's exit code: 1 when a requirement is broken (or changed, --strict).
    if (args.command === 'verify') return await verifyCommand(workspace, args, options, progress);
    // `queue` answers 1 when a branch was set aside (a culprit, a conflict, a batch not told apart).
    if (args.command === 'queue') return await queueCommand(workspace, args, options.signal!, progress);
    // `check dictionary` answers 1 when the dictionary and the schema differ.
    if (args.command === 'check' && args.positional === 'workspace' && args.combined)
      return printCombinedCheck(
        await engine.checkCombinedHeads(process.cwd(), {
          trusted: true,
          ...combinedAt(args),
          ...(options.signal ? { signal: options.signal } : {}),
          ...combinedProgress(progress),
        }),
        args.json,
      );
    if (args.command === 'publish' || args.command === 'merge')
      return await publishOrMerge(args, controller.signal, progress);
    if (args.command === 'check' && args.positional === 'workspace')
      return printChangeSetCheck(await engine.checkChangeSet(process.cwd()), args.json);
    if (args.command === 'check') return printDictionaryCheck(await engine.checkDictionary(workspace), args.json);
    // In the folder holding .claude/workspace.yaml, `feature` is a change-set's, `approve <setId>` approves one (issue 73).
    const set = await changeSetRun(args, options);
    if (set) return printChangeSetRun(set, args.json);
    const summary = await dispatch(args, options);
    // init interrupted after it kept what it had (the commands verified before Ctrl-C) still says so; a server stopped with Ctrl-C exits 0.
    if (!summary) return interrupted && args.command === 'init' ? 130 : 0;
    printSummary(summary, args.json);
    return interrupted ? 130 : exitCodeFor(summary);
  } catch (error) {
    if (error instanceof ApplyConflictError) {
      // Both sides of each conflict on stderr (stdout stays JSON with --json); nothing was written.
      if (args.json) outJson({ status: 'conflict', error: error.message, conflicts: error.conflicts });
      err(describeConflicts(error));
      return 1;
    }
    // A command whose bundle the vendored Action's CLI leaves out (`mcp`, `serve`…): said, exit 2.
    const missing = leftOutBundle(error, `\`orchestrator ${args.command}\``);
    const message = missing ?? redactSecrets(error instanceof Error ? error.message : String(error)).text;
    if (args.json) outJson({ status: 'error', error: message });
    err(`orchestrator: ${message}\n`);
    if (interrupted) return 130;
    // A usage mistake found after parsing (a flag this command takes, not here): exit 2 as any other.
    return missing || isConfigurationError(error) || error instanceof UsageError ? 2 : 1;
  }
}

async function dispatch(args: CliArgs, options: RunOptions): Promise<RunSummary | undefined> {
  const { workspace } = options;
  // A dry run (issue 71): the plan, here, with no model call and nothing written (never sent to the pool).
  if (args.dryRun && (args.command === 'feature' || args.command === 'bugfix')) {
    printPlan(await engine.planRun(args.command, args.positional!, options), args.json);
    return undefined;
  }
  // The pool of workers (issue 28): the run is stored for a worker instead of running here.
  if (['feature', 'bugfix', 'audit', 'approve'].includes(args.command) && (await goesToPool(workspace, args))) {
    await dispatchCommand(workspace, args);
    return undefined;
  }
  if (args.command === 'approve' && !args.pool && (await approveInPool(workspace, args.positional!, args)))
    return undefined;
  switch (args.command) {
    case 'help':
      out(`${documented(args.positional) ? commandHelp(args.positional) : generalHelp()}\n`);
      return undefined;
    case 'version': {
      const { name, version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
        name: string;
        version: string;
      };
      // --verbose: the doctor line, whether agents and commands can run confined here (issue 36).
      const sandbox = args.verbose ? await engine.sandboxStatus() : undefined;
      const commit = builtFrom();
      if (args.json)
        outJson({ name, version, commit: commit ?? null, ...(sandbox ? { node: process.version, sandbox } : {}) });
      else
        out(
          `${versionLine(name, version, commit)}\n${sandbox ? `node ${process.version}${sandboxLines(sandbox)}` : ''}`,
        );
      return undefined;
    }
    case 'init': {
      if (args.ci !== undefined || args.githubAction) return initGithub(args, workspace);
      // The proposal at once, then each command's verification as it starts and ends (issue 70): no budget by
      // default, so proof is never turned off for want of time; Ctrl-C keeps what is verified.
      const lines = verifyLines();
      const report = await engine.initWorkspace(workspace, templatesDir, {
        force: args.force,
        verify: !args.noVerify,
        ...(args.verifyBudget !== undefined ? { budgetSec: args.verifyBudget } : {}),
        // The CLI runs in a terminal the user opened on this folder: the workspace is trusted.
        trusted: true,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(args.json
          ? {}
          : {
              onProposal: (census: Census) => printProposal(census),
              onProgress: (command: string, outcome: VerifyOutcome) => err(`${lines.end(command, outcome)}\n`),
              onStart: (command: string, index: number, total: number) =>
                err(`${lines.start(command, index, total)}\n`),
            }),
      });
      printInit(report, args.json);
      return undefined;
    }
    case 'demo':
      return runDemo(args.positional, options, (line) => err(`${line}\n`));
    case 'feature':
      return engine.runFeature(args.positional!, options);
    case 'bugfix':
      return engine.runBugfix(args.positional!, options);
    case 'audit':
      return engine.runAudit(
        {
          target: resolve(options.workspace, args.positional!),
          ...(args.dimension !== undefined ? { dimension: args.dimension } : {}),
          ...(args.target !== undefined ? { targetScore: args.target } : {}),
          ...(args.maxIterations !== undefined ? { maxIterations: args.maxIterations } : {}),
          ...(args.maxBudget !== undefined ? { maxBudgetUsd: args.maxBudget } : {}),
        },
        options,
      );
    case 'approve': {
      const folder = specFolder(args.positional!);
      const assignments = args.assign ?? [];
      if (!folder) {
        await engine.assignLayers(workspace, args.positional!, assignments);
        return engine.approveSpec(args.positional!, { ...options, autoApprove: true });
      }
      // A Kiro or Spec Kit folder: converted into a spec first, then approved like any other.
      const imported = await engine.importSpec(workspace, folder);
      const progress = (line: string) => err(`${line}\n`);
      progress(
        `Imported ${imported.source} (${imported.format === 'kiro' ? 'Kiro' : 'Spec Kit'}) as ${imported.specPath}: ${imported.requirements} requirement(s), ${imported.tasks} task(s).`,
      );
      imported.warnings.forEach((warning) => progress(`warn: ${imported.source}: ${warning}`));
      await engine.assignLayers(workspace, imported.specId, assignments);
      return engine.approveSpec(imported.specId, { ...options, autoApprove: true });
    }
    case 'resume':
      return engine.resumeRun(args.positional, options);
    case 'change': {
      const outcome = await engine.requestChange(args.positional!, args.request!, options);
      if (outcome.status === 'resumed') return outcome.summary;
      if (args.json) outJson(outcome);
      else
        out(
          `change ${outcome.changeId} queued: run ${outcome.runId} picks it up between steps (its amendment waits for approval there)\n`,
        );
      return undefined;
    }
    case 'attempts': {
      if (!args.use) {
        printAttempts(await engine.runAttempts(workspace, args.positional!), args.json);
        return undefined;
      }
      const [layer, k] = args.use.split('/') as [string, string];
      const outcome = await engine.useAttempt(args.positional!, layer, Number(k), options);
      if (outcome.status === 'resumed') return outcome.summary;
      if (args.json) outJson(outcome);
      else if (outcome.status === 'current')
        out(`${layer}'s attempt ${k} is the one in run ${outcome.runId} already\n`);
      else
        out(
          `${layer}'s attempt ${k} queued: run ${outcome.runId} takes it between waves or before its review, and runs the layers after ${layer} again on it\n`,
        );
      return undefined;
    }
    case 'specs': {
      printSpecs(args.json, await withPooledSpecs(workspace, await engine.listSpecs(workspace)));
      return undefined;
    }
    case 'mcp':
      await serveMcp(workspace, args, options.signal!);
      return undefined;
    case 'serve':
      await serve(workspace, args, options.signal!);
      return undefined;
    case 'user':
      return undefined; // answered before dispatch, with its own exit code
    case 'runners':
      await runnersCommand(workspace, args);
      return undefined;
    case 'worker':
      await workerCommand(workspace, args, options.signal!);
      return undefined;
    case 'runs':
      await runsCommand(workspace, args, options.signal!);
      return undefined;
    case 'gc':
      await gcCommand(workspace, args);
      return undefined;
    case 'trace': {
      const matrix = await engine.traceSpec(workspace, args.positional!, {
        ...(args.xlsx ? { xlsx: args.xlsx } : {}),
        ...(args.md ? { md: args.md } : {}),
      });
      printTrace(matrix, args);
      return undefined;
    }
    case 'events': {
      const format = (args.format ?? 'cloudevents') as 'cloudevents' | 'journal';
      // A run not in this workspace may be the pool's: its journal as the workers mirrored it.
      const lines =
        (await pooledEventLines(workspace, args.positional!, format)) ??
        (await engine.runEvents(workspace, args.positional!, format));
      for (const line of lines) out(`${line}\n`);
      return undefined;
    }
    case 'check':
      return undefined; // answered before dispatch, with its own exit code
    case 'workflows':
      printWorkflows(await engine.listWorkflows(workspace, templatesDir), args.json);
      return undefined;
    case 'workflow':
      // The file as the user typed it, from the current folder.
      printWorkflowCheck(await engine.checkWorkflow(workspace, resolve(args.positional!)), args.json);
      return undefined;
    case 'apply':
      if (await applyPooled(workspace, args.positional!, args)) return undefined;
      await applyCommand(workspace, args);
      return undefined;
    case 'discard':
      await discardCommand(workspace, args);
      return undefined;
    case 'rollback':
      await rollbackCommand(workspace, args);
      return undefined;
  }
}

/** One line, the command's usage and the near-miss hint: never the whole help. */
function usageErrorText(error: UsageError): string {
  const usage = documented(error.command) ? `\n${usageLines(error.command)}` : '';
  const hint = error.hint ? `\n${error.hint}` : '';
  const more = documented(error.command) ? `orchestrator ${error.command} --help` : 'orchestrator --help';
  return `orchestrator: ${error.message}${hint}${usage}\n(more: ${more})\n`;
}

/** A command with its own help (not `help` nor `version`). */
function documented(command: string | undefined): command is Documented {
  return command !== undefined && Object.hasOwn(COMMAND_HELP, command);
}

/** What Ctrl-C does to this command: a run can be resumed; a server just stops. */
function interruptLine(command: CommandName): string {
  if (command === 'serve' || command === 'mcp')
    return 'stopping the server… (the queue stays in its store; start it again with the same command)';
  if (['feature', 'bugfix', 'audit', 'approve', 'resume', 'change', 'demo'].includes(command))
    return 'interrupting… (the run can be resumed with `orchestrator resume`)';
  return 'interrupting…';
}

/** `approve <folder>`: a folder (a Kiro or Spec Kit spec) is taken from the current directory; a spec id is not a folder. */
function specFolder(arg: string): string | undefined {
  const fromCwd = resolve(arg);
  return !/^\d{4}-\d{2}-\d{2}-[a-z0-9-]+$/.test(arg) && isDirectory(fromCwd) ? fromCwd : undefined;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * process.exit() drops whatever a pipe has not taken yet (`trace --json | cat` stopped at
 * 146 kB): exit once stdout and stderr have flushed everything written before, and the
 * spawning helper has ended with what it started.
 */
async function exitWhenFlushed(code: number): Promise<void> {
  process.exitCode = code;
  // Nothing this process started runs on once it has exited (serve on SIGTERM, issue 50).
  await stopSpawnerHelper();
  let pending = 2;
  const flushed = () => {
    if (--pending === 0) process.exit(code);
  };
  /* eslint-disable no-restricted-syntax -- an empty write: only its callback matters */
  process.stdout.write('', flushed);
  process.stderr.write('', flushed);
  /* eslint-enable no-restricted-syntax */
}

main(process.argv.slice(2)).then(exitWhenFlushed, (error) => {
  err(`orchestrator: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`);
  return exitWhenFlushed(1);
});
