/**
 * The sweep (issue 74): `verify --all --since <commit>` over 50 completed specs, each with one
 * frozen proof test, main green (no probe), ÷ those 50 proof commands run once alone through the
 * same check runner (sandbox, minimal environment) — what the sweep adds to running the proofs.
 * The specs' records are written as COMPLETE writes them (completion.json with each criterion's
 * proof); the project has no validate or test command, so the proofs are all that runs.
 */
import { CheckRunner } from '../../src/core/drift/checkRunner';
import { verifySpecs } from '../../src/core/drift/verifyCommand';
import { proofInvocations } from '../../src/core/proofTests';
import { loadConfig } from '../../src/core/project/config/config';
import { makeShop } from '../support/shop';
import { timed } from '../support/stats';
import type { BenchCase } from '../types';

const SPECS = 50;
const TARGET = 1.1;
const CONFIG = `version: 1
layers:
  backend:
    owns: ["server/**"]
    validate: []
proof:
  tests: ["test/acceptance/**"]
  command: ["node --test {files}"]
`;

const id = (i: number) => `2026-10-${String((i % 28) + 1).padStart(2, '0')}-item-${i}`;
const proofFile = (i: number) => `test/acceptance/item${i}.test.js`;
const moduleOf = (i: number) => `'use strict';\nmodule.exports = { create: (name) => ({ id: ${i}, name }) };\n`;
const testOf = (i: number) =>
  `'use strict';\nconst test = require('node:test');\nconst assert = require('node:assert/strict');\nconst item = require('../../server/lib/item${i}');\ntest('REQ-1.1 item${i} is created', () => assert.equal(item.create('a').id, ${i}));\n`;
const specOf = (i: number) =>
  `---\nid: ${id(i)}\ntitle: Item ${i}\nkind: feature\nstatus: completed\nlayers:\n  - backend\ncreated: 2026-10-01T09:00:00.000Z\n---\n\n## Spec: Item ${i}\n\n### Requirements\n- REQ-1: item ${i}\n  - REQ-1.1: item ${i} is created\n`;
const recordOf = (i: number) =>
  `${JSON.stringify(
    {
      version: 1,
      specId: id(i),
      completed: '2026-10-20T10:00:00.000Z',
      commit: null,
      runIds: [],
      files: {},
      requirements: [
        {
          id: 'REQ-1',
          title: `item ${i}`,
          criteria: [
            {
              id: 'REQ-1.1',
              text: `item ${i} is created`,
              proof: { status: 'proven', tests: [{ file: proofFile(i), test: `REQ-1.1 item${i} is created` }] },
            },
          ],
          layers: ['backend'],
          files: [`server/lib/item${i}.js`],
          tests: [],
        },
      ],
    },
    null,
    2,
  )}\n`;

export default {
  title: 'verify --all --since (the sweep) over 50 completed specs',
  order: 96,
  async run(ctx) {
    const files: Record<string, string> = {};
    for (let i = 1; i <= SPECS; i++)
      Object.assign(files, {
        [`server/lib/item${i}.js`]: moduleOf(i),
        [proofFile(i)]: testOf(i),
        [`.claude/spec/completed/${id(i)}/spec.md`]: specOf(i),
        [`.claude/spec/completed/${id(i)}/completion.json`]: recordOf(i),
      });
    const shop = makeShop({ files, config: () => CONFIG });
    ctx.onCleanup(shop.cleanup);
    const config = await loadConfig(shop.dir);
    const commands = Array.from(
      { length: SPECS },
      (_, i) => proofInvocations(config.proof, [proofFile(i + 1)])[0]!.command,
    );
    ctx.log(`running the ${SPECS} proof commands alone, then the sweep …`);
    const alone = await timed(async () => {
      const checks = new CheckRunner(shop.dir, config, true);
      for (const command of commands) {
        const run = await checks.proof(command);
        if (run.result.outcome !== 'passed') throw new Error(`${command}: ${run.result.detail ?? 'failed'}`);
      }
    });
    const sweep = await timed(() => verifySpecs(shop.dir, [], { trusted: true, since: 'HEAD' }));
    const proven = sweep.value.sweep?.specs.flatMap((s) => s.criteria).filter((c) => c.now === 'proven').length;
    if (proven !== SPECS || sweep.value.exitCode !== 0)
      throw new Error(`unexpected sweep: ${proven} proven, exit ${sweep.value.exitCode}`);
    const ratio = sweep.ms / alone.ms;
    return [
      {
        name: `verify --all --since over ${SPECS} completed specs, main green ÷ their proof commands run once alone`,
        value: Number(ratio.toFixed(2)),
        unit: '×',
        target: `≤ ${TARGET}×`,
        pass: ratio <= TARGET,
        note: `sweep ${Math.round(sweep.ms)} ms (each spec verified, ${SPECS} criteria proven, lastProven written in ${SPECS} completion.json); the ${SPECS} proof commands alone through the same check runner ${Math.round(alone.ms)} ms.`,
      },
    ];
  },
} satisfies BenchCase;
