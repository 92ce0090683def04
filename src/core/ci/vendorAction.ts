/**
 * The Action vendored into the user's repository (issue 59): `.github/actions/orchestrator/`
 * holds action.yml and the bundles it loads, copied from the installed package, so a workflow's
 * `uses: ./.github/actions/orchestrator` runs the very files the user committed (pinned by their
 * own commit; nothing is installed by name when a job starts). The same folder holds the CLI's
 * files, which the checks workflow of `init --ci github` runs. What to copy is the build's own
 * list, `dist/artifacts.json` beside the running CLI's bundles, never a second list kept here.
 */
import { cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import * as z from 'zod/mini';
import { ConfigurationError } from '../errors';
import { topLevelOf } from '../git';

/** Where the Action lives in the user's repository, relative to its top level (a workflow's `uses:`). */
export const VENDORED_ACTION_DIR = '.github/actions/orchestrator';

/** The build's list of what each artifact ships (scripts/build.mjs): paths relative to the package root. */
const artifactsSchema = z.object({
  cli: z.array(z.string()),
  action: z.array(z.string()),
  vsix: z.optional(z.array(z.string())),
});

/**
 * What the vendored folder holds: the Action's list and the CLI's (the checks workflow runs the
 * CLI), without source maps, nor the sample project `orchestrator demo` copies (no check runs it).
 */
async function vendoredFiles(packageRoot: string): Promise<string[]> {
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
    throw new ConfigurationError(`${file} is not the build's list of artifacts ({ "cli": [...], "action": [...] })`);
  const paths = [
    ...new Set(
      [...parsed.data.action, ...parsed.data.cli].map((path) => normalize(path).replace(/\\/g, '/').replace(/\/$/, '')),
    ),
  ];
  const outside = paths.find((path) => path.startsWith('../') || path.startsWith('/'));
  if (outside) throw new ConfigurationError(`${file} names ${outside}, outside the package`);
  if (!paths.includes('action.yml')) throw new ConfigurationError(`${file} has no action.yml in its "action" list`);
  return paths.filter((path) => !path.endsWith('.map') && !/^examples(\/|$)/.test(path)).sort();
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
}

/** Copies the Action and the CLI into `<top>/.github/actions/orchestrator/`; an existing folder is kept unless `force` (then replaced whole). */
export async function vendorAction(top: string, packageRoot: string, force: boolean): Promise<VendoredAction> {
  const files = await vendoredFiles(packageRoot);
  const target = join(top, VENDORED_ACTION_DIR);
  const exists = await stat(target).then(
    () => true,
    () => false,
  );
  if (exists && !force) return { path: VENDORED_ACTION_DIR, status: 'kept', files: files.length };
  // Every file checked before the folder is touched: a broken installation leaves the vendored Action as it was.
  const missing = [];
  for (const path of files)
    if (
      !(await stat(join(packageRoot, path)).then(
        () => true,
        () => false,
      ))
    )
      missing.push(path);
  if (missing.length > 0)
    throw new ConfigurationError(
      `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} on the build's list of the Action's files but not in this installation (${packageRoot}): build it again (node scripts/build.mjs)`,
    );
  if (exists) await rm(target, { recursive: true, force: true });
  for (const path of files) {
    await mkdir(dirname(join(target, path)), { recursive: true });
    await cp(join(packageRoot, path), join(target, path), {
      recursive: true,
      filter: (source) => !source.endsWith('.map'),
    });
  }
  // A repository that ignores dist/, *.md or .claude/ would commit the Action without its bundles: re-included here.
  await writeFile(
    join(target, '.gitignore'),
    '# Written by orchestrator init: the Action the workflows run, every file of it committed.\n!*\n!.*\n',
  );
  return { path: VENDORED_ACTION_DIR, status: exists ? 'replaced' : 'created', files: files.length };
}
