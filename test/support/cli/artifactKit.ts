// The release's artifacts as the build lists them (dist/artifacts.json, scripts/artifacts.mjs),
// laid out away from the checkout the way a user gets them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error -- a plain .mjs script without type declarations
import { readArtifacts } from '../../../scripts/artifacts.mjs';
// @ts-expect-error -- a plain .mjs script without type declarations
import { actionTree as copyActionTree } from '../../../scripts/release.mjs';
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
 * The Action's tree: the `action` list copied from the build into a folder of its own, as
 * `npm run release` makes it and a release tag or a vendored copy holds it (one per test
 * process, removed when it ends).
 */
export function actionTree(): string {
  if (tree) return tree;
  buildCli();
  const dir = (copyActionTree as (built: string, to: string) => string)(
    ROOT,
    join(mkdtempSync(join(tmpdir(), 'orch-action-tree-')), 'action'),
  );
  process.on('exit', () => rmSync(join(dir, '..'), { recursive: true, force: true }));
  return (tree = dir);
}
