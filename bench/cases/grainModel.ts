/**
 * Loading Mustard's largest census file: a 2.4 MB `.claude/grain.model.json` (hundreds of
 * modules with imports, a graph, roles, projects) read and normalised by readGrainModel, as a
 * run does before UNDERSTAND when the project has no entity registry.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGrainModel } from '../../src/core/mustard';
import { largeGrainModel } from '../../test/support/grainModel';
import { median, sample, spread } from '../support/stats';
import type { BenchCase } from '../types';

const RUNS = 9;
const TARGET_MS = 200;
const BYTES = 2.4 * 2 ** 20;

export default {
  title: 'Loading a 2.4 MB grain.model.json',
  order: 45,
  async run(ctx) {
    const dir = await mkdtemp(join(tmpdir(), 'orchestrator-bench-grain-'));
    ctx.onCleanup(() => rm(dir, { recursive: true, force: true }));
    const text = largeGrainModel(BYTES);
    await mkdir(join(dir, '.claude'));
    await writeFile(join(dir, '.claude', 'grain.model.json'), text);
    let modules = 0;
    const timings = await sample(RUNS, async () => {
      const { model } = await readGrainModel(dir);
      modules = model?.modules.length ?? 0;
    });
    const ms = median(timings);
    return [
      {
        name: `Load a ${(text.length / 2 ** 20).toFixed(1)} MiB grain.model.json (median of ${RUNS})`,
        value: Number(ms.toFixed(1)),
        unit: 'ms',
        target: `≤ ${TARGET_MS} ms`,
        pass: ms <= TARGET_MS,
        note: `${modules} modules with imports, graph edges, 6 roles, 3 projects; read, parsed and normalised by readGrainModel; ${spread(timings)}.`,
      },
    ];
  },
} satisfies BenchCase;
