/**
 * Row 64 (issue 73): a three-repository change-set's wall time against the slowest member's own run
 * plus its consumers' proof runs on the combined heads. examples/changeset (service ← sdk via
 * openapi ← web via npm), each member's config as `init` wrote it (defaults: proof required, its
 * strength on), the feature of the integration test (test/support/changesetFeature.ts) answered by
 * the Messages API test server at 1.5 s per call (row 1's latency), the real engine's `feature
 * --approve` in the workspace's folder (engine.runChangeSet). A member's own run is its part run
 * alone on the machine: the service's (`feature` in its repository with the same agents), the root
 * producer every consumer waits on; the sdk's and the web app's cannot run alone (their proofs need
 * their producers' changes). The consumers' proof runs are `check workspace --combined` of the sdk
 * and of the web app on the set's result, timed after it. Said beside it: stop 85's measure, each
 * member's runs in the set less its waits for its producers, which a producer's run made longer
 * in the set (its mutants yield to its consumers' checks there) flatters. Both are timed after an
 * untimed run of the service's part, so that neither pays the process's first loads alone.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkCombinedHeads } from '../../src/core/combined';
import { engine } from '../../src/core/engine';
import { startMessagesApiServer } from '../../test/support/messagesApiServer';
import { makeChangeset } from '../../test/support/changesetExample';
import { changesetAgents } from '../../test/support/changesetFeature';
import { BenchHost } from '../support/benchHost';
import { machineCpu } from '../support/processCpu';
import { type AgentScript, scriptedAgents } from '../support/scriptedAgents';
import type { BenchCase, BenchContext } from '../types';

const LATENCY_MS = 1500;
const TARGET = 1.2;
const REQUEST = 'Show how many of each product are in stock';
const MEMBERS = ['service', 'sdk', 'web'] as const;

/** Each run's wall time, run.started to run.completed, by run id. */
function runWalls(host: BenchHost): Map<string, number> {
  const started = new Map<string, number>();
  const walls = new Map<string, number>();
  for (const { at, event } of host.events) {
    if (event.type === 'run.started') started.set(event.runId, at);
    if (event.type === 'run.completed' && started.has(event.runId))
      walls.set(event.runId, at - started.get(event.runId)!);
  }
  return walls;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * What the machine's cores did: the set's CPU and the service's part's alone, and the least wall time
 * the set's CPU needs on these cores (where it is near the set's, the set is bound by the cores, not
 * by waiting).
 */
function cpuWords(setBusyMs: number | undefined, setMs: number, aloneBusyMs: number | undefined): string {
  if (setBusyMs === undefined || aloneBusyMs === undefined) return '';
  const cores = availableParallelism();
  return (
    `. The machine's ${cores} cores: the set ${seconds(setBusyMs)} of CPU (${Math.round((100 * setBusyMs) / (cores * setMs))}% busy), ` +
    `the service's part alone ${seconds(aloneBusyMs)}; the set's CPU alone needs ${seconds(setBusyMs / cores)} of wall time here`
  );
}

/** The machine's busy CPU (user and system, every core) while `work` runs, in ms; undefined off Linux. */
async function busyDuring<T>(work: () => Promise<T>): Promise<{ result: T; busyMs: number | undefined }> {
  const before = machineCpu();
  const result = await work();
  const after = machineCpu();
  const busy = (c: NonNullable<typeof before>) => c.userMs + c.systemMs;
  return { result, busyMs: before && after ? busy(after) - busy(before) : undefined };
}

/** The service's part as a feature run alone in its repository (its spec, then its implementation): its runs' walls. */
async function serviceAlone(ctx: Pick<BenchContext, 'onCleanup'>): Promise<number> {
  const dir = makeChangeset();
  const agents = changesetAgents() as Record<string, AgentScript>;
  const spec = agents.spec!;
  // The set's spec agent is told which member's part it writes; alone, the service's.
  agents.spec = (call) => spec({ ...call, task: `${call.task}\nThis is service's part` });
  const scripted = scriptedAgents(agents, LATENCY_MS);
  const api = await startMessagesApiServer(scripted.script);
  ctx.onCleanup(() => api.close());
  const host = new BenchHost();
  const run = await engine.runFeature(REQUEST, {
    workspace: join(dir, 'service'),
    host,
    baseURL: api.url,
    autoApprove: true,
    assumeYes: true,
  });
  if (run.status !== 'completed') throw new Error(`the service's part alone ended ${run.status}: ${run.error ?? ''}`);
  return [...runWalls(host).values()].reduce((s, ms) => s + ms, 0);
}

export default {
  title: 'Change-set wall time vs the slowest member plus its consumers’ proofs',
  order: 64,
  async run(ctx) {
    // Untimed, so that neither timed run pays alone what this process loads once through tsx (the
    // strength step's StrykerJS instrumenter, the proof phase's modules: 1.5 s of CPU in the set).
    await serviceAlone(ctx);
    const dir = makeChangeset();
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund'], { cwd: join(dir, 'web'), stdio: 'pipe' });
    const scripted = scriptedAgents(changesetAgents() as Record<string, AgentScript>, LATENCY_MS);
    const api = await startMessagesApiServer(scripted.script);
    ctx.onCleanup(() => api.close());
    const host = new BenchHost();
    const startedAt = performance.now();
    const { result: set, busyMs: setBusyMs } = await busyDuring(() =>
      engine.runChangeSet(REQUEST, {
        workspace: dir,
        host,
        baseURL: api.url,
        autoApprove: true,
        assumeYes: true,
      }),
    );
    const setMs = performance.now() - startedAt;
    if (set.status !== 'completed')
      throw new Error(
        `the set ended ${set.status} at ${set.stoppedAt}: ${set.members.map((m) => m.reason ?? '').join(' ')}`,
      );
    const walls = runWalls(host);
    // A consumer's run waits for its producers' work before its checks: that wait is the set's, not its own run's.
    const own = set.members.map((m) => ({
      name: m.name,
      ms: m.runIds.reduce((s, id) => s + (walls.get(id) ?? 0), 0) - m.waitedSec * 1000,
      waitedMs: m.waitedSec * 1000,
    }));
    ctx.log(`  set ${seconds(setMs)}; ${own.map((m) => `${m.name} ${seconds(m.ms)}`).join(', ')}`);
    // The consumers' proof runs on the combined heads, as `check workspace --combined` runs them for each.
    const proofs: { name: string; ms: number }[] = [];
    for (const member of MEMBERS.slice(1)) {
      const t0 = performance.now();
      const report = await checkCombinedHeads(dir, { trusted: true, member });
      proofs.push({ name: member, ms: performance.now() - t0 });
      if (!report.passed) throw new Error(`${member} failed on the combined heads after the set`);
    }
    const slowest = own.reduce((a, b) => (b.ms > a.ms ? b : a));
    const proofMs = proofs.reduce((s, p) => s + p.ms, 0);
    const bound = slowest.ms + proofMs;
    const ratio = setMs / bound;
    const modelCalls = scripted.calls.length;
    // The service's part alone on the machine (`feature` in its repository, the same agents): the
    // root producer, whose accepted work every consumer waits on. The sdk's and the web app's parts
    // cannot run alone: their proofs need their producers' changes.
    const { result: alone, busyMs: aloneBusyMs } = await busyDuring(() => serviceAlone(ctx));
    const aloneRatio = setMs / (alone + proofMs);
    return [
      {
        name: 'Change-set of three repositories (examples/changeset, 1.5 s per model call): wall time ÷ (the service’s part run alone + its consumers’ proof runs on the combined heads)',
        value: `${aloneRatio.toFixed(2)}×`,
        unit: '',
        target: `≤ ${TARGET}×`,
        pass: aloneRatio <= TARGET,
        note:
          `set ${seconds(setMs)}; the service's part run alone ${seconds(alone)}; consumers on the combined heads ${proofs.map((p) => `${p.name} ${seconds(p.ms)}`).join(', ')}; ` +
          `${modelCalls} model calls (${seconds(modelCalls * LATENCY_MS)} of model time). In the set, the members' own runs ` +
          `(their runs less their waits for producers) ${own.map((m) => `${m.name} ${seconds(m.ms)}`).join(', ')} ` +
          `(waits: ${own.map((m) => `${m.name} ${seconds(m.waitedMs)}`).join(', ')}): the set ÷ (the slowest + the proofs, ${seconds(bound)}) ${ratio.toFixed(2)}×, ` +
          `a bound a producer's run made longer in the set (its mutants yield to its consumers' checks) flatters` +
          cpuWords(setBusyMs, setMs, aloneBusyMs),
      },
    ];
  },
} satisfies BenchCase;
