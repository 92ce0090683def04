/**
 * Validating workflow files: 50 `.claude/workflows/*.yaml` (copies of the shipped feature, slice
 * and squads under other names) read, parsed and checked — schema, references, step gates — by
 * listWorkflows, as `orchestrator workflows` and the editor's picker do.
 */
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { listWorkflows } from '../../src/core/project/workflows/workflows';
import { median, sample, spread } from '../support/stats';
import type { BenchCase } from '../types';

const FILES = 50;
const RUNS = 9;
const TARGET_MS = 200;
const SHIPPED = resolve(__dirname, '../../.claude/workflows');

export default {
  title: 'Validating 50 workflow files',
  order: 46,
  async run(ctx) {
    const dir = await mkdtemp(join(tmpdir(), 'orchestrator-bench-workflows-'));
    ctx.onCleanup(() => rm(dir, { recursive: true, force: true }));
    await mkdir(join(dir, '.claude', 'workflows'), { recursive: true });
    const kinds = ['feature', 'slice', 'squads'];
    for (let i = 0; i < FILES; i++) {
      const kind = kinds[i % kinds.length] as string;
      await copyFile(
        join(SHIPPED, `${kind}.yaml`),
        join(dir, '.claude', 'workflows', `${kind}-${String(i).padStart(2, '0')}.yaml`),
      );
    }
    let valid = 0;
    let phases = 0;
    // The shipped folder is this workspace's own (an empty one): only the 50 files are listed.
    const timings = await sample(RUNS, async () => {
      const listed = await listWorkflows(dir, join(dir, 'none'));
      valid = listed.filter((w) => !w.problem).length;
      phases = listed.reduce((sum, w) => sum + w.phases.length, 0);
    });
    const ms = median(timings);
    return [
      {
        name: `Validate ${FILES} workflow files (median of ${RUNS})`,
        value: Number(ms.toFixed(1)),
        unit: 'ms',
        target: `≤ ${TARGET_MS} ms`,
        pass: ms <= TARGET_MS && valid === FILES,
        note: `${valid} of ${FILES} valid, ${phases} phases; read, YAML-parsed with positions, zod-checked and cross-checked by listWorkflows; ${spread(timings)}.`,
      },
    ];
  },
} satisfies BenchCase;
