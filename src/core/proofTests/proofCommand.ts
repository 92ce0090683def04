/**
 * How the proof tests run: `proof.command[i]` runs the files under `proof.tests[i]` (the last
 * command serves the rest), one process per command, never one per criterion. `{files}` becomes
 * the files, quoted; a command that starts with `cd <dir> && ` gets them relative to <dir>, as
 * its runner sees them. A command without `{files}` gets them appended. A command with `{file}`
 * instead runs once per file (a runner that takes no list of files, the project's own test
 * script), and each run's exit code is that file's verdict.
 */
import { posix } from 'node:path';
import picomatch from 'picomatch';
import { quote } from 'shell-quote';

export interface ProofInvocation {
  command: string;
  files: string[];
  /** The `proof.command` entry it was made from. */
  template: string;
  /** Run for one file of a `{file}` template. */
  perFile?: boolean;
}

const CD_PREFIX = /^\s*cd\s+(?:'([^']+)'|"([^"]+)"|(\S+))\s*&&/;

/** The commands that run `files` (workspace-relative), grouped by the command each falls to. */
export function proofInvocations(
  proof: { tests: readonly string[]; command: readonly string[] },
  files: readonly string[],
): ProofInvocation[] {
  if (proof.command.length === 0) return [];
  const matchers = proof.tests.map((glob) => picomatch(glob, { dot: true }));
  const groups = new Map<number, string[]>();
  for (const file of files) {
    const at = matchers.findIndex((match) => match(file));
    const index = Math.min(at === -1 ? proof.command.length - 1 : at, proof.command.length - 1);
    groups.set(index, [...(groups.get(index) ?? []), file]);
  }
  return [...groups]
    .sort(([a], [b]) => a - b)
    .flatMap(([index, group]) => {
      const template = proof.command[index]!;
      return perFile(template)
        ? group.map((file) => ({ command: withFiles(template, [file]), files: [file], template, perFile: true }))
        : [{ command: withFiles(template, group), files: group, template }];
    });
}

/** Whether the template runs one file at a time (`{file}`). */
export function perFile(template: string): boolean {
  return template.includes('{file}');
}

/** The template with its files put in. */
export function withFiles(template: string, files: readonly string[]): string {
  const cd = CD_PREFIX.exec(template);
  const dir = cd ? posix.normalize(cd[1] ?? cd[2] ?? cd[3] ?? '.') : '.';
  const relative = files.map((file) => (dir === '.' ? file : posix.relative(dir, file)));
  const list = quote(relative);
  if (template.includes('{files}')) return template.split('{files}').join(list);
  return perFile(template) ? template.split('{file}').join(list) : `${template} ${list}`;
}
