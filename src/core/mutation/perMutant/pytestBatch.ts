/**
 * The batch for pytest (`python -m pytest …`, or a `pytest` script whose first line names its
 * Python; ./batch.ts): one Python process imports pytest once and forks a child per mutant, so a
 * mutant costs a fork and pytest's collection, not a Python start and pytest's import. `uv run`,
 * `poetry run` and the like are not batched.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, delimiter, isAbsolute, join } from 'node:path';
import { asCommand, type Batch, commandWords } from './batch';
import { PYTEST_BATCH_SCRIPT } from './pytestBatchScript';

const PYTHON = /^python(?:\d+(?:\.\d+)*)?$/;
const PYTEST = new Set(['pytest', 'py.test']);

/** The batch for these proof tests' one command, when it is pytest's; undefined otherwise. */
export function pytestBatch(
  proof: { tests: readonly string[]; command: readonly string[] },
  tests: readonly string[],
): Batch | undefined {
  const read = commandWords(proof, tests);
  if (!read) return undefined;
  const [program, ...rest] = read.words as [string, ...string[]];
  const module = PYTHON.test(basename(program)) && rest[0] === '-m' && PYTEST.has(rest[1] ?? '');
  if (!module && !PYTEST.has(basename(program))) return undefined;
  return {
    script: { name: 'pytest_batch.py', source: PYTEST_BATCH_SCRIPT },
    plan: { module, args: module ? rest.slice(2) : rest },
    command(copy, script, plan) {
      const python = module ? program : interpreterOf(program, join(copy, read.cd.dir));
      return python && asCommand(read, [python, script, plan]);
    },
  };
}

/** The Python a `pytest` script starts with (its `#!` line), else undefined. */
function interpreterOf(script: string, cwd: string): string | undefined {
  const candidates = script.includes('/')
    ? [isAbsolute(script) ? script : join(cwd, script)]
    : (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, script));
  const found = candidates.find((path) => statSync(path, { throwIfNoEntry: false })?.isFile());
  if (!found) return undefined;
  const first = readFileSync(found, 'utf8').slice(0, 512).split('\n')[0] ?? '';
  const shebang = /^#!\s*(\S+)(?:\s+(\S+))?\s*$/.exec(first);
  if (!shebang) return undefined;
  const python = basename(shebang[1]!) === 'env' ? shebang[2] : shebang[1];
  return python && PYTHON.test(basename(python)) ? python : undefined;
}
