// Throwaway folders for a test file, each under the system's temporary folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach } from 'node:test';

/** A maker of new empty folders named `<prefix>…`, all removed after the file's tests (after each test with `each`). */
export function useTempDirs(prefix: string, options: { each?: boolean } = {}): () => string {
  const dirs: string[] = [];
  (options.each ? afterEach : after)(() =>
    dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })),
  );
  return () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
}
