import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A throw-away workspace folder holding `files`; `cleanup` removes it (call it from `after`/`finally`). */
export async function tempWorkspace(
  files: Record<string, string> = {},
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'orchestrator-project-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** What `body` gives in a throw-away workspace holding `files`, removed after, whatever `body` did. */
export async function inTempWorkspace<T>(files: Record<string, string>, body: (dir: string) => Promise<T>): Promise<T> {
  const { dir, cleanup } = await tempWorkspace(files);
  try {
    return await body(dir);
  } finally {
    await cleanup();
  }
}
