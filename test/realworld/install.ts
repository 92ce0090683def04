// Where a fix's repository comes from and how it is installed, for `npm run realworld`: as a
// user of the project has it, under this machine's limits (the npm registry and Debian's apt,
// no PyPI, no Go module proxy).
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

export const run = (cwd: string, command: string, cmdArgs: string[], timeout = 600_000) =>
  spawnSync(command, cmdArgs, { cwd, encoding: 'utf8', timeout, maxBuffer: 64 << 20 });

/** Where the repository comes from: the folder's clone of it, else GitHub. */
export function sourceOf(repos: string | undefined, repo: string): string {
  if (!repos) return `https://github.com/${repo}.git`;
  const [owner, name] = repo.split('/');
  for (const dir of [`${owner}+${name}/repo`, `${owner}+${name}`, `${owner}__${name}`, `${name}`])
    if (existsSync(join(repos, dir))) return join(repos, dir);
  throw new Error(`${repos} holds no clone of ${repo} (as ${owner}+${name} or ${name})`);
}

export interface Install {
  steps: string[][];
  /** The package manager the lockfile needs (`pnpm@9.4.0` when `packageManager` pins it), put on PATH. */
  tool?: string;
}

/** pytest and Hypothesis as wheels (no PyPI here): what a project naming them gets in its venv. */
const WHEELS = '/root/.cache/orchestrator-e2e/python-wheels';

/**
 * The install the project asks for. JavaScript: its CI's install command, else its lockfile's (`npm ci`, `pnpm install
 * --frozen-lockfile`, `yarn install --frozen-lockfile`; `npm install` where it commits none).
 * Python: a `.venv` of Debian's python3 seeing Debian's python3-* packages (PyYAML, coverage,
 * setuptools, flit), pytest and Hypothesis from the local wheels where the project names them,
 * and the project itself in development mode (`pip install -e .`), as its contributors' guide
 * has it; the venv is not activated (init finds it, or says it did not). Go: `go build ./...`
 * (a repository whose modules are the standard library's alone: nothing to download).
 */
export function installOf(ws: string): Install {
  if (existsSync(join(ws, 'go.mod'))) return { steps: [['go', 'build', './...']] };
  if (!existsSync(join(ws, 'package.json'))) return pythonInstall(ws);
  const manager = (JSON.parse(readFileSync(join(ws, 'package.json'), 'utf8')) as { packageManager?: string })
    .packageManager;
  const ci = ciInstall(ws);
  // Yarn 2+ (berry) is no `yarn` on npm: the project commits its release and names it in `.yarnrc.yml`
  // (`yarnPath`), which Yarn 1 from npm hands every command to, as corepack would.
  const berry = /^yarn@[2-9]/.test(manager ?? '') || existsSync(join(ws, '.yarnrc.yml'));
  const pinned = (tool: string) =>
    tool === 'yarn' && berry
      ? 'yarn'
      : manager?.startsWith(`${tool}@`)
        ? manager.replace(/\+.*$/, '')
        : tool === 'pnpm' && ci?.pnpm
          ? `pnpm@${ci.pnpm}`
          : tool;
  // As the project's CI installs (`npm install --legacy-peer-deps`, `pnpm install --ignore-scripts`): its lockfile may not be in sync, its peers may conflict.
  if (ci)
    return {
      steps: [ci.command],
      tool: ['pnpm', 'yarn'].includes(ci.command[0]!) ? pinned(ci.command[0]!) : undefined,
    };
  if (existsSync(join(ws, 'pnpm-lock.yaml')))
    return { steps: [['pnpm', 'install', '--frozen-lockfile']], tool: pinned('pnpm') };
  if (existsSync(join(ws, 'yarn.lock')))
    return { steps: [['yarn', 'install', berry ? '--immutable' : '--frozen-lockfile']], tool: pinned('yarn') };
  if (existsSync(join(ws, 'package-lock.json')) || existsSync(join(ws, 'npm-shrinkwrap.json')))
    return { steps: [['npm', 'ci', '--no-audit', '--no-fund']] };
  return { steps: [['npm', 'install', '--no-audit', '--no-fund']] };
}

/** The first install command the project's GitHub workflows run, and the pnpm version their setup step asks for. */
function ciInstall(ws: string): { command: string[]; pnpm?: string } | undefined {
  const dir = join(ws, '.github', 'workflows');
  if (!existsSync(dir)) return undefined;
  const texts = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'));
  for (const text of texts) {
    // The project's own install: flags only, none global (`npm install --save-dev ${{ matrix.x }}`,
    // `npm i -g npm@latest` install something else).
    const command = [...text.matchAll(/(?:run:|^)\s*((?:npm|pnpm|yarn) (?:ci|install|i)\b[^\n&|;#'"]*)/gm)]
      .map((m) => m[1]!.trim().split(/\s+/))
      .find((c) => c.slice(2).every((arg) => arg.startsWith('-') && !/^(-\w*g\w*|--global)$/.test(arg)));
    if (!command) continue;
    const pnpm = /uses: pnpm\/(?:action-)?setup@[^\n]*\n(?:\s+[^\n]*\n){0,4}?\s+version: ['"]?(\d[\w.]*)/.exec(
      text,
    )?.[1];
    return { command, pnpm };
  }
  return undefined;
}

function pythonInstall(ws: string): Install {
  const named = (word: string) =>
    [
      'requirements-dev.txt',
      'requirements-test.txt',
      'test-requirements.txt',
      'requirements.txt',
      'tox.ini',
      'pyproject.toml',
      'setup.cfg',
      'setup.py',
      'noxfile.py',
    ].some((f) => existsSync(join(ws, f)) && new RegExp(`\\b${word}\\b`, 'i').test(readFileSync(join(ws, f), 'utf8')));
  const wheels = ['pytest', 'hypothesis'].filter(named);
  // The venv stays out of git as a user's global excludes keep it (the driver commits init's files with `git add -A`).
  appendFileSync(join(ws, '.git', 'info', 'exclude'), '\n.venv/\n');
  return {
    steps: [
      ['/usr/bin/python3', '-m', 'venv', '--system-site-packages', '.venv'],
      ...(wheels.length > 0
        ? [['.venv/bin/pip', 'install', '-q', '--no-index', '--find-links', WHEELS, ...wheels]]
        : []),
      ...(existsSync(join(ws, 'pyproject.toml')) || existsSync(join(ws, 'setup.py'))
        ? [['.venv/bin/pip', 'install', '-q', '--no-index', '--no-build-isolation', '--no-deps', '-e', '.']]
        : []),
    ],
  };
}

/**
 * The package manager on PATH for the install, init and the run, as a user of the project has it:
 * init's commands call `pnpm lint`, and a pnpm project without pnpm has no gate and no proof.
 * Installed once per version under test-output/ (a global-style prefix, `bin/` beside `lib/`: the
 * run's sandbox binds a PATH entry's whole installation, and never sees the machine's /tmp).
 */
export function withTool(tool: string): () => void {
  const dir = resolve(__dirname, '../../test-output/realworld-tools', tool.replace(/[^\w.@-]/g, '_'));
  const bin = join(dir, 'bin');
  if (!existsSync(join(bin, tool.replace(/@.*$/, '')))) {
    const r = run(tmpdir(), 'npm', ['install', '--global', '--prefix', dir, '--no-audit', '--no-fund', tool]);
    if (r.status !== 0)
      throw new Error(`npm install ${tool} failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' / ')}`);
  }
  const before = process.env.PATH;
  process.env.PATH = `${bin}${delimiter}${before ?? ''}`;
  return () => {
    process.env.PATH = before;
  };
}
