/**
 * Which workspace files a `validate`/`sync` command executes: its program or script, not
 * the paths it is given as data. `node X`, `bash X`, `./X`, `python X`, `npx tsx X`, …
 * execute X; `npm run S` / `npm test` execute package.json's script S (and preS/postS),
 * which are followed the same way, and the package.json itself (it says what runs);
 * `make` executes the Makefile; `cd DIR && …` moves where the rest is resolved; tools that
 * load a JavaScript config (eslint, jest, vite…) execute the one in the folder they run in or
 * above it, whether it exists yet or not (an agent could create it).
 * `node scripts/check-js.mjs server` executes scripts/check-js.mjs, and `server` is data.
 *
 * The shell text is tokenized by shell-quote (quotes, escapes, operators); commands of
 * `sh -c '…'`, subshells and `$(…)` are followed too. Paths are workspace-relative, posix;
 * paths outside the workspace are not reported (agents cannot write there).
 */
import { posix } from 'node:path';
import { parse, type ParseEntry } from 'shell-quote';
import {
  DYNAMIC,
  dropOptions,
  type ExecutedFile,
  firstOperand,
  followInterpreter,
  followMake,
  followToolConfig,
  programName,
  report,
  type Sink,
} from './commandTargets';
import { INTERPRETERS, WRAPPERS, PACKAGE_RUNNERS, NPM_LIFECYCLE, TOOL_CONFIGS } from './programVocabulary';

export type { ExecutedFile } from './commandTargets';

/** Reads a workspace-relative package.json's scripts; undefined when there is none. */
export interface ScriptsReader {
  (packageJson: string): Record<string, string> | undefined;
  /**
   * The workspace-relative folder of a JS workspace package given by name or path, as
   * `pnpm --filter web`, `npm -w web` and `yarn workspace web` select it; undefined when unknown.
   */
  packageDir?(selector: string): string | undefined;
  /** Every workspace package's folder, for `pnpm -r` / `npm --workspaces`. */
  packageDirs?(): string[];
}

const MAX_DEPTH = 8;

const SEPARATORS = new Set(['&&', '||', ';', '|', '&', '(', ')', ';;', '|&', '<(', '>(']);
const REDIRECTS = new Set(['<', '>', '>>', '>&', '<&', '>|', '<>']);

/** The workspace files `command` executes when run in the workspace root. */
export function executedFiles(command: string, readScripts: ScriptsReader): ExecutedFile[] {
  const found = new Map<string, ExecutedFile>();
  const outer = followed;
  followed = new Map();
  try {
    followCommandText(command, '', readScripts, 0, (file) => {
      if (!found.has(file.path)) found.set(file.path, file);
    });
  } finally {
    followed = outer;
  }
  return [...found.values()];
}

/**
 * The scripts one executedFiles call has followed, at the shallowest depth: a script reached again
 * (`bun run --filter '*' build` fanning out to packages that run each other's scripts) executes the
 * same files, and following it again made a 40-package workspace take seconds per command.
 */
let followed = new Map<string, number>();

function followCommandText(text: string, cwd: string, readScripts: ScriptsReader, depth: number, sink: Sink): void {
  if (depth > MAX_DEPTH) return;
  // shell-quote treats neither newlines nor backticks as separators; the shell does.
  const prepared = text.replace(/\r?\n/g, ' ; ').replace(/`/g, ' ; ');
  let entries: ParseEntry[];
  try {
    entries = parse(prepared, (name) => `${DYNAMIC}${name}`);
  } catch {
    return;
  }
  let words: string[] = [];
  let dir = cwd;
  const flush = () => {
    if (words.length > 0) dir = followSimpleCommand(words, dir, readScripts, depth, sink);
    words = [];
  };
  let skipNext = false;
  for (const entry of entries) {
    if (typeof entry === 'string') {
      if (skipNext) skipNext = false;
      else words.push(entry);
      continue;
    }
    if (!('op' in entry)) continue; // a comment
    if (entry.op === 'glob') {
      if (skipNext) skipNext = false;
      else words.push(entry.pattern);
    } else if (REDIRECTS.has(entry.op)) {
      skipNext = true; // the redirect target is data
    } else if (SEPARATORS.has(entry.op)) {
      flush();
    }
  }
  flush();
}

/** Follows one simple command; returns the folder later commands run in (after `cd`). */
function followSimpleCommand(
  all: string[],
  cwd: string,
  readScripts: ScriptsReader,
  depth: number,
  sink: Sink,
): string {
  const words = all.slice();
  // Leading assignments (FOO=bar cmd) and wrappers (env, exec, time…) before the program.
  for (;;) {
    while (words.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!)) words.shift();
    const head = words[0];
    if (head === undefined) return cwd;
    const name = programName(head);
    if (!WRAPPERS.has(name)) break;
    if (head.includes('/') && !posix.isAbsolute(head)) report(head, cwd, `program ${head}`, sink);
    words.shift();
    dropOptions(words, name === 'timeout' ? 1 : 0); // timeout DURATION cmd
  }
  const program = words[0]!;
  const args = words.slice(1);
  const name = programName(program);

  if (name === 'cd' || name === 'pushd') {
    const target = args.find((a) => !a.startsWith('-'));
    if (target === undefined || target.includes(DYNAMIC)) return cwd;
    return posix.isAbsolute(target) ? '\u0000outside' : posix.normalize(posix.join(cwd, target));
  }
  if ((name === 'source' || name === '.') && args[0] !== undefined) {
    report(args[0], cwd, `script sourced by ${name}`, sink);
    return cwd;
  }
  // A program given by path (./build.sh, scripts/x, node_modules/.bin/tsx) is itself executed.
  if (/[\\/]/.test(program) && !posix.isAbsolute(program)) report(program, cwd, 'program', sink);

  if (TOOL_CONFIGS[name]) followToolConfig(name, args, cwd, sink);
  const kind = INTERPRETERS[name];
  if (kind === 'shell') followShell(args, cwd, readScripts, depth, sink, name);
  else if (kind === 'runner') followRunner(name, args, cwd, readScripts, depth, sink);
  else if (kind !== undefined) followInterpreter(kind, name, args, cwd, sink);
  else if (PACKAGE_RUNNERS.has(name)) followPackageRunner(args, cwd, readScripts, depth, sink);
  else if (name === 'npm' || name === 'yarn' || name === 'pnpm')
    followPackageManager(name, args, cwd, readScripts, depth, sink);
  else if (name === 'make' || name === 'gmake') followMake(args, cwd, sink);
  else if (name === 'just')
    for (const file of ['justfile', 'Justfile', '.justfile']) report(file, cwd, 'justfile of just', sink, true);
  else if (name === 'go' && args[0] === 'run') {
    const target = args.slice(1).find((a) => !a.startsWith('-'));
    if (target) report(target, cwd, 'program of go run', sink);
  } else if (name === 'java') {
    const jar = args.indexOf('-jar');
    const target = jar >= 0 ? args[jar + 1] : args.find((a) => a.endsWith('.java'));
    if (target) report(target, cwd, 'program of java', sink);
  }
  return cwd;
}

/** `bash script.sh`, `sh -c 'cmd'`, `bash -e script`. */
function followShell(
  args: string[],
  cwd: string,
  readScripts: ScriptsReader,
  depth: number,
  sink: Sink,
  name: string,
): void {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-c' || (/^-[a-z]*c[a-z]*$/.test(arg) && !arg.startsWith('--'))) {
      const text = args[i + 1];
      if (text !== undefined) followCommandText(text, cwd, readScripts, depth + 1, sink);
      return;
    }
    if (arg === '-o' || arg === '+o') {
      i++;
      continue;
    }
    if (arg.startsWith('-') || arg.startsWith('+')) continue;
    report(arg, cwd, `script of ${name}`, sink);
    return;
  }
}

/** tsx, ts-node, bun, deno, pwsh…: the first argument that is not an option (after `run` for deno/bun). */
function followRunner(
  name: string,
  args: string[],
  cwd: string,
  readScripts: ScriptsReader,
  depth: number,
  sink: Sink,
): void {
  let rest = args;
  if ((name === 'deno' || name === 'bun') && (rest[0] === 'run' || rest[0] === 'x')) rest = rest.slice(1);
  else if (name === 'deno') return; // deno test/check/fmt: the files are data
  if (name === 'pwsh' || name === 'powershell') {
    const at = rest.findIndex((a) => /^-f(ile)?$/i.test(a));
    if (at >= 0 && rest[at + 1]) report(rest[at + 1]!, cwd, `script of ${name}`, sink);
    return;
  }
  const target = firstOperand(rest);
  if (target === undefined) return;
  if (name === 'bun' && !/[./\\]/.test(target)) {
    followNpmScript(cwd, target, readScripts, depth, sink, 'bun');
    return;
  }
  report(target, cwd, `script of ${name}`, sink);
}

/** npx/pnpx/bunx: options, then a command that runs with the rest. */
function followPackageRunner(args: string[], cwd: string, readScripts: ScriptsReader, depth: number, sink: Sink): void {
  const rest = args.slice();
  while (rest.length > 0 && rest[0]!.startsWith('-')) {
    const flag = rest.shift()!;
    if (flag === '-c' || flag === '--call') {
      if (rest[0] !== undefined) followCommandText(rest[0], cwd, readScripts, depth + 1, sink);
      return;
    }
    if ((flag === '-p' || flag === '--package') && !flag.includes('=')) rest.shift();
  }
  if (rest.length > 0) followSimpleCommand(rest, cwd, readScripts, depth + 1, sink);
}

/**
 * npm run S, npm test, yarn S, pnpm S, npm exec X, and installs (lifecycle scripts). One
 * meaning however it is spelled: `cd apps/web && pnpm lint`, `pnpm -C apps/web lint`,
 * `pnpm --filter web lint`, `npm run lint -w web` and `yarn workspace web lint` all run the
 * "lint" script of apps/web/package.json; `pnpm -r lint` runs it in every workspace package.
 */
function followPackageManager(
  name: string,
  args: string[],
  cwd: string,
  readScripts: ScriptsReader,
  depth: number,
  sink: Sink,
): void {
  let dirs = [cwd];
  let selected: string[] | undefined;
  const operands: string[] = [];
  const select = (value: string, byPath: boolean) => {
    if (value.includes(DYNAMIC)) return;
    const named = readScripts.packageDir?.(value.replace(/^\.\//, '').replace(/\/$/, ''));
    const dir =
      named ??
      (byPath || value.startsWith('.')
        ? posix.normalize(posix.join(cwd, value)).replace(/^\.$/, '').replace(/\/$/, '')
        : undefined);
    if (dir !== undefined) (selected ??= []).push(dir);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const value = () => (eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : args[++i]);
    if (flag === '--prefix' || flag === '-C' || flag === '--dir' || flag === '--cwd') {
      const dir = value();
      if (dir !== undefined && !dir.includes(DYNAMIC))
        dirs = [posix.normalize(posix.join(cwd, dir)).replace(/^\.$/, '')];
      continue;
    }
    if (name === 'pnpm' && (flag === '-w' || flag === '--workspace-root')) {
      dirs = [''];
      continue;
    }
    if (flag === '-w' || flag === '--workspace' || flag === '--filter' || flag === '-F') {
      const given = value();
      if (given !== undefined) select(given, name === 'npm');
      continue;
    }
    if (
      (flag === '-r' || flag === '--recursive' || flag === '--workspaces' || flag === '-ws') &&
      readScripts.packageDirs
    ) {
      dirs = readScripts.packageDirs();
      continue;
    }
    if (arg.startsWith('-')) continue;
    operands.push(arg);
  }
  if (selected) dirs = selected;
  // yarn workspace NAME SCRIPT
  if (name === 'yarn' && operands[0] === 'workspace' && operands[1] !== undefined) {
    const dir = readScripts.packageDir?.(operands[1]);
    if (dir !== undefined) dirs = [dir];
    operands.splice(0, 2);
  }
  for (const dir of dirs) followPackageOperands(name, operands, dir, readScripts, depth, sink);
}

function followPackageOperands(
  name: string,
  operands: string[],
  dir: string,
  readScripts: ScriptsReader,
  depth: number,
  sink: Sink,
): void {
  const [sub, ...rest] = operands;
  if (sub === undefined) {
    // Bare `yarn` / `pnpm` / `npm install`: installs, which run the lifecycle scripts.
    if (name !== 'npm') followInstall(dir, readScripts, depth, sink, name);
    return;
  }
  if (sub === 'run' || sub === 'run-script' || sub === 'rum' || sub === 'urn') {
    if (rest[0] !== undefined) followNpmScript(dir, rest[0], readScripts, depth, sink, name);
    return;
  }
  if (NPM_LIFECYCLE[sub] !== undefined) {
    followNpmScript(dir, NPM_LIFECYCLE[sub]!, readScripts, depth, sink, name);
    return;
  }
  if (sub === 'exec' || sub === 'x' || sub === 'dlx') {
    if (rest.length > 0) followSimpleCommand(rest, dir, readScripts, depth + 1, sink);
    return;
  }
  if (['install', 'i', 'ci', 'add', 'isntall', 'rebuild'].includes(sub)) {
    followInstall(dir, readScripts, depth, sink, name);
    return;
  }
  // yarn S / pnpm S run the script S when it exists.
  if (name !== 'npm') followNpmScript(dir, sub, readScripts, depth, sink, name);
}

function followInstall(dir: string, readScripts: ScriptsReader, depth: number, sink: Sink, name: string): void {
  const packageJson = posix.join(dir, 'package.json');
  report(packageJson, '', `package.json of ${name} install (its lifecycle scripts run)`, sink, true);
  for (const script of ['preinstall', 'install', 'postinstall', 'prepare'])
    followScript(packageJson, script, readScripts, depth, sink);
}

function followNpmScript(
  dir: string,
  script: string,
  readScripts: ScriptsReader,
  depth: number,
  sink: Sink,
  name: string,
): void {
  if (script.includes(DYNAMIC)) return;
  const packageJson = posix.join(dir, 'package.json');
  report(packageJson, '', `package.json of ${name} run ${script}`, sink, true);
  for (const each of [`pre${script}`, script, `post${script}`])
    followScript(packageJson, each, readScripts, depth, sink);
}

function followScript(
  packageJson: string,
  script: string,
  readScripts: ScriptsReader,
  depth: number,
  sink: Sink,
): void {
  const text = readScripts(packageJson)?.[script];
  if (typeof text !== 'string') return;
  const key = `${packageJson}\u0000${script}`;
  if ((followed.get(key) ?? Infinity) <= depth) return;
  followed.set(key, depth);
  const dir = posix.dirname(packageJson) === '.' ? '' : posix.dirname(packageJson);
  followCommandText(text, dir, readScripts, depth + 1, (file) =>
    sink({ path: file.path, via: `${file.via} in the "${script}" script of ${packageJson}`, guarded: true }),
  );
}
