// `orchestrator demo` (issue 19): one feature on the bundled sample shop against the scripted
// model built into the engine, with no key and no network, through every phase to COMPLETE.
// Without a terminal it approves the spec by itself and says so; the result stays in the
// folder it names.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCli, CLI, jsonOf, runCli } from '../../support/cli/cliKit';

before(() => buildCli());

test('cli: demo with no key ends at COMPLETE, approving by itself without a terminal, and names the folder it leaves', async () => {
  const scratch = mkdtempSync(join(tmpdir(), 'orch-demo-'));
  try {
    // No ANTHROPIC_API_KEY, no ANTHROPIC_BASE_URL: nothing but the built-in scripted model.
    const result = await runCli(['demo', '--json'], { cwd: scratch, apiKey: null });
    assert.equal(result.code, 0, result.stderr);
    const summary = jsonOf(result);
    assert.equal(summary.status, 'completed');
    assert.deepEqual(
      (summary.phases as { name: string }[]).map((p) => p.name),
      ['SYNC', 'UNDERSTAND', 'SPEC', 'CHECKPOINT', 'PROVE', 'IMPLEMENT', 'REVIEW', 'COMPLETE'],
    );
    assert.deepEqual(summary.filesChanged, [
      'db/migrations/003_create_product.sql',
      'server/entities/product.js',
      'server/test/acceptance/product.test.js',
      'web/src/products.js',
    ]);
    // Proof per criterion: REQ-1's tests written before the code, red on the base, green after.
    assert.match(result.stderr, /✓ REQ-1\.1 red on the base: server\/test\/acceptance\/product\.test\.js/);
    assert.match(result.stderr, /✓ REQ-1\.2 proven.*: server\/test\/acceptance\/product\.test\.js/);
    assert.match(result.stderr, /· REQ-2\.1 untestable/);
    assert.equal(summary.costUsd, 0);
    assert.match(result.stderr, /no terminal attached: the demo approves the spec by itself/);
    assert.match(result.stderr, /review round 1: approved/);
    // The matrix's line is said when it changes, not after every phase (it said `trace: 3 criteria` three times).
    assert.deepEqual(
      result.stderr.match(/^ *trace: .*$/gm)?.map((line) => line.trim()),
      ['trace: 3 criteria (no file: REQ-1, REQ-2; no test: 1)', 'trace: 3 criteria'],
      result.stderr,
    );
    const folder = /the result is in (\S+)/.exec(result.stderr)?.[1];
    assert.ok(folder && existsSync(join(folder, 'server/entities/product.js')), result.stderr);
    try {
      assert.match(readFileSync(join(folder, '.claude/orchestrator.yaml'), 'utf8'), /default: demo:scripted/);
      assert.equal(
        execFileSync('git', ['log', '--format=%s'], { cwd: folder, encoding: 'utf8' }).trim(),
        'The sample shop',
      );
      assert.ok(existsSync(join(folder, String(summary.specPath))));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

test('cli: demo into a folder of your choice; a folder with files in it is refused (exit 2)', async () => {
  const scratch = mkdtempSync(join(tmpdir(), 'orch-demo-'));
  try {
    const taken = join(scratch, 'taken');
    mkdirSync(taken);
    writeFileSync(join(taken, 'mine.txt'), 'keep me\n');
    const refused = await runCli(['demo', taken], { cwd: scratch, apiKey: null });
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /is not empty: the demo needs a new or empty folder/);
    assert.equal(readFileSync(join(taken, 'mine.txt'), 'utf8'), 'keep me\n');

    const result = await runCli(['demo', 'shop-demo'], { cwd: scratch, apiKey: null });
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      new RegExp(`the result is in ${join(scratch, 'shop-demo').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
    assert.ok(existsSync(join(scratch, 'shop-demo', 'web/src/products.js')));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

test("cli: demo at a terminal shows the spec's text, its requirements and criteria, before asking; n saves it", async () => {
  const scratch = mkdtempSync(join(tmpdir(), 'orch-demo-'));
  let after: (() => Promise<number | null>) | undefined;
  try {
    // A real terminal: util-linux's script runs the demo on a pseudo-terminal, its keys from our pipe.
    const env: NodeJS.ProcessEnv = { ...process.env, SHELL: '/bin/sh', NO_COLOR: '1' };
    delete env.ANTHROPIC_API_KEY;
    delete env.ANTHROPIC_BASE_URL;
    const command = `'${process.execPath}' '${CLI}' demo '${join(scratch, 'shop')}'`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: scratch, env });
    let screen = '';
    const asked = new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: Buffer) => {
        screen += chunk.toString('utf8');
        if (screen.includes('[Y/n]')) resolve();
      }),
    );
    const code = new Promise<number | null>((resolve) => child.on('close', resolve));
    // Whatever the assertions say, the demo gets its answer and ends.
    after = () => {
      child.stdin.end('n\r');
      return code;
    };
    await Promise.race([asked, code]);
    const before = screen.slice(0, screen.indexOf('Approve it'));
    assert.match(before, /The spec is written: spec\/active\/\S+\/spec\.md/, screen);
    for (const text of [
      '│ ### Summary',
      '│ Add a Product entity (name, price)',
      '│ #### REQ-1: Create a product',
      '│ - REQ-1.1: WHEN a client POSTs a product',
      '│ #### REQ-2: List products',
      '│ 3. [ ] Frontend: web/src/products.js',
    ])
      assert.ok(before.includes(text), `${text} before the question:\n${screen}`);
    assert.equal(await after(), 0, screen);
    assert.match(screen, /demo: spec-saved/);
  } finally {
    await after?.();
    rmSync(scratch, { recursive: true, force: true });
  }
});
