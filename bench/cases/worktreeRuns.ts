/**
 * Runs in worktrees (issue 22), two rows:
 * - three independent features (one new backend entity each) in their own worktrees at once,
 *   against the same three one after another (also in worktrees), wall time ratio;
 * - making a run's worktree in the 20,000-file repository with node_modules linked: the base
 *   checkpoint of the checkout, its worktree (addWorktree), and the link, as a run does them.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { engine } from '../../src/core/engine';
import { createCheckpoint } from '../../src/core/git/checkpoint';
import { addWorktree, linkFolders, removeWorktree } from '../../src/core/git/worktrees';
import { startMessagesApiServer } from '../../test/support/messagesApiServer';
import { entityModule, entitySpec, featureRequest } from '../../test/support/engine/worktreeFeatures';
import { BenchHost } from '../support/benchHost';
import { git, initAndCommit } from '../support/git';
import { scriptedAgents, say } from '../support/scriptedAgents';
import { makeShop } from '../support/shop';
import { largeWorkspace } from '../support/sharedLarge';
import { median, sample, spread } from '../support/stats';
import type { BenchCase, BenchContext, BenchRow } from '../types';

const LATENCY_MS = 400;
const ENTITIES = ['Address', 'Invoice', 'Product'];
const RATIO_TARGET = 2.5;
const ROUNDS = 3;
const CREATE_TARGET_MS = 2000;
const CREATE_RUNS = 3;
const NODE_MODULES_FILES = 5000;

/** Spec, backend (write, then done) and review: each call takes LATENCY_MS. */
const agents = scriptedAgents(
  {
    spec: ({ task }) => {
      const entity = /Add an? (\w+) entity/.exec(task)?.[1] ?? 'Unknown';
      return say.spec(`${entity} API`, `${entity.toLowerCase()}-api`, entitySpec(entity));
    },
    backend: ({ turn, task }) => {
      const entity = /the spec "(\w+) API"/.exec(task)?.[1] ?? 'Unknown';
      return turn === 0
        ? say.write({ [`server/entities/${entity.toLowerCase()}.js`]: entityModule(entity) })
        : say.done(`${entity} module written.`);
    },
    review: () => say.approve(),
  },
  LATENCY_MS,
);

/** The three features on a fresh shop, at once or one after another; wall time in ms. */
async function threeFeatures(atOnce: boolean): Promise<number> {
  const shop = makeShop({ config: (yaml) => `${yaml}\nisolation: worktree\nworktree:\n  dir: ../worktrees\n` });
  const api = await startMessagesApiServer(agents.script);
  try {
    const host = new BenchHost();
    const options = { workspace: shop.dir, host, baseURL: api.url, autoApprove: true, assumeYes: true };
    const started = performance.now();
    const summaries = [];
    if (atOnce)
      summaries.push(
        ...(await Promise.all(ENTITIES.map((entity) => engine.runFeature(featureRequest(entity), options)))),
      );
    else for (const entity of ENTITIES) summaries.push(await engine.runFeature(featureRequest(entity), options));
    const wall = performance.now() - started;
    const failed = summaries.find((s) => s.status !== 'completed' || !s.worktree);
    if (failed) throw new Error(`a run ended ${failed.status}: ${failed.error ?? ''}`);
    return wall;
  } finally {
    await api.close();
    shop.cleanup();
  }
}

async function concurrencyRow(ctx: BenchContext): Promise<BenchRow> {
  // One round first, not measured: loading and compiling the engine's modules happens once per
  // process, and would otherwise be charged to whichever mode ran first.
  const warmUp = await threeFeatures(true);
  ctx.log(`  warm-up, three at once: ${warmUp.toFixed(0)} ms`);
  // Rounds alternate between the two modes (so a slow spell of the machine does not fall on one); medians compared.
  const atOnceRounds: number[] = [];
  const oneByOneRounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    atOnceRounds.push(await threeFeatures(true));
    oneByOneRounds.push(await threeFeatures(false));
    ctx.log(
      `  round ${round + 1}: three at once ${atOnceRounds.at(-1)!.toFixed(0)} ms, one after another ${oneByOneRounds.at(-1)!.toFixed(0)} ms`,
    );
  }
  const atOnce = median(atOnceRounds);
  const oneByOne = median(oneByOneRounds);
  const ratio = oneByOne / atOnce;
  return {
    name: `Three independent features in worktrees: one after another ÷ at once (${LATENCY_MS} ms per model call)`,
    value: ratio,
    unit: '×',
    target: `≥ ${RATIO_TARGET}×`,
    pass: ratio >= RATIO_TARGET,
    note: `Median wall time of ${ROUNDS} rounds each, alternating: ${oneByOne.toFixed(0)} ms one after another (${oneByOneRounds.map((ms) => ms.toFixed(0)).join(', ')}) vs ${atOnce.toFixed(0)} ms at once (${atOnceRounds.map((ms) => ms.toFixed(0)).join(', ')}; limits.concurrentRuns 3, limits.concurrency 3 shared), after a warm-up round at once (${warmUp.toFixed(0)} ms: the process loads and compiles the engine's modules once). Each run on examples/shop: SYNC, spec, checkpoint + worktree, one backend layer (2 calls) + validation, review, COMPLETE with sync; all in its own worktree, none applied.`,
  };
}

async function creationRow(ctx: BenchContext): Promise<BenchRow> {
  const ws = await largeWorkspace(ctx);
  if (!existsSync(join(ws.dir, '.git'))) {
    ctx.log(`git init + commit of ${ws.stats.files} files …`);
    initAndCommit(ws.dir, 'large workspace');
  }
  // A node_modules the worktree links rather than copies (ignored, as in any Node project).
  const modules = join(ws.dir, 'node_modules');
  if (!existsSync(modules)) {
    for (let i = 0; i < NODE_MODULES_FILES; i++) {
      const dir = join(modules, `pkg${i % 250}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `f${i}.js`), `module.exports = ${i};\n`);
    }
    writeFileSync(join(ws.dir, '.git', 'info', 'exclude'), 'node_modules/\n');
  }
  const tracked = git(ws.dir, 'ls-files').split('\n').filter(Boolean).length;
  const folder = mkdtempSync(join(tmpdir(), 'orch-bench-worktrees-'));
  ctx.onCleanup(() => rmSync(folder, { recursive: true, force: true }));
  const times = await sample(CREATE_RUNS, async (i) => {
    const path = join(folder, `run-${i}`);
    const base = await createCheckpoint(
      ws.dir,
      `bench-worktree-${i}`,
      () => {},
      ['.claude/runs'],
      `refs/orchestrator-worktree/bench-${i}/base`,
    );
    if (!base) throw new Error('no checkpoint in a git repository');
    await addWorktree(ws.dir, path, base.commit);
    const linked = linkFolders(ws.dir, path, ['node_modules']);
    if (linked.length !== 1) throw new Error('node_modules was not linked');
  });
  for (let i = 0; i < CREATE_RUNS; i++) {
    await removeWorktree(ws.dir, join(folder, `run-${i}`), folder);
    git(ws.dir, 'update-ref', '-d', `refs/orchestrator-worktree/bench-${i}/base`);
  }
  const value = median(times);
  return {
    name: `Worktree of a run in a ${tracked.toLocaleString('en-US')}-file repository, node_modules (${NODE_MODULES_FILES.toLocaleString('en-US')} files) linked`,
    value,
    unit: 'ms',
    target: `≤ ${CREATE_TARGET_MS / 1000} s`,
    pass: value <= CREATE_TARGET_MS,
    note: `Median of ${CREATE_RUNS} (${spread(times)}): the base checkpoint of the checkout (uncommitted changes included), the detached worktree of it (git's record written, then \`git reset --hard\` checking out every file), and the node_modules symlink; HEAD, index and branch untouched.`,
  };
}

export default {
  title: 'Runs in worktrees, several at once',
  order: 55,
  async run(ctx) {
    return [await concurrencyRow(ctx), await creationRow(ctx)];
  },
} satisfies BenchCase;
