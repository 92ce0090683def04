/**
 * Targets of the task files a project keeps (Makefile, justfile, a `deno.json`'s tasks) whose
 * names say they check the code: each becomes a `make <target>` / `just <recipe>` / `deno task
 * <name>` the census may propose, run from the folder holding the file.
 */
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser/lib/esm/main.js';
import { byName } from './runnerChecks';
import { normalizeCheck } from './checkCommands';
import { scriptCommands } from './shellScript';
import type { RepoCommand } from '../types';

const CHECK_TARGET =
  /^(lint|test|tests|check|typecheck|type-check|vet|build|verify|ci|fmt-check|format-check|static|analy[sz]e)$/;

/** The indented lines under a target, `@`/`-` prefixes dropped. */
function recipe(text: string, target: string): string[] {
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((line) => new RegExp(`^@?${target}(\\s[^:=]*)?:(?!=)`).test(line));
  const body: string[] = [];
  for (let i = at + 1; at >= 0 && i < lines.length && /^(\t| {2,})|^\s*$/.test(lines[i]!); i++)
    if (lines[i]!.trim() !== '') body.push(lines[i]!.trim().replace(/^[@-]+/, ''));
  return body;
}

export async function readTaskFiles(workspace: string, files: readonly string[]): Promise<RepoCommand[]> {
  const commands: RepoCommand[] = [];
  const taskFiles = files.filter(
    (f) => /^(GNUmakefile|[Mm]akefile|[Jj]ustfile|\.justfile)$/.test(posix.basename(f)) && f.split('/').length <= 3,
  );
  for (const file of taskFiles) {
    const text = await readFile(join(workspace, file), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const dir = posix.dirname(file) === '.' ? '' : posix.dirname(file);
    const just = /justfile$/i.test(file);
    const targets = just
      ? [...text.matchAll(/^@?([A-Za-z][\w-]*)(?:\s+[^:=\n]*)?:(?!=)/gm)].map((m) => m[1]!)
      : [...text.matchAll(/^([A-Za-z][\w-]*)\s*:(?!=)/gm)].map((m) => m[1]!);
    for (const target of new Set(targets)) {
      if (CHECK_TARGET.test(target))
        commands.push({
          command: `${just ? 'just' : 'make'} ${target}`,
          cwd: dir,
          origin: file,
          runs: recipe(text, target),
        });
    }
  }
  for (const file of files.filter((f) => /^deno\.jsonc?$/.test(posix.basename(f)) && f.split('/').length <= 3)) {
    const text = await readFile(join(workspace, file), 'utf8').catch(() => undefined);
    if (text !== undefined) commands.push(...denoTasks(text, file, files));
  }
  return commands;
}

/** End-to-end test names: a check only of a folder nothing else checks (`e2e:staging` running `cd e2e && deno test`). */
const END_TO_END = /^(e2e|playwright|cypress)$/i;

/**
 * A `deno.json`'s tasks that check: named as a check (`lint:tools`) or for end-to-end tests, with a body
 * of checks only. Each keeps its body as its recipe, and the one folder its body acts in (`cd e2e && …`,
 * `deno lint tools/ && deno check tools/…`) as the folder it checks.
 */
function denoTasks(text: string, file: string, files: readonly string[]): RepoCommand[] {
  const json: unknown = parseJsonc(text, [], { allowTrailingComma: true });
  const tasks =
    json && typeof json === 'object' && 'tasks' in json && json.tasks && typeof json.tasks === 'object'
      ? (json.tasks as Record<string, unknown>)
      : {};
  const dir = posix.dirname(file) === '.' ? '' : posix.dirname(file);
  const found: RepoCommand[] = [];
  for (const [name, value] of Object.entries(tasks)) {
    const body =
      typeof value === 'string'
        ? value
        : value && typeof value === 'object' && typeof (value as { command?: unknown }).command === 'string'
          ? (value as { command: string }).command
          : undefined;
    if (body === undefined || !normalizeCheck(body)) continue;
    const endToEnd = name.split(/[:._-]/).some((part) => END_TO_END.test(part));
    if (!byName(name) && !endToEnd) continue;
    const checks = bodyFolder(body, dir, files);
    if (endToEnd && checks === undefined) continue;
    found.push({
      command: `deno task ${name}`,
      cwd: dir,
      origin: file,
      runs: [body],
      ...(checks !== undefined ? { checks } : {}),
      ...(endToEnd ? { lastResort: true } : {}),
    });
  }
  return found;
}

/** The one folder a task's body acts in: its `cd`, else the folder its path arguments share; undefined when none or several. */
function bodyFolder(body: string, dir: string, files: readonly string[]): string | undefined {
  const folders = new Set<string>();
  for (const { text } of scriptCommands(body)) {
    const words = text.split(/\s+/).filter((w, i, all) => !all.slice(0, i + 1).every((x) => /^[A-Za-z_]\w*=/.test(x)));
    const cd = words[0] === 'cd' ? words[1] : undefined;
    const paths =
      cd !== undefined
        ? [cd]
        : words.slice(2).filter((w) => !w.startsWith('-') && !w.includes('=') && /^(\.\/)?[\w.-]+(\/|$)/.test(w));
    for (const path of paths) {
      const top = path.replace(/^\.\//, '').split('/')[0]!;
      const folder = posix.join(dir, top);
      if (top !== '' && top !== '.' && files.some((f) => f.startsWith(`${folder}/`))) folders.add(folder);
    }
  }
  return folders.size === 1 ? [...folders][0] : undefined;
}
