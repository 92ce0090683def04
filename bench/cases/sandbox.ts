/**
 * Rows 48 and 49 (issue 36): what the sandbox costs. Row 48: the shop's backend validate command
 * (`node scripts/check-server.js server`, through the command runner exactly as a run calls it)
 * in the sandbox ÷ the same command bare, alternating, median of each. Row 49: from
 * launchSandboxed (policy to bubblewrap's argv) to the child's first instruction (`date` run by
 * bubblewrap prints the clock), median; the note gives the same with one allowed loopback
 * endpoint (a relay to start and wait for: an agent's policy).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { commandSandbox, runCommand } from '../../src/core/process';
import { parseConfig } from '../../src/core/project/config/config';
import { launchSandboxed, sandboxSupport, type SandboxPolicy } from '../../src/core/sandbox';
import { makeShop } from '../support/shop';
import { median, spread } from '../support/stats';
import type { BenchCase } from '../types';

const RUNS = 9;
const COMMAND = 'node scripts/check-server.js server';

/** Milliseconds from the call to launchSandboxed to the child's first instruction. */
async function startToFirstInstruction(policy: SandboxPolicy): Promise<number> {
  const t0 = performance.timeOrigin + performance.now();
  const launch = await launchSandboxed('/bin/date', ['+%s%N'], { PATH: process.env.PATH ?? '/usr/bin:/bin' }, policy);
  const child = spawn(launch.command, launch.args, { env: launch.env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk));
  await new Promise((resolve) => child.on('close', resolve));
  await launch.close();
  return Number(BigInt(out.trim()) / 1000n) / 1000 - t0;
}

export default {
  title: 'Sandbox cost',
  order: 96,
  async run(ctx) {
    const support = await sandboxSupport();
    if (!support.available) throw new Error(`no sandbox on this machine: ${support.reason}`);
    const shop = makeShop();
    const scratch = mkdtempSync(join(tmpdir(), 'bench-sandbox-'));
    ctx.onCleanup(() => {
      shop.cleanup();
      rmSync(scratch, { recursive: true, force: true });
    });
    const config = parseConfig('version: 1\n');
    const sandbox = commandSandbox(config, { workspace: shop.dir, command: COMMAND, runId: 'bench' })!;
    const bare: number[] = [];
    const confined: number[] = [];
    ctx.log(`row 48: ${COMMAND}, bare and sandboxed, ${RUNS} times each, alternating …`);
    for (let i = 0; i < RUNS; i++) {
      for (const [times, options] of [
        [bare, {}],
        [confined, { sandbox }],
      ] as const) {
        const result = await runCommand(COMMAND, { cwd: shop.dir, timeoutSec: 120, ...options });
        if (result.exitCode !== 0)
          throw new Error(
            `${COMMAND} failed${'sandbox' in options ? ' in the sandbox' : ''}: ${result.output.slice(-300)}`,
          );
        times.push(result.ms);
      }
    }
    const ratio = median(confined) / median(bare);

    ctx.log(`row 49: sandbox start to the child's first instruction, ${RUNS} times, then with one allowed endpoint …`);
    const policy: SandboxPolicy = {
      cwd: shop.dir,
      writable: [shop.dir],
      home: join(scratch, 'home'),
      tmp: join(scratch, 'tmp'),
      network: [],
      who: { command: 'date' },
    };
    const starts: number[] = [];
    const relayed: number[] = [];
    for (let i = 0; i < RUNS; i++) starts.push(await startToFirstInstruction(policy));
    for (let i = 0; i < RUNS; i++)
      relayed.push(await startToFirstInstruction({ ...policy, network: ['127.0.0.1:4010'] }));
    const bwrap = execFileSync('bwrap', ['--version'], { encoding: 'utf8' }).trim();
    return [
      {
        name: `A validate command in the sandbox ÷ the same command bare (\`${COMMAND}\` on the shop, median of ${RUNS})`,
        value: Number(ratio.toFixed(2)),
        unit: '×',
        target: '≤ 1.10×',
        pass: ratio <= 1.1,
        note: `bare ${spread(bare)}; sandboxed ${spread(confined)}; ${bwrap}`,
      },
      {
        name: `Sandbox start to the child's first instruction (median of ${RUNS})`,
        value: Number(median(starts).toFixed(1)),
        unit: 'ms',
        target: '≤ 50 ms',
        pass: median(starts) <= 50,
        note: `no network: ${spread(starts)}; one allowed endpoint (socat relay started and waited for): ${spread(relayed)}`,
      },
    ];
  },
} satisfies BenchCase;
