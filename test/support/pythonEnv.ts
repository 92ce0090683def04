// A Python environment of a test's own: a venv with pytest and Hypothesis, made from what
// scripts/python/install.sh (a step of scripts/setup.mjs) leaves, and put first on PATH while the
// test runs, as `source .venv/bin/activate` does, so that a project command's `python` is its
// python (the sandbox binds a PATH entry's folder read-only).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

export interface PythonEnv {
  /** The venv's bin folder. */
  bin: string;
  /** What the venv's python says of itself and its pytest and Hypothesis. */
  versions: string;
  /** Puts the venv first on PATH; the returned function puts PATH back. */
  activate(): () => void;
  cleanup(): void;
}

const CACHE = resolve(process.env.ORCH_E2E_CACHE ?? join(__dirname, '../../.cache/e2e'));
/** Where scripts/python/install.sh keeps pytest's and Hypothesis's wheels (when pip could get them). */
export const PYTHON_WHEELS = join(CACHE, 'python-wheels');

/** Whether the system's python3 runs pytest (no venv of the test's own). */
export const hasPytest = (() => {
  try {
    execFileSync('python3', ['-m', 'pytest', '--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const SETUP =
  'run `node scripts/setup.mjs` (its python step, scripts/python/install.sh, gets Python 3 with venv, pytest and Hypothesis)';
const IMPORTS =
  'import sys, pytest, hypothesis; print(f"Python {sys.version.split()[0]}, pytest {pytest.__version__}, Hypothesis {hypothesis.__version__}")';

const run = (program: string, args: string[]): string =>
  execFileSync(program, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const failure = (error: unknown): string =>
  String((error as { stderr?: string }).stderr || (error as Error).message)
    .trim()
    .split('\n')
    .at(-1)!;

/**
 * A new venv with pytest and Hypothesis: installed into it from the wheels when they are there
 * (no network), else one that sees the system's (Debian's python3-pytest and python3-hypothesis).
 * Throws, saying what to run, when neither gives a python that imports both.
 */
export function pythonVenv(): PythonEnv {
  const base = mkdtempSync(join(tmpdir(), 'orch-venv-'));
  const venv = join(base, 'venv');
  const bin = join(venv, 'bin');
  const tried: string[] = [];
  const wheels = existsSync(PYTHON_WHEELS) && readdirSync(PYTHON_WHEELS).some((f) => f.startsWith('hypothesis-'));
  const attempts: { python: string; install: boolean }[] = wheels
    ? [{ python: 'python3', install: true }]
    : ['python3', '/usr/bin/python3'].map((python) => ({ python, install: false }));
  for (const { python, install } of attempts) {
    rmSync(venv, { recursive: true, force: true });
    try {
      if (install) {
        // The venv without pip of its own (a second or two less), filled by the system's pip.
        run(python, ['-m', 'venv', '--without-pip', venv]);
        try {
          run(python, [
            '-m',
            'pip',
            '--python',
            join(bin, 'python'),
            'install',
            '--quiet',
            '--disable-pip-version-check',
            '--no-index',
            '--find-links',
            PYTHON_WHEELS,
            'pytest',
            'hypothesis',
          ]);
        } catch {
          // A pip older than 22.3 has no --python: the venv's own pip, then.
          rmSync(venv, { recursive: true, force: true });
          run(python, ['-m', 'venv', venv]);
          run(join(bin, 'python'), [
            '-m',
            'pip',
            'install',
            '--quiet',
            '--disable-pip-version-check',
            '--no-index',
            '--find-links',
            PYTHON_WHEELS,
            'pytest',
            'hypothesis',
          ]);
        }
      } else {
        run(python, ['-m', 'venv', '--without-pip', '--system-site-packages', venv]);
      }
      const versions = run(join(bin, 'python'), ['-c', IMPORTS]).trim();
      return {
        bin,
        versions,
        activate() {
          const saved = process.env.PATH;
          process.env.PATH = `${bin}${delimiter}${saved ?? ''}`;
          return () => {
            process.env.PATH = saved;
          };
        },
        cleanup: () => rmSync(base, { recursive: true, force: true }),
      };
    } catch (error) {
      tried.push(
        `${python}${install ? ` with the wheels in ${PYTHON_WHEELS}` : " with the system's site-packages"}: ${failure(error)}`,
      );
    }
  }
  rmSync(base, { recursive: true, force: true });
  throw new Error(
    `No Python environment with pytest and Hypothesis for this test: ${SETUP}. Tried ${tried.join('; ')}`,
  );
}
