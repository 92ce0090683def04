/**
 * The GitHub channel (issue 39): 20 issues labelled at once, each delivery signed as GitHub signs
 * it and posted to `orchestrator serve`'s `/webhooks/github`; the time from a delivery's POST to its
 * issue's spec comment reaching the scripted GitHub server. `serve` is the built CLI (dist/cli.js)
 * in a process of its own, as users start it; the scripted GitHub, git and model servers are this
 * process's, as GitHub is another machine's (issue 63: in serve's process they took a tenth of its
 * main thread). Model time is left out: the scripted spec agent answers at once (no latency), so
 * what is measured is the webhook's check, the permission call, each run's worktree, its phases
 * before the gate, and the comment. `limits.concurrentRuns: 21`: a run waiting at its gate holds a
 * slot (docs/github.md). One issue goes first, untimed: `serve` is a long-running process.
 *
 * Where the time goes (issue 63), in the row's note: each run's stages from its journal (medians),
 * the CPU the burst cost serve and the processes it started (git, the sandbox, the sync command),
 * and the whole machine's CPU by kind (the kernel's share is the file system's, on a slow disk).
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { engine } from '../../src/core/engine';
import { issueLabeled, signDelivery } from '../../test/support/githubWebhooks';
import { say } from '../../test/support/engine/agentScript';
import { withLimit } from '../../test/support/engine/shopWorkspace';
import { entityModule, entitySpec } from '../../test/support/engine/worktreeFeatures';
import { REPO, SECRET } from '../../test/support/github/githubKit';
import { restartWorld, type RestartWorld, type Serve } from '../../test/support/github/restartKit';
import { cpuOf, machineCpu } from '../support/processCpu';
import { median } from '../support/stats';
import type { BenchCase, BenchRow } from '../types';

const ISSUES = 20;
const TARGET_MS = 1000;
const ENTITIES = Array.from({ length: ISSUES }, (_, i) => `Thing${String.fromCharCode(65 + i)}`);

const agents = {
  spec: ({ task }: { task: string }) => {
    const entity = /Add an? (\w+) entity/.exec(task)?.[1] ?? 'Unknown';
    return say.spec(`${entity} API`, `${entity.toLowerCase()}-api`, entitySpec(entity));
  },
  backend: ({ turn }: { turn: number }) =>
    turn === 0 ? say.write({ 'server/entities/x.js': entityModule('X') }) : say.done(),
  review: () => say.approve(),
};

const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.ceil(values.length * 0.95) - 1]!;

/** A run's way to its spec comment, stage by stage, from the events its journal timestamps. */
const STAGES = [
  ['linked', 'run.started'],
  ['worktree', 'worktree.ready'],
  ['SYNC', 'phase.completed:SYNC'],
  ['spec agent', 'spec.saved'],
  ['comment', 'github.spec.posted'],
] as const;

/** Median ms of each stage over the burst's runs (the first from the delivery's POST). */
async function stages(w: RestartWorld, sentAt: Map<number, number>): Promise<string> {
  const spans = new Map<string, number[]>(STAGES.map(([name]) => [name, []]));
  for (const run of await engine.listRuns(w.h.shop.dir)) {
    const at = sentAt.get(Number(/(\d+)$/.exec(run.github?.issue ?? '')?.[1]));
    if (at === undefined) continue;
    const seen = new Map<string, number>();
    for (const line of await engine.runEvents(w.h.shop.dir, run.runId, 'journal')) {
      const event = JSON.parse(line) as { type: string; ts: string; phase?: string };
      const key = event.phase ? `${event.type}:${event.phase}` : event.type;
      if (!seen.has(key)) seen.set(key, Date.parse(event.ts));
    }
    let from = at;
    for (const [name, event] of STAGES) {
      const to = seen.get(event);
      if (to === undefined) break;
      spans.get(name)!.push(to - from);
      from = to;
    }
  }
  return STAGES.map(([name]) => `${name} ${median(spans.get(name)!).toFixed(0)}`).join(', ');
}

const labelled = (number: number, entity: string, body: string) =>
  signDelivery(
    SECRET,
    'issues',
    issueLabeled(
      REPO,
      { number, title: `Add an ${entity} entity to the API`, body, author: 'alice' },
      'orchestrator',
      'alice',
    ),
  );

/** serve's webhook address once it says it, or its output if it ends first. */
async function started(serve: Serve): Promise<string> {
  const ended = serve.exited.then(({ code }) => {
    throw new Error(`serve ended (${code}) before it listened: ${serve.output()}`);
  });
  return Promise.race([serve.webhookUrl, ended]);
}

const githubIssues: BenchCase = {
  title: 'GitHub: webhook to spec comment, 20 issues labelled at once',
  async run(ctx): Promise<BenchRow[]> {
    const w = await restartWorld(agents, withLimit('concurrentRuns', ISSUES + 1));
    try {
      const serve = w.serve();
      await started(serve);
      const specOf = (issue: number) => w.api.commentsOn(issue).find((c) => c.body.includes('<!-- orchestrator:spec '));
      await w.deliver(serve, labelled(99, 'Warmup', 'First after start.'));
      await w.until('the first spec comment', () => specOf(99));
      const pid = serve.child.pid!;
      const cpu0 = cpuOf(pid);
      const machine0 = machineCpu();
      const sent = new Map<number, number>();
      const sentAt = new Map<number, number>();
      const answers = await Promise.all(
        ENTITIES.map((entity, i) => {
          const number = 100 + i;
          sent.set(number, performance.now());
          sentAt.set(number, Date.now());
          return w.deliver(serve, labelled(number, entity, 'As the others.'));
        }),
      );
      const refused = answers.find((a) => a.status !== 202);
      if (refused) throw new Error(`a delivery was answered ${refused.status}: ${JSON.stringify(refused.json)}`);
      await w.until('20 spec comments', () => [...sent.keys()].every((issue) => specOf(issue)));
      const cpu1 = cpuOf(pid);
      const machine1 = machineCpu();
      // Less bound to the machine's load than the latency: the CPU serve and its processes spent on the burst.
      const cores = cpus().length;
      const parts: string[] = [];
      if (cpu0 && cpu1) {
        const own = cpu1.ownMs - cpu0.ownMs;
        const children = cpu1.childrenMs - cpu0.childrenMs;
        parts.push(
          `serve's CPU ${own.toFixed(0)} ms, the processes it started ${children.toFixed(0)} ms, together ${((own + children) / ISSUES).toFixed(0)} ms an issue: ≥ ${((own + children) / cores).toFixed(0)} ms of wall for 20 on ${cores} idle cores`,
        );
      }
      if (machine0 && machine1)
        parts.push(
          `the machine's CPU meanwhile: user ${(machine1.userMs - machine0.userMs).toFixed(0)} ms, kernel ${(machine1.systemMs - machine0.systemMs).toFixed(0)} ms, idle ${(machine1.idleMs - machine0.idleMs).toFixed(0)} ms`,
        );
      const spent = parts.join('; ');
      ctx.log(`  ${spent}`);
      const stageMs = await stages(w, sentAt);
      ctx.log(`  stages (median ms): ${stageMs}`);
      const latencies = [...sent].map(([issue, at]) => specOf(issue)!.madeAt - at);
      const value = p95(latencies);
      ctx.log(
        `  webhook → spec comment: p95 ${value.toFixed(0)} ms, min ${Math.min(...latencies).toFixed(0)}, max ${Math.max(...latencies).toFixed(0)}`,
      );
      return [
        {
          name: 'GitHub: webhook to spec comment p95, 20 issues labelled at once (issue 39; the model answers at once)',
          value: Math.round(value),
          unit: 'ms',
          target: `≤ ${TARGET_MS} ms`,
          pass: value <= TARGET_MS,
          note: `orchestrator serve from dist/cli.js, after one untimed issue; min ${Math.min(...latencies).toFixed(0)} ms, median ${[...latencies].sort((a, b) => a - b)[ISSUES / 2]!.toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms; stages (median ms) ${stageMs}; ${spent}`,
        },
      ];
    } finally {
      await w.close();
    }
  },
};

export default githubIssues;
