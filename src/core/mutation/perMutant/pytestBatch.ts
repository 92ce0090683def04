/**
 * A worker's mutants in one Python process when the proof command is pytest's (`python -m pytest
 * …`, or a `pytest` script whose first line names its Python; an optional `cd <dir> && ` and
 * `NAME=value` assignments before it): each mutant's run then costs a fork and pytest's collection,
 * not a Python start and pytest's import, most of a small suite's time. Verdicts are the exit
 * code's, as for a command per mutant. Anything else (a shell pipeline, `uv run`, a variable)
 * is not batched.
 */
import { readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { basename, delimiter, isAbsolute, join, posix } from 'node:path';
import { parse, quote } from 'shell-quote';
import type { MutationCommandRunner } from '../engine';
import type { Mutant, MutantStatus } from '../types';
import { proofInvocations } from '../../proofTests';
import { PYTEST_BATCH_SCRIPT } from './pytestBatchScript';

export interface PytestBatch {
  /** `cd <dir> && ` as the proof command starts, else empty; `dir` relative to the copy. */
  cd: { text: string; dir: string };
  env: string[];
  /** The interpreter (`python3`, `.venv/bin/python`), or the `pytest` script to read it from. */
  program: string;
  module: boolean;
  args: string[];
}

const CD = /^\s*cd\s+(?:'([^']+)'|"([^"]+)"|(\S+))\s*&&\s*/;
const PYTHON = /^python(?:\d+(?:\.\d+)*)?$/;
const PYTEST = new Set(['pytest', 'py.test']);

/** The batch for these proof tests' one command, when it is pytest's; undefined otherwise. */
export function pytestBatch(
  proof: { tests: readonly string[]; command: readonly string[] },
  tests: readonly string[],
): PytestBatch | undefined {
  const invocations = proofInvocations(proof, tests);
  if (invocations.length !== 1 || invocations[0]!.perFile) return undefined;
  const full = invocations[0]!.command;
  const cd = CD.exec(full);
  const command = full.slice(cd?.[0].length ?? 0);
  if (/[$`]/.test(command)) return undefined;
  const tokens = parse(command);
  if (!tokens.every((t): t is string => typeof t === 'string')) return undefined;
  let i = 0;
  const env: string[] = [];
  while (i < tokens.length && /^[A-Za-z_]\w*=/.test(tokens[i]!)) env.push(tokens[i++]!);
  const program = tokens[i];
  if (!program) return undefined;
  const base = {
    cd: { text: cd?.[0] ?? '', dir: cd ? posix.normalize(cd[1] ?? cd[2] ?? cd[3]!) : '.' },
    env,
    program,
  };
  if (PYTHON.test(basename(program)) && tokens[i + 1] === '-m' && PYTEST.has(tokens[i + 2] ?? ''))
    return { ...base, module: true, args: tokens.slice(i + 3) };
  if (PYTEST.has(basename(program))) return { ...base, module: false, args: tokens.slice(i + 1) };
  return undefined;
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

export interface PytestBatchRun {
  batch: PytestBatch;
  copy: string;
  mutants: readonly Mutant[];
  apply(text: string, mutant: Mutant): string;
  /** One mutant's limit, and the seconds left before the cap (the batch's own limit). */
  limit: number;
  left: number;
  run: MutationCommandRunner;
}

const VERDICT: Record<string, MutantStatus> = {
  passed: 'survived',
  failed: 'killed',
  timeout: 'timeout',
  error: 'error',
};

/**
 * The verdicts the batch gave; a mutant it left out (it could not run, or stopped) has none and
 * runs a command of its own. `capReached`: the batch was stopped at the cap. The copy's files are
 * as they were afterwards, even when the batch was killed with a mutant written.
 */
export async function runPytestBatch(
  r: PytestBatchRun,
): Promise<{ statuses: Map<string, MutantStatus>; capReached: boolean }> {
  const statuses = new Map<string, MutantStatus>();
  const cwd = join(r.copy, r.batch.cd.dir);
  const python = r.batch.module ? r.batch.program : interpreterOf(r.batch.program, cwd);
  if (!python) return { statuses, capReached: false };
  const originals = new Map<string, Buffer>();
  const edits: object[] = [];
  for (const mutant of r.mutants) {
    const file = join(r.copy, mutant.path);
    let original = originals.get(file);
    let mutated: Buffer;
    try {
      original ??= await readFile(file);
      mutated = Buffer.from(r.apply(original.toString('utf8'), mutant));
    } catch {
      statuses.set(mutant.id, 'error');
      continue;
    }
    originals.set(file, original);
    edits.push({ id: mutant.id, file, ...edit(original, mutated) });
  }
  if (edits.length === 0) return { statuses, capReached: false };
  const dir = join(r.copy, '.orchestrator-strength');
  await mkdir(dir, { recursive: true });
  const script = join(dir, 'pytest_batch.py');
  const plan = join(dir, 'plan.json');
  await writeFile(script, PYTEST_BATCH_SCRIPT);
  await writeFile(
    plan,
    JSON.stringify({
      module: r.batch.module,
      args: r.batch.args,
      // A mutant outlasting the proof command's own limit is its doing; without one, the cap stops the batch.
      timeoutSec: r.limit < r.left ? r.limit : null,
      mutants: edits,
    }),
  );
  const command = `${r.batch.cd.text}${quote(['env', ...r.batch.env, python, script, plan])}`;
  const result = await r
    .run(command, { cwd: r.copy, timeoutSec: r.left, readOnly: [] })
    .finally(() => restore(originals));
  for (const [, id, verdict] of result.output.matchAll(/^ORCH-MUTANT ([0-9a-f]+) (\w+)$/gm))
    if (VERDICT[verdict!]) statuses.set(id!, VERDICT[verdict!]!);
  return { statuses, capReached: result.timedOut };
}

/** The bytes that differ, as the offsets they replace and the text that replaces them (base64). */
function edit(original: Buffer, mutated: Buffer): { start: number; end: number; original: string; text: string } {
  let start = 0;
  while (start < original.length && start < mutated.length && original[start] === mutated[start]) start++;
  let tail = 0;
  while (
    tail < original.length - start &&
    tail < mutated.length - start &&
    original[original.length - 1 - tail] === mutated[mutated.length - 1 - tail]
  )
    tail++;
  const end = original.length - tail;
  return {
    start,
    end,
    original: original.subarray(start, end).toString('base64'),
    text: mutated.subarray(start, mutated.length - tail).toString('base64'),
  };
}

/**
 * Each file as it was before the batch, where a stopped batch left a mutant in it, a second past
 * the mutant's time (a .pyc made from the mutant is not taken for it).
 */
async function restore(originals: ReadonlyMap<string, Buffer>): Promise<void> {
  for (const [file, original] of originals) {
    const now = await readFile(file).catch(() => undefined);
    if (now?.equals(original)) continue;
    const before = await stat(file).then(
      (s) => Math.floor(s.mtimeMs / 1000),
      () => 0,
    );
    await writeFile(file, original);
    const time = Math.max(Math.floor(Date.now() / 1000), before + 1);
    await utimes(file, time, time);
  }
}
