/**
 * Row 66 (issue 73): row 64's measure on a set whose checks wait rather than compute, so the cores
 * are not what bounds it: a chain a ← b ← c (test/support/changesetExample.ts's trio, linked by the
 * user's `via: command` step), each member's validate command its check and then a 2 s wait (a
 * suite waiting on a database or a browser), the agents answering at once. The set's wall time ÷
 * (the slowest member's own run, a's part alone with `feature` in its repository, + its consumers'
 * checks on the combined heads after the set, b's and c's): what the members working at once and
 * each consumer's checks beginning on its producer's work, beside the producer's own, leave on top
 * of that. Before they began beside it (stop 86) each link of the chain added its producer's check.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkCombinedHeads } from '../../src/core/combined';
import { engine } from '../../src/core/engine';
import { makeTrio, trioSpecAgent } from '../../test/support/changesetExample';
import { pipelineScript, say, type AgentScript } from '../../test/support/engine/agentScript';
import { startMessagesApiServer } from '../../test/support/messagesApiServer';
import { BenchHost } from '../support/benchHost';
import type { BenchCase, BenchContext } from '../types';

const TARGET = 1.2;
const WAIT_SEC = 2;
const MEMBERS = ['a', 'b', 'c'] as const;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The chain, each member's check followed by the wait; a consumer needs at most its producer's value. */
function waitingChain(): string {
  const { dir } = makeTrio('v2', [], false, 'chain');
  for (const member of MEMBERS) {
    writeFileSync(
      join(dir, member, '.claude/orchestrator.yaml'),
      `layers:\n  ${member}:\n    owns: ["value.txt"]\n    validate: ["node scripts/check.js && sleep ${WAIT_SEC}"]\n`,
    );
    writeFileSync(
      join(dir, member, 'scripts/check.js'),
      [
        "const fs = require('fs');",
        "const mine = Number(fs.readFileSync('value.txt', 'utf8'));",
        "const theirs = fs.existsSync('upstream.txt') ? Number(fs.readFileSync('upstream.txt', 'utf8')) : mine;",
        'if (mine > theirs) process.exit(1);',
        '',
      ].join('\n'),
    );
    execFileSync('git', ['commit', '-qam', 'a check that waits'], { cwd: join(dir, member) });
  }
  return dir;
}

function agents(): Record<string, AgentScript> {
  const layer: AgentScript = ({ turn }) => (turn === 0 ? say.write({ 'value.txt': '2\n' }) : say.done());
  return {
    spec: trioSpecAgent,
    a: layer,
    b: layer,
    c: layer,
    review: () => say.approve(),
  };
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const t0 = performance.now();
  const result = await work();
  return { result, ms: performance.now() - t0 };
}

async function run(
  ctx: Pick<BenchContext, 'onCleanup'>,
): Promise<{ setMs: number; aloneMs: number; checks: number[] }> {
  const api = await startMessagesApiServer(pipelineScript(agents()).script);
  ctx.onCleanup(() => api.close());
  const options = { host: new BenchHost(), baseURL: api.url, autoApprove: true, assumeYes: true };
  const dir = waitingChain();
  const set = await timed(() => engine.runChangeSet('Values to 2', { ...options, workspace: dir }));
  if (set.result.status !== 'completed') throw new Error(`the set ended ${set.result.status}: ${set.result.stoppedAt}`);
  const checks: number[] = [];
  for (const member of MEMBERS.slice(1)) {
    const checked = await timed(() => checkCombinedHeads(dir, { trusted: true, member }));
    if (!checked.result.passed) throw new Error(`${member} failed on the combined heads after the set`);
    checks.push(checked.ms);
  }
  // a's part alone, its request as the set asked it.
  const alone = await timed(() =>
    engine.runFeature("Values to 2\nThis is a's part", { ...options, workspace: join(waitingChain(), 'a') }),
  );
  if (alone.result.status !== 'completed') throw new Error(`a's part alone ended ${alone.result.status}`);
  return { setMs: set.ms, aloneMs: alone.ms, checks };
}

export default {
  title: 'Change-set whose checks wait: wall time vs the slowest member plus its consumers’ checks',
  order: 65,
  async run(ctx) {
    const runs: Awaited<ReturnType<typeof run>>[] = [];
    for (let i = 0; i < 3; i++) runs.push(await run(ctx));
    const ratios = runs.map((r) => r.setMs / (r.aloneMs + r.checks.reduce((s, ms) => s + ms, 0)));
    const median = [...ratios].sort((x, y) => x - y)[1]!;
    return [
      {
        name: `Change-set a ← b ← c whose checks wait ${WAIT_SEC} s each (agents at once): wall time ÷ (a's part alone + b's and c's checks on the combined heads) (median of 3)`,
        value: `${median.toFixed(2)}×`,
        unit: '',
        target: `≤ ${TARGET}×`,
        pass: median <= TARGET,
        note: runs
          .map(
            (r, i) =>
              `set ${seconds(r.setMs)}, a alone ${seconds(r.aloneMs)}, b's and c's checks ${r.checks.map(seconds).join(' + ')}: ${ratios[i]!.toFixed(2)}×`,
          )
          .join('; '),
      },
    ];
  },
} satisfies BenchCase;
