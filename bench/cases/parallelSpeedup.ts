/**
 * Row 2: three layers in parallel vs the same three agents one after another. The shop's
 * config without `after:` (database, backend, frontend form ONE wave), the frontend writing
 * a render-only view so it does not need the backend's new route; then the same run with
 * `limits.concurrency: 1`. Speedup = IMPLEMENT phase time sequential ÷ parallel (the phase
 * where the layers run); whole-run times are in the note.
 */
import { featureRun } from '../support/featureRun';
import { PRODUCT_REQUEST, productAgents } from '../support/productFeature';
import { setLimit, withoutAfter } from '../support/shop';
import { median } from '../support/stats';
import { timelineOf } from '../support/timeline';
import type { BenchCase } from '../types';

const LATENCY_MS = 400;
const RUNS = 2;
const TARGET = 1.9;

interface Measured {
  implement: number;
  wall: number;
  /** "database 4, backend 4, frontend 4" model calls in the wave */
  calls: string;
}

async function implementMs(concurrency: number): Promise<Measured> {
  const run = await featureRun({
    request: PRODUCT_REQUEST,
    agents: productAgents({ independentFrontend: true }),
    latencyMs: LATENCY_MS,
    shop: { config: (yaml) => setLimit('concurrency', concurrency)(withoutAfter(yaml)) },
  });
  const t = timelineOf(run.host.events);
  const waves = run.host.ofType('wave.started');
  if (waves.length !== 1 || waves[0]?.event.layers.length !== 3) {
    throw new Error(`expected one wave of three layers, got ${waves.map((w) => w.event.layers.join('+')).join(' | ')}`);
  }
  const wave = t.stages.find((s) => s.label.startsWith('IMPLEMENT wave'));
  const calls = [...(wave?.agents ?? [])].map(([layer, chain]) => `${layer} ${chain.calls}`).join(', ');
  return { implement: t.phaseMs('IMPLEMENT'), wall: run.wallMs, calls };
}

export default {
  title: 'Three layers in parallel vs one after another',
  order: 20,
  async run(ctx) {
    const parallel: Measured[] = [];
    const sequential: Measured[] = [];
    for (let i = 0; i < RUNS; i++) {
      parallel.push(await implementMs(3));
      sequential.push(await implementMs(1));
      ctx.log(
        `  run ${i + 1}: IMPLEMENT parallel ${parallel[i]?.implement} ms, sequential ${sequential[i]?.implement} ms`,
      );
    }
    const par = median(parallel.map((r) => r.implement));
    const seq = median(sequential.map((r) => r.implement));
    const parWall = median(parallel.map((r) => r.wall));
    const seqWall = median(sequential.map((r) => r.wall));
    const speedup = seq / par;
    return [
      {
        name: `Three layers in one wave: sequential ÷ parallel IMPLEMENT time (${LATENCY_MS} ms per model call)`,
        value: speedup,
        unit: '×',
        target: `≥ ${TARGET}×`,
        pass: speedup >= TARGET,
        note: [
          `IMPLEMENT phase, median of ${RUNS}: concurrency 3 ${par.toFixed(0)} ms vs concurrency 1 ${seq.toFixed(0)} ms (model calls per layer: ${parallel[0]?.calls}; each layer then runs its validate command).`,
          `Whole run (SYNC → COMPLETE, incl. spec and review agents): ${parWall.toFixed(0)} vs ${seqWall.toFixed(0)} ms = ${(seqWall / parWall).toFixed(2)}×.`,
          `Scenario: "Add a Product entity" on examples/shop with every \`after:\` removed so database, backend and frontend form one wave (the frontend writes a render-only view, so it needs no backend route); sequential = the same config with limits.concurrency: 1.`,
        ].join(' '),
      },
    ];
  },
} satisfies BenchCase;
