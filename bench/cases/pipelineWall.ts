/**
 * Row 1: a feature run's wall time against its critical path of model time. "Add a Product
 * entity" on a git copy of examples/shop (default config: database ∥ backend, then
 * frontend), every model call answered after a fixed latency by the Messages API test
 * server, agents scripted to read a reference module, write real files (the shop's own
 * validate commands pass) and submit. Everything the engine does besides waiting for the
 * model (sync and validate commands, checkpoint, diff, journal, spec files) is overhead.
 */
import { featureRun, type FeatureRun } from '../support/featureRun';
import { PRODUCT_REQUEST, productAgents } from '../support/productFeature';
import { median } from '../support/stats';
import { describePhases, describeStages, timelineOf } from '../support/timeline';
import type { BenchCase } from '../types';

const LATENCY_MS = 400;
const RUNS = 3;
const TARGET = 1.05;

export default {
  title: 'Pipeline wall time vs critical path',
  order: 10,
  async run(ctx) {
    const runs: { run: FeatureRun; ratio: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      const run = await featureRun({ request: PRODUCT_REQUEST, agents: productAgents(), latencyMs: LATENCY_MS });
      const t = timelineOf(run.host.events);
      runs.push({ run, ratio: run.wallMs / t.criticalPathMs });
      ctx.log(`  run ${i + 1}: wall ${run.wallMs.toFixed(0)} ms, critical path ${t.criticalPathMs.toFixed(0)} ms`);
    }
    const ratio = median(runs.map((r) => r.ratio));
    const typical = runs.find((r) => r.ratio === ratio) ?? (runs[0] as { run: FeatureRun; ratio: number });
    const t = timelineOf(typical.run.host.events);
    const wall = typical.run.wallMs;
    const commands = t.criticalPathWithValidationMs - t.criticalPathMs;
    const sync = t.phaseMs('SYNC') + t.phaseMs('COMPLETE');
    const rest = wall - t.criticalPathWithValidationMs - sync;
    return [
      {
        name: `Feature run wall time ÷ critical path (shop, ${LATENCY_MS} ms per model call)`,
        value: ratio,
        unit: '×',
        target: `≤ ${TARGET.toFixed(2)}×`,
        pass: ratio <= TARGET,
        note: [
          `Median of ${RUNS} runs (${runs.map((r) => r.ratio.toFixed(2)).join(', ')}). Median run: wall ${wall.toFixed(0)} ms, critical path ${t.criticalPathMs.toFixed(0)} ms`,
          `(${t.criticalCalls} of ${t.modelCalls} model calls at ${LATENCY_MS} ms + client time; ${describeStages(t)}).`,
          `Beyond the model: validate commands on the critical chain ${commands.toFixed(0)} ms, sync command at SYNC + COMPLETE ${sync} ms, everything else ${rest.toFixed(0)} ms;`,
          `without the project's own commands wall would be ${((wall - commands - sync) / t.criticalPathMs).toFixed(2)}× the critical path`,
          `(phases ms: ${describePhases(t)}). Scenario: "Add a Product entity" on a git copy of examples/shop, default config (database ∥ backend, then frontend), spec approved, review approves.`,
        ].join(' '),
      },
    ];
  },
} satisfies BenchCase;
