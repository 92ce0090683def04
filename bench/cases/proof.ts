/**
 * Proof per criterion (issue 46, docs/proof.md), two rows from one scenario: a feature whose
 * spec has 50 acceptance criteria (10 requirements of 5), a proof agent writing 10 test files of
 * 5 tests (node --test), a backend writing the module they test, on a git copy of examples/shop.
 *
 * - PROVE's own overhead: PROVE's wall time minus its model time (the proof agent's calls) and
 *   minus its tests' time (the red run on the base), ÷ the feature run's wall time. What is left
 *   is ours: reading the spec's files and the example test, the census's property libraries,
 *   hashing, the journal.
 * - The red run of the 50 tests ÷ the same files run once by the project's own command (`node
 *   --test` on them, on the same base) under the same rules (the sandbox every command that runs an
 *   agent's code runs in): one process per command, never one per criterion, so what is left is
 *   ours (grouping, the program check, reading each test's result). The command run bare, with no
 *   sandbox, is given beside it: the sandbox's own cost, which no proof run goes without.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { commandSandbox, removeCommandPrivateDir, runCommand } from '../../src/core/process';
import { loadConfig } from '../../src/core/project/config';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { featureRun, type FeatureRun } from '../support/featureRun';
import { reply } from '../../test/support/messagesApiServer';
import { say, specAgent, type AgentScript } from '../support/scriptedAgents';
import { median } from '../support/stats';
import type { TimedEvent } from '../support/benchHost';
import type { BenchCase } from '../types';

const LATENCY_MS = 1500;
const RUNS = 3;
const REQUIREMENTS = 10;
const PER_REQUIREMENT = 5;
const COMMAND = 'node --test --test-reporter=spec';
const FILES = Array.from({ length: REQUIREMENTS }, (_, r) => `server/test/acceptance/req-${r + 1}.test.js`);

const SPEC = [
  '## Spec: Fifty checks',
  '### Summary',
  'A checks module with fifty checks, each proven by its own test.',
  '### Requirements',
  ...Array.from({ length: REQUIREMENTS }, (_, r) =>
    [
      `#### REQ-${r + 1}: Checks group ${r + 1}`,
      '**Acceptance criteria**',
      ...Array.from(
        { length: PER_REQUIREMENT },
        (_, c) =>
          `- REQ-${r + 1}.${c + 1}: WHEN check ${r * PER_REQUIREMENT + c + 1} is called THE checks module SHALL return its number.`,
      ),
    ].join('\n'),
  ),
  '### Files to Create/Modify',
  '#### Backend',
  '- [ ] `server/checks.js`: the fifty checks',
  '### Tasks',
  `1. [ ] Backend: \`server/checks.js\` (${Array.from({ length: REQUIREMENTS }, (_, r) => `REQ-${r + 1}`).join(', ')})`,
].join('\n\n');

const proofFile = (r: number) =>
  `'use strict';\nconst test = require('node:test');\nconst assert = require('node:assert/strict');\n` +
  Array.from({ length: PER_REQUIREMENT }, (_, c) => {
    const n = r * PER_REQUIREMENT + c + 1;
    return `test('REQ-${r + 1}.${c + 1} check ${n} returns its number', () => {\n  assert.equal(require('../../checks.js').check(${n}), ${n});\n});\n`;
  }).join('');

const tests = Array.from({ length: REQUIREMENTS }, (_, r) =>
  Array.from({ length: PER_REQUIREMENT }, (_, c) => ({
    criterion: `REQ-${r + 1}.${c + 1}`,
    file: FILES[r],
    name: `REQ-${r + 1}.${c + 1} check ${r * PER_REQUIREMENT + c + 1} returns its number`,
  })),
).flat();

const agents: Record<string, AgentScript> = {
  spec: specAgent([], 'Fifty checks', 'fifty-checks', SPEC),
  proof: ({ turn }) =>
    turn === 0
      ? say.write(Object.fromEntries(FILES.map((file, r) => [file, proofFile(r)])))
      : reply.toolUse('submit_proof', { tests }),
  backend: ({ turn }) =>
    turn === 0
      ? say.write({ 'server/checks.js': "'use strict';\nexports.check = (n) => n;\n" })
      : say.done('server/checks.js has the fifty checks.'),
  review: () => say.approve(),
};

const PROOF_CONFIG = (yaml: string) =>
  `${yaml}\nproof:\n  tests: ["server/test/acceptance/**"]\n  command: ["${COMMAND} {files}"]\n`;

interface Measured {
  run: FeatureRun;
  /** PROVE's wall time, its model time, its red run, what is left. */
  prove: number;
  model: number;
  red: number;
  own: number;
  /** The same command once, in the same sandbox; and bare. */
  sandboxed: number;
  direct: number;
}

function at(events: readonly TimedEvent[], match: (e: TimedEvent['event']) => boolean): number {
  const found = events.find((t) => match(t.event));
  if (!found) throw new Error('an expected event is missing from the run');
  return found.at;
}

/** The command once as the run's commands run (the minimal environment, the sandbox), median of 3. */
async function sandboxedRun(dir: string): Promise<number> {
  const config = await loadConfig(dir);
  const command = `${COMMAND} ${FILES.join(' ')}`;
  const runId = 'bench-proof-baseline';
  const times: number[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const sandbox = commandSandbox(config, { workspace: dir, command, runId });
      const result = await runCommand(command, { cwd: dir, timeoutSec: 120, ...(sandbox ? { sandbox } : {}) });
      if (result.exitCode === 0) throw new Error('the baseline passed on the base: the tests did not run');
      times.push(result.ms);
    }
  } finally {
    await removeCommandPrivateDir(runId);
  }
  return median(times);
}

async function measured(): Promise<Measured> {
  let direct = 0;
  let sandboxed = 0;
  const run = await featureRun({
    request: 'Add the fifty checks',
    agents,
    latencyMs: LATENCY_MS,
    shop: { config: PROOF_CONFIG },
    afterRun: async (dir: string) => {
      // The base again for the tests: what the spec added is taken away, the tests stay.
      rmSync(join(dir, 'server/checks.js'));
      const times = Array.from({ length: 3 }, () => {
        const t0 = performance.now();
        spawnSync('/bin/sh', ['-c', `${COMMAND} ${FILES.join(' ')}`], { cwd: dir, encoding: 'utf8' });
        return performance.now() - t0;
      });
      direct = median(times);
      sandboxed = await sandboxedRun(dir);
    },
  });
  const events = run.host.events;
  const prove = events.find((t) => t.event.type === 'phase.completed' && t.event.phase === 'PROVE');
  if (!prove || prove.event.type !== 'phase.completed') throw new Error('no PROVE phase in the run');
  const model = events
    .filter((t) => t.event.type === 'llm.usage' && t.event.agent === 'proof')
    .reduce((sum, t) => sum + (t.event.type === 'llm.usage' ? t.event.ms : 0), 0);
  const red =
    at(events, (e) => e.type === 'proof.test') - at(events, (e) => e.type === 'agent.completed' && e.agent === 'proof');
  return { run, prove: prove.event.ms, model, red, own: prove.event.ms - model - red, sandboxed, direct };
}

export default {
  title: 'Proof per criterion',
  order: 15,
  async run(ctx) {
    const runs: Measured[] = [];
    for (let i = 0; i < RUNS; i++) {
      const m = await measured();
      runs.push(m);
      ctx.log(
        `  run ${i + 1}: wall ${m.run.wallMs.toFixed(0)} ms, PROVE ${m.prove} ms (model ${m.model.toFixed(0)}, red run ${m.red.toFixed(0)}, own ${m.own.toFixed(0)}), the command once in the sandbox ${m.sandboxed.toFixed(0)} ms, bare ${m.direct.toFixed(0)} ms`,
      );
    }
    const share = median(runs.map((m) => m.own / m.run.wallMs));
    const ratio = median(runs.map((m) => m.red / m.sandboxed));
    const typical = runs.find((m) => m.own / m.run.wallMs === share) ?? runs[0]!;
    return [
      {
        name: "PROVE's own overhead (its wall time minus its model and test time) ÷ a feature run's wall time (50 criteria, 1.5 s per model call)",
        value: share * 100,
        unit: '%',
        target: '≤ 5%',
        pass: share <= 0.05,
        note: `Median of ${RUNS} runs (${runs.map((m) => `${((m.own / m.run.wallMs) * 100).toFixed(2)}%`).join(', ')}). Median run: wall ${typical.run.wallMs.toFixed(0)} ms, PROVE ${typical.prove} ms = proof agent's model time ${typical.model.toFixed(0)} ms + red run ${typical.red.toFixed(0)} ms + ours ${typical.own.toFixed(0)} ms (its spec's files and an example test read, the census's property libraries, hashing, the journal). Scenario: 10 requirements × 5 criteria on a git copy of examples/shop, the proof agent writes 10 node --test files in one turn, the backend one module.`,
      },
      {
        name: "Red run of 50 proof tests on the base ÷ the same 10 files run once by the project's own command (`node --test`) under the same rules (the sandbox)",
        value: ratio,
        unit: '×',
        target: '≤ 1.1×',
        pass: ratio <= 1.1,
        note: `Median of ${RUNS} (${runs.map((m) => (m.red / m.sandboxed).toFixed(2)).join(', ')}); median run: red run ${typical.red.toFixed(0)} ms (one process for the 10 files, each test's result read from the output, proof.test journaled), the command once under the same rules ${typical.sandboxed.toFixed(0)} ms (median of 3, runCommand in the run's command sandbox, on the base: the module the spec adds removed again). Bare, with no sandbox, it takes ${typical.direct.toFixed(0)} ms (${(typical.red / typical.direct).toFixed(2)}× for the red run): the sandbox's cost on a runner that starts a process per file, which no proof run goes without.`,
      },
    ];
  },
} satisfies BenchCase;
