// A tiny JavaScript project with a real test runner linked in: its package.json names the runner
// (as a devDependency, at the version this repository pins) and a test script, and its
// node_modules links the runner's package and binary to this repository's own node_modules, so
// `npx ava`, `npm test` and the proof command run the real runner without an install. Commands
// run in the sandbox must be let read SHARED_NODE_MODULES (the links lead there):
// sandboxReadsSharedModules.
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';

export type JsRunner = 'node' | 'jest' | 'vitest' | 'ava' | 'mocha' | 'tap' | 'jasmine' | 'uvu';

const ROOT = join(__dirname, '../..');

/** This repository's node_modules, its links resolved: where the fixture's links lead. */
export const SHARED_NODE_MODULES = realpathSync(join(ROOT, 'node_modules'));

/** The test script a project of each runner writes, as their docs show it. */
const SCRIPTS: Record<JsRunner, string> = {
  node: 'node --test',
  jest: 'jest',
  vitest: 'vitest run',
  ava: 'ava',
  mocha: 'mocha',
  tap: 'tap',
  jasmine: 'jasmine',
  uvu: 'uvu test',
};

export interface JsRunnerProjectOptions {
  /** `scripts.test` (default: the runner's usual script). */
  script?: string;
  /** package.json's `type` (default `commonjs`). */
  type?: 'module' | 'commonjs';
  /** More package.json fields (`ava: {files: […]}`, `mocha: {…}`). */
  manifest?: Record<string, unknown>;
  /** Packages to link besides the runner (`@vitest/expect`…). */
  link?: readonly string[];
}

/** Writes the project in `dir` with `files` (path → content) and returns `dir`. */
export function jsRunnerProject(
  dir: string,
  runner: JsRunner,
  files: Record<string, string>,
  options: JsRunnerProjectOptions = {},
): string {
  const pinned = (
    JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }
  ).devDependencies;
  const packages = [...(runner === 'node' ? [] : [runner]), ...(options.link ?? [])];
  const manifest = {
    name: 'js-runner-fixture',
    version: '1.0.0',
    private: true,
    type: options.type ?? 'commonjs',
    scripts: { test: options.script ?? SCRIPTS[runner] },
    devDependencies: Object.fromEntries(packages.map((name) => [name, pinned[name] ?? '*'])),
    ...options.manifest,
  };
  write(dir, 'package.json', `${JSON.stringify(manifest, null, 2)}\n`);
  for (const name of packages) linkPackage(dir, name);
  for (const [path, content] of Object.entries(files)) write(dir, path, content);
  return dir;
}

/** Links `name` and its binaries into `dir`'s node_modules. */
export function linkPackage(dir: string, name: string): void {
  const target = join(SHARED_NODE_MODULES, name);
  const link = join(dir, 'node_modules', name);
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(target, link, 'dir');
  const { bin } = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')) as {
    bin?: string | Record<string, string>;
  };
  const bins = typeof bin === 'string' ? { [name.split('/').at(-1)!]: bin } : (bin ?? {});
  mkdirSync(join(dir, 'node_modules/.bin'), { recursive: true });
  for (const [command, path] of Object.entries(bins))
    symlinkSync(join(target, path), join(dir, 'node_modules/.bin', command));
}

function write(dir: string, path: string, content: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
}

/**
 * Lets sandboxed commands of this process read SHARED_NODE_MODULES, as a toolchain on PATH: the
 * sandbox binds each PATH entry's installation read-only (sandbox/toolchains.ts), and an entry
 * that is a link to the shared node_modules is that folder. Returns what puts PATH back.
 */
export function sandboxReadsSharedModules(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'shared-modules-'));
  symlinkSync(SHARED_NODE_MODULES, join(dir, 'modules'), 'dir');
  const path = process.env.PATH;
  process.env.PATH = `${join(dir, 'modules')}${delimiter}${path ?? ''}`;
  return () => {
    process.env.PATH = path;
    rmSync(dir, { recursive: true, force: true });
  };
}
