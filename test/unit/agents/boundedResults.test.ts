// Bounded results (issue 8, point 5): a read returns at most ~200 KB with a notice and the
// offset to continue, whatever the file's size; a command's output keeps its head and tail.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { READ_LIMITS } from '../../../src/core/agents/tools/readTools';
import { runCommand, trimErrorOutput } from '../../../src/core/process/runCommand';
import {
  invoke,
  makeSandbox,
  makeToolContext,
  type Sandbox,
  type TestToolContext,
} from '../../support/agents/agentTestKit';

let box: Sandbox;
let ctx: TestToolContext;
const LINE = (n: number) => `line ${n} ${'x'.repeat(1990)}`;

before(async () => {
  box = await makeSandbox({});
  // 2,000 lines of ~2 KB: 4 MB, the size that came back whole in one result before.
  await writeFile(join(box.ws, 'wide.log'), Array.from({ length: 2000 }, (_, i) => LINE(i + 1)).join('\n') + '\n');
  // 20 MB of short lines: more than the old 10 MB refusal, pageable now.
  await writeFile(
    join(box.ws, 'huge.log'),
    Array.from({ length: 1_000_000 }, (_, i) => `entry ${String(i + 1).padStart(7, '0')} ok`).join('\n') + '\n',
  );
  ctx = await makeToolContext(box.ws, []);
});
after(() => box.cleanup());

const read = (input: Record<string, unknown>) => invoke(ctx, [], 'read_file', input);

test('a read of a 4 MB file returns at most ~200 KB with a notice and the offset to continue', async () => {
  const first = await read({ path: 'wide.log' });
  assert.equal(first.isError, false);
  assert.ok(first.content.length <= READ_LIMITS.maxReadChars + 300, `${first.content.length} characters`);
  const notice =
    /\[truncated: showing lines 1-(\d+) of 2000 \(a result holds about 200 KB\); call read_file with offset=(\d+) to continue\]$/.exec(
      first.content,
    );
  assert.ok(notice, first.content.slice(-300));
  const last = Number(notice[1]);
  assert.equal(Number(notice[2]), last + 1);
  assert.ok(first.content.includes(`${last}\t${LINE(last)}`));

  const next = await read({ path: 'wide.log', offset: last + 1 });
  assert.ok(next.content.startsWith(`${last + 1}\t${LINE(last + 1)}`));
  assert.ok(next.content.length <= READ_LIMITS.maxReadChars + 300);
});

test('a 20 MB file is read page by page instead of refused', async () => {
  const page = await read({ path: 'huge.log', offset: 500_000, limit: 3 });
  assert.equal(page.isError, false, page.content);
  assert.equal(
    page.content,
    'entry 0500000 ok\nentry 0500001 ok\nentry 0500002 ok'
      .split('\n')
      .map((l, i) => `${500_000 + i}\t${l}`)
      .join('\n') +
      '\n[truncated: showing lines 500000-500002 of 1000000; call read_file with offset=500003 to continue]',
  );
  assert.match(
    (await read({ path: 'huge.log', offset: 2_000_000 })).content,
    /offset 2000000 is past the end of huge\.log \(1000000 lines\)/,
  );
});

test('command output keeps its head and its tail: the failing line at the end survives', async () => {
  // 3 MB of noise between the first line and the error at the very end.
  const script =
    "console.log('first line'); for (let i = 0; i < 30000; i++) console.log('noise '.repeat(16) + i); console.log('src/app.ts:42: error TS2304: the real failure'); process.exitCode = 1;";
  const result = await runCommand(`node -e "${script}"`, { cwd: box.ws, timeoutSec: 120 });
  assert.equal(result.exitCode, 1);
  assert.ok(result.output.startsWith('first line'), 'the head is kept');
  assert.match(result.output, /bytes of output omitted/);
  assert.match(result.output, /src\/app\.ts:42: error TS2304: the real failure\s*$/);
  assert.ok(result.output.length < 1.2 * 1024 * 1024);
  assert.match(trimErrorOutput(result.output), /src\/app\.ts:42: error TS2304: the real failure$/);
});
