/**
 * Attempts (issue 47, docs/attempts.md), two rows from one scenario: a feature whose one layer,
 * the backend, writes one module on a git copy of examples/shop, every model call taking 400 ms,
 * the backend's agent making 3 calls (look, write, done).
 *
 * - Three attempts at the layer, in parallel, ÷ one: the backend's wall time from its wave's start
 *   to its validation passed in the run, with `attempts: 3` (each in its own worktree, judged,
 *   one picked and brought in) against `attempts: 1`. The model time is the same; what is added is
 *   ours: the base commit, three worktrees, three commits of what they left, the pick, the merge.
 * - The pick's own time: from the last attempt judged to the kept one in the run (its changes
 *   merged into the work tree, its layer work copied into the run's journal).
 */
import { featureRun } from '../support/featureRun';
import { read, say, specAgent, type AgentScript } from '../support/scriptedAgents';
import { median } from '../support/stats';
import type { TimedEvent } from '../support/benchHost';
import type { BenchCase } from '../types';

const LATENCY_MS = 400;
const RUNS = 3;

const SPEC = [
  '## Spec: Discounts',
  '### Summary',
  'A pricing module that applies a percentage discount.',
  '### Requirements',
  '#### REQ-1: Percentage discount',
  '**Acceptance criteria**',
  '- REQ-1.1: WHEN a percent between 0 and 100 is given THE pricing module SHALL return the price reduced by that percent.',
  '### Files to Create/Modify',
  '#### Backend',
  '- [ ] `server/pricing.js`: discount(price, percent)',
  '### Tasks',
  '1. [ ] Backend: `server/pricing.js` exporting discount(price, percent) (REQ-1)',
].join('\n\n');

const PRICING = "'use strict';\nexports.discount = (price, percent) => Math.round(price * (100 - percent)) / 100;\n";

const agents: Record<string, AgentScript> = {
  spec: specAgent([], 'Discounts', 'discounts', SPEC),
  backend: ({ turn }) =>
    turn === 0
      ? say.look(read('server/index.js'))
      : turn === 1
        ? say.write({ 'server/pricing.js': PRICING })
        : say.done('server/pricing.js has the discount.'),
  review: () => say.approve(),
};

const withAttempts =
  (n: number) =>
  (yaml: string): string =>
    yaml.replace(/\n {2}backend:\n/, `\n  backend:\n    attempts: ${n}\n`);

function at(events: readonly TimedEvent[], match: (e: TimedEvent['event']) => boolean, last = false): number {
  const found = (last ? [...events].reverse() : events).find((t) => match(t.event));
  if (!found) throw new Error('an expected event is missing from the run');
  return found.at;
}

/** The backend's wall time in a run with `n` attempts; with n > 1 also the pick's own time. */
async function layerWall(n: number): Promise<{ wall: number; pick?: number }> {
  const run = await featureRun({
    request: 'Add percentage discounts',
    agents,
    latencyMs: LATENCY_MS,
    shop: { config: withAttempts(n) },
  });
  const events = run.host.events;
  const start = at(events, (e) => e.type === 'wave.started');
  const passed = at(events, (e) => e.type === 'validation.passed' && e.layer === 'backend');
  if (n === 1) return { wall: passed - start };
  if (events.filter((t) => t.event.type === 'attempt.judged').length !== n)
    throw new Error(`expected ${n} attempts judged`);
  return { wall: passed - start, pick: passed - at(events, (e) => e.type === 'attempt.judged', true) };
}

export default {
  title: 'Attempts',
  order: 16,
  async run(ctx) {
    const one: number[] = [];
    const three: number[] = [];
    const picks: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      one.push((await layerWall(1)).wall);
      const m = await layerWall(3);
      three.push(m.wall);
      picks.push(m.pick!);
      ctx.log(
        `  run ${i + 1}: one attempt ${one.at(-1)!.toFixed(0)} ms, three ${m.wall.toFixed(0)} ms, the pick ${m.pick!.toFixed(0)} ms`,
      );
    }
    const ratio = median(three) / median(one);
    const pick = median(picks);
    return [
      {
        name: "Three attempts at one layer in parallel ÷ one attempt, the layer's wall time (400 ms per model call, 3 calls each)",
        value: ratio,
        unit: '×',
        target: '≤ 1.2×',
        pass: ratio <= 1.2,
        note: `Median of ${RUNS}: one attempt ${median(one).toFixed(0)} ms, three ${median(three).toFixed(0)} ms (runs: ${one.map((o, i) => `${o.toFixed(0)}/${three[i]!.toFixed(0)}`).join(', ')}), from the wave's start to the backend's validation passed in the run. Each attempt: its own worktree of the base, its agent (look, write, done), validate (\`node scripts/check-server.js server\` in the sandbox), what it left committed on its ref, its worktree removed.`,
      },
      {
        name: "The pick's own time: the last attempt judged → the kept one in the run (chosen, merged into the work tree, its layer work journaled)",
        value: pick,
        unit: 'ms',
        target: '≤ 50 ms',
        pass: pick <= 50,
        note: `Median of ${RUNS} (${picks.map((p) => p.toFixed(1)).join(', ')} ms); one file changed.`,
      },
    ];
  },
} satisfies BenchCase;
