// The parts of `npm start` (scripts/start.mjs) that make the demo workspace and run code-server on
// it, apart so that a test can run them as a start does and see what they leave
// (test/integration/scripts/startFootprint.test.ts).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { heartbeat } from './heartbeat.mjs';
/* global fetch, AbortSignal */

/** npm, VS Code and Electron variables must not leak into Node 24 children. */
export function cleanEnv(env = process.env) {
  const clean = {};
  for (const [k, v] of Object.entries(env)) {
    if (/^(npm_|VSCODE_|ELECTRON_)/i.test(k) || k === 'NODE_OPTIONS' || k === 'INIT_CWD' || k === 'NODE') continue;
    clean[k] = v;
  }
  return clean;
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
    { cwd, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} in ${cwd}: ${r.stderr || r.error?.message}`);
}

/** `demo`: a git copy of examples/shop, made once (a later start uses it as it is). Says which. */
export function prepareDemo(root, demo, say) {
  if (existsSync(demo)) {
    say(`workspace ${demo} exists: using it as it is (delete it for a fresh copy of examples/shop)`);
    return;
  }
  const shop = join(root, 'examples', 'shop');
  say(`workspace: copying examples/shop to ${demo} (git init + one commit; \`rm -rf ${demo}\` removes it)`);
  cpSync(shop, demo, {
    recursive: true,
    filter: (src) => !/[\\/](node_modules|\.git|runs)([\\/]|$)/.test(src.slice(shop.length)),
  });
  git(demo, 'init', '-q', '-b', 'main');
  git(demo, 'add', '-A');
  git(demo, 'commit', '-q', '-m', 'examples/shop');
}

/**
 * code-server on 127.0.0.1:`port` for `demo`, its settings, user data and extensions under
 * `startHome` (an empty config keeps it away from ~/.config/code-server), in a process group of
 * its own (Ctrl-C of the start stops it and all it started), its output in `startHome`/code-server.log.
 */
export function launchCodeServer({ root, node24, entry, startHome, demo, port, trust = false, env = process.env }) {
  const userData = join(startHome, 'user-data');
  const settings = join(userData, 'User', 'settings.json');
  if (!existsSync(settings)) {
    mkdirSync(join(userData, 'User'), { recursive: true });
    // The same quiet, offline workbench settings the e2e harness uses.
    writeFileSync(settings, readFileSync(join(root, 'scripts', 'e2e', 'code-server', 'user-settings.json')));
  }
  const config = join(startHome, 'config.yaml');
  writeFileSync(config, '');
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
    join(startHome, 'extensions'),
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    ...(trust ? [] : ['--disable-workspace-trust']),
    demo,
  ];
  const logFile = join(startHome, 'code-server.log');
  const log = createWriteStream(logFile);
  const child = spawn(node24, args, {
    cwd: demo,
    env: cleanEnv(env),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise((ok) => child.once('exit', (code, signal) => ok(code ?? (signal ? 1 : 0))));
  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  return { child, exited, killGroup, logFile, origin: `http://127.0.0.1:${port}` };
}

/** Waits for code-server's /healthz (a progress line every 10 s meanwhile); throws when it exits or `ms` pass. */
export async function waitHealthy({ origin, exited, logFile }, { ms = 60_000, tag = 'start' } = {}) {
  let gone = false;
  void exited.then(() => (gone = true));
  const stop = heartbeat({ tag, what: `waiting for code-server to answer ${origin}/healthz` });
  try {
    const deadline = Date.now() + ms;
    for (;;) {
      if (gone)
        throw new Error(
          `code-server exited before it was ready; see ${logFile}:\n${readFileSync(logFile, 'utf8').slice(-3000)}`,
        );
      try {
        const res = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(1000) });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline)
        throw new Error(`code-server did not answer ${origin}/healthz within ${ms / 1000} s; see ${logFile}`);
      await sleep(200);
    }
  } finally {
    stop();
  }
}
