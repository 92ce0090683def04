/**
 * The sweep (issue 74): `verify --all --since <commit>` over 50 completed specs, each with one
 * frozen proof test, main green (no probe), ÷ those 50 proof commands run once alone through the
 * same check runner (sandbox, minimal environment) — what the sweep adds to running the proofs.
 * Alternated, median of 3 each, so neither side runs on a colder machine.
 * The specs: ../support/completedSpecs.ts.
 */
import { verifySpecs } from '../../src/core/drift/verifyCommand';
import { completedSpecFiles, PROOF_CONFIG, proofCommands, proofsAlone } from '../support/completedSpecs';
import { makeShop } from '../support/shop';
import { median, timed } from '../support/stats';
import type { BenchCase } from '../types';

const SPECS = 50;
const RUNS = 3;
const TARGET = 1.1;

export default {
  title: 'verify --all --since (the sweep) over 50 completed specs',
  order: 96,
  async run(ctx) {
    const shop = makeShop({ files: completedSpecFiles(SPECS), config: () => PROOF_CONFIG });
    ctx.onCleanup(shop.cleanup);
    const commands = await proofCommands(
      shop.dir,
      Array.from({ length: SPECS }, (_, i) => i + 1),
    );
    ctx.log(`the ${SPECS} proof commands alone, then the sweep, ${RUNS} times each …`);
    const alone: number[] = [];
    const swept: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      alone.push(await proofsAlone(shop.dir, commands));
      const sweep = await timed(() => verifySpecs(shop.dir, [], { trusted: true, since: 'HEAD' }));
      const proven = sweep.value.sweep?.specs.flatMap((s) => s.criteria).filter((c) => c.now === 'proven').length;
      if (proven !== SPECS || sweep.value.exitCode !== 0)
        throw new Error(`unexpected sweep: ${proven} proven, exit ${sweep.value.exitCode}`);
      swept.push(sweep.ms);
    }
    const ratio = median(swept) / median(alone);
    return [
      {
        name: `verify --all --since over ${SPECS} completed specs, main green ÷ their proof commands run once alone`,
        value: Number(ratio.toFixed(2)),
        unit: '×',
        target: `≤ ${TARGET}×`,
        pass: ratio <= TARGET,
        note: `sweep ${swept.map(Math.round).join('/')} ms (each spec verified, ${SPECS} criteria proven, lastProven written in ${SPECS} completion.json); the ${SPECS} proof commands alone through the same check runner ${alone.map(Math.round).join('/')} ms (medians ${Math.round(median(swept))} / ${Math.round(median(alone))}).`,
      },
    ];
  },
} satisfies BenchCase;
