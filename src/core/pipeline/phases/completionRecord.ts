/**
 * The basis of drift, written by COMPLETE: the work tree at completion as a commit on a
 * private ref (`refs/orchestrator-completed/{specId}`, outside the checkpoint namespace that
 * `gc` prunes; HEAD, the index and the branch untouched), its id in the spec's front matter
 * (`completedAt`), and beside spec.md a `completion.json` naming each requirement's files and
 * tests with their git blob ids. The blob ids let `verify` work in a clone that lacks the
 * private ref (a CI checkout), and the record keeps the matrix's links once journals are gone.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as z from 'zod/mini';
import {
  CHECKPOINT_IDENTITY,
  commitTree,
  hasGit,
  locateRepo,
  revParseQuiet,
  updateRef,
  writeWorktreeTree,
} from '../../git';
import { ProjectFileError, readOptionalText, writeFileAtomic } from '../../project/sources';
import { inEnglish } from '../../text/zodEnglish';
import { joinSpec, loadSpec, splitFrontMatter, updateFrontMatterYaml } from '../../project/specs';
import { DenyList } from '../../project/config';
import type { TraceMatrix } from '../../trace';
import { type ProofStatus, proofTestsOf } from '../../text/proofWords';

/** What COMPLETE records beside spec.md (`completion.json`): the basis `verify` compares with. */
export interface CompletionRecord {
  version: 1;
  specId: string;
  /** UTC time of COMPLETE. */
  completed: string;
  /** The work tree at COMPLETE as a commit (refs/orchestrator-completed/{specId}); null outside git. */
  commit: string | null;
  runIds: string[];
  /** Each requirement's files and tests (matrix paths) → git blob id at COMPLETE; null = absent then. */
  files: Record<string, string | null>;
  requirements: RecordedRequirement[];
}

export interface RecordedRequirement {
  id: string;
  title: string;
  criteria: { id: string; text: string; proof?: RecordedProof }[];
  layers: string[];
  files: string[];
  tests: string[];
}

/** A criterion's proof at completion: its status, and the tests that were red on the base (what `verify` runs again). */
export interface RecordedProof {
  status: ProofStatus;
  tests: { file: string; test?: string }[];
  /** `verify --all --since` (issue 74): the last commit its proof tests passed at, and when. */
  lastProven?: { commit: string; at: string };
  /** A proof test that failed, then passed on its retry: quarantined until it is strengthened. */
  flaky?: { commit: string | null; at: string; note: string };
}

export const COMPLETION_FILE = 'completion.json';

export function completedRef(specId: string): string {
  return `refs/orchestrator-completed/${specId}`;
}

export interface CompletionInput {
  workspace: string;
  specId: string;
  /** Workspace-relative path of the completed spec.md. */
  specPath: string;
  runIds: string[];
  matrix: TraceMatrix;
  deny: readonly string[];
  /** Restricted Mode runs nothing of the workspace, git included: no snapshot commit then (blob ids only). */
  trusted: boolean;
  now?: Date;
}

/** Snapshots the work tree, writes completion.json and the front matter's `completedAt`. */
export async function recordCompletion(input: CompletionInput): Promise<CompletionRecord> {
  const requirements = recordedRequirements(input.matrix);
  const paths = [...new Set(requirements.flatMap((r) => [...r.files, ...r.tests, ...proofFilesOf(r)]))].sort();
  const files: Record<string, string | null> = {};
  for (const path of paths) files[path] = await blobIdOf(join(input.workspace, path));
  const record: CompletionRecord = {
    version: 1,
    specId: input.specId,
    completed: (input.now ?? new Date()).toISOString(),
    commit: input.trusted ? await snapshotCommit(input.workspace, input.specId, input.deny) : null,
    runIds: input.runIds,
    files,
    requirements,
  };
  const folder = dirname(join(input.workspace, input.specPath));
  await writeFileAtomic(join(folder, COMPLETION_FILE), `${JSON.stringify(record, null, 2)}\n`);
  await setFrontMatter(join(input.workspace, input.specPath), input.specPath, {
    completed: record.completed,
    ...(record.commit ? { completedAt: record.commit } : {}),
  });
  return record;
}

/** The matrix's rows folded back into requirements (files written by hand lose their mark). */
/**
 * Each criterion's `lastProven` by its id (issue 74): what the sweep recorded in the spec's
 * completion.json, shown in the trace's exports; empty for a spec without a record.
 */
export async function lastProvenOf(
  workspace: string,
  specId: string,
): Promise<Map<string, NonNullable<RecordedProof['lastProven']>>> {
  const spec = await loadSpec(workspace, specId);
  const record = spec.location === 'completed' ? await readCompletionRecord(workspace, spec.path) : undefined;
  return new Map(
    (record?.requirements ?? []).flatMap((r) =>
      r.criteria.flatMap((c) => (c.proof?.lastProven ? [[c.id, c.proof.lastProven] as const] : [])),
    ),
  );
}

export function recordedRequirements(matrix: TraceMatrix): RecordedRequirement[] {
  const byId = new Map<string, RecordedRequirement>();
  for (const row of matrix.rows) {
    const req = byId.get(row.requirement) ?? {
      id: row.requirement,
      title: row.requirementTitle,
      criteria: [],
      layers: [],
      files: [],
      tests: [],
    };
    byId.set(row.requirement, req);
    if (row.criterion !== row.requirement)
      req.criteria.push({
        id: row.criterion,
        text: row.criterionText,
        ...(row.proof ? { proof: recordedProof(row.proof) } : {}),
      });
    req.layers = union(req.layers, row.layers);
    req.files = union(
      req.files,
      row.files.map((f) => f.replace(/ \(by hand\)$/, '')),
    );
    req.tests = union(req.tests, row.tests);
  }
  return [...byId.values()];
}

function recordedProof(proof: NonNullable<TraceMatrix['rows'][number]['proof']>): RecordedProof {
  // A test that passed on the base proves nothing and one that could not run proves nothing either: only the red ones are kept.
  const red = proofTestsOf(proof).filter((t) => t.red === 'failed');
  return { status: proof.status, tests: red.map((t) => ({ file: t.file, ...(t.test ? { test: t.test } : {}) })) };
}

/** The proof tests of a requirement's criteria (their files). */
export function proofFilesOf(req: RecordedRequirement): string[] {
  return [...new Set(req.criteria.flatMap((c) => c.proof?.tests.map((t) => t.file) ?? []))];
}

/** The git blob id of a file's bytes (what `git hash-object` prints); null when it is not there. */
export async function blobIdOf(abs: string): Promise<string | null> {
  const bytes = await readFile(abs).catch(() => undefined);
  if (!bytes) return null;
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

const recordSchema = z.object({
  version: z.literal(1),
  specId: z.string(),
  completed: z.string(),
  commit: z.nullable(z.string().check(z.regex(/^[0-9a-f]{40,64}$/))),
  runIds: z.array(z.string()),
  files: z.record(z.string(), z.nullable(z.string())),
  requirements: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      criteria: z.array(
        z.object({
          id: z.string(),
          text: z.string(),
          // Absent in records written before proof per criterion.
          proof: z.optional(
            z.object({
              status: z.enum(['proven', 'vacuous', 'broken', 'failing', 'unproven']),
              tests: z.array(z.object({ file: z.string(), test: z.optional(z.string()) })),
              // Written by verify after completion (issue 74); absent before.
              lastProven: z.optional(z.object({ commit: z.string(), at: z.string() })),
              flaky: z.optional(z.object({ commit: z.nullable(z.string()), at: z.string(), note: z.string() })),
            }),
          ),
        }),
      ),
      layers: z.array(z.string()),
      files: z.array(z.string()),
      tests: z.array(z.string()),
    }),
  ),
});

/** The record beside a spec.md; undefined when the spec completed before records existed. */
export async function readCompletionRecord(workspace: string, specPath: string): Promise<CompletionRecord | undefined> {
  const rel = `${dirname(specPath)}/${COMPLETION_FILE}`;
  const text = await readOptionalText(join(workspace, rel));
  if (text === undefined) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ProjectFileError({ file: rel, line: 1, column: 1 }, `not valid JSON: ${(error as Error).message}`);
  }
  const parsed = recordSchema.safeParse(data, inEnglish);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ProjectFileError({ file: rel, line: 1, column: 1, key: issue.path.join('.') }, issue.message);
  }
  return parsed.data as CompletionRecord;
}

/** The work tree as a commit on the spec's private ref; null outside git (drift then compares blob ids only). */
async function snapshotCommit(workspace: string, specId: string, deny: readonly string[]): Promise<string | null> {
  if (!(await hasGit(workspace))) return null;
  const repo = await locateRepo(workspace);
  const tree = await writeWorktreeTree(repo, new DenyList(deny));
  const parent = await revParseQuiet(repo.topLevel, 'HEAD^{commit}');
  const commit = await commitTree(repo.topLevel, tree, `Orchestrator: spec ${specId} completed`, parent || undefined);
  await updateRef(repo.topLevel, completedRef(specId), commit, {
    reason: `orchestrator: spec ${specId} completed`,
    env: CHECKPOINT_IDENTITY,
  });
  return commit;
}

/** Sets front matter keys of a spec.md in place (the schema is loose: unknown keys survive every other update). */
async function setFrontMatter(abs: string, rel: string, changes: Record<string, string>): Promise<void> {
  const text = (await readFile(abs, 'utf8')).replace(/\r\n/g, '\n');
  const { yaml, body } = splitFrontMatter(text, rel);
  await writeFileAtomic(abs, joinSpec(updateFrontMatterYaml(yaml, changes), body));
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}
