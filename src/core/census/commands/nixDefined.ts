/**
 * Commands a repository defines in Nix (`checkedShellScript { name = "app-test-spec"; } '' … ''`,
 * `writeShellScriptBin "app-lint" '' … ''`, `writeShellApplication { name = …; text = '' … ''; }`) in its
 * root `default.nix`, `flake.nix`, `shell.nix`, every `nix/**.nix` and the files those root files import
 * (`import ./ci.nix`, `callPackage ./tools/tests.nix`), one level. Each is judged by what its body runs
 * (`${cabal-install}/bin/cabal v2-run test:spec` is a test), else by its name; CI running it (`app-test-spec`,
 * `nix-shell --run app-lint`, `nix develop -c app-lint`) runs that check.
 */
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { checkCommand, commandWords } from './checkCommands';
import { nixShellCommandStart, nixShellRun } from './nixCommands';
import { byName, type CheckKind } from './runnerChecks';
import { scriptCommands } from './shellScript';

const ROOT_FILES = /^(default|flake|shell)\.nix$/;
const MAX_FILES = 60;
const MAX_BYTES = 128 * 1024;
/** A definition's name: a writer's first argument, or a `name = "…";` attribute of the set given to a script helper. */
const DEFINITION = /\bwrite(?:Shell)?Script(?:Bin)?\s+"([\w.+-]+)"|\bname\s*=\s*"([\w.+-]+)"\s*;/g;
/** How far past its name a definition's body may start (`docs`, `args`, `withEnv` between). */
const BODY_REACH = 1200;
const RANK: CheckKind[] = ['test', 'lint', 'typecheck', 'build'];

/** The Nix files to read: the root's, `nix/**`, and what the root's import by a relative path (a folder: its default.nix). */
export async function nixFilesToRead(workspace: string, files: readonly string[]): Promise<string[]> {
  const listed = new Set(files);
  const roots = files.filter((f) => ROOT_FILES.test(f));
  const picked = new Set([...roots, ...files.filter((f) => f.startsWith('nix/') && f.endsWith('.nix'))]);
  for (const root of roots) {
    const text = await readHead(workspace, root);
    for (const m of text.matchAll(/(?:import|callPackage)\s+\.?\/?((?:\.\.?\/)?[\w./-]+)/g)) {
      const path = posix.normalize(m[1]!);
      const file = path.endsWith('.nix') ? path : `${path}/default.nix`;
      if (listed.has(file)) picked.add(file);
    }
  }
  return [...picked].sort().slice(0, MAX_FILES);
}

async function readHead(workspace: string, path: string): Promise<string> {
  const text = await readFile(join(workspace, path), 'utf8').catch(() => '');
  return text.slice(0, MAX_BYTES);
}

/** Each command the repository's Nix files define, with the check it makes. */
export async function nixDefinedChecks(workspace: string, files: readonly string[]): Promise<Map<string, CheckKind>> {
  const defined = new Map<string, CheckKind>();
  for (const path of await nixFilesToRead(workspace, files)) {
    const text = await readHead(workspace, path);
    for (const [name, body] of definitions(text)) {
      const kind = bodyKind(body) ?? byName(name)?.kind;
      if (kind !== undefined && !defined.has(name)) defined.set(name, kind);
    }
  }
  return defined;
}

/** Each definition's name and its body: the first `'' … ''` string after the name, before the next definition. */
function definitions(text: string): [string, string][] {
  const found = [...text.matchAll(DEFINITION)];
  const out: [string, string][] = [];
  found.forEach((m, i) => {
    const from = m.index + m[0].length;
    const until = Math.min(found[i + 1]?.index ?? text.length, from + BODY_REACH);
    const open = text.indexOf("''", from);
    if (open < 0 || open >= until) return;
    const close = closingQuotes(text, open + 2);
    if (close > open) out.push([m[1] ?? m[2]!, text.slice(open + 2, close)]);
  });
  return out;
}

/** Where an indented string ends: `''` that is not an escape (`'''`, `''$`, `''\`). */
function closingQuotes(text: string, from: number): number {
  for (let i = text.indexOf("''", from); i >= 0; i = text.indexOf("''", i + 2)) {
    const next = text[i + 2];
    if (next === "'" || next === '$' || next === '\\') {
      i += 1;
      continue;
    }
    return i;
  }
  return -1;
}

/** What a body runs at its strongest: a store path's program (`${pkg}/bin/cabal`) by its name, past a wrapper it interpolates. */
function bodyKind(body: string): CheckKind | undefined {
  const plain = body
    .replace(/''\$/g, '$')
    .replace(/\$\{[^{}]*\}\/bin\//g, '')
    .replace(/\$\{[^{}]*\}/g, ' ');
  const kinds = new Set<CheckKind>();
  for (const { text } of scriptCommands(plain)) {
    const words = commandWords(text);
    // A wrapper interpolated away (`${withPg} -f load.sql cabal v2-run test:spec`) leaves its options: the check starts at a program.
    const wrapped = words[0]?.startsWith('-') === true;
    for (let i = 0; i < (wrapped ? words.length : Math.min(1, words.length)); i++) {
      if (words[i]!.startsWith('-') || words[i]!.includes('/')) continue;
      const check = checkCommand(words.slice(i).join(' '));
      if (check) {
        kinds.add(check.kind);
        break;
      }
    }
  }
  return RANK.find((k) => kinds.has(k));
}

/** The check a CI command makes by running a Nix-defined command, itself or in a Nix shell. */
export function definedCheck(command: string, defined: ReadonlyMap<string, CheckKind>): CheckKind | undefined {
  if (defined.size === 0) return undefined;
  const words = commandWords(command);
  const run = nixShellRun(words);
  const inner = run !== undefined ? commandWords(run) : words.slice(nixShellCommandStart(words, 0) ?? 0);
  return inner.length > 0 ? defined.get(inner[0]!) : undefined;
}
