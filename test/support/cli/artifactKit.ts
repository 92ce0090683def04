// The release's artifacts as the build lists them (dist/artifacts.json, scripts/artifacts.mjs),
// laid out away from the checkout the way a user gets them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
// @ts-expect-error -- a plain .mjs script without type declarations
import { readArtifacts, relativeLinks } from '../../../scripts/artifacts.mjs';
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

/**
 * The relative links of a package's documents that point at nothing inside it (`files`, as its
 * packager lists them): every link of README.md and CHANGELOG.md (what npm and the Marketplace
 * show), and every link of the pages it ships to a page or an image at the root or in docs/ (one
 * into the repository's tests or examples, which no artifact carries, is not counted there).
 */
export function unresolvedLinks(files: string[], read: (file: string) => string): string[] {
  const shipped = new Set(files);
  const inside = (path: string) => shipped.has(path) || files.some((file) => file.startsWith(`${path}/`));
  const pages = files.filter((file) => /\.md$/i.test(file) && !/^(examples|\.claude)\//.test(file));
  return pages.flatMap((page) =>
    (relativeLinks as (markdown: string) => string[])(read(page))
      .map((link) => [link, posix.normalize(posix.join(posix.dirname(page), link)).replace(/\/$/, '')] as const)
      .filter(([, path]) => !inside(path))
      .filter(
        ([, path]) => /^(README|CHANGELOG)\.md$/i.test(page) || /^(docs\/)?[^/]+\.(md|png|svg|jpe?g|gif)$/i.test(path),
      )
      .map(([link]) => `${page} -> ${link}`),
  );
}
