/**
 * Where StrykerJS is: the project's own install when it has one, else the orchestrator's (pinned,
 * issue 61). Its packages are ESM; the instrumenter is loaded by path, the CLI run as a process.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type StrykerRunner = 'jest' | 'vitest' | 'mocha';

export interface StrykerInstall {
  /** `node_modules` holding @stryker-mutator (bound read-only in the sandbox). */
  modules: string;
  /** The CLI's script. */
  bin: string;
  instrumenter: string;
  /** A runner plugin's entry. */
  plugin(runner: StrykerRunner): string;
}

/** StrykerJS as `workspace` resolves it, else as the orchestrator does; undefined when neither has it. */
export function strykerInstall(workspace: string): StrykerInstall | undefined {
  for (const from of [join(workspace, 'package.json'), join(__dirname, 'package.json')]) {
    const core = packageDir(createRequire(from), '@stryker-mutator/core');
    if (!core) continue;
    const modules = dirname(dirname(core));
    const instrumenter = packageDir(createRequire(join(core, 'package.json')), '@stryker-mutator/instrumenter');
    if (!instrumenter) continue;
    return {
      modules,
      bin: join(core, 'bin', 'stryker.js'),
      instrumenter: join(instrumenter, 'dist', 'src', 'index.js'),
      plugin: (runner) => join(modules, '@stryker-mutator', `${runner}-runner`, 'dist', 'src', 'index.js'),
    };
  }
  return undefined;
}

function packageDir(require: NodeJS.Require, name: string): string | undefined {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}
