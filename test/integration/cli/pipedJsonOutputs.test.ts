// Every --json output is whole when piped: the CLI exits only once stdout has drained. A 1 MB
// matrix through `| cat` was cut at 146 kB before (issue 18); `task list` has its own test (pipedJson.test.ts).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createSpec } from '../../../src/core/project/specs/specs';
import { makeShop } from '../../support/engine/shopWorkspace';
import { buildCli, CLI, FAKE_KEY } from '../../support/cli/cliKit';

before(() => buildCli());

/** `orchestrator <args> | cat` in a shell: what a user piping the output gets. */
function piped(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const child = spawn('sh', ['-c', `${quote(process.execPath)} ${quote(CLI)} ${args.map(quote).join(' ')} | cat`], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ANTHROPIC_API_KEY: FAKE_KEY },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

/** A spec of `count` requirements with two long criteria each: its matrix is large. */
function bigSpec(count: number): string {
  const requirements = Array.from({ length: count }, (_, i) => {
    const n = i + 1;
    const words =
      `the catalogue entry number ${n} with its name, price, stock level and the supplier's delivery notes `.repeat(3);
    return [
      `#### REQ-${n}: Requirement ${n} about ${words.slice(0, 80)}`,
      '**Acceptance criteria**',
      `- REQ-${n}.1: WHEN a client asks for ${words}THE API SHALL answer 200`,
      `- REQ-${n}.2: IF ${words}is missing THEN THE API SHALL answer 404`,
      '',
    ].join('\n');
  });
  const tasks = Array.from(
    { length: count },
    (_, i) => `${i + 1}. [ ] Backend: serve entry ${i + 1} in \`server/entities/entry${i + 1}.js\` (REQ-${i + 1})`,
  );
  return [
    '## Spec: Big catalogue',
    '',
    '### Summary',
    'Many requirements.',
    '',
    '### Requirements',
    '',
    ...requirements,
    '### Tasks',
    ...tasks,
    '',
  ].join('\n');
}

test('trace --json of a 1 MB matrix piped through cat parses whole and names every requirement', async () => {
  const shop = makeShop({ git: false });
  try {
    const count = 700;
    const spec = await createSpec(shop.dir, {
      title: 'Big catalogue',
      slug: 'big-catalogue',
      kind: 'feature',
      layers: ['backend'],
      markdown: bigSpec(count),
    });
    const result = await piped(['trace', spec.id, '--json'], shop.dir);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(
      Buffer.byteLength(result.stdout) > 1_000_000,
      `the matrix is over 1 MB (${Buffer.byteLength(result.stdout)} bytes)`,
    );
    const matrix = JSON.parse(result.stdout) as { rows: { requirement: string; criterion: string }[] };
    assert.equal(matrix.rows.length, count * 2);
    assert.equal(matrix.rows.at(-1)!.criterion, `REQ-${count}.2`);
  } finally {
    shop.cleanup();
  }
});

test('specs, runs, task list and a run summary with --json piped through cat are whole JSON', async () => {
  const shop = makeShop();
  try {
    // Enough specs that `specs --json` is many times a pipe's buffer.
    for (let i = 0; i < 120; i++)
      await createSpec(shop.dir, {
        title: `Spec ${i} ${'with a long title '.repeat(40)}`,
        slug: `spec-${i}`,
        kind: 'feature',
        layers: ['backend'],
        markdown: bigSpec(3),
      });
    const specs = await piped(['specs', '--json'], shop.dir);
    assert.ok(Buffer.byteLength(specs.stdout) > 64 * 1024, `${Buffer.byteLength(specs.stdout)} bytes`);
    assert.equal((JSON.parse(specs.stdout) as unknown[]).length, 120);

    // A folder with nothing left to do runs to COMPLETE without a model: its summary is printed as JSON.
    cpSync(resolve(__dirname, '../../fixtures/specs/kiro/all-done'), join(shop.dir, '.kiro/specs/all-done'), {
      recursive: true,
    });
    shop.git('add', '-A');
    shop.git('commit', '-q', '-m', 'all done');
    const summary = await piped(['approve', '.kiro/specs/all-done', '--yes', '--json'], shop.dir);
    assert.equal((JSON.parse(summary.stdout) as { status: string }).status, 'completed', summary.stderr);

    const runs = JSON.parse((await piped(['runs', '--json'], shop.dir)).stdout) as { status: string }[];
    assert.deepEqual(
      runs.map((r) => r.status),
      ['completed'],
    );
    assert.ok(Array.isArray(JSON.parse((await piped(['task', 'list', '--json'], shop.dir)).stdout)));
  } finally {
    shop.cleanup();
  }
});
