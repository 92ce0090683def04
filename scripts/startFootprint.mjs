// What `npm start` installs and creates on a machine, and how to remove each (issue 71): one list,
// which scripts/start.mjs follows for its paths, and the README and docs/footprint.md print (a
// test compares them with it, and it with what a start makes: test/integration/scripts/startFootprint.test.ts).
// `<repo>` is the checkout, `~` the home folder; a variable moves a folder.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Where a start puts things on this machine: the checkout, the caches, the demo, the home folder. */
export function startPlaces({ root, env = process.env, home = homedir() }) {
  return {
    root,
    home,
    cache: resolve(env.ORCH_E2E_CACHE ?? join(root, '.cache', 'e2e')),
    startHome: resolve(env.ORCH_START_HOME ?? join(root, '.cache', 'start')),
    demo: resolve(env.ORCH_DEMO_DIR ?? join(home, 'orchestrator-demo')),
  };
}

/**
 * Each thing a start leaves: `where` as the docs show it (a Debian package, or a path under
 * `<repo>` or `~`; a folder ends in `/`), `place` the key of startPlaces it is under (absent for
 * packages), what it is, what makes it, and the command that removes it.
 */
export const START_FOOTPRINT = [
  {
    where: 'Debian packages `bubblewrap` and `socat`',
    packages: ['bubblewrap', 'socat'],
    what: 'the sandbox every agent and validate command runs in (system-wide)',
    by: 'scripts/sandbox/install.sh',
    remove: 'sudo apt-get remove bubblewrap socat',
  },
  {
    where: 'Debian package `libkrb5-dev`',
    packages: ['libkrb5-dev'],
    what: "the headers code-server's Kerberos module is built against (system-wide)",
    by: 'scripts/e2e/install.sh',
    remove: 'sudo apt-get remove libkrb5-dev',
  },
  {
    where: '<repo>/.cache/e2e/',
    place: 'cache',
    variable: 'ORCH_E2E_CACHE',
    what: 'Node 24 (about 190 MB) and code-server (about 620 MB), and its install log',
    by: 'scripts/e2e/install.sh',
    remove: 'rm -rf .cache/e2e',
  },
  {
    where: '<repo>/node_modules/',
    place: 'root',
    what: "the project's npm packages",
    by: 'npm ci (scripts/setup.mjs)',
    remove: 'rm -rf node_modules',
  },
  {
    where: '<repo>/dist/',
    place: 'root',
    what: 'the build, and beside it the lists `.npmignore` and `.vscodeignore`',
    by: 'scripts/build.mjs',
    remove: 'rm -rf dist .npmignore .vscodeignore',
  },
  {
    where: '<repo>/.cache/start/',
    place: 'startHome',
    variable: 'ORCH_START_HOME',
    what: "the .vsix, code-server's settings, user data and log, the extension installed in it",
    by: 'scripts/start.mjs',
    remove: 'rm -rf .cache/start',
  },
  {
    where: '~/orchestrator-demo/',
    place: 'demo',
    variable: 'ORCH_DEMO_DIR',
    what: 'the workspace it opens: a git copy of examples/shop, with what you did in it',
    by: 'scripts/start.mjs (the first start; later ones reuse it)',
    remove: 'rm -rf ~/orchestrator-demo',
  },
  {
    where: '~/.local/share/code-server/',
    place: 'home',
    what: "code-server's own logs and heartbeat file (`$XDG_DATA_HOME/code-server/` when set)",
    by: 'code-server',
    remove: 'rm -rf ~/.local/share/code-server',
  },
  {
    where: '~/.cache/Microsoft/DeveloperTools/deviceid',
    place: 'home',
    what: "a random id VS Code's libraries keep for the machine (telemetry stays off); VS Code and other Microsoft tools share it",
    by: 'code-server',
    remove: 'rm ~/.cache/Microsoft/DeveloperTools/deviceid',
  },
];

/** An entry's path on this machine (`places`: startPlaces'), or undefined for packages. */
export function footprintPath(entry, places) {
  if (!entry.place) return undefined;
  if (entry.variable) return places[entry.place];
  const relative = entry.where.replace(/^(<repo>|~)\//, '').replace(/\/$/, '');
  return join(entry.place === 'home' ? places.home : places.root, relative);
}

/** The table docs/footprint.md and the README print, row for row. */
export function footprintTable() {
  const rows = START_FOOTPRINT.map(
    (entry) =>
      `| ${entry.packages ? entry.where : `\`${entry.where}\`${entry.variable ? ` (\`$${entry.variable}\`)` : ''}`} | ${entry.what} | ${entry.by} | \`${entry.remove}\` |`,
  );
  return ['| what | is | made by | remove |', '|---|---|---|---|', ...rows].join('\n');
}
