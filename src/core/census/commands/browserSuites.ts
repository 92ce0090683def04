/**
 * Browser end-to-end suites CI runs (`playwright test`, `cypress run`). They check no app (they need it
 * served and browsers installed), but they are the only check a folder holding nothing but them has
 * (`e2e/*.spec.ts` beside a root package.json that only installs Playwright): that folder is a layer of
 * its own, validated by CI's command. Verification then tells whether this machine can run it (a
 * browser, a display, the app served); without it, the command stays, not verified.
 */
import { join, posix } from 'node:path';
import { fileHead } from '../files/fileHead';
import type { Project, RepoCommand } from '../types';

export interface BrowserSuite {
  folder: string;
  command: string;
  origin: string;
}

/** The runner CI calls, directly or through the package manager. */
const RUNNER = /^(?:(?:npx|bunx|pnpm exec|pnpm dlx|yarn|yarn exec|bun x)\s+)?(playwright\s+test|cypress\s+run)\b/;
/** Folders that by their name hold end-to-end suites, when the runner's config names none. */
const SUITE_FOLDER = /^(e2e|e2e-tests|tests?-e2e|playwright|cypress|end-to-end)$/i;
const TEST_FILE = /\.(spec|test|cy)\.[cm]?[jt]sx?$/;

export async function browserSuites(
  workspace: string,
  ci: readonly RepoCommand[],
  files: readonly string[],
  projects: readonly Project[],
): Promise<BrowserSuite[]> {
  const found: BrowserSuite[] = [];
  for (const repo of ci) {
    const cd = /^cd\s+([^\s&;|]+)\s*&&\s*(.+)$/.exec(repo.command);
    const cwd = cd ? posix.normalize(posix.join(repo.cwd || '.', cd[1]!)).replace(/^\.$/, '') : repo.cwd;
    const command = (cd ? cd[2]! : repo.command).trim();
    // CI's env for the step leads the command (`E2E_HTTP=1 playwright test`).
    const runner = RUNNER.exec(command.replace(/^(?:[A-Za-z_]\w*=\S*\s+)*/, ''));
    if (!runner || cwd.startsWith('..')) continue;
    const folder = await suiteFolder(workspace, cwd, runner[1]!.startsWith('playwright'), files);
    // A suite inside an app's folder is that app's, checked by its own commands.
    if (
      folder === undefined ||
      projects.some((p) => p.dir !== '' && (folder === p.dir || folder.startsWith(`${p.dir}/`)) && p.dir !== folder)
    )
      continue;
    const text = cwd === '' ? command : `cd ${cwd} && ${command}`;
    if (!found.some((f) => f.folder === folder)) found.push({ folder, command: text, origin: repo.origin });
  }
  return found;
}

/** Where the suite's tests are: Playwright's `testDir`, else the one folder below `cwd` named for them that holds tests. */
async function suiteFolder(
  workspace: string,
  cwd: string,
  playwright: boolean,
  files: readonly string[],
): Promise<string | undefined> {
  const at = (name: string) => (cwd === '' ? name : `${cwd}/${name}`);
  if (playwright) {
    for (const name of [
      'playwright.config.ts',
      'playwright.config.js',
      'playwright.config.mjs',
      'playwright.config.mts',
    ]) {
      if (!files.includes(at(name))) continue;
      const testDir = /\btestDir\s*:\s*['"`]([^'"`]+)['"`]/.exec(await fileHead(join(workspace, at(name)), 8192))?.[1];
      if (testDir !== undefined) {
        const folder = posix.normalize(posix.join(cwd || '.', testDir)).replace(/^\.$/, '');
        return folder === '' || folder.startsWith('..') ? undefined : folder;
      }
    }
  }
  const below = new Set(
    files
      .filter((f) => TEST_FILE.test(f) && f.startsWith(cwd === '' ? '' : `${cwd}/`))
      .map((f) => f.slice(cwd === '' ? 0 : cwd.length + 1).split('/')[0]!),
  );
  const named = [...below].filter((name) => SUITE_FOLDER.test(name));
  return named.length === 1 ? at(named[0]!) : undefined;
}
