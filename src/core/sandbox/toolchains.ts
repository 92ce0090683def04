/**
 * The toolchains a sandboxed process may run, read-only: every PATH entry's installation and
 * this Node's. A toolchain outside HOME is bound from its prefix (`…/node-v24/bin` gives
 * `…/node-v24`, where npm's modules are); one inside HOME only when it lives in a known
 * toolchain home (~/.pyenv, ~/.rustup, ~/.nvm, …), which holds no credentials; any other PATH
 * entry inside HOME (~/.local/bin, ~/.cargo/bin) is bound alone, never its parent. An executable
 * that is a symbolic link into another folder (a global npm prefix's `bin/pnpm` ->
 * `../lib/node_modules/pnpm/bin/pnpm.cjs`, a version manager's shim) has its target bound too
 * (linkTargets): what `init` found outside the sandbox runs inside it.
 */
import { type Dirent, existsSync, readdirSync, realpathSync } from 'node:fs';
import { basename, delimiter, dirname, join, sep } from 'node:path';

/**
 * Folders under HOME that are toolchain installations (no sign-ins, keys or tokens), with the
 * variable that tells the tool where it is once HOME is the sandbox's private one.
 */
const TOOLCHAIN_HOMES: Record<string, string | undefined> = {
  '.pyenv': 'PYENV_ROOT',
  '.rustup': 'RUSTUP_HOME',
  '.nvm': 'NVM_DIR',
  '.volta': 'VOLTA_HOME',
  '.bun': 'BUN_INSTALL',
  '.deno': 'DENO_INSTALL',
  '.sdkman': 'SDKMAN_DIR',
  '.rbenv': 'RBENV_ROOT',
  '.asdf': 'ASDF_DATA_DIR',
  '.goenv': 'GOENV_ROOT',
  '.fnm': 'FNM_DIR',
  [join('.local', 'share', 'mise')]: 'MISE_DATA_DIR',
  [join('.cache', 'orchestrator-e2e')]: undefined,
  [join('.cache', 'ms-playwright')]: 'PLAYWRIGHT_BROWSERS_PATH',
};
/**
 * Package caches under HOME a project's installed dependencies are read from, bound read-only when
 * present: Yarn berry's global cache, where Plug'n'Play's `.pnp.cjs` finds every package.
 */
const PACKAGE_CACHES = [join('.yarn', 'berry', 'cache')];
/** Already in every sandbox (system.ts), so not repeated. */
const SYSTEM_PREFIXES = ['/usr', '/bin', '/sbin', '/lib', '/lib64', '/lib32', '/etc', '/opt'];

/** The variables a sandbox may set to point at a toolchain home (never a secret). */
export const TOOLCHAIN_VARIABLES = Object.values(TOOLCHAIN_HOMES).filter((name): name is string => name !== undefined);

export function isInside(parent: string, path: string): boolean {
  return path === parent || path.startsWith(parent.endsWith(sep) ? parent : parent + sep);
}

function real(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** The folder to bind read-only for one PATH entry, or undefined when it is not to be bound. */
export function toolchainFolder(entry: string, home: string, hidden: readonly string[]): string | undefined {
  const path = real(entry);
  if (!path || path === sep) return undefined;
  if (SYSTEM_PREFIXES.some((prefix) => isInside(prefix, path))) return undefined;
  const overlapsHidden = (folder: string) => hidden.some((h) => isInside(h, folder) || isInside(folder, h));
  if (overlapsHidden(path)) return undefined;
  if (isInside(home, path)) {
    const toolchainHome = Object.keys(TOOLCHAIN_HOMES)
      .map((name) => join(home, name))
      .find((folder) => isInside(folder, path));
    if (toolchainHome) return real(toolchainHome) ?? toolchainHome;
    return path === home ? undefined : path;
  }
  // Never a parent of HOME (a `/home/bin` on PATH must not bring /home).
  const prefix = basename(path) === 'bin' ? dirname(path) : path;
  return isInside(prefix, home) || prefix === sep || overlapsHidden(prefix) ? path : prefix;
}

/** The last answers, by their inputs: a run launches many commands with one PATH (realpath of each entry is not free). */
const remembered = new Map<string, string[]>();

/** Read-only folders for the PATH entries and this Node (sorted, without duplicates or nesting). */
export function toolchainFolders(
  pathVariable: string,
  home: string,
  hidden: readonly string[],
  nodeExecutable = process.execPath,
): string[] {
  const key = JSON.stringify([pathVariable, home, hidden, nodeExecutable]);
  const known = remembered.get(key);
  if (known) return [...known];
  if (remembered.size > 32) remembered.clear();
  const folders = findToolchainFolders(pathVariable, home, hidden, nodeExecutable);
  remembered.set(key, folders);
  return [...folders];
}

function findToolchainFolders(
  pathVariable: string,
  home: string,
  hidden: readonly string[],
  nodeExecutable: string,
): string[] {
  const entries = [...pathVariable.split(delimiter).filter((entry) => entry.startsWith(sep)), dirname(nodeExecutable)];
  const folders = new Set<string>();
  for (const entry of entries) {
    if (!existsSync(entry)) continue;
    const folder = toolchainFolder(entry, home, hidden);
    if (folder) folders.add(folder);
    for (const target of linkTargets(entry, home, hidden)) folders.add(target);
  }
  for (const cache of PACKAGE_CACHES.map((name) => join(home, name)))
    if (existsSync(cache)) folders.add(real(cache) ?? cache);
  // rustup's proxies in ~/.cargo/bin run the toolchains kept in ~/.rustup.
  const rustup = join(home, '.rustup');
  if (folders.has(join(home, '.cargo', 'bin')) && existsSync(rustup)) folders.add(real(rustup) ?? rustup);
  const sorted = [...folders].sort();
  return sorted.filter((folder) => !sorted.some((other) => other !== folder && isInside(other, folder)));
}

/**
 * What the executables of a PATH entry link to outside it, to bind read-only: a target inside a
 * `node_modules` brings that whole `node_modules` (the package's own dependencies are its
 * siblings or below it: a global npm prefix's `lib/node_modules`), one in a `bin` folder its
 * prefix (a venv, a `…/pypoetry/venv`), else its folder. Never the system (already there), a
 * folder of credentials (SECRET_HOME_FOLDERS) or what is hidden (the user's checkout); the target
 * alone where its folder would be HOME or hold it, a first-level folder of HOME (`~/.local`), or
 * inside `~/.config` (where sign-ins sit beside tools).
 */
export function linkTargets(entry: string, home: string, hidden: readonly string[]): string[] {
  const dir = real(entry);
  if (!dir || dir === home || hidden.some((h) => isInside(h, dir))) return [];
  // The system's own folders (a thousand entries in /usr/bin, linking within the system) are not read; /usr/local is.
  if (SYSTEM_PREFIXES.some((prefix) => isInside(prefix, dir)) && !isInside('/usr/local', dir)) return [];
  let names: Dirent[];
  try {
    names = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const targets = new Set<string>();
  for (const name of names) {
    if (!name.isSymbolicLink()) continue;
    const target = real(join(dir, name.name));
    if (!target || isInside(dir, target)) continue;
    const folder = targetFolder(target, home, hidden);
    if (folder) targets.add(folder);
  }
  return [...targets];
}

/** Folders of HOME that hold credentials: nothing in them or holding them is ever bound. */
const SECRET_HOME_FOLDERS = ['.ssh', '.aws', '.gnupg', '.docker', '.kube', '.azure', '.password-store'];

function targetFolder(target: string, home: string, hidden: readonly string[]): string | undefined {
  if (SYSTEM_PREFIXES.some((prefix) => isInside(prefix, target))) return undefined;
  if (hidden.some((h) => isInside(h, target))) return undefined;
  const parts = target.split(sep);
  const modules = parts.indexOf('node_modules');
  const folder =
    modules > 0
      ? parts.slice(0, modules + 1).join(sep)
      : basename(dirname(target)) === 'bin'
        ? dirname(dirname(target))
        : dirname(target);
  const secret = (path: string) =>
    isInside(home, path) && SECRET_HOME_FOLDERS.some((name) => isInside(join(home, name), path));
  if (secret(target)) return undefined;
  const unsafe =
    folder === sep ||
    isInside(folder, home) ||
    dirname(folder) === home ||
    isInside(join(home, '.config'), folder) ||
    secret(folder) ||
    hidden.some((h) => isInside(folder, h));
  return unsafe ? target : folder;
}

/**
 * What keeps a package manager from doing more than outside when the sandbox's private HOME holds
 * none of its state:
 * - pnpm 10 and 11 read the installed `node_modules` as made by another store (the store moved
 *   with HOME) and, before `pnpm run`, start `pnpm install`, which stops without a terminal
 *   (ERR_PNPM_ABORTED_REMOVE_MODULES_DIR_NO_TTY) or fetches. Outside, the same check passes.
 * - npm asks the registry for a newer npm once a day, the day kept in HOME: in a run's new HOME
 *   its first `npm run` loaded its fetch stack to try (about 0.5 s of CPU, four `npm run test` of
 *   a change-set's seven) a connection the sandbox refuses.
 */
export const PACKAGE_MANAGER_ENV: Readonly<Record<string, string>> = {
  pnpm_config_verify_deps_before_run: 'false',
  npm_config_update_notifier: 'false',
};

/**
 * The variables that point each bound toolchain home at its real place (HOME inside is a
 * private folder. Variables already set are kept.
 */
export function toolchainEnv(
  folders: readonly string[],
  home: string,
  env: Record<string, string>,
): Record<string, string> {
  const set: Record<string, string> = {};
  const bound = new Set(folders);
  for (const [name, variable] of Object.entries(TOOLCHAIN_HOMES)) {
    const folder = join(home, name);
    if (variable && bound.has(folder) && env[variable] === undefined) set[variable] = folder;
  }
  return set;
}
