/**
 * The leaves of following a command (commandPrograms.ts): a target resolved inside the workspace
 * and reported, what make, an interpreter and a config-loading tool execute, and the words of a command line.
 */
import { posix } from 'node:path';
import {
  CONFIG_EXTENSIONS,
  EXECUTED_VALUE_OPTIONS,
  INLINE_OPTIONS,
  TOOL_CONFIGS,
  VALUE_OPTIONS,
} from './programVocabulary';

/** A word shell-quote could not know (a variable, a glob): nothing resolved from it is reported. */
export const DYNAMIC = '\u0000';

export interface ExecutedFile {
  /** Workspace-relative posix path. */
  path: string;
  /** How the command comes to execute it, for messages: "script of node", "npm script \"test\"". */
  via: string;
  /**
   * Reached through a manifest, a task file or a tool config (a package.json and the files
   * its scripts run, a Makefile, eslint.config.js) rather than named by the command itself:
   * such a file may sit inside a layer's `owns` (an agent adds dependencies), and a change to
   * it asks first. A program the command names itself must stay outside every `owns`.
   */
  guarded?: true;
}

export type Sink = (file: ExecutedFile) => void;

export function followMake(args: string[], cwd: string, sink: Sink): void {
  let dir = cwd;
  let file: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-C' || arg === '--directory') dir = posix.normalize(posix.join(dir, args[++i] ?? '.'));
    else if (arg.startsWith('--directory=')) dir = posix.normalize(posix.join(dir, arg.slice(12)));
    else if (arg === '-f' || arg === '--file' || arg === '--makefile') file = args[++i];
    else if (arg.startsWith('--file=') || arg.startsWith('--makefile=')) file = arg.slice(arg.indexOf('=') + 1);
  }
  for (const candidate of file ? [file] : ['GNUmakefile', 'makefile', 'Makefile'])
    report(candidate, dir, 'Makefile of make', sink, true);
}

/** The config a tool would load: given with --config/-c, else its default names from cwd up to the root. */
/** `node`, `python`, `ruby`, `perl`, `php`: options, then the script, then its (data) arguments. */
export function followInterpreter(
  kind: keyof typeof VALUE_OPTIONS,
  name: string,
  args: string[],
  cwd: string,
  sink: Sink,
): void {
  const valued = VALUE_OPTIONS[kind]!;
  const inline = INLINE_OPTIONS[kind] ?? new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inlineValue] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    if (arg === '--') {
      if (args[i + 1] !== undefined) report(args[i + 1]!, cwd, `script of ${name}`, sink);
      return;
    }
    if (flag.startsWith('-') && flag.length > 1) {
      if (kind === 'python' && flag === '-m') {
        const module = args[i + 1];
        if (module && !module.includes(DYNAMIC)) {
          const base = module.replace(/\./g, '/');
          for (const candidate of [`${base}.py`, `${base}/__main__.py`, `${base}/__init__.py`])
            report(candidate, cwd, `module run by ${name} -m`, sink);
        }
        return;
      }
      if (inline.has(flag)) return;
      if (valued.has(flag)) {
        const value = inlineValue ?? args[++i];
        if (value !== undefined && EXECUTED_VALUE_OPTIONS.has(flag) && looksLikePath(value))
          report(value, cwd, `${flag} of ${name}`, sink);
      }
      continue;
    }
    report(arg, cwd, `script of ${name}`, sink);
    return;
  }
}

export function followToolConfig(name: string, args: string[], cwd: string, sink: Sink): void {
  const given = args.findIndex((a) => a === '--config' || a === '-c' || a.startsWith('--config='));
  if (given >= 0) {
    const value = args[given]!.startsWith('--config=') ? args[given]!.slice('--config='.length) : args[given + 1];
    if (value !== undefined) report(value, cwd, `config of ${name}`, sink, true);
    return;
  }
  const dirs: string[] = [];
  for (let dir = cwd; ; dir = posix.dirname(dir) === '.' ? '' : posix.dirname(dir)) {
    dirs.push(dir);
    if (dir === '') break;
  }
  for (const dir of dirs) {
    for (const base of TOOL_CONFIGS[name]!)
      for (const ext of CONFIG_EXTENSIONS) report(`${base}.${ext}`, dir, `config of ${name}`, sink, true);
  }
}

export function firstOperand(args: string[]): string | undefined {
  return args.find((a) => !a.startsWith('-'));
}

export function dropOptions(words: string[], valuesAfter: number): void {
  while (words.length > 0 && (words[0]!.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!))) words.shift();
  words.splice(0, Math.min(valuesAfter, words.length));
}

/** `node`, from `/usr/bin/node`, `node.exe`, `NODE.CMD`. */
export function programName(word: string): string {
  const base = word.replace(/\\/g, '/').split('/').at(-1) ?? word;
  return base.toLowerCase().replace(/\.(exe|cmd|bat|ps1)$/, '');
}

export function looksLikePath(value: string): boolean {
  return value.startsWith('.') || value.includes('/') || value.includes('\\') || /\.(c|m)?[jt]s$/.test(value);
}

/** Reports `target` resolved against `cwd` when it is a path inside the workspace. */
export function report(target: string, cwd: string, via: string, sink: Sink, guarded = false): void {
  if (target.includes(DYNAMIC) || cwd.startsWith('\u0000') || target === '') return;
  const slashed = target.replace(/\\/g, '/');
  if (posix.isAbsolute(slashed) || /^[A-Za-z]:/.test(slashed) || slashed.startsWith('~')) return;
  const path = posix.normalize(posix.join(cwd, slashed)).replace(/^\.\//, '').replace(/\/$/, '');
  if (path === '..' || path.startsWith('../') || path === '.' || path === '') return;
  sink(guarded ? { path, via, guarded } : { path, via });
}
