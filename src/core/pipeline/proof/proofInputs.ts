/**
 * What the proof agent reads besides the spec: the files the spec names as they are on the base
 * (an absent one is what the spec adds), one existing test of the project for its conventions,
 * and the property-based library it has. Read through the agents' guard: no secret, no ignored file.
 */
import { readFile } from 'node:fs/promises';
import picomatch from 'picomatch';
import { walkFiles, WorkspaceGuard } from '../../agents';
import { censusRoom } from '../../census';
import { namedPaths } from '../../project/specs';
import type { RunContext } from '../kernel';
import type { ProofBrief } from './proofPrompts';

const MAX_NAMED = 12;
const MAX_FILE_CHARS = 20_000;
const MAX_EXAMPLE_CHARS = 8_000;
const TEST_FILE = /(?:^|\/)(?:[^/]+[._-](?:test|spec)\.[cm]?[jt]sx?|test_[^/]+\.py|[^/]+_test\.(?:py|go)|[^/]+Tests?\.(?:java|kt|cs|php)|[^/]+_spec\.rb)$/;

export async function namedFiles(ctx: RunContext, specBody: string): Promise<ProofBrief['named']> {
  const guard = await WorkspaceGuard.create(ctx.workspace, [], ctx.config.privacy.deny);
  // A file has an extension (a heading's "Create/Modify" is not one); a folder is not sent.
  const paths = [...new Set(namedPaths(specBody))].filter((p) => /\.[A-Za-z0-9]+$/.test(p)).slice(0, MAX_NAMED);
  const named: ProofBrief['named'] = [];
  for (const path of paths) {
    const verdict = await guard.checkRead(path);
    if (!verdict.ok) continue;
    const text = await readFile(verdict.abs, 'utf8').catch(() => undefined);
    named.push(text === undefined ? { path } : { path, text: text.length > MAX_FILE_CHARS ? `${text.slice(0, MAX_FILE_CHARS)}\n… (truncated)` : text });
  }
  return named;
}

/** One of the project's tests, preferably beside where the proof tests go. */
export async function exampleTest(ctx: RunContext): Promise<ProofBrief['example']> {
  const guard = await WorkspaceGuard.create(ctx.workspace, [], ctx.config.privacy.deny);
  const isProof = picomatch(ctx.config.proof.tests, { dot: true });
  const { files } = await walkFiles(guard.root, { start: '', maxFiles: 5000, hidden: (rel, isDir) => guard.hiddenReason(rel, isDir) });
  const tests = files.filter((f) => TEST_FILE.test(f) && !isProof(f));
  // Beside the proof tests' folder when the project has tests there (same runner, same conventions).
  const tops = ctx.config.proof.tests.map((glob) => picomatch.scan(glob).base.split('/')[0]!).filter(Boolean);
  const pick = tests.find((f) => tops.some((top) => f.startsWith(`${top}/`))) ?? tests[0];
  if (!pick) return undefined;
  const text = await readFile(`${guard.root}/${pick}`, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : { path: pick, text: text.slice(0, MAX_EXAMPLE_CHARS) };
}

/** The library the project has for properties, or the one that would allow them. */
export async function propertyLibrary(ctx: RunContext, exampleExtension: string | undefined): Promise<ProofBrief['property']> {
  const census = await censusRoom();
  const installed = await census.propertyLibraries(ctx.workspace);
  if (installed[0]) return { library: installed[0].name, installed: true };
  const suggested = census.propertyLibraryFor(languageOf(exampleExtension));
  return suggested ? { library: suggested, installed: false } : undefined;
}

function languageOf(extension: string | undefined): string {
  const byExtension: Record<string, string> = { js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'javascript', ts: 'typescript', tsx: 'typescript', mts: 'typescript', py: 'python', go: 'go', java: 'java', kt: 'kotlin', cs: 'csharp', rs: 'rust', rb: 'ruby', php: 'php' };
  return byExtension[extension ?? ''] ?? 'javascript';
}
