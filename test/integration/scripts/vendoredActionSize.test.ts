// Issue 71: the Action's tree as a user gets it (release/action/, and what `orchestrator init
// --github-action` vendors from an installed package) comes from a production build; it holds
// what runs and stays within the size docs/github-action.md states, and it runs from there.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
// @ts-expect-error -- a plain .mjs script without type declarations
import { ACTION_MAX_BYTES } from '../../../scripts/artifacts.mjs';
// @ts-expect-error -- a plain .mjs script without type declarations
import { buildStaged } from '../../../scripts/package.mjs';
// @ts-expect-error -- a plain .mjs script without type declarations
import { actionTree } from '../../../scripts/release.mjs';
import { ROOT } from '../../support/cli/cliKit';

test("the production Action's tree: within the size the docs state, no package.json with dependencies, no templates; its job and CLI run from it", () => {
  const staging = (buildStaged as () => string)();
  const dir = mkdtempSync(join(tmpdir(), 'action-size-'));
  try {
    const tree = (actionTree as (built: string, to: string, max: number) => string)(
      staging,
      join(dir, 'action'),
      ACTION_MAX_BYTES as number,
    );
    const files = readdirSync(tree, { recursive: true, encoding: 'utf8' }).filter((f) =>
      statSync(join(tree, f)).isFile(),
    );
    const bytes = files.reduce((sum, file) => sum + statSync(join(tree, file)).size, 0);
    assert.ok(bytes <= (ACTION_MAX_BYTES as number), `${bytes} bytes`);
    // The docs say its size and the limit, as the README in the tree does.
    const docs = readFileSync(join(ROOT, 'docs/github-action.md'), 'utf8');
    const stated = /about ([\d.]+) MB \((\d+) files\), at most ([\d.]+) MB/.exec(docs);
    assert.ok(stated, 'docs/github-action.md states the size');
    assert.equal(Number(stated[3]) * 1_000_000, ACTION_MAX_BYTES);
    assert.ok(
      Math.abs(Number(stated[1]) * 1_000_000 - bytes) < 300_000,
      `the docs say ${stated[1]} MB, it is ${bytes}`,
    );
    assert.equal(Number(stated[2]), files.length);
    assert.match(
      readFileSync(join(tree, 'README.md'), 'utf8'),
      new RegExp(`${files.length} files, ${(bytes / 1e6).toFixed(1)} MB`),
    );
    const manifest = JSON.parse(readFileSync(join(tree, 'package.json'), 'utf8')) as Record<string, unknown>;
    for (const key of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies', 'scripts'])
      assert.equal(manifest[key], undefined, key);
    assert.deepEqual(
      files.filter((f) =>
        /^(examples|\.claude\/context)\/|^dist\/(mermaid|mcp|portal|pool)\.js$|^CHANGELOG|\.map$/.test(f),
      ),
      [],
    );
    // Run as a runner runs it: the CLI's --version, and the job on an event it ignores.
    const cli = spawnSync(process.execPath, [join(tree, 'dist/cli.js'), '--version'], { cwd: dir, encoding: 'utf8' });
    assert.match(cli.stdout, /^spec-orchestrator \d/, cli.stderr);
    writeFileSync(join(dir, 'event.json'), JSON.stringify({ ref: 'refs/heads/main' }));
    writeFileSync(join(dir, 'output'), '');
    const job = spawnSync(process.execPath, [join(tree, 'dist/action.js')], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        GITHUB_EVENT_NAME: 'push',
        GITHUB_EVENT_PATH: join(dir, 'event.json'),
        GITHUB_OUTPUT: join(dir, 'output'),
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_WORKSPACE: dir,
        'INPUT_GITHUB-TOKEN': 'ghs_0000000000000000000000000000000000000',
      },
    });
    assert.equal(job.status, 0, job.stdout + job.stderr);
    assert.match(readFileSync(join(dir, 'output'), 'utf8'), /^status<<(\S+)\nignored\n\1$/m);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(staging, { recursive: true, force: true });
  }
});
