/**
 * A proof folder's shape, whatever the runner: a folder with `acceptance/` below it (`proof/` when taken), or the
 * files of a folder itself named `acceptance-*` where the runner takes no subfolder; and where the project's tests
 * already are.
 */
import { join } from 'node:path';
import { fileHead } from '../files/fileHead';
import type { FileIndex } from '../files/fileIndex';
import type { CompiledTests } from './compiledTests';
import type { ProofUnit } from '../types';

export interface ProofPlace {
  /** Workspace-relative glob. */
  tests: string;
  /** Workspace-relative folder a probe is written in. */
  folder: string;
  /** A probe's file name, in the project's naming (`orchestrator-probe.test.ts`, `test_orchestrator_probe.py`, `acceptance_orchestrator_probe.rs`). */
  probe: string;
  language: ProofUnit['language'];
  /** The tests are written in sources the project compiles before its runner runs them: the proof command builds first and runs the compiled files. */
  compiled?: CompiledTests;
  /** The tests are not compiled, but the project's script builds before it runs them (compiledTests.ts's buildBefore): so does the proof command. */
  build?: string[];
  /** The project's own command names only these files (`mocha test/test.js`): no folder of it runs the proof tests, only the proof command does. */
  onlyFiles?: string[];
  /** The next places, likeliest first, tried when the project's lint or build fails with a proof test in this one. */
  alternatives?: ProofPlace[];
}

/** Files of the folder itself, `acceptance-*` (`proof-*` when taken), where the runner takes no subfolder. */
export function flatPlace(folder: string, files: FileIndex, extension: string, probe: string): ProofPlace {
  const at = (name: string) => (folder === '' ? name : `${folder}/${name}`);
  const prefix = ['acceptance', 'proof'].find((p) => !files.any(at(`${p}-`))) ?? 'proof';
  return { tests: at(`${prefix}-*`), folder, probe: `${prefix}-${probe}`, language: { extension } };
}

/** `<folder>/acceptance/**`, or `proof/` when `acceptance/` already holds the project's own files (Codeception's `tests/Acceptance`, a Cucumber suite). */
export function inFolder(
  folder: string,
  files: FileIndex,
  extension: string,
  probe: string,
  framework?: string,
  name = 'acceptance',
): ProofPlace {
  const candidates = [name, name === 'acceptance' ? 'proof' : 'Proof'];
  const taken = (dir: string) => files.any(`${dir}/`);
  const chosen =
    candidates.map((c) => (folder === '' ? c : `${folder}/${c}`)).find((dir) => !taken(dir)) ??
    `${folder === '' ? '' : `${folder}/`}${candidates[1]}`;
  return { tests: `${chosen}/**`, folder: chosen, probe, language: { extension, ...(framework ? { framework } : {}) } };
}

/** The folder a path or glob names before its first pattern character (`test/**\/*.test.ts` → `test`); undefined for a single file or a bare pattern. */
export function staticFolder(path: string): string | undefined {
  const clean = path.replace(/^\.\//, '').replace(/^["']|["']$/g, '');
  const glob = clean.search(/[*?[{]/);
  const head = glob >= 0 ? clean.slice(0, glob) : clean;
  const folder = glob >= 0 ? head.slice(0, head.lastIndexOf('/') + 1) : /\.[\w]+$/.test(head) ? '' : `${head}/`;
  const result = folder.replace(/\/+$/, '');
  return result === '' || result === '.' ? undefined : result;
}

/** The most common first folder of the project's tests (`test`, `tests`, `src`), among `allowed` when given. */
export function topFolder(tests: readonly string[], base: string, allowed?: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const file of tests) {
    const rest = base === '' ? file : file.slice(base.length + 1);
    if (!rest.includes('/')) continue;
    const top = rest.slice(0, rest.indexOf('/'));
    if (allowed && !allowed.includes(top)) continue;
    counts.set(top, (counts.get(top) ?? 0) + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  return best === undefined ? undefined : base === '' ? best : `${base}/${best}`;
}

export async function readHead(workspace: string, path: string): Promise<string> {
  return fileHead(join(workspace, path), 16_384);
}
