/**
 * Drift: `verify --all` over 50 completed specs (issue 23), no model call. Each spec is
 * completed the way COMPLETE completes one (moveToCompleted, then the completion record with
 * its snapshot commit, from a matrix built off a journal-shaped event list); 5 of them then
 * see their module edited. Timed: the whole verify, and verify's own work alone — the same
 * verify in Restricted Mode, where no command runs — against the 10 s goal; the project's own
 * commands (3 validate + 1 test, which verify runs once for all 50 specs) timed alone beside.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordCompletion } from '../../src/core/pipeline/phases/completionRecord';
import { verifySpecs } from '../../src/core/drift/verifyCommand';
import { runCommand } from '../../src/core/process';
import { loadConfig } from '../../src/core/project/config/config';
import { createSpec, moveToCompleted } from '../../src/core/project/specs/specs';
import { matrixOf } from '../../src/core/trace/traceOfSpec';
import { makeShop } from '../support/shop';
import { timed } from '../support/stats';
import type { BenchCase } from '../types';

const SPECS = 50;
const EDITED = 5;
const TARGET_MS = 10_000;
const TEST_COMMAND = 'node --test "server/test/*.test.js"';

const moduleOf = (i: number) =>
  `'use strict';\n// Item${i}\nfunction create(input) {\n  if (!input || typeof input.name !== 'string') throw new Error('name is required');\n  return { id: ${i}, name: input.name };\n}\nmodule.exports = { create };\n`;
const testOf = (i: number) =>
  `'use strict';\n// REQ-1.1 of spec ${i}\nconst test = require('node:test');\nconst assert = require('node:assert/strict');\nconst item = require('../lib/item${i}');\ntest('REQ-1.1 item${i} is created', () => assert.equal(item.create({ name: 'a' }).id, ${i}));\n`;
const specOf = (i: number) =>
  `## Spec: Item ${i}\n\n### Requirements\n\n#### REQ-1: Create item ${i}\n**Acceptance criteria**\n- REQ-1.1: WHEN a client creates item ${i} with a name THE API SHALL store it.\n\n### Files to Create/Modify\n\n#### Backend\n- [x] server/lib/item${i}.js: the module\n\n### Tasks\n1. [x] Backend: server/lib/item${i}.js and server/test/item${i}.test.js (REQ-1)\n`;

export default {
  title: 'verify --all over 50 completed specs',
  order: 95,
  async run(ctx) {
    const files: Record<string, string> = {};
    for (let i = 1; i <= SPECS; i++)
      Object.assign(files, { [`server/lib/item${i}.js`]: moduleOf(i), [`server/test/item${i}.test.js`]: testOf(i) });
    const shop = makeShop({ files, config: (yaml) => `${yaml}\naudit:\n  test: ['${TEST_COMMAND}']\n` });
    ctx.onCleanup(shop.cleanup);
    const config = await loadConfig(shop.dir);
    ctx.log(`completing ${SPECS} specs …`);
    for (let i = 1; i <= SPECS; i++) {
      const spec = await createSpec(shop.dir, {
        title: `Item ${i}`,
        slug: `item-${i}`,
        kind: 'feature',
        layers: ['backend'],
        markdown: specOf(i),
        status: 'approved',
      });
      const runId = `bench-verify-${i}`;
      const events = [
        { type: 'run.started' as const, runId, kind: 'feature' as const, request: `Item ${i}`, specId: spec.id },
        { type: 'file.written' as const, agent: 'backend', path: `server/lib/item${i}.js`, created: true, bytes: 1 },
        {
          type: 'file.written' as const,
          agent: 'backend',
          path: `server/test/item${i}.test.js`,
          created: true,
          bytes: 1,
        },
        { type: 'validation.passed' as const, layer: 'backend' },
      ];
      const completed = await moveToCompleted(shop.dir, spec.id);
      const testFiles = new Map([[`server/test/item${i}.test.js`, testOf(i)]]);
      await recordCompletion({
        workspace: shop.dir,
        specId: spec.id,
        specPath: completed.path,
        runIds: [runId],
        matrix: matrixOf(completed, config, [runId], events, testFiles),
        deny: [],
        trusted: true,
      });
    }
    for (let i = 1; i <= EDITED; i++)
      writeFileSync(join(shop.dir, `server/lib/item${i}.js`), `${moduleOf(i)}// edited after completion\n`);

    const commands = [...Object.values(config.layers).flatMap((layer) => layer.validate), TEST_COMMAND];
    const alone = await timed(async () => {
      for (const command of commands)
        await runCommand(command, { cwd: shop.dir, timeoutSec: 600, commandEnv: config.commandEnv });
    });
    const own = await timed(() => verifySpecs(shop.dir, [], { trusted: false }));
    const verify = await timed(() => verifySpecs(shop.dir, [], { trusted: true }));
    const report = verify.value;
    const counts = { holds: 0, changed: 0, broken: 0 };
    report.specs.forEach((s) => counts[s.status]++);
    if (report.specs.length !== SPECS || counts.changed !== EDITED || counts.broken !== 0)
      throw new Error(`unexpected verify result: ${report.specs.length} specs, ${JSON.stringify(counts)}`);
    return [
      {
        name: `verify --all over ${SPECS} completed specs (no model call)`,
        value: Math.round(verify.ms),
        unit: 'ms',
        target: `≤ 10 s + the project's commands`,
        pass: own.ms <= TARGET_MS,
        note: `${counts.holds} hold, ${counts.changed} changed (edited), 0 broken. Verify's own work (the same verify with no command run) ${Math.round(own.ms)} ms; the project's ${commands.length} commands (${commands.length - 1} validate + 1 test over ${SPECS} test files), run once for all specs, take ${Math.round(alone.ms)} ms alone.`,
      },
    ];
  },
} satisfies BenchCase;
