// The release's artifacts as the build lists them (dist/artifacts.json, scripts/artifacts.mjs),
// laid out away from the checkout the way a user gets them.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
// @ts-expect-error -- a plain .mjs script without type declarations
import { readArtifacts } from '../../../scripts/artifacts.mjs';
import { buildCli, ROOT } from './cliKit';

export interface Artifacts {
  cli: string[];
  vsix: string[];
  action: string[];
}

/** dist/artifacts.json of a fresh build. */
export function artifacts(): Artifacts {
  buildCli();
  return (readArtifacts as (root: string) => Artifacts)(ROOT);
}

let tree: string | undefined;

/**
 * The Action's tree: the `action` list copied from the build into a folder of its own, as a
 * release tag or a vendored copy holds it (one per test process, removed when it ends).
 */
export function actionTree(): string {
  if (tree) return tree;
  const dir = mkdtempSync(join(tmpdir(), 'orch-action-tree-'));
  for (const file of artifacts().action) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(dir, file));
  }
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return (tree = dir);
}
