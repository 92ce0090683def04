/**
 * The census of a 20,000-file repository without verification (docs/benchmarks.md: ≤ 1 s): a pnpm +
 * turbo monorepo of 20 packages (1,000 files each, nested folders, a .gitignore with ignored
 * build output), a CI workflow, Prisma migrations, and Mustard's 2.4 MB grain.model.json read
 * as part of it.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { takeCensus } from '../../src/core/census/census';
import { largeGrainModel } from '../../test/support/grainModel';
import { median, sample, spread } from '../support/stats';
import type { BenchCase } from '../types';

const RUNS = 5;
const TARGET_MS = 1000;
const PACKAGES = 20;
const FILES_PER_PACKAGE = 1000;

async function put(root: string, path: string, content: string): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), content);
}

async function monorepo(root: string): Promise<number> {
  let files = 0;
  const write = async (path: string, content: string) => {
    await put(root, path, content);
    files++;
  };
  await write(
    'package.json',
    JSON.stringify({
      name: 'big',
      private: true,
      scripts: { typecheck: 'turbo run typecheck', lint: 'turbo run lint' },
    }),
  );
  await write('pnpm-workspace.yaml', 'packages:\n  - "apps/*"\n  - "packages/*"\n');
  await write('pnpm-lock.yaml', 'lockfileVersion: "9.0"\n');
  await write('turbo.json', '{}');
  await write('.gitignore', 'dist/\n.turbo/\n');
  await write(
    '.github/workflows/ci.yml',
    'jobs:\n  ci:\n    steps:\n      - run: pnpm install\n      - run: pnpm typecheck\n      - run: pnpm lint\n',
  );
  await write('.claude/grain.model.json', largeGrainModel(2.4 * 2 ** 20));
  for (let p = 0; p < PACKAGES; p++) {
    const dir = p < 5 ? `apps/app${p}` : `packages/pkg${p}`;
    const deps =
      p === 0
        ? { next: '15', react: '19' }
        : p === 1
          ? { '@nestjs/core': '10', '@prisma/client': '5' }
          : { react: '19' };
    await write(
      `${dir}/package.json`,
      JSON.stringify({
        name: `@big/${p}`,
        dependencies: deps,
        scripts: { typecheck: 'tsc --noEmit', lint: 'eslint .' },
      }),
    );
    if (p === 1)
      for (let m = 0; m < 20; m++)
        await write(`${dir}/prisma/migrations/${String(m).padStart(4, '0')}_m/migration.sql`, 'select 1;');
    const remaining = FILES_PER_PACKAGE - 1 - (p === 1 ? 20 : 0);
    for (let f = 0; f < remaining; f++)
      await write(
        `${dir}/src/feature${f % 25}/part${Math.floor(f / 25) % 4}/file${f}.ts`,
        `export const v${f} = ${f};\n`,
      );
    // Ignored build output: never walked.
    await put(root, `${dir}/dist/index.js`, 'x');
  }
  return files;
}

export default {
  title: 'Census of a 20,000-file repository',
  order: 44,
  async run(ctx) {
    const dir = await mkdtemp(join(tmpdir(), 'orchestrator-bench-census-'));
    ctx.onCleanup(() => rm(dir, { recursive: true, force: true }));
    const files = await monorepo(dir);
    let layers = 0;
    let owned = '';
    const timings = await sample(RUNS, async () => {
      const census = await takeCensus(dir);
      layers = census.layers.length;
      owned = `${census.ownedFiles}/${census.sourceFiles}`;
    });
    const ms = median(timings);
    return [
      {
        name: `Census of a ${files.toLocaleString('en-US')}-file monorepo, no verification (median of ${RUNS})`,
        value: Number(ms.toFixed(0)),
        unit: 'ms',
        target: `≤ ${TARGET_MS} ms`,
        pass: ms <= TARGET_MS,
        note: `${PACKAGES} pnpm workspace packages, CI workflow, Prisma migrations and a 2.4 MiB grain.model.json read; ${layers} layers, ${owned} source files owned; ${spread(timings)}.`,
      },
    ];
  },
} satisfies BenchCase;
