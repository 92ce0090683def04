/**
 * Completed specs for the merge queue's benches (issue 74): spec i owns `server/lib/item<i>.js` and
 * has one criterion whose frozen proof test requires it, recorded as COMPLETE writes a record
 * (completion.json with the criterion's proof); the project has no validate or test command, so
 * the proofs are all that runs.
 */
import { CheckRunner } from '../../src/core/drift/checkRunner';
import { proofInvocations } from '../../src/core/proofTests';
import { loadConfig } from '../../src/core/project/config/config';
import { timed } from './stats';

export const PROOF_CONFIG = `version: 1
layers:
  backend:
    owns: ["server/**"]
    validate: []
proof:
  tests: ["test/acceptance/**"]
  command: ["node --test {files}"]
`;

const id = (i: number) => `2026-10-${String((i % 28) + 1).padStart(2, '0')}-item-${i}`;
export const proofFile = (i: number) => `test/acceptance/item${i}.test.js`;
export const moduleFile = (i: number) => `server/lib/item${i}.js`;
export const moduleOf = (i: number) => `'use strict';\nmodule.exports = { create: (name) => ({ id: ${i}, name }) };\n`;
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
          files: [moduleFile(i)],
          tests: [],
        },
      ],
    },
    null,
    2,
  )}\n`;

/** The files of `count` completed specs, each with its module and its proof test. */
export function completedSpecFiles(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 1; i <= count; i++)
    Object.assign(files, {
      [moduleFile(i)]: moduleOf(i),
      [proofFile(i)]: testOf(i),
      [`.claude/spec/completed/${id(i)}/spec.md`]: specOf(i),
      [`.claude/spec/completed/${id(i)}/completion.json`]: recordOf(i),
    });
  return files;
}

/** The proof command of each of these specs, as verify runs it. */
export async function proofCommands(dir: string, specs: readonly number[]): Promise<string[]> {
  const config = await loadConfig(dir);
  return specs.map((i) => proofInvocations(config.proof, [proofFile(i)])[0]!.command);
}

/** Milliseconds these proof commands take run one after another, alone, through verify's check runner (sandbox, minimal environment). */
export async function proofsAlone(dir: string, commands: readonly string[]): Promise<number> {
  const config = await loadConfig(dir);
  const { ms } = await timed(async () => {
    const checks = new CheckRunner(dir, config, true);
    for (const command of commands) {
      const run = await checks.proof(command);
      if (run.result.outcome !== 'passed') throw new Error(`${command}: ${run.result.detail ?? 'failed'}`);
    }
  });
  return ms;
}
