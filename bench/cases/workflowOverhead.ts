/**
 * What interpreting the shipped `feature` workflow adds to a feature run. The pipeline is the
 * loop over feature.yaml's phases (src/core/pipeline/workflow), so there is no second code path
 * left to race it against; what the workflow adds is reading and checking the file before the
 * run (workflowOfRun) and one step lookup per phase. Measured: that load (median of 20), against
 * the wall time of the same scripted feature run as row 1 (shop, 400 ms per model call, median
 * of 3): ratio = wall ÷ (wall − load).
 */
import { workflowOfRun } from '../../src/core/pipeline/workflow/workflowOfRun';
import { featureRun } from '../support/featureRun';
import { PRODUCT_REQUEST, productAgents } from '../support/productFeature';
import { median, sample, spread } from '../support/stats';
import type { BenchCase } from '../types';

const LATENCY_MS = 400;
const RUNS = 3;
const LOADS = 20;
const TARGET = 1.01;

export default {
  title: 'Workflow interpretation overhead on feature',
  order: 12,
  async run(ctx) {
    const walls: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const run = await featureRun({ request: PRODUCT_REQUEST, agents: productAgents(), latencyMs: LATENCY_MS });
      walls.push(run.wallMs);
      ctx.log(`  run ${i + 1}: wall ${run.wallMs.toFixed(0)} ms`);
    }
    const loads = await sample(LOADS, () => workflowOfRun(process.cwd(), 'feature', undefined));
    const wall = median(walls);
    const load = median(loads);
    const ratio = wall / (wall - load);
    return [
      {
        name: `Feature run with the feature workflow ÷ without its interpretation (${LATENCY_MS} ms per model call)`,
        value: Number(ratio.toFixed(4)),
        unit: '×',
        target: `≤ ${TARGET}×`,
        pass: ratio <= TARGET,
        note: `loading and checking feature.yaml: ${load.toFixed(2)} ms (${spread(loads)}); run wall time median ${wall.toFixed(0)} ms of ${RUNS}.`,
      },
    ];
  },
} satisfies BenchCase;
