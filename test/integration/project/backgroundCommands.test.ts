// A command run in the background (the strength step's mutants: src/core/process/background.ts)
// runs below the others' priority, and so does everything it starts: nice 10 and, on Linux, its
// session's autogroup at nice 10 too (each detached command and each sandbox is a session of its
// own, shared fairly whatever its nice). Its output and exit code are the command's own; a command
// not in the background keeps the priority it had. Through the spawning helper: commandsThroughHelper.test.ts.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { CommandSandbox } from '../../../src/core/process/commandSandbox';
import { runCommand } from '../../../src/core/process/runCommand';
import { sandboxSupport } from '../../../src/core/sandbox';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'background-commands-')));
const work = join(root, 'work');
mkdirSync(work);
after(() => rmSync(root, { recursive: true, force: true }));

/** What the command and a process it starts say of their priority, then the command's own output and exit. */
const PROBE = `echo "nice=$(nice)"; sh -c 'echo "child=$(nice) $(cat /proc/self/autogroup)"'; echo out-line; echo err-line >&2; exit 3`;
const hasAutogroup = (() => {
  try {
    return /nice/.test(readFileSync('/proc/self/autogroup', 'utf8'));
  } catch {
    return false;
  }
})();
// The test's own nice (a CI may run it lowered already): a background command's is 10 more, at most 19.
const ours = getPriority();
const lowered = Math.min(19, ours + 10);

function assertBackground(output: string): void {
  assert.match(output, new RegExp(`^nice=${lowered}$`, 'm'), output);
  assert.match(output, new RegExp(`^child=${lowered}`, 'm'), output);
  if (hasAutogroup) assert.match(output, /^child=\d+ \/autogroup-\d+ nice 10$/m, output);
  assert.match(output, /^out-line$/m);
  assert.match(output, /^err-line$/m);
}

test('a background command and what it starts run at nice 10, its session lowered too; its output and exit code are its own', async (t) => {
  if (process.platform === 'win32') return t.skip('POSIX nice');
  const result = await runCommand(PROBE, { cwd: work, timeoutSec: 60, background: true });
  assert.equal(result.exitCode, 3);
  assert.equal(result.command, PROBE);
  assertBackground(result.output);
  const normal = await runCommand(PROBE, { cwd: work, timeoutSec: 60 });
  assert.equal(normal.exitCode, 3);
  assert.match(normal.output, new RegExp(`^nice=${ours}$`, 'm'));
  if (hasAutogroup) assert.match(normal.output, /^child=\d+ \/autogroup-\d+ nice 0$/m);
});

test('a sandboxed background command is lowered inside its sandbox, whose session is its own', async (t) => {
  if (!(await sandboxSupport()).available) return t.skip('no sandbox on this machine');
  const sandbox: CommandSandbox = {
    writable: [work],
    home: join(root, 'box-home'),
    tmp: join(root, 'box-tmp'),
    network: [],
    who: { command: 'test' },
  };
  const result = await runCommand(PROBE, { cwd: work, timeoutSec: 60, sandbox, background: true });
  assert.equal(result.exitCode, 3);
  assertBackground(result.output);
  const normal = await runCommand(PROBE, { cwd: work, timeoutSec: 60, sandbox });
  assert.match(normal.output, new RegExp(`^nice=${ours}$`, 'm'));
  if (hasAutogroup) assert.match(normal.output, /^child=\d+ \/autogroup-\d+ nice 0$/m);
});
