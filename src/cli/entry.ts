/**
 * The `orchestrator` command's first code (dist/cli.js): checks the Node version before
 * anything else loads, then hands over to the CLI bundle (dist/cliMain.js). Built for Node 14
 * syntax and importing nothing, so an old Node reads one clear line instead of dying on
 * `node:sqlite` or newer syntax deep inside the engine.
 */

/** package.json engines.node, put in by the build (scripts/build.mjs). */
declare const ORCH_NODE_RANGE: string;

const [needMajor = 0, needMinor = 0] = (/(\d+)(?:\.(\d+))?/.exec(ORCH_NODE_RANGE) ?? []).slice(1).map(Number);
const found = process.versions.node;
const [major = 0, minor = 0] = found.split('.').map(Number);

if (major < needMajor || (major === needMajor && minor < needMinor)) {
  // eslint-disable-next-line no-restricted-syntax -- imports nothing (Node 14, before any bundle); the line holds version numbers only
  process.stderr.write(
    `orchestrator: needs Node.js ${needMajor}.${needMinor} or newer (engines: ${ORCH_NODE_RANGE}), found ${found}; install a newer Node from https://nodejs.org/ or with a version manager (e.g. \`nvm install 24\`)\n`,
  );
  process.exit(2);
}

// V8's code cache for the bundles (Node ≥ 22.1; kept in the OS temp folder): a later start
// skips compiling the CLI and the engine, some 3 MB of JavaScript.
// eslint-disable-next-line @typescript-eslint/no-require-imports
(require('node:module') as { enableCompileCache?: () => unknown }).enableCompileCache?.();
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only once the version is known to be good
require('./cliMain.js');
