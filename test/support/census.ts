/** Builds a repository from a file map in a temp folder, takes its census, and checks the invariants every census must hold. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import picomatch from 'picomatch';
import { takeCensus } from '../../src/core/census/census';
import { isSourceFile } from '../../src/core/census/files/fileList';
import { findSchema } from '../../src/core/census/schema/schemaContent';
import { initFromCensus } from '../../src/core/census/init/initFromCensus';
import type { Census, CensusInputs, ProposedLayer } from '../../src/core/census/types';
import { loadConfig } from '../../src/core/project/config/config';

/** git in `cwd` with a fixed identity; its output. */
export const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@t',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@t',
    },
  });

/** Makes the folder a repository whose one commit holds all it holds. */
export function commitAll(dir: string): void {
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'init');
}

export async function makeRepo(files: Record<string, string>): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'orchestrator-census-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * The census of `files`, after checking: no source file owned twice; ≥ 90 % owned; every
 * schema file matched by `schema` and owned by a layer; no placeholder command; the config written from it loads.
 */
export async function censusOf(files: Record<string, string>, inputs?: CensusInputs): Promise<Census> {
  const repo = await makeRepo(files);
  try {
    const census = await takeCensus(repo.dir, inputs);
    const matchers = census.layers.map((l) => ({ name: l.name, test: picomatch(l.owns, { dot: true }) }));
    const sources = Object.keys(files).filter(
      (f) => isSourceFile(f) && !f.startsWith('.') && !f.includes('node_modules/'),
    );
    for (const file of sources) {
      const owners = matchers.filter((m) => m.test(file)).map((m) => m.name);
      assert.ok(owners.length <= 1, `${file} is owned by ${owners.join(' and ')}`);
    }
    if (sources.length > 0)
      assert.ok(
        census.ownedFiles / census.sourceFiles >= 0.9,
        `only ${census.ownedFiles}/${census.sourceFiles} source files owned; unowned: ${census.unowned.join(', ')}`,
      );
    const schema = picomatch(
      census.schema.map((s) => s.glob),
      { dot: true },
    );
    for (const file of (
      await findSchema(
        repo.dir,
        Object.keys(files).filter((f) => !f.startsWith('.')),
      )
    ).files) {
      assert.ok(
        census.schema.length > 0 && schema(file),
        `schema file ${file} is not matched by ${census.schema.map((s) => s.glob).join(', ')}`,
      );
      if (file.includes('/'))
        assert.ok(
          matchers.some((m) => m.test(file)),
          `schema file ${file} is owned by no layer`,
        );
    }
    for (const layer of census.layers)
      for (const { command } of layer.validate)
        assert.doesNotMatch(command, /^echo\b|<[^>]+>/, `placeholder command in ${layer.name}`);
    await initFromCensus(repo.dir, { trusted: false, verify: false, census });
    const config = await loadConfig(repo.dir);
    assert.deepEqual(
      Object.keys(config.layers),
      census.layers.map((l) => l.name),
      'the written config loads with the same layers',
    );
    return census;
  } finally {
    await repo.cleanup();
  }
}

export function layer(census: Census, name: string): ProposedLayer {
  const found = census.layers.find((l) => l.name === name);
  assert.ok(found, `no layer ${name}; layers: ${census.layers.map((l) => l.name).join(', ')}`);
  return found;
}

export function commands(census: Census, name: string): string[] {
  return layer(census, name).validate.map((v) => v.command);
}

export const json = (value: unknown) => JSON.stringify(value, null, 2);

/** A GitHub workflow of one job whose steps run these commands. */
export const workflowRunning = (...runs: string[]): string =>
  [
    'on: push',
    'jobs:',
    '  ci:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    ...runs.map((r) => `      - run: ${r}`),
  ].join('\n');
