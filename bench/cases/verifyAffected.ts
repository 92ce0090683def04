/**
 * A batch's affected proofs (issue 74): our merge queue's batch of 4 branches on a main holding 50
 * completed specs, each branch a merge commit changing the modules of 2 specs (their proof tests
 * still green), proven as the queue proves it (`verify --affected base..head`, culprits looked
 * for, the base trusted: no probe when green) ÷ the proof commands of those 8 specs run alone
 * through the same check runner (sandbox, minimal environment). Alternated, median of 3 each, so
 * neither side runs on a colder machine. The specs: ../support/completedSpecs.ts.
 */
import { verifySpecs } from '../../src/core/drift/verifyCommand';
import {
  completedSpecFiles,
  moduleFile,
  moduleOf,
  PROOF_CONFIG,
  proofCommands,
  proofsAlone,
} from '../support/completedSpecs';
import { git } from '../support/git';
import { makeShop } from '../support/shop';
import { median, timed } from '../support/stats';
import type { BenchCase } from '../types';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SPECS = 50;
const BRANCHES = 4;
const PER_BRANCH = 2;
const RUNS = 3;
const TARGET = 1.1;

export default {
  title: "a batch's affected proofs (our merge queue) over 50 completed specs",
  order: 97,
  async run(ctx) {
    const shop = makeShop({ files: completedSpecFiles(SPECS), config: () => PROOF_CONFIG });
    ctx.onCleanup(shop.cleanup);
    const base = git(shop.dir, 'rev-parse', 'HEAD').trim();
    // The batch's line, as the queue merges it: a merge commit per branch (--no-ff).
    const touched: number[] = [];
    for (let b = 0; b < BRANCHES; b++) {
      git(shop.dir, 'checkout', '-q', '-b', `run/${b}`, base);
      for (let k = 0; k < PER_BRANCH; k++) {
        const i = 1 + b * PER_BRANCH * 3 + k * 3;
        touched.push(i);
        writeFileSync(join(shop.dir, moduleFile(i)), `${moduleOf(i)}// run ${b}\n`);
      }
      git(shop.dir, 'commit', '-q', '-am', `run ${b}`);
    }
    git(shop.dir, 'checkout', '-q', 'main');
    for (let b = 0; b < BRANCHES; b++) git(shop.dir, 'merge', '-q', '--no-ff', '--no-edit', `run/${b}`);
    const head = git(shop.dir, 'rev-parse', 'HEAD').trim();
    const commands = await proofCommands(shop.dir, touched);
    ctx.log(`${touched.length} affected specs' proofs alone, then the batch's verify --affected, ${RUNS} times each …`);
    const alone: number[] = [];
    const batch: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      alone.push(await proofsAlone(shop.dir, commands));
      const proven = await timed(() =>
        verifySpecs(shop.dir, [], { trusted: true, affected: `${base}..${head}`, culprits: true, trustBase: true }),
      );
      const specs = proven.value.affected?.specs.length;
      if (specs !== touched.length || proven.value.exitCode !== 0)
        throw new Error(`unexpected batch: ${specs} specs affected, exit ${proven.value.exitCode}`);
      batch.push(proven.ms);
    }
    const ratio = median(batch) / median(alone);
    return [
      {
        name: `verify --affected over a batch of ${BRANCHES} branches (${touched.length} of ${SPECS} completed specs touched) ÷ those specs' proof commands run alone`,
        value: Number(ratio.toFixed(2)),
        unit: '×',
        target: `≤ ${TARGET}×`,
        pass: ratio <= TARGET,
        note: `batch ${batch.map(Math.round).join('/')} ms, proofs alone ${alone.map(Math.round).join('/')} ms (medians ${Math.round(median(batch))} / ${Math.round(median(alone))}).`,
      },
    ];
  },
} satisfies BenchCase;
