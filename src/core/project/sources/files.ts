import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Workspace-relative locations of the project files (docs/configuration.md "The project files"). */
export const CONFIG_FILE = '.claude/orchestrator.yaml';
export const REGISTRY_FILE = '.claude/entity-registry.json';
export const MEMORY_FILE = '.claude/memory.jsonl';
export const CONTEXT_DIR = '.claude/context';
export const SPEC_ACTIVE_DIR = 'spec/active';
export const SPEC_COMPLETED_DIR = 'spec/completed';

/** Reads a text file; undefined when it does not exist. A leading BOM is dropped. */
export async function readOptionalText(path: string): Promise<string | undefined> {
  // Most optional files are missing (each run asks after a dozen): an error made for each costs
  // more than the lookup (~0.3 ms of the main thread for its stack, twenty runs at once).
  if (!existsSync(path)) return undefined;
  try {
    const text = await readFile(path, 'utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Write to a sibling temp file, then rename: readers never see a half-written file. */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, content, 'utf8');
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
