/**
 * How the proof tests run: `proof.command[i]` runs the files under `proof.tests[i]` (the last
 * command serves the rest), one process per command, never one per criterion. `{files}` becomes
 * the files, quoted; a command that starts with `cd <dir> && ` gets them relative to <dir>, as
 * its runner sees them. A command without `{files}` gets them appended.
 */
import { posix } from 'node:path';
import picomatch from 'picomatch';
import { quote } from 'shell-quote';
import type { ProofConfig } from '../project/config';

export interface ProofInvocation {
  command: string;
  files: string[];
}

const CD_PREFIX = /^\s*cd\s+(?:'([^']+)'|"([^"]+)"|(\S+))\s*&&/;

/** The commands that run `files` (workspace-relative), grouped by the command each falls to. */
export function proofInvocations(proof: Pick<ProofConfig, 'tests' | 'command'>, files: readonly string[]): ProofInvocation[] {
  if (proof.command.length === 0) return [];
  const matchers = proof.tests.map((glob) => picomatch(glob, { dot: true }));
  const groups = new Map<number, string[]>();
  for (const file of files) {
    const at = matchers.findIndex((match) => match(file));
    const index = Math.min(at === -1 ? proof.command.length - 1 : at, proof.command.length - 1);
    groups.set(index, [...(groups.get(index) ?? []), file]);
  }
  return [...groups].sort(([a], [b]) => a - b).map(([index, group]) => ({ command: withFiles(proof.command[index]!, group), files: group }));
}

/** The template with its files put in. */
export function withFiles(template: string, files: readonly string[]): string {
  const cd = CD_PREFIX.exec(template);
  const dir = cd ? posix.normalize(cd[1] ?? cd[2] ?? cd[3] ?? '.') : '.';
  const relative = files.map((file) => (dir === '.' ? file : posix.relative(dir, file)));
  const list = quote(relative);
  return template.includes('{files}') ? template.split('{files}').join(list) : `${template} ${list}`;
}
