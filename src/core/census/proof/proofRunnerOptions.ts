/**
 * What a proof run keeps of the options a project gives its test runner: those that choose its
 * config, environment or loader (`--config`, `--import tsx`, `NODE_OPTIONS`), never the reporters,
 * coverage, watch mode or file filters, which the proof command sets; and the paths it is given,
 * which say the folders it already runs.
 */

/** Options that change which config and environment the tests run under: kept, with their values. Reporters, coverage, watch and file filters are ours to set. */
export const VITEST_KEPT = {
  flags: new Set(['--globals', '--dom']),
  withValue: new Set([
    '--config',
    '-c',
    '--root',
    '-r',
    '--dir',
    '--project',
    '--environment',
    '--pool',
    '--mode',
    '--workspace',
  ]),
};
export const JEST_KEPT = {
  flags: new Set(['--runInBand', '-i']),
  withValue: new Set([
    '--config',
    '-c',
    '--rootDir',
    '--selectProjects',
    '--env',
    '--testEnvironment',
    '--projects',
    '--preset',
    '--transform',
    '--setupFiles',
    '--setupFilesAfterEnv',
    '--moduleNameMapper',
    '--testRunner',
    '--globalSetup',
    '--globalTeardown',
  ]),
};

/** AVA's, Mocha's, tap's and Jasmine's options that choose their config, loaders and setup files (`--require ts-node/register`, `--node-arguments`). */
export const AVA_KEPT = {
  flags: new Set(['--serial', '-s']),
  withValue: new Set(['--config', '--node-arguments', '--timeout', '-T']),
};
export const MOCHA_KEPT = {
  flags: new Set(['--exit', '--recursive', '--bail', '-b']),
  withValue: new Set([
    '--require',
    '-r',
    '--ui',
    '-u',
    '--config',
    '--package',
    '--extension',
    '--import',
    '--node-option',
    '-n',
    '--timeout',
    '-t',
    '--file',
  ]),
};
export const TAP_KEPT = {
  flags: new Set(['--serial']),
  withValue: new Set(['--node-arg', '--before', '--after', '--timeout', '-t', '--plugin']),
};
export const JASMINE_KEPT = { flags: new Set<string>(), withValue: new Set(['--config', '--helper', '--require']) };

export function keptOptions(args: readonly string[], kept: { flags: Set<string>; withValue: Set<string> }): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag] = arg.split('=');
    if (kept.flags.has(arg)) out.push(arg);
    else if (kept.withValue.has(flag!)) {
      if (arg.includes('=')) out.push(arg);
      else if (args[i + 1] !== undefined) out.push(arg, args[++i]!);
    } else if (VALUE_TAKING.has(flag!) && !arg.includes('=')) i++;
  }
  return out;
}

/** Options of the JavaScript runners whose value is the next word (dropped with it, so the value is not read as a path). */
const VALUE_TAKING = new Set([
  '-R',
  '--reporter-option',
  '-O',
  '--grep',
  '-g',
  '--fgrep',
  '--match',
  '-m',
  '--concurrency',
  '-c',
  '--jobs',
  '-j',
  '--slow',
  '--spec',
  '--ignore',
  '--coverage-report',
  '--reporter',
  '--outputFile',
  '--coverage.reporter',
  '--testNamePattern',
  '-t',
  '--testPathPattern',
  '--testPathPatterns',
  '--shard',
  '--maxWorkers',
  '-w',
  '--bail',
  '--retry',
  '--testTimeout',
  '--seed',
  '--sequence.seed',
  '--coverageDirectory',
  '--reporters',
]);

/** The paths a runner's arguments give it (its files, folders or globs): the words that are neither options nor their values (Mocha's `--spec` values are paths too). */
export function runnerPaths(args: readonly string[], kept: { withValue: Set<string> }): string[] {
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--spec' && args[i + 1] !== undefined) paths.push(args[++i]!);
    else if (arg.startsWith('--spec=')) paths.push(arg.slice('--spec='.length));
    else if ((kept.withValue.has(arg) || VALUE_TAKING.has(arg)) && !arg.includes('=')) i++;
    else if (!arg.startsWith('-')) paths.push(arg);
  }
  return paths;
}

/** c8's and nyc's options whose value is the next word: what wraps a runner for coverage is read past. */
const COVERAGE_VALUE_FLAGS = new Set([
  '-r',
  '--reporter',
  '-x',
  '--exclude',
  '-n',
  '--include',
  '--lines',
  '--functions',
  '--branches',
  '--statements',
  '--temp-directory',
  '--report-dir',
  '-o',
  '--src',
  '--extension',
  '-e',
]);

/** The runner a coverage wrapper (`c8`, `nyc`) runs: the words past its options. */
export function pastCoverage(args: readonly string[]): string[] {
  let i = 0;
  while (i < args.length && args[i]!.startsWith('-')) i += COVERAGE_VALUE_FLAGS.has(args[i]!) ? 2 : 1;
  return args.slice(i);
}

/** node's options that take the next word as their value. */
const NODE_VALUE_FLAGS = new Set([
  '--import',
  '--require',
  '-r',
  '--loader',
  '--experimental-loader',
  '--test-reporter',
  '--test-reporter-destination',
  '--conditions',
  '-C',
  '--test-name-pattern',
  '--test-skip-pattern',
  '--test-concurrency',
  '--test-timeout',
  '--test-shard',
  '--env-file',
  '--input-type',
  '--stack-size',
  '--title',
]);
/** node's options that choose reporters, watch, coverage or a subset of tests: ours to set. */
const NODE_DROPPED =
  /^--(test-reporter|test-reporter-destination|watch|watch-path|test-only|experimental-test-coverage|test-coverage-\w+|test-name-pattern|test-skip-pattern|test-shard|test-update-snapshots)$/;

/** node's (or tsx's) arguments as the flags a proof run keeps (`--import tsx --test`) and the paths the project gives. */
export function splitNodeArgs(args: readonly string[]): { kept: string[]; paths: string[] } {
  const kept: string[] = [];
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') continue;
    if (!arg.startsWith('-')) {
      paths.push(arg);
      continue;
    }
    const [flag] = arg.split('=');
    const value = NODE_VALUE_FLAGS.has(arg) ? args[++i] : undefined;
    if (NODE_DROPPED.test(flag!)) continue;
    kept.push(arg, ...(value !== undefined ? [value] : []));
  }
  if (!kept.includes('--test')) kept.push('--test');
  return { kept, paths };
}

/** node flags before a script path, as NODE_OPTIONS for the binary run in its place. */
export function nodeOptions(flags: readonly string[]): string[] {
  return flags.length > 0 ? [`NODE_OPTIONS=${flags.join(' ')}`] : [];
}

/** pytest options whose value is the next word: never a path. */
const PYTEST_VALUE_FLAGS = new Set([
  '-k',
  '-m',
  '-c',
  '-p',
  '-o',
  '-n',
  '--rootdir',
  '--ds',
  '--cov',
  '--cov-report',
  '--cov-config',
  '--junitxml',
  '--junit-xml',
  '--maxfail',
  '--durations',
  '--tb',
  '--basetemp',
  '--confcutdir',
  '--ignore',
  '--deselect',
  '--log-level',
  '-W',
  '--dist',
  '--reruns',
  '--timeout',
]);

export function pytestPaths(args: readonly string[]): string[] {
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (PYTEST_VALUE_FLAGS.has(arg)) i++;
    else if (!arg.startsWith('-')) paths.push(arg.split('::')[0]!);
  }
  return paths;
}

/**
 * What unittest is given, as the folder and file pattern its tests are found by (`discover -s tests -p '*_test.py'`
 * → `tests/*_test.py`; a module, dotted name or file → its first folder with the default pattern, `test*.py`).
 */
export function unittestPaths(args: readonly string[]): string[] {
  const positional: string[] = [];
  const option: Record<string, string> = {};
  const withValue: Record<string, string> = {
    '-s': 'start',
    '--start-directory': 'start',
    '-p': 'pattern',
    '--pattern': 'pattern',
    '-t': 'top',
    '--top-level-directory': 'top',
    '-k': 'filter',
    '--durations': 'durations',
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    if (withValue[flag] !== undefined) option[withValue[flag]] = inline ?? args[++i] ?? '';
    else if (!arg.startsWith('-')) positional.push(arg);
  }
  const clean = (path: string) => path.replace(/^\.\/+/, '').replace(/\/+$/, '');
  if (positional[0] === 'discover') {
    const start = clean(option.start ?? positional[1] ?? '.');
    const pattern = option.pattern ?? positional[2] ?? 'test*.py';
    return [start === '' || start === '.' ? pattern : `${start}/${pattern}`];
  }
  const first = positional.find((p) => !p.startsWith('-'));
  if (first === undefined) return [];
  // `tests/test_meta.py`, `tests.test_meta.TestVersion.test_x`: the folder its modules are in.
  const folder = clean(
    first.endsWith('.py') ? first.split('/').slice(0, -1).join('/') : first.includes('.') ? first.split('.')[0]! : '',
  );
  return [folder === '' || folder === '.' ? 'test*.py' : `${folder}/test*.py`];
}

/** The interpreter a Python wrapper runs a module with, behind the environment runner it is in (`uv run`, `poetry run`): `coverage run -m` becomes the interpreter's `-m`. */
export function pythonOf(wrapper: readonly string[]): string[] {
  const at = wrapper.findIndex((w) => /^(?:.*\/)?(?:python[\d.]*|py|coverage)$/.test(w));
  const before = at < 0 ? [...wrapper] : wrapper.slice(0, at);
  const interpreter = wrapper.find((w) => /^(?:.*\/)?python[\d.]*$/.test(w)) ?? 'python3';
  return [...before, interpreter];
}
