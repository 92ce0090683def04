/**
 * Targets of the task files a project keeps (Makefile, justfile) whose names say they
 * check the code: each becomes a `make <target>` / `just <recipe>` the census may propose,
 * run from the folder holding the file.
 */
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { RepoCommand } from './types';

const CHECK_TARGET = /^(lint|test|tests|check|typecheck|type-check|vet|build|verify|ci|fmt-check|format-check|static|analy[sz]e)$/;

/** The indented lines under a target, `@`/`-` prefixes dropped. */
function recipe(text: string, target: string): string[] {
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((line) => new RegExp(`^@?${target}(\\s[^:=]*)?:(?!=)`).test(line));
  const body: string[] = [];
  for (let i = at + 1; at >= 0 && i < lines.length && /^(\t| {2,})|^\s*$/.test(lines[i]!); i++) if (lines[i]!.trim() !== '') body.push(lines[i]!.trim().replace(/^[@-]+/, ''));
  return body;
}

export async function readTaskFiles(workspace: string, files: readonly string[]): Promise<RepoCommand[]> {
  const commands: RepoCommand[] = [];
  const taskFiles = files.filter((f) => /^(GNUmakefile|[Mm]akefile|[Jj]ustfile|\.justfile)$/.test(posix.basename(f)) && f.split('/').length <= 3);
  for (const file of taskFiles) {
    const text = await readFile(join(workspace, file), 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const dir = posix.dirname(file) === '.' ? '' : posix.dirname(file);
    const just = /justfile$/i.test(file);
    const targets = just
      ? [...text.matchAll(/^@?([A-Za-z][\w-]*)(?:\s+[^:=\n]*)?:(?!=)/gm)].map((m) => m[1]!)
      : [...text.matchAll(/^([A-Za-z][\w-]*)\s*:(?!=)/gm)].map((m) => m[1]!);
    for (const target of new Set(targets)) {
      if (CHECK_TARGET.test(target)) commands.push({ command: `${just ? 'just' : 'make'} ${target}`, cwd: dir, origin: file, runs: recipe(text, target) });
    }
  }
  return commands;
}
