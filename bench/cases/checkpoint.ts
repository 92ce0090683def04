/**
 * Row 5: createCheckpoint in the 20,000-file workspace. The work tree is committed once,
 * then ~100 files are modified and ~50 added (a typical run's worth of changes plus some
 * uncommitted work), and the checkpoint (throwaway index seeded from the real one,
 * `git add -A`, write-tree, commit-tree, update-ref) is timed. HEAD, index and branch are
 * untouched, so every run checkpoints the same state.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCheckpoint } from '../../src/core/git/checkpoint';
import { git, initAndCommit } from '../support/git';
import { largeWorkspace } from '../support/sharedLarge';
import { median, sample, spread, timed } from '../support/stats';
import type { BenchCase } from '../types';

const RUNS = 5;
const TARGET_MS = 2000;
const MODIFIED = 100;
const ADDED = 50;

export default {
  title: 'Checkpoint of a 20k-file workspace',
  order: 50,
  async run(ctx) {
    const ws = await largeWorkspace(ctx);
    ctx.log(`git init + commit of ${ws.stats.files} files …`);
    const commit = await timed(() => initAndCommit(ws.dir, 'large workspace'));
    ctx.log(`  committed in ${(commit.ms / 1000).toFixed(1)} s`);

    // Spread the changes over the tree, as several layer agents would.
    const step = Math.floor(ws.files.length / MODIFIED);
    for (let i = 0; i < MODIFIED; i++) {
      const path = join(ws.dir, ws.files[i * step] as string);
      writeFileSync(path, `${readFileSync(path, 'utf8')}// changed by the bench\n`);
    }
    for (let i = 0; i < ADDED; i++) {
      const folder = join(ws.dir, 'server', 'generated', `g${i % 5}`);
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, `new${i}.js`), `'use strict';\nmodule.exports = ${i};\n`);
    }
    const status = git(ws.dir, 'status', '--porcelain', '--untracked-files=all').trim().split('\n').length;

    const refs: string[] = [];
    const times = await sample(RUNS, async (i) => {
      const cp = await createCheckpoint(ws.dir, `bench-checkpoint-${i}`, (warning) => ctx.log(`  warning: ${warning}`));
      if (!cp) throw new Error('createCheckpoint returned no checkpoint in a git repository');
      refs.push(cp.commit);
    });
    // The checkpoint holds the changes and did not touch the index: the same entries are still pending.
    const changedInCheckpoint = git(ws.dir, 'diff', '--name-only', 'HEAD', refs[0] as string)
      .trim()
      .split('\n').length;
    const statusAfter = git(ws.dir, 'status', '--porcelain', '--untracked-files=all').trim().split('\n').length;
    if (statusAfter !== status)
      throw new Error(`git status changed across checkpoints: ${status} → ${statusAfter} entries`);
    if (
      new Set(refs).size !== 1 &&
      new Set(refs.map((r) => git(ws.dir, 'rev-parse', `${r}^{tree}`).trim())).size !== 1
    ) {
      throw new Error('checkpoints of the same work tree have different trees');
    }

    const value = median(times);
    return [
      {
        name: `Checkpoint (createCheckpoint) of a ${ws.stats.files.toLocaleString('en-US')}-file repository with ${MODIFIED} files modified and ${ADDED} added`,
        value,
        unit: 'ms',
        target: `≤ ${TARGET_MS / 1000} s`,
        pass: value <= TARGET_MS,
        note: `Median of ${RUNS} checkpoints of the same work tree (${spread(times)}, first ${times[0]?.toFixed(0)} ms); each holds ${changedInCheckpoint} changed paths vs HEAD; HEAD, index and git status unchanged. One-time fixture: git init + add + commit of ${ws.stats.files} files took ${(commit.ms / 1000).toFixed(1)} s (not counted).`,
      },
    ];
  },
} satisfies BenchCase;
