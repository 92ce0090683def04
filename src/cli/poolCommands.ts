/** The pool of workers from the terminal (docs/pool.md): `worker`, `… --pool`, `runs --pool`, pooled specs at the gate. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as engine from '../core/engineBundle';
import type { SpecInfo } from '../core/api';
import { attemptsPerLayer } from '../core/text/runnerNames';
import type * as PoolBundle from '../pool/index';
import { waitingFor } from '../shared/poolView';
import type { CliArgs } from './args';
import { printTable } from './output';
import { choicesOf } from './runChoices';
import { err, out, outJson } from './terminal';
import { reviewerName } from './queueCommands';

/** The pool is its own bundle (scripts/build.mjs: dist/pool.js), loaded only by these commands. */
function poolBundle(): typeof PoolBundle {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../pool/index') as typeof PoolBundle;
}

export async function workerCommand(workspace: string, args: CliArgs, signal: AbortSignal): Promise<void> {
  await poolBundle().runWorker({
    workspace,
    maxRuns: args.maxRuns !== undefined ? Number(args.maxRuns) : 1,
    labels: labelsOf(args),
    ...(args.name !== undefined ? { name: args.name } : {}),
    signal,
    ...(process.env.ANTHROPIC_BASE_URL ? { baseURL: process.env.ANTHROPIC_BASE_URL } : {}),
    say: (line) => err(`${line}\n`),
  });
}

/** `feature|bugfix|audit|approve … --pool`: prints the run id (JSON: `{runId, status}`); exit 0. */
export async function dispatchCommand(workspace: string, args: CliArgs): Promise<void> {
  // The same choices as a run here (runChoices.ts): they travel with the run to its worker; a CLI
  // agent's runner adds its label (only a worker with that CLI takes the run).
  const flags = choicesOf(args);
  const labels = labelsOf(args);
  const pool = poolBundle();
  const input =
    args.command === 'audit'
      ? {
          kind: 'audit' as const,
          request: `audit ${args.positional!}`,
          flags: { ...flags, audit: auditOf(args) },
          labels,
        }
      : args.command === 'approve'
        ? { kind: 'approve' as const, request: `approve ${args.positional!}`, specId: args.positional!, flags, labels }
        : { kind: args.command as 'feature' | 'bugfix', request: args.positional!, flags, labels };
  const run = await pool.dispatchToPool(workspace, input);
  if (args.json) outJson({ runId: run.runId, status: run.status });
  else out(`${run.runId}\n`);
  err(`queued in the pool: ${run.runId} (follow it with: orchestrator runs --pool)\n`);
}

/** `approve <specId>` of a pooled run waiting at the gate: queued again for any worker; false when no pooled run waits with it. */
export async function approveInPool(workspace: string, specId: string, args: CliArgs): Promise<boolean> {
  if (!(await poolConfigured(workspace))) return false;
  // Of the run's choices, the waiver and the attempts join the approval (PoolStore.approve).
  const { allowUntested, attempts } = choicesOf(args);
  const run = await poolBundle().approvePooledSpec(workspace, specId, {
    by: await reviewerName(),
    ...(allowUntested ? { allowUntested } : {}),
    ...(attempts !== undefined ? { attempts } : {}),
  });
  if (!run) return false;
  if (args.json) outJson({ runId: run.runId, status: run.status, specId });
  else out(`${run.runId}\n`);
  const notes = [
    run.flags.allowUntested ? 'untested requirements waived' : '',
    run.flags.attempts !== undefined ? attemptsPerLayer(run.flags.attempts) : '',
  ].filter(Boolean);
  err(
    `approved ${specId}${notes.length ? ` (${notes.join(', ')})` : ''}: run ${run.runId} continues on the next free worker\n`,
  );
  return true;
}

export async function poolRunsCommand(workspace: string, args: CliArgs, signal: AbortSignal): Promise<void> {
  const pool = poolBundle();
  // Watching starts before the list is read: no change falls between the two.
  const changes: PoolBundle.PoolChange[] = [];
  let tell: ((change: PoolBundle.PoolChange) => void) | undefined;
  const stop = args.watch
    ? await pool.watchPool(workspace, (change) => (tell ? tell(change) : changes.push(change)))
    : undefined;
  try {
    printPoolRuns(await pool.listPoolRuns(workspace), args.json);
    if (!stop) return;
    tell = (change) => printChange(change, args.json);
    changes.splice(0).forEach(tell);
    await new Promise<void>((done) =>
      signal.aborted ? done() : signal.addEventListener('abort', () => done(), { once: true }),
    );
  } finally {
    await stop?.();
  }
}

/** One line per change: `--json` one JSON object, else `<runId> <status> …`. */
function printChange(change: PoolBundle.PoolChange, json: boolean): void {
  if (change.kind === 'budget') return;
  if (json) return outJson(change);
  const cost = change.costUsd !== undefined ? `$${change.costUsd.toFixed(4)}` : '';
  out(
    `${[change.runId, change.status, change.phase ?? '', change.wave ? `wave ${change.wave}` : '', change.worker ?? '', cost].filter(Boolean).join('  ')}\n`,
  );
}

function printPoolRuns(runs: PoolBundle.PoolRunView[], json: boolean): void {
  if (json) {
    outJson(runs);
    return;
  }
  printTable(
    false,
    runs.map((run) => ({
      ...run,
      specId: run.specId ?? '',
      phase: [run.phase, run.wave && `wave ${run.wave}`].filter(Boolean).join(' ') || '',
      worker: run.worker ?? '',
      cost: `$${run.costUsd.toFixed(4)}`,
      status: run.reason
        ? `${run.status} (${run.reason})`
        : waitingFor(run)
          ? `queued (${waitingFor(run)!})`
          : run.status,
      workflow: [run.workflow, run.allowUntested && 'untested waived', run.runner && `on ${run.runner}`]
        .filter(Boolean)
        .join(', '),
    })),
    ['runId', 'status', 'phase', 'worker', 'cost', 'specId', 'workflow'],
  );
}

/** With a pool, `specs` also lists the pooled specs waiting at the gate (approve them from here). */
export async function withPooledSpecs(workspace: string, specs: SpecInfo[]): Promise<SpecInfo[]> {
  if (!(await poolConfigured(workspace))) return specs;
  const waiting = await poolBundle().pooledSpecsWaiting(workspace);
  const pooled = waiting
    .filter((run) => run.specId && !specs.some((spec) => spec.id === run.specId))
    .map((run): SpecInfo => ({
      id: run.specId!,
      title: titleOf(run.spec?.markdown) ?? run.request,
      kind: run.kind === 'bugfix' ? 'bugfix' : 'feature',
      status: `awaiting approval (pool run ${run.runId})`,
      path: run.spec?.path ?? '',
      created: run.createdAt,
    }));
  return [...specs, ...pooled];
}

/** `apply <runId>` of a pooled run (no journal here, a pool configured): fetched from the remote and applied; false when it is a local run. */
export async function applyPooled(workspace: string, runId: string, args: CliArgs): Promise<boolean> {
  if (
    args.branch !== undefined ||
    existsSync(join(workspace, '.claude', 'runs', runId)) ||
    !(await poolConfigured(workspace))
  )
    return false;
  const report = await poolBundle().applyPooledRun(workspace, runId);
  if (args.json) {
    outJson(report);
    return true;
  }
  report.written.forEach((path) => out(`written  ${path}\n`));
  report.merged.forEach((path) => out(`merged   ${path} (with your edits)\n`));
  report.deleted.forEach((path) => out(`deleted  ${path}\n`));
  out(
    `applied pooled run ${runId} (branch ${report.branch}): ${report.written.length + report.merged.length + report.deleted.length} file(s); HEAD and the index untouched\n`,
  );
  return true;
}

/**
 * `events <runId>` of a pooled run (no journal here, a pool configured): its journal as its
 * workers mirrored it, in the lines of a local run's; undefined when the run is not the pool's either.
 */
export async function pooledEventLines(
  workspace: string,
  runId: string,
  format: 'cloudevents' | 'journal',
): Promise<string[] | undefined> {
  if (existsSync(join(workspace, '.claude', 'runs', runId)) || !(await poolConfigured(workspace))) return undefined;
  try {
    return await poolBundle().pooledEventLines(workspace, runId, format);
  } catch (error) {
    throw new Error(`run ${runId} is not in this workspace, and the pool cannot be read: ${(error as Error).message}`);
  }
}

/** `queue --pool`: the pool's completed runs' result branches, fetched for our merge queue (no pool set up: exit 2, saying what to set). */
export function pooledQueueBranches(workspace: string): Promise<PoolBundle.PooledBranches> {
  return poolBundle().pooledBranches(workspace);
}

/** `queue.url` (or ORCHESTRATOR_QUEUE_URL) names PostgreSQL: checked before the pool's bundle (and pg) is loaded. */
async function poolConfigured(workspace: string): Promise<boolean> {
  const config = await engine.loadConfig(workspace).catch(() => undefined);
  return /^postgres(ql)?:\/\//.test(config?.queue.url ?? process.env.ORCHESTRATOR_QUEUE_URL ?? '');
}

function titleOf(markdown: string | undefined): string | undefined {
  return /^title:\s*["']?(.+?)["']?\s*$/m.exec(markdown ?? '')?.[1];
}

function labelsOf(args: CliArgs): string[] {
  return args.labels ? args.labels.split(',') : [];
}

function auditOf(args: CliArgs): NonNullable<PoolBundle.PoolRun['flags']['audit']> {
  return {
    target: args.positional!.replace(/^\.\/+/, '') || '.',
    ...(args.dimension !== undefined ? { dimension: args.dimension } : {}),
    ...(args.target !== undefined ? { targetScore: args.target } : {}),
    ...(args.maxIterations !== undefined ? { maxIterations: args.maxIterations } : {}),
    ...(args.maxBudget !== undefined ? { maxBudgetUsd: args.maxBudget } : {}),
  };
}
