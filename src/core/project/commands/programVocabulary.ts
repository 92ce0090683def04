/**
 * What the programs a validate or sync command names do with their words (commandPrograms.ts
 * follows a command with these): which options take a value, which run code inline, which
 * words are interpreters, wrappers or package runners, and which tools load a config file.
 */

/** Options that take a value, per program: the value is not the script. */
export const VALUE_OPTIONS: Record<string, Set<string>> = {
  node: new Set([
    '-r',
    '--require',
    '--import',
    '--loader',
    '--experimental-loader',
    '-C',
    '--conditions',
    '--input-type',
    '--env-file',
    '--title',
    '--stack-size',
    '--max-old-space-size',
  ]),
  python: new Set(['-W', '-X', '-Q']),
  ruby: new Set(['-I', '-r', '-C', '-E']),
  perl: new Set(['-I', '-M', '-m']),
  php: new Set(['-c', '-d', '-z']),
};
/** Options whose value is itself executed (node --require ./hook.js). */
export const EXECUTED_VALUE_OPTIONS = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader']);
/** Options meaning "the code is inline", or only checked (`node --check f.js`): no script file is executed. */
export const INLINE_OPTIONS: Record<string, Set<string>> = {
  node: new Set(['-e', '--eval', '-p', '--print', '--test', '-v', '--version', '-h', '--help', '-c', '--check']),
  python: new Set(['-c', '-m', '-V', '--version', '-h']),
  ruby: new Set(['-e', '-v', '--version']),
  perl: new Set(['-e', '-E', '-v']),
  php: new Set(['-r', '-v']),
};

export const INTERPRETERS: Record<string, keyof typeof VALUE_OPTIONS | 'shell' | 'runner'> = {
  node: 'node',
  nodejs: 'node',
  python: 'python',
  python2: 'python',
  python3: 'python',
  py: 'python',
  pypy: 'python',
  pypy3: 'python',
  ruby: 'ruby',
  perl: 'perl',
  php: 'php',
  sh: 'shell',
  bash: 'shell',
  zsh: 'shell',
  dash: 'shell',
  ksh: 'shell',
  fish: 'shell',
  // TypeScript/ESM runners: the first argument that is not an option is the script.
  tsx: 'runner',
  'ts-node': 'runner',
  'ts-node-esm': 'runner',
  esno: 'runner',
  'vite-node': 'runner',
  'babel-node': 'runner',
  coffee: 'runner',
  jiti: 'runner',
  bun: 'runner',
  deno: 'runner',
  pwsh: 'runner',
  powershell: 'runner',
};
/** Prefixes that run the rest of the words as a command. */
export const WRAPPERS = new Set([
  'env',
  'exec',
  'time',
  'nice',
  'nohup',
  'command',
  'builtin',
  'cross-env',
  'cross-env-shell',
  'dotenv',
  'xargs',
  'timeout',
  'sudo',
]);
export const PACKAGE_RUNNERS = new Set(['npx', 'pnpx', 'bunx']);
export const NPM_LIFECYCLE: Record<string, string> = {
  test: 'test',
  t: 'test',
  tst: 'test',
  start: 'start',
  stop: 'stop',
  restart: 'restart',
};
/** Tools that execute a JS/TS config file found in their folder or the folders above it. */
export const TOOL_CONFIGS: Record<string, string[]> = {
  eslint: ['eslint.config', '.eslintrc'],
  jest: ['jest.config'],
  vitest: ['vitest.config', 'vite.config'],
  vite: ['vite.config'],
  webpack: ['webpack.config'],
  rollup: ['rollup.config'],
  prettier: ['prettier.config', '.prettierrc'],
  mocha: ['.mocharc'],
  playwright: ['playwright.config'],
  tsup: ['tsup.config'],
  next: ['next.config'],
  babel: ['babel.config', '.babelrc'],
};
export const CONFIG_EXTENSIONS = ['js', 'mjs', 'cjs', 'ts', 'mts', 'cts'];
