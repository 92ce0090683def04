/**
 * Why a command did not pass on the untouched repository, read from its output and how it ended:
 * it needs the network (a remote host it could not resolve or reach), a browser or a display (no
 * Chrome, no usable sandbox, no `DISPLAY`), a service (a database or broker refused on a local
 * port), or a package the interpreter it ran lacks (Python's `No module named 'mock'`); else it
 * failed or timed out on its own. With the fix when one is known: Jest's `--forceExit` for open
 * handles, Vitest's `run` instead of watch mode, `CI=true` for a runner that waits for keystrokes,
 * tap's first run to install its plugins.
 */
import { visibleLine as printable } from '../../text/terminalText';

export type Need = 'network' | 'browser' | 'service' | 'package' | 'install';

export interface Cause {
  needs: Need;
  /** What it reached for, in a few words (`registry.npmjs.org`, `PostgreSQL on 127.0.0.1:5432`, `Chrome`). */
  what: string;
}

/** Ports of the services a test suite commonly expects running. */
const SERVICE_PORTS: Record<string, string> = {
  '5432': 'PostgreSQL',
  '3306': 'MySQL',
  '27017': 'MongoDB',
  '6379': 'Redis',
  '5672': 'RabbitMQ',
  '9092': 'Kafka',
  '9200': 'Elasticsearch',
  '11211': 'Memcached',
  '1433': 'SQL Server',
  '8529': 'ArangoDB',
  '7687': 'Neo4j',
  '4222': 'NATS',
  '2181': 'ZooKeeper',
};
const LOCAL = /^(localhost|127\.\d+\.\d+\.\d+|::1|0\.0\.0\.0|\[::1\])$/;

const BROWSER: { pattern: RegExp; what: string }[] = [
  { pattern: /No usable sandbox!?/i, what: "Chrome's sandbox" },
  {
    pattern:
      /Missing X server or \$DISPLAY|cannot open display|\$DISPLAY (?:environment variable )?(?:is )?not set|Xvfb/i,
    what: 'a display',
  },
  {
    pattern:
      /(?:No binary for|Cannot start|Could not find|Failed to launch(?: the)?) (?:Chrome|ChromeHeadless|Chromium|Firefox|browser)\b|CHROME_BIN|Executable doesn't exist at .*(?:chrom|firefox|webkit)|browserType\.launch|Could not find (?:Chrome|Chromium|expected browser)/i,
    what: 'a browser',
  },
];

/**
 * A package the suite loads that is not installed where it runs (a bare name, or a path into
 * `node_modules`): an example's or a fixture's own dependencies that CI installs with the network.
 * Its code never ran, so it says nothing of it (issue 70: uuid's `examples/node-jest` made proof advisory).
 */
const NOT_INSTALLED =
  /Cannot find (?:module|package) '((?:@[\w.-]+\/)?\w[\w.-]*(?:\/[\w.-]+)*|[^']*\/node_modules\/[^']*)'|Test environment ([@\w./-]+) cannot be found|Preset ([@\w./-]+) not found/;

const NETWORK =
  /\b(?:getaddrinfo )?(?:ENOTFOUND|EAI_AGAIN)\s+([\w.-]+\.[a-z]{2,})|Could not resolve host:? ([\w.-]+)|Temporary failure in name resolution|Name or service not known|network is unreachable|ENETUNREACH|request to https?:\/\/([\w.-]+)[^\s]* failed/i;
const REFUSED =
  /\bECONNREFUSED\s+\[?([\w.:-]+?)\]?:(\d+)\b|connect(?:ion)? (?:to )?(?:server at )?"?([\w.-]+)"?[^\n]*?port (\d+) failed: Connection refused|Connection refused[^\n]*?(?:localhost|127\.0\.0\.1)[:\s](\d+)/i;

/** What the command needs that this machine did not give it, or undefined when the code itself failed. */
export function causeOf(output: string): Cause | undefined {
  for (const { pattern, what } of BROWSER) if (pattern.test(output)) return { needs: 'browser', what };
  const refused = REFUSED.exec(output);
  if (refused) {
    const host = refused[1] ?? refused[3] ?? 'localhost';
    const port = refused[2] ?? refused[4] ?? refused[5] ?? '';
    if (LOCAL.test(host) || refused[5])
      return {
        needs: 'service',
        what: `${SERVICE_PORTS[port] ?? 'a server'} on ${LOCAL.test(host) ? host : 'localhost'}:${port}`,
      };
    return { needs: 'network', what: printable(`${host}:${port}`) };
  }
  const missing = NOT_INSTALLED.exec(output);
  if (missing) {
    const name = missing[1] ?? missing[2] ?? missing[3]!;
    return { needs: 'install', what: printable(/^(?:.*\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(name)![1]!) };
  }
  const network = NETWORK.exec(output);
  if (network) {
    const host = network[1] ?? network[2] ?? network[3];
    if (host && LOCAL.test(host)) return undefined;
    return { needs: 'network', what: host ? printable(host) : 'a remote host' };
  }
  // A top-level module the interpreter cannot find is one not installed for it (colorama's `make test` runs the
  // `python` on PATH, without the `mock` its virtualenv has): the machine's, not the code's.
  const module = /\bModuleNotFoundError: No module named '(\w+)'/.exec(output);
  if (module) return { needs: 'package', what: `the Python module ${module[1]}` };
  return undefined;
}

/**
 * A package manager that stopped before the project's own command ran, in its own words: pnpm's
 * `ERR_PNPM_…` (its check before `pnpm run` started an install), Yarn's usage and internal errors,
 * npm's error code. Undefined when the command itself ran.
 */
const STOPPED = [
  // Not the codes pnpm gives a script that ran and failed.
  /\[?ERR_PNPM_(?!RECURSIVE_(?:RUN|EXEC)_FIRST_FAIL)[A-Z0-9_]+\]?[^\n]*/,
  /^(?:Usage|Internal) Error: [^\n]*/m,
  /^npm (?:error|ERR!) code E[A-Z0-9_]+/m,
  /^npm (?:error|ERR!) could not determine executable to run/m,
];

export function stoppedBefore(output: string): string | undefined {
  for (const pattern of STOPPED) {
    const match = pattern.exec(output);
    if (match) return printable(match[0].trim());
  }
  return undefined;
}

/** How to make a command end, when its output or its words say why it did not. */
export function fixOf(command: string, output: string, timedOut: boolean): string | undefined {
  if (/ERR_PNPM_ABORTED_REMOVE_MODULES_DIR_NO_TTY|The install that runs before scripts failed/.test(output))
    return "pnpm's check before `pnpm run` started `pnpm install`, which needs a terminal: run `pnpm install` once in the checkout so node_modules matches the lockfile";
  if (/Jest did not exit one second after the test run has completed|--detectOpenHandles/.test(output)) {
    return 'Jest passed but waited on open handles: add `--forceExit` to its command (`--detectOpenHandles` finds the handle)';
  }
  // tap (18+) installs the plugins its config names into .tap/plugins on its first run, from the registry.
  const tapPlugin = /request to https?:\/\/\S+?\/(@tapjs%2f[\w.-]+) failed/i.exec(output);
  if (tapPlugin)
    return `tap installs the plugins its config names on its first run: run \`npx tap build\` once in the checkout with the network (${decodeURIComponent(tapPlugin[1]!)}; init links .tap/plugins)`;
  if (/No usable sandbox/i.test(output))
    return "launch Chrome with `--no-sandbox` (Karma: a ChromeHeadless custom launcher with flags ['--no-sandbox'])";
  if (/Executable doesn't exist at .*(?:chrom|firefox|webkit)/i.test(output))
    return "install its browser once on this machine with the project's own Playwright (`playwright install chromium`, through its package manager)";
  if (/CHROME_BIN|No binary for Chrome/i.test(output))
    return 'install Chrome or Chromium and name it in `CHROME_BIN` (and `commandEnv: [CHROME_BIN]` for runs)';
  if (/Missing X server or \$DISPLAY|cannot open display/i.test(output))
    return 'run the browser headless, or the command under `xvfb-run`';
  if (!timedOut) return undefined;
  if (
    (/\bvitest\b/.test(command) && !/\bvitest\s+run\b|--run\b/.test(command)) ||
    /Waiting for file changes|press h to show help|Watching for file changes/i.test(output)
  ) {
    return /vitest/i.test(`${command}\n${output}`)
      ? 'Vitest waits in watch mode: use `vitest run`'
      : 'it waits in watch mode: run it with `CI=true`';
  }
  if (/\bjest\b|\breact-scripts test\b/.test(command) || /Watch Usage|Press `?a`? to run all tests/i.test(output)) {
    if (/Watch Usage|Press `?a`?/i.test(output) || /react-scripts test/.test(command))
      return 'it waits in watch mode: run it with `CI=true`';
    return 'Jest may be waiting on open handles: add `--forceExit` to its command (`--detectOpenHandles` finds the handle)';
  }
  return undefined;
}

/** A cause in words: `needs the network (registry.npmjs.org)`. */
export function causeText(cause: Cause): string {
  switch (cause.needs) {
    case 'network':
      return `needs the network (${cause.what})`;
    case 'browser':
      return `needs a browser or a display (${cause.what})`;
    case 'service':
      return `needs a service running (${cause.what})`;
    case 'package':
      return `needs ${cause.what}, not installed for the interpreter it runs`;
    case 'install':
      return `needs its dependencies installed (${cause.what} is not)`;
  }
}
