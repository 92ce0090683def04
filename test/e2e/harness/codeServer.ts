// Starts code-server (the real VS Code server + web workbench) for one test, as test/e2e/README.md says.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { assertE2eInstalled, codeServerEntry, node24, repoRoot } from './paths';

export interface CodeServerOptions {
  /**
   * Absolute path of the folder the workbench opens (`?folder=`; a `.code-workspace` file opens as a
   * multi-root workspace, `?workspace=`) and code-server's working folder (the file's). A server
   * shared by several windows has none: each window names its own (url()).
   */
  workspace?: string;
  /** Merged over the defaults written to `<user-data>/User/settings.json`. */
  userSettings?: Record<string, unknown>;
  /**
   * true: the workspace is trusted (the workspace-trust feature is switched off, no prompt).
   * false: workspace trust stays ON, so the folder opens in Restricted Mode after the trust
   * dialog; for the tests of Restricted Mode behaviour.
   */
  trust: boolean;
  /** Defaults to a fresh temporary folder. */
  extensionsDir?: string;
  /** `.vsix` files installed into extensionsDir before the server starts (works offline). */
  installExtensions?: string[];
  /**
   * Extension folders (package.json + code) copied into extensionsDir as installed extensions,
   * for test extensions loaded beside the one under development: the web workbench takes one
   * extensionDevelopmentPath only (its payload is a Map).
   */
  copyExtensions?: string[];
  /** Extra environment for code-server and so for the extension host it spawns. */
  env?: NodeJS.ProcessEnv;
  /** Keep the temporary user-data folder after stop() (also: ORCH_E2E_KEEP=1). */
  keep?: boolean;
  /** Forward code-server's own output to this process's stderr (also: ORCH_E2E_VERBOSE=1). */
  verbose?: boolean;
}

export type Payload = ReadonlyArray<readonly [string, string]>;

export interface CodeServer {
  port: number;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** The workbench URL for `folder` (default the workspace), with an optional payload (see test/e2e/README.md). */
  url(payload?: Payload, folder?: string): string;
  /** `vscode-remote://127.0.0.1:<port><absPath>`: how payload values name files. */
  remoteUri(absPath: string): string;
  userDataDir: string;
  extensionsDir: string;
  /** Everything code-server printed so far. */
  output(): string;
  /** The server's process id (its process group's too). */
  pid: number;
  /** false once the server process has exited. */
  alive(): boolean;
  /**
   * The user settings written back and the user files a window may have written removed (a theme
   * toggled, a setting the extension changed globally): the next window starts as on a new server.
   */
  resetUser(): void;
  /** SIGTERM to the process group, up to 5 s, then SIGKILL to the group. Idempotent. */
  stop(): Promise<void>;
}

/** Quiet, offline workbench settings, shared with `npm start` (scripts/start.mjs). */
export const defaultUserSettings: Record<string, unknown> = JSON.parse(
  readFileSync(join(repoRoot, 'scripts/e2e/code-server/user-settings.json'), 'utf8'),
);

/** What a window may write under <user-data>/User besides settings.json; a new server has none of them. */
const WINDOW_USER_FILES = [
  'keybindings.json',
  'tasks.json',
  'mcp.json',
  'chatLanguageModels.json',
  'snippets',
  'prompts',
];

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A crashed or interrupted harness must not leave servers behind.
  process.on('exit', () => live.forEach((c) => killGroup(c, 'SIGKILL')));
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      live.forEach((c) => killGroup(c, 'SIGKILL'));
      process.exit(sig === 'SIGINT' ? 130 : 143);
    });
  }
}

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

/** The environment for Node 24 children: nothing from npm, tsx or an enclosing VS Code. */
export function cleanChildEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|VSCODE_|ELECTRON_)/i.test(k) || k === 'NODE_OPTIONS' || k === 'INIT_CWD' || k === 'NODE') continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

function runToEnd(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', fail);
    child.on('close', (code) =>
      code === 0 ? ok(out) : fail(new Error(`${cmd} ${args.join(' ')} exited ${code}\n${out}`)),
    );
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  assertE2eInstalled();
  installExitHook();
  const verbose = options.verbose ?? process.env.ORCH_E2E_VERBOSE === '1';
  const keep = options.keep ?? process.env.ORCH_E2E_KEEP === '1';
  const workspace = options.workspace === undefined ? undefined : resolve(options.workspace);
  const root = mkdtempSync(join(tmpdir(), 'orch-code-server-'));
  const userDataDir = join(root, 'user-data');
  const extensionsDir = options.extensionsDir ? resolve(options.extensionsDir) : join(root, 'extensions');
  const configFile = join(root, 'config.yaml');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(configFile, ''); // keeps code-server away from ~/.config/code-server
  const settings = {
    ...defaultUserSettings,
    ...(options.trust ? { 'security.workspace.trust.enabled': false } : { 'security.workspace.trust.enabled': true }),
    ...options.userSettings,
  };
  const settingsText = JSON.stringify(settings, null, 2);
  const resetUser = () => {
    writeFileSync(join(userDataDir, 'User', 'settings.json'), settingsText);
    for (const name of WINDOW_USER_FILES) rmSync(join(userDataDir, 'User', name), { recursive: true, force: true });
  };
  resetUser();

  const env = cleanChildEnv(options.env);
  const common = ['--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  for (const folder of options.copyExtensions ?? []) {
    const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as {
      publisher: string;
      name: string;
      version: string;
    };
    cpSync(folder, join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`), {
      recursive: true,
    });
  }
  for (const vsix of options.installExtensions ?? []) {
    await runToEnd(node24, [codeServerEntry, ...common, '--install-extension', resolve(vsix), '--force'], env);
  }

  const port = await freePort();
  const args = [
    codeServerEntry,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    ...common,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--vscode-option',
    'enable-smoke-test-driver',
  ];
  const logPath = join(root, 'code-server.log');
  const log = createWriteStream(logPath);
  const child = spawn(node24, args, {
    cwd: workspace === undefined ? root : isWorkspaceFile(workspace) ? dirname(workspace) : workspace,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let output = '';
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exitPromise = new Promise<void>((r) =>
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      live.delete(child);
      r();
    }),
  );
  const onData = (d: Buffer) => {
    const s = d.toString();
    if (output.length < 2_000_000) output += s;
    log.write(s);
    if (verbose) process.stderr.write(s.replace(/^(?=.)/gm, '[code-server] '));
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);

  const origin = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (!exited) {
      killGroup(child, 'SIGTERM');
      await Promise.race([exitPromise, sleep(5000)]);
    }
    // The group too: the extension host and helpers may outlive the server process itself.
    killGroup(child, 'SIGKILL');
    await Promise.race([exitPromise, sleep(1000)]);
    log.end();
    if (!keep) rmSync(root, { recursive: true, force: true, maxRetries: 3 });
    else process.stderr.write(`[e2e] kept ${root}\n`);
  };

  // Ready when /healthz answers.
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`code-server exited (${exited.code ?? exited.signal}) before it was ready:\n${output}`);
    }
    try {
      const res = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer /healthz within 30 s:\n${output}`);
    }
    await sleep(100);
  }

  const remoteUri = (absPath: string) => `vscode-remote://127.0.0.1:${port}${resolve(absPath)}`;
  return {
    port,
    origin,
    userDataDir,
    extensionsDir,
    remoteUri,
    output: () => output,
    pid: child.pid!,
    alive: () => !exited,
    resetUser,
    url(payload?: Payload, folder = workspace): string {
      if (folder === undefined) throw new Error('url(): this code-server has no workspace of its own: name the folder');
      const q = new URLSearchParams({ [isWorkspaceFile(folder) ? 'workspace' : 'folder']: resolve(folder) });
      if (payload && payload.length > 0) q.set('payload', JSON.stringify(payload));
      return `${origin}/?${q.toString()}`;
    },
    stop,
  };
}

const isWorkspaceFile = (path: string) => path.endsWith('.code-workspace');
