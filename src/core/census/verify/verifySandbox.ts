/**
 * Where `init` verifies its commands without writing into the user's repository: a throwaway
 * git worktree of the work tree as it is (HEAD plus the uncommitted state, written as a tree
 * through a private index; denied files left out, then the committed ones put back: committedDenied),
 * outside the checkout, with the dependency folders the checkout already has (node_modules, virtualenvs, vendor) linked in entry by entry
 * (a tool's new cache lands in the sandbox, not in the checkout), removed afterwards; in memory (tmpfs) where
 * Linux has room for it, as a disk under load takes half a minute to write thousands of files. Outside git, commands run in place. Either way bytecode and tool caches go to a
 * temporary folder (PYTHONDONTWRITEBYTECODE, `-p no:cacheprovider`, ruff/mypy/cargo caches).
 * Each command runs in the sandbox a run's validate command gets (verifyConfinement.ts), so what
 * passed here passes in the run.
 */
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statfsSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join, relative, resolve } from 'node:path';
import { type CommandSandbox } from '../../process';
import { DenyList } from '../../project/config';
import { PACKAGE_MANAGER_ENV } from '../../sandbox';
import { secretValuesIn } from '../../text/secrets';
import {
  addWorktree,
  committedDenied,
  commitTree,
  linkFolders,
  locateRepo,
  removeWorktree,
  repoWorktreeFolder,
  resolveCommit,
  treeBytes,
  writeCommitted,
  writeWorktreeTree,
} from '../../git';
import { editablePythonPath } from './editableInstalls';
import { verifyConfinement } from './verifyConfinement';
import { copyPnpFiles } from './yarnPnp';

export interface VerifySandbox {
  /** The folder commands run in (the workspace's place inside the throwaway worktree). */
  cwd: string;
  /** Variables that keep bytecode and caches out of the repository. */
  env: Record<string, string>;
  /** 'worktree' when isolated; 'in-place' outside git. */
  kind: 'worktree' | 'in-place';
  /** The sandbox each command runs in: a run's validate command's; none where a run would run it unconfined. */
  sandbox?: CommandSandbox;
  /** Values of the committed deny-listed files put back, never shown as they are (redacted by value). */
  secrets: readonly string[];
  /** The worktree's top and the checkout's, to name a file a command missed that only the checkout has. */
  copy?: { root: string; checkout: string };
  dispose(): Promise<void>;
}

/**
 * A command as verification runs it: Maven before 3.9 ignores MAVEN_ARGS, so each `mvn`/`mvnw` it starts is given
 * `-o` itself (offline on the artifacts already downloaded, as 3.9+ is through the environment). The command
 * written into the config stays as proposed.
 */
export function offlineCommand(command: string): string {
  const maven = /(^|&&\s*|\|\|\s*|;\s*)((?:[\w.-]*\/)*mvnw?(?:\.cmd)?)(?=\s|$)(?![^;&|]*\s(?:-o|--offline)(?:\s|$))/g;
  return command.replace(maven, '$1$2 -o');
}

/** Folders a check needs but git does not hold: linked from the checkout, never copied (tap's plugins, which its first run installs, among them). */
const DEPENDENCY_FOLDERS = [
  'node_modules',
  '.venv',
  'venv',
  'vendor',
  '.dart_tool',
  'Pods',
  '.tap/plugins',
  // Yarn Plug'n'Play's unpacked packages and its project cache, when gitignored (yarnPnp.ts).
  '.yarn/unplugged',
  '.yarn/cache',
];
/** Caches tools keep inside those folders (`node_modules/.cache`, `.vite`, `.tmp` where Vite's templates put tsbuildinfo): never linked, so they start empty in the sandbox. */
const CACHE_ENTRIES = new Set([
  '.cache',
  '.vite',
  '.tmp',
  '.eslintcache',
  '.turbo',
  '.parcel-cache',
  '.angular',
  '.nx',
  '.next',
  // pnpm 11's state of `pnpm run`'s tasks: a link to the checkout's is refused (ERR_PNPM_UNSAFE_TASK_RUN_STATE_PATH).
  '.pnpm-task-run-state-v1',
]);

/** `at`: a revision to check out instead of the work tree as it is (a change-set's branch, combined/). */
export async function verifySandbox(
  workspace: string,
  projectDirs: readonly string[],
  at?: string,
): Promise<VerifySandbox> {
  const caches = mkdtempSync(join(tmpdir(), 'orchestrator-verify-'));
  const env = {
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONPYCACHEPREFIX: join(caches, 'pycache'),
    PYTEST_ADDOPTS: '-p no:cacheprovider',
    RUFF_CACHE_DIR: join(caches, 'ruff'),
    MYPY_CACHE_DIR: join(caches, 'mypy'),
    CARGO_TARGET_DIR: join(caches, 'target'),
    // Crates the user has not downloaded are not fetched: a first build of a Tauri app would take minutes.
    CARGO_NET_OFFLINE: 'true',
    // Nor packages fetched on the fly (by npx, or by pnpm's dlx): a registry out of reach (a proxy the minimal environment does not
    // name) cost 70 s of retries before it gave up on a runner the project never installed.
    npm_config_offline: 'true',
    // Maven (3.9+) likewise on the artifacts already downloaded: each module's run took ~20 s failing to reach its
    // repository (older Mavens are given `-o` in the command: offlineCommand).
    MAVEN_ARGS: '--offline',
    GOFLAGS: '-buildvcs=false',
    // pnpm's check before `pnpm run` reads the linked node_modules as another install and starts one.
    ...PACKAGE_MANAGER_ENV,
  };
  const dropCaches = () => rmSync(caches, { recursive: true, force: true });
  let repo: Awaited<ReturnType<typeof locateRepo>>;
  try {
    repo = await locateRepo(workspace);
  } catch {
    const sandbox = await verifyConfinement(workspace, { cwd: workspace, writable: [workspace, caches], links: [] });
    return {
      cwd: workspace,
      env,
      kind: 'in-place',
      secrets: [],
      ...(sandbox ? { sandbox } : {}),
      dispose: async () => dropCaches(),
    };
  }
  const named = at === undefined ? undefined : await resolveCommit(repo.topLevel, at);
  if (at !== undefined && !named) throw new Error(`${repo.topLevel} has no ${at}`);
  const tree = named ?? (await writeWorktreeTree(repo));
  const memory = memoryFolder((await treeBytes(repo.topLevel, tree)) ?? Number.POSITIVE_INFINITY);
  // In memory: a private folder of its own (mode 0700), removed with the worktree.
  const folder = memory ? memoryWorktreeFolder(memory) : repoWorktreeFolder(repo.topLevel, undefined);
  const path = join(folder, `init-verify-${randomBytes(4).toString('hex')}`);
  const commit = named ?? (await commitTree(repo.topLevel, tree, 'orchestrator init: verification snapshot'));
  const dropFolder = () => {
    if (memory) rmSync(folder, { recursive: true, force: true });
  };
  await addWorktree(repo.topLevel, path, commit).catch((error: unknown) => {
    dropFolder();
    throw error;
  });
  const inside = relative(repo.topLevel, workspace);
  const links = [...new Set(['', ...projectDirs])]
    .flatMap((dir) => DEPENDENCY_FOLDERS.map((name) => join(inside, dir, name)))
    .filter((link) => existsSync(join(repo.topLevel, link)));
  if (process.platform === 'win32') linkFolders(repo.topLevel, path, links);
  else for (const link of links) linkEntries(join(repo.topLevel, link), join(path, link), repo.topLevel);
  for (const dir of new Set(['', ...projectDirs])) copyPnpFiles(join(workspace, dir), join(path, inside, dir));
  // The project's own committed fixtures (a test key, `.env.test`): the deny list keeps them from the model, not from its tests.
  const committed = await committedDenied(repo.topLevel, named ?? 'HEAD', new DenyList()).catch(() => []);
  writeCommitted(path, committed);
  const cwd = join(path, inside);
  const sandbox = await verifyConfinement(workspace, {
    cwd,
    writable: [path, caches],
    checkout: repo.topLevel,
    links,
  });
  const editable = editablePythonPath(repo.topLevel, path, links);
  return {
    cwd,
    env: editable.length > 0 ? { ...env, PYTHONPATH: editable.join(delimiter) } : env,
    kind: 'worktree',
    secrets: [...new Set(committed.flatMap((file) => secretValuesIn(file.bytes.toString('utf8'))))],
    copy: { root: path, checkout: repo.topLevel },
    ...(sandbox ? { sandbox } : {}),
    dispose: async () => {
      await removeWorktree(repo.topLevel, path, folder).catch(() => undefined);
      dropFolder();
      dropCaches();
    },
  };
}

/**
 * A dependency folder as a real folder of the sandbox whose entries link to the checkout's: a
 * tool writing a new cache or build-info file into it (`node_modules/.tmp/…tsbuildinfo`) writes
 * into the throwaway worktree, not through a link into the user's checkout. An entry that is itself
 * a relative link (a workspace package: `packages/a/node_modules/b -> ../../b`, pnpm's
 * `-> ../.pnpm/…`) is made again as it is, so it leads to the worktree's copy, not the checkout's
 * (which a run's sandbox does not show).
 */
function linkEntries(from: string, to: string, top: string): void {
  if (existsSync(to) || !statSync(from).isDirectory()) return;
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (CACHE_ENTRIES.has(entry.name)) continue;
    const source = join(from, entry.name);
    const link = entry.isSymbolicLink() ? readlinkSync(source) : undefined;
    const inRepository =
      link !== undefined && !isAbsolute(link) && !relative(top, resolve(from, link)).startsWith('..');
    if (inRepository) symlinkSync(link, join(to, entry.name));
    else symlinkSync(source, join(to, entry.name), entry.isDirectory() ? 'dir' : 'file');
  }
}

/** Linux's tmpfs (statfs `f_type`). */
const TMPFS_MAGIC = 0x01021994;
/** Room left beside the files for what the checks write (build output, caches the environment does not move). */
const MEMORY_HEADROOM = 512 * 1024 * 1024;

/**
 * A folder in memory for the throwaway worktree, when the machine has one with room for it (Linux:
 * `$XDG_RUNTIME_DIR`, else `/dev/shm`): checking out thousands of files there takes a second or two,
 * where a busy disk took half a minute, and removing them is as quick. Elsewhere, the usual folder.
 */
function memoryFolder(bytes: number): string | undefined {
  if (process.platform !== 'linux') return undefined;
  for (const dir of [process.env.XDG_RUNTIME_DIR, '/dev/shm']) {
    if (!dir || !isAbsolute(dir)) continue;
    try {
      const fs = statfsSync(dir);
      if (fs.type !== TMPFS_MAGIC || fs.bavail * fs.bsize < 2 * bytes + MEMORY_HEADROOM) continue;
      accessSync(dir, constants.W_OK);
      return dir;
    } catch {
      continue;
    }
  }
  return undefined;
}

const MEMORY_PREFIX = 'orchestrator-verify-';
const OWNER_FILE = 'owner.pid';

/**
 * A private folder in memory for one verification, with the id of the process that owns it. An `init`
 * killed before it cleaned up (SIGKILL, a closed terminal) leaves its folder in memory: the next one
 * removes every such folder whose owner is gone.
 */
function memoryWorktreeFolder(memory: string): string {
  for (const name of readdirSync(memory).filter((n) => n.startsWith(MEMORY_PREFIX))) {
    const dir = join(memory, name);
    try {
      const owner = Number(readFileSync(join(dir, OWNER_FILE), 'utf8'));
      if (ownerAlive(owner)) continue;
    } catch {
      // No owner yet: one being made right now, unless it is older than a minute.
      if (youngerThanAMinute(dir)) continue;
    }
    rmSync(dir, { recursive: true, force: true });
  }
  const folder = mkdtempSync(join(memory, MEMORY_PREFIX));
  writeFileSync(join(folder, OWNER_FILE), String(process.pid));
  return folder;
}

function youngerThanAMinute(dir: string): boolean {
  try {
    return Date.now() - statSync(dir).mtimeMs < 60_000;
  } catch {
    return true;
  }
}

function ownerAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
