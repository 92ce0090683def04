/**
 * The vendored Action kept out of the repository's formatters, linters and language statistics
 * (issue 71), by the files those tools read: Git's `.gitattributes` (`linguist-vendored` and
 * `linguist-generated`: GitHub leaves the folder out of the language bar and collapses its diffs),
 * Prettier's `.prettierignore`, and the `ignores` of an ESLint flat config (ESLint 9 lints
 * dot-folders; its older eslintrc mode never did). Prettier and ESLint only where the repository
 * uses them. Proposed first (`ignoreEdits`: nothing written), applied once the user agrees
 * (`applyIgnoreEdits`): `init` asks.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VENDORED_ACTION_DIR } from './vendorAction';

const FOLDER = `${VENDORED_ACTION_DIR}/`;
const WHY = "The Orchestrator's vendored GitHub Action (orchestrator init): built bundles, not this repository's code.";

export interface IgnoreEdit {
  /** Relative to the repository's top level. */
  file: string;
  /** The tool it speaks to. */
  tool: 'GitHub' | 'Prettier' | 'ESLint';
  /** What is added, as written. */
  entry: string;
  /** The file is made (it does not exist yet). */
  create: boolean;
}

export interface IgnoreProposal {
  /** What would be added, file by file (none when every entry is there already). */
  edits: IgnoreEdit[];
  /** What cannot be added safely, to add by hand (an ESLint config whose list is not found). */
  byHand: string[];
}

const PRETTIER_CONFIGS = /^(\.prettierrc(\.(json5?|ya?ml|toml|[cm]?[jt]s))?|prettier\.config\.[cm]?[jt]s)$/;
const ESLINT_FLAT = /^eslint\.config\.[cm]?[jt]s$/;

/** `export default [`, `module.exports = tseslint.config(`, `export default defineConfig([`: where the first entry goes. */
const CONFIG_LIST = /(?:export\s+default|module\.exports\s*=)\s*(?:[\w$.]+\s*\(\s*\[?|\[)/;

async function text(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined);
}

/** Whether the top level's package.json names Prettier (a `prettier` key or dependency). */
function packageUses(manifest: string | undefined, tool: string): boolean {
  if (manifest === undefined) return false;
  try {
    const json = JSON.parse(manifest) as Record<string, unknown>;
    return (
      tool in json ||
      ['dependencies', 'devDependencies'].some((key) => Object.hasOwn((json[key] as object | undefined) ?? {}, tool))
    );
  } catch {
    return false;
  }
}

/** The ignores entry of an ESLint flat config, in the quotes the file uses most (a formatter would change the others). */
function eslintEntry(config: string): string {
  const quote = (config.match(/"/g)?.length ?? 0) > (config.match(/'/g)?.length ?? 0) ? '"' : "'";
  return `{ ignores: [${quote}${FOLDER}${quote}] }`;
}

/** The ESLint flat config with its ignores entry first in its list, or undefined when the list is not found. */
export function withEslintIgnore(config: string): string | undefined {
  const found = CONFIG_LIST.exec(config);
  if (!found) return undefined;
  const at = found.index + found[0].length;
  return `${config.slice(0, at)}\n  // ${WHY}\n  ${eslintEntry(config)},${config.slice(at)}`;
}

/** What would keep the tools away from the vendored folder at `top`, entries already there left out. */
export async function ignoreEdits(top: string): Promise<IgnoreProposal> {
  const names = await readdir(top).catch(() => [] as string[]);
  const manifest = await text(join(top, 'package.json'));
  const edits: IgnoreEdit[] = [];
  const byHand: string[] = [];
  const lineFile = async (file: string, tool: IgnoreEdit['tool'], entry: string) => {
    const existing = await text(join(top, file));
    if (existing?.split('\n').some((line) => line.trim().replace(/^\//, '').startsWith(VENDORED_ACTION_DIR))) return;
    edits.push({ file, tool, entry, create: existing === undefined });
  };
  await lineFile('.gitattributes', 'GitHub', `${FOLDER}** linguist-vendored linguist-generated`);
  if (
    names.some((name) => name === '.prettierignore' || PRETTIER_CONFIGS.test(name)) ||
    packageUses(manifest, 'prettier')
  )
    await lineFile('.prettierignore', 'Prettier', FOLDER);
  for (const file of names.filter((name) => ESLINT_FLAT.test(name)).sort()) {
    const config = (await text(join(top, file))) ?? '';
    if (config.includes(VENDORED_ACTION_DIR)) continue;
    if (withEslintIgnore(config) === undefined)
      byHand.push(`${file}: add ${eslintEntry(config)} to the list it exports`);
    else edits.push({ file, tool: 'ESLint', entry: eslintEntry(config), create: false });
  }
  return { edits, byHand };
}

/** Writes `edits` (ignoreEdits') at `top`: a line appended (after a comment saying why), or the ESLint entry put first in its list. */
export async function applyIgnoreEdits(top: string, edits: IgnoreEdit[]): Promise<void> {
  for (const edit of edits) {
    const path = join(top, edit.file);
    const existing = (await text(path)) ?? '';
    if (edit.tool === 'ESLint') {
      const changed = withEslintIgnore(existing);
      if (changed !== undefined) await writeFile(path, changed);
      continue;
    }
    const before = existing === '' || existing.endsWith('\n') ? existing : `${existing}\n`;
    await writeFile(path, `${before}${before ? '\n' : ''}# ${WHY}\n${edit.entry}\n`);
  }
}
