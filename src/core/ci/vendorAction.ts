/**
 * The Action vendored into the user's repository (issues 59 and 71): `.github/actions/orchestrator/`
 * holds action.yml, the bundles its job loads and the CLI the checks workflow runs, copied from
 * the installed package, so a workflow's `uses: ./.github/actions/orchestrator` runs the very
 * files the user committed (pinned by their own commit; nothing is installed by name when a job
 * starts). What to copy is the build's own list, the `action` list of `dist/artifacts.json` beside
 * the running CLI's bundles (scripts/artifacts.mjs: only what runs), never a second list kept
 * here; the tree adds a README saying what it is, a package.json with no dependencies (the
 * bundles are CommonJS whatever the repository's own package.json says) and a .gitignore.
 */
import { cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import * as z from 'zod/mini';
import { ConfigurationError } from '../errors';
import { topLevelOf } from '../git';
import { actionReadme, actionManifest } from './actionReadme';

/** Where the Action lives in the user's repository, relative to its top level (a workflow's `uses:`). */
export const VENDORED_ACTION_DIR = '.github/actions/orchestrator';

/** The build's list of what each artifact ships (scripts/build.mjs): paths relative to the package root. */
const artifactsSchema = z.object({
  action: z.array(z.string()),
  cli: z.optional(z.array(z.string())),
  vsix: z.optional(z.array(z.string())),
});

const manifestSchema = z.object({ name: z.string(), version: z.string(), license: z.optional(z.string()) });

/** The Action's list of the build (`dist/artifacts.json`), checked: relative paths inside the package, action.yml among them. */
async function actionFiles(packageRoot: string): Promise<string[]> {
  const file = join(packageRoot, 'dist', 'artifacts.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ConfigurationError(
      `${file} is missing: this installation of the Orchestrator has no list of the Action's files (build it with node scripts/build.mjs)`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = artifactsSchema.safeParse(json);
  if (!parsed.success)
    throw new ConfigurationError(`${file} is not the build's list of artifacts ({ "action": [...], … })`);
  const paths = [...new Set(parsed.data.action.map((path) => normalize(path).replace(/\\/g, '/').replace(/\/$/, '')))];
  const outside = paths.find((path) => path.startsWith('../') || path.startsWith('/'));
  if (outside) throw new ConfigurationError(`${file} names ${outside}, outside the package`);
  if (!paths.includes('action.yml')) throw new ConfigurationError(`${file} has no action.yml in its "action" list`);
  return paths.filter((path) => !path.endsWith('.map')).sort();
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

export interface ActionTree {
  /** Every file written, the tree's own README, package.json and .gitignore included. */
  files: number;
  bytes: number;
}

/**
 * The Action's tree at `target` (replaced whole): the `action` list of the package at
 * `packageRoot`, its README, package.json and .gitignore. Every listed file is checked before
 * `target` is touched: a broken installation leaves what was there. `npm run release` makes
 * release/action/ with it too (scripts/release.mjs).
 */
export async function writeActionTree(packageRoot: string, target: string): Promise<ActionTree> {
  const files = await actionFiles(packageRoot);
  const missing = [];
  for (const path of files) if (!(await exists(join(packageRoot, path)))) missing.push(path);
  if (missing.length > 0)
    throw new ConfigurationError(
      `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} on the build's list of the Action's files but not in this installation (${packageRoot}): build it again (node scripts/build.mjs)`,
    );
  const parsed = manifestSchema.safeParse(
    JSON.parse(await readFile(join(packageRoot, 'package.json'), 'utf8').catch(() => 'null')),
  );
  if (!parsed.success) throw new ConfigurationError(`${join(packageRoot, 'package.json')} names no name and version`);
  await rm(target, { recursive: true, force: true });
  let bytes = 0;
  for (const path of files) {
    await mkdir(dirname(join(target, path)), { recursive: true });
    await cp(join(packageRoot, path), join(target, path));
    bytes += (await stat(join(target, path))).size;
  }
  const written: Record<string, string> = {
    'package.json': actionManifest(parsed.data),
    // A repository that ignores dist/, *.md or .claude/ would commit the Action without its bundles: re-included here.
    '.gitignore':
      '# Written by orchestrator init: the Action the workflows run, every file of it committed.\n!*\n!.*\n',
  };
  for (const text of Object.values(written)) bytes += Buffer.byteLength(text);
  // The README says the tree's size, itself included (its own length barely moves the figure it prints).
  written['README.md'] = actionReadme(parsed.data, files, bytes);
  for (const [name, text] of Object.entries(written)) await writeFile(join(target, name), text);
  return { files: files.length + Object.keys(written).length, bytes: bytes + Buffer.byteLength(written['README.md']) };
}

/** The folder `.github/` belongs in: the repository's top level (GitHub reads workflows there only), else the workspace. */
export async function repositoryTop(workspace: string): Promise<string> {
  try {
    return (await topLevelOf(workspace)) || workspace;
  } catch {
    return workspace;
  }
}

export interface VendoredAction {
  /** Relative to the repository's top level. */
  path: string;
  status: 'created' | 'replaced' | 'kept';
  files: number;
  /** Its size on disk, files summed (0 when kept). */
  bytes: number;
}

/** The Action's tree in `<top>/.github/actions/orchestrator/`; an existing folder is kept unless `force` (then replaced whole). */
export async function vendorAction(top: string, packageRoot: string, force: boolean): Promise<VendoredAction> {
  const target = join(top, VENDORED_ACTION_DIR);
  const there = await exists(target);
  if (there && !force) {
    const files = await actionFiles(packageRoot);
    return { path: VENDORED_ACTION_DIR, status: 'kept', files: files.length, bytes: 0 };
  }
  const tree = await writeActionTree(packageRoot, target);
  return { path: VENDORED_ACTION_DIR, status: there ? 'replaced' : 'created', ...tree };
}
