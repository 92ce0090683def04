/**
 * What the proof agent reads besides the spec: the files the spec names as they are on the base
 * (an absent one is what the spec adds), one existing test of the project for its conventions,
 * and the property-based library each criterion's code has. Read through the agents' guard: no secret, no ignored file.
 */
import { readFile } from 'node:fs/promises';
import picomatch from 'picomatch';
import { walkFiles, WorkspaceGuard } from '../../agents';
import { censusRoom } from '../../census';
import { namedPaths } from '../../project/specs';
import type { Criterion } from '../../trace';
import type { RunContext } from '../kernel';
import { layerCitations } from './proofCitations';
import type { ProofBrief } from './proofPrompts';

const MAX_NAMED = 12;
const MAX_FILE_CHARS = 20_000;
const MAX_EXAMPLE_CHARS = 8_000;
const TEST_FILE =
  /(?:^|\/)(?:[^/]+[._-](?:test|spec)\.[cm]?[jt]sx?|test_[^/]+\.py|[^/]+_test\.(?:py|go)|[^/]+Tests?\.(?:java|kt|cs|php)|[^/]+_spec\.rb)$/;

export async function namedFiles(ctx: RunContext, specBody: string): Promise<ProofBrief['named']> {
  const guard = await WorkspaceGuard.create(ctx.workspace, [], ctx.config.privacy.deny);
  // A file has an extension (a heading's "Create/Modify" is not one); a folder is not sent.
  const paths = [...new Set(namedPaths(specBody))].filter((p) => /\.[A-Za-z0-9]+$/.test(p)).slice(0, MAX_NAMED);
  const named: ProofBrief['named'] = [];
  for (const path of paths) {
    const verdict = await guard.checkRead(path);
    if (!verdict.ok) continue;
    const text = await readFile(verdict.abs, 'utf8').catch(() => undefined);
    named.push(
      text === undefined
        ? { path }
        : { path, text: text.length > MAX_FILE_CHARS ? `${text.slice(0, MAX_FILE_CHARS)}\n… (truncated)` : text },
    );
  }
  return named;
}

/** One of the project's tests, preferably beside where the proof tests go. */
export async function exampleTest(ctx: RunContext): Promise<ProofBrief['example']> {
  const guard = await WorkspaceGuard.create(ctx.workspace, [], ctx.config.privacy.deny);
  const isProof = picomatch(ctx.config.proof.tests, { dot: true });
  const { files } = await walkFiles(guard.root, {
    start: '',
    maxFiles: 5000,
    hidden: (rel, isDir) => guard.hiddenReason(rel, isDir),
  });
  const tests = files.filter((f) => TEST_FILE.test(f) && !isProof(f));
  // Beside the proof tests' folder when the project has tests there (same runner, same conventions).
  const tops = ctx.config.proof.tests.map((glob) => picomatch.scan(glob).base.split('/')[0]!).filter(Boolean);
  const pick = tests.find((f) => tops.some((top) => f.startsWith(`${top}/`))) ?? tests[0];
  if (!pick) return undefined;
  const text = await readFile(`${guard.root}/${pick}`, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : { path: pick, text: text.slice(0, MAX_EXAMPLE_CHARS) };
}

/**
 * The property-based library per criterion: the one of the unit whose files the criterion's tasks
 * touch, in their language (a Python service's criteria get Hypothesis, not the front end's
 * fast-check); criteria with the same choice are one entry. A criterion whose tasks name no file
 * goes by every file the spec names, else by the example test.
 */
export async function propertyLibraries(
  ctx: RunContext,
  specBody: string,
  criteria: readonly Criterion[],
  examplePath: string | undefined,
): Promise<ProofBrief['properties']> {
  const census = await censusRoom();
  const installed = await census.propertyLibraries(ctx.workspace);
  const layerPaths = [...layerCitations(specBody, ctx.config, Object.keys(ctx.config.layers)).values()].map(
    ({ criteria: cited, text }) => ({ cited, paths: namedPaths(text) }),
  );
  const choose = (paths: readonly string[]) =>
    paths.length > 0 ? census.propertyLibraryOf(installed, paths) : undefined;
  const general = choose(namedPaths(specBody)) ?? choose(examplePath ? [examplePath] : []);
  const groups: NonNullable<ProofBrief['properties']> = [];
  for (const criterion of criteria) {
    const choice = choose(layerPaths.filter((l) => l.cited.has(criterion.id)).flatMap((l) => l.paths)) ?? general;
    if (!choice) continue;
    const same = groups.find(
      (g) => g.library === choice.library && g.installed === choice.installed && g.unit === choice.unit,
    );
    if (same) same.criteria.push(criterion.id);
    else groups.push({ ...choice, criteria: [criterion.id] });
  }
  return groups.length > 0 ? groups : undefined;
}
