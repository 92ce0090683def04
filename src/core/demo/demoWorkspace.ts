/**
 * The demo's workspace: a copy of the bundled sample shop (examples/shop, shipped with the
 * CLI and the extension) in a new folder, set to the demo's scripted model, with every change
 * reviewed, and committed to its own git repository so checkpoints and rollback work as on a
 * real project (without git it still runs, without checkpoints).
 */
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { CHECKPOINT_IDENTITY, initWithEverything } from '../git';
import { CONFIG_FILE } from '../project/sources';
import { EngineUsageError } from '../errors';
import { DEMO_MODEL, DEMO_PROOF, DEMO_REQUEST } from '../llm';

export interface DemoWorkspace {
  folder: string;
  /** The feature the scripted model implements, whatever it is asked. */
  request: string;
  /** The sample is a git repository with one commit. */
  git: boolean;
}

/** `folder`: where to put the sample (missing or empty); default a new folder in the OS temp folder. */
export async function prepareDemoWorkspace(sampleDir: string, folder?: string): Promise<DemoWorkspace> {
  const target = folder ? resolve(folder) : mkdtempSync(join(tmpdir(), 'orchestrator-demo-'));
  const existing = await readdir(target).catch(() => undefined);
  if (existing && existing.length > 0)
    throw new EngineUsageError(`${target} is not empty: the demo needs a new or empty folder`);
  await mkdir(target, { recursive: true });
  await cp(sampleDir, target, {
    recursive: true,
    filter: (src) => !/[\\/](node_modules|runs)([\\/]|$)/.test(src.slice(sampleDir.length)),
  });
  await useDemoModel(join(target, CONFIG_FILE));
  return { folder: target, request: DEMO_REQUEST, git: await commitSample(target) };
}

/** Every agent on the scripted model; every change reviewed, so the demo shows the review too; the criteria proven. */
async function useDemoModel(configFile: string): Promise<void> {
  const doc = parseDocument(await readFile(configFile, 'utf8'));
  doc.setIn(['models'], doc.createNode({ default: DEMO_MODEL }));
  doc.setIn(['review', 'skipIfFilesChangedAtMost'], 0);
  doc.setIn(['limits', 'maxBudgetUsd'], 1);
  // Proof per criterion: REQ-1's tests are written before the code, red, then green; STRENGTH
  // samples a few mutants per criterion, so the tour shows it in seconds, not minutes.
  doc.setIn(['proof'], doc.createNode({ ...DEMO_PROOF, maxMutants: 5 }));
  await writeFile(
    configFile,
    `# The demo: every agent is the scripted model built into the Orchestrator (no key, no network).\n${doc.toString()}`,
  );
}

async function commitSample(folder: string): Promise<boolean> {
  try {
    await initWithEverything(folder, 'The sample shop', CHECKPOINT_IDENTITY);
    return true;
  } catch {
    return false; // no git on this machine: the run goes on without checkpoints
  }
}
