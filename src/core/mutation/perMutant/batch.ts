/**
 * A worker's mutants in one process of the proof command's own runtime, when its runner can be
 * driven from inside it (pytest, ./pytestBatch.ts; node:test, ./nodeTestBatch.ts): each mutant's
 * run then costs what the runner does for it, not a runtime's start and the runner's load, most
 * of a small suite's time. The verdict is what the proof command's exit code would say. The plan
 * (each mutant as bytes to write) and a script of ours go into the worker's copy; the script
 * prints a line per verdict. Anything a batch does not understand runs a command per mutant.
 */
import { mkdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { parse, quote } from 'shell-quote';
import type { MutationCommandRunner } from '../engine';
import type { Mutant, MutantStatus } from '../types';
import { proofInvocations } from '../../proofTests';

/** The proof command read as words: `cd <dir> && `, `NAME=value` assignments, then the program and its arguments. */
export interface CommandWords {
  /** `cd <dir> && ` as the proof command starts, else empty; `dir` relative to the copy. */
  cd: { text: string; dir: string };
  env: string[];
  words: string[];
}

/** How one runner's batch runs: its script, and the command that runs it on a plan. */
export interface Batch {
  /** The script's file name and source. */
  script: { name: string; source: string };
  /** What the plan says besides the mutants and the limit. */
  plan: Record<string, unknown>;
  /** The command running `script` on `plan` (absolute paths) in the copy; undefined when it cannot run here. */
  command(copy: string, script: string, plan: string): string | undefined;
}

const CD = /^\s*cd\s+(?:'([^']+)'|"([^"]+)"|(\S+))\s*&&\s*/;

/**
 * The one command that runs these proof tests, as words; undefined for several commands, a
 * command per file, or anything the shell would do more with than run one program (an
 * operator, a variable, a substitution).
 */
export function commandWords(
  proof: { tests: readonly string[]; command: readonly string[] },
  tests: readonly string[],
): CommandWords | undefined {
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
  if (i >= tokens.length) return undefined;
  return {
    cd: { text: cd?.[0] ?? '', dir: cd ? posix.normalize(cd[1] ?? cd[2] ?? cd[3]!) : '.' },
    env,
    words: tokens.slice(i),
  };
}

/** `words` run as the proof command would run its program: after its `cd` and with its assignments. */
export function asCommand(read: CommandWords, words: readonly string[]): string {
  const assignments = read.env.map((a) => {
    const eq = a.indexOf('=');
    return `${a.slice(0, eq + 1)}${quote([a.slice(eq + 1)])}`;
  });
  return `${read.cd.text}${['env', ...assignments, quote(words)].join(' ')}`;
}

export interface BatchRun {
  batch: Batch;
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

/** Where a worker's batch keeps its script and plan, in its copy. */
export const BATCH_FOLDER = '.orchestrator-strength';

/**
 * The verdicts the batch gave; a mutant it left out (it could not run, or stopped) has none and
 * runs a command of its own. `capReached`: the batch was stopped at the cap. The copy's files are
 * as they were afterwards, even when the batch was killed with a mutant written.
 */
export async function runBatch(r: BatchRun): Promise<{ statuses: Map<string, MutantStatus>; capReached: boolean }> {
  const statuses = new Map<string, MutantStatus>();
  const dir = join(r.copy, BATCH_FOLDER);
  const script = join(dir, r.batch.script.name);
  const planFile = join(dir, 'plan.json');
  const command = r.batch.command(r.copy, script, planFile);
  if (!command) return { statuses, capReached: false };
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
  await mkdir(dir, { recursive: true });
  await writeFile(script, r.batch.script.source);
  await writeFile(
    planFile,
    JSON.stringify({
      ...r.batch.plan,
      // A mutant outlasting the proof command's own limit is its doing; without one, the cap stops
      // the batch, which stops itself a second before (its mutant put back) rather than be killed.
      timeoutSec: r.limit < r.left ? r.limit : null,
      capSec: Math.max(0.5, r.left - 1),
      mutants: edits,
    }),
  );
  const result = await r
    .run(command, { cwd: r.copy, timeoutSec: r.left, readOnly: [] })
    .finally(() => restore(originals));
  for (const [, id, verdict] of result.output.matchAll(/^ORCH-MUTANT ([0-9a-f]+) (\w+)$/gm))
    if (VERDICT[verdict!]) statuses.set(id!, VERDICT[verdict!]!);
  return { statuses, capReached: result.timedOut || /^ORCH-CAP$/m.test(result.output) };
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
 * the mutant's time (a cache keyed by a file's time, a .pyc made from the mutant, is not taken for it).
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
