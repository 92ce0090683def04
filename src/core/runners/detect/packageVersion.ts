/**
 * The version of the npm package a CLI agent's command belongs to, read from its package.json.
 * A CLI installed with npm is a link into its package; reading the file starts nothing, where
 * `<command> --version` starts the whole program (Gemini CLI takes two seconds of CPU to print it).
 */
import { readFile, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { versionIn } from './versions';

/** How far above the command's file its package.json may be (`bin/x.js`, `bundle/x.js`, `x.js`). */
const LEVELS = 3;

/**
 * The package's version when the command's real file lies in the package named `packageName`;
 * undefined otherwise (a native binary, a shim, another package), and the caller asks the program.
 */
export async function npmPackageVersion(command: string, packageName: string): Promise<string | undefined> {
  let dir: string;
  try {
    dir = dirname(await realpath(command));
  } catch {
    return undefined;
  }
  for (let level = 0; level <= LEVELS; level++) {
    const manifest = await readManifest(join(dir, 'package.json'));
    // A package.json without a name only sets the module type of its folder: look further up.
    if (manifest?.name !== undefined)
      return manifest.name === packageName && typeof manifest.version === 'string'
        ? versionIn(manifest.version)
        : undefined;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

async function readManifest(file: string): Promise<{ name?: unknown; version?: unknown } | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    return parsed !== null && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}
