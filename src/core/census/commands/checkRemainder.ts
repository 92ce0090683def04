/**
 * What the census says of a layer it found no check for (docs/census.md, "An honest remainder"):
 * what it read for it (the layer's manifests, the CI files it reads with their jobs, task files)
 * and what it could not read or use: the files of a build tool it reads nothing from (Bazel,
 * Pants, Nix…), a CI kind it does not read, a matrix value it could not expand, a command CI or a
 * task file runs for the layer that it dropped, each with why. By tool and file name only.
 */
import { posix } from 'node:path';
import { checkCommand, checkedProgram, commandWords } from './checkCommands';
import { CHECK_WORDS, type CiRead } from './ciWorkflows';
import type { CheckRemainder, Project, ProposedLayer, RepoCommand, Unread } from '../types';

interface BuildTool {
  tool: string;
  /** Its build files, by name. */
  files: RegExp;
  /** The programs that run what those files define. */
  programs: string[];
  why: string;
}

const unreadTool = (tool: string) => `${tool}, a build tool the census reads no projects or checks from`;

/** Build tools whose files the census does not read (Pants before Bazel: both name their files `BUILD`). */
const BUILD_TOOLS: BuildTool[] = [
  { tool: 'Pants', files: /^(pants\.toml|BUILD)$/, programs: ['pants'], why: unreadTool('Pants') },
  {
    tool: 'Bazel',
    files: /^(BUILD(\.bazel)?|WORKSPACE(\.bazel)?|MODULE\.bazel)$/,
    programs: ['bazel', 'bazelisk'],
    why: unreadTool('Bazel'),
  },
  { tool: 'Buck', files: /^(BUCK|\.buckconfig)$/, programs: ['buck', 'buck2'], why: unreadTool('Buck') },
  { tool: 'Please', files: /^(BUILD\.plz|\.plzconfig)$/, programs: ['plz'], why: unreadTool('Please') },
  {
    tool: 'Nix',
    files: /^(default|flake|shell|devenv)\.nix$/,
    programs: ['nix', 'nix-shell', 'nix-build', 'devenv'],
    why: 'Nix, whose commands and checks the census does not read',
  },
  { tool: 'Earthly', files: /^Earthfile$/, programs: ['earthly'], why: unreadTool('Earthly') },
  { tool: 'Dagger', files: /^dagger\.json$/, programs: ['dagger'], why: unreadTool('Dagger') },
  { tool: 'SCons', files: /^SConstruct$/, programs: ['scons'], why: unreadTool('SCons') },
  { tool: 'Autotools', files: /^configure\.ac$/, programs: [], why: unreadTool('Autotools') },
];

const MAX_DROPPED = 5;
const MAX_NAMED = 3;
const MAX_CI_FILES = 4;

export interface RemainderInputs {
  /** Every file the walk saw. */
  files: readonly string[];
  ci: CiRead;
  /** Task files' targets (Makefile, justfile…). */
  tasks: readonly RepoCommand[];
}

/** The remainder of a layer, given its projects and the files it owns. */
export function checkRemainder(inputs: RemainderInputs) {
  const pants = inputs.files.includes('pants.toml');
  const toolOfFile = (file: string) =>
    BUILD_TOOLS.find((t) => t.files.test(posix.basename(file)) && (t.tool !== 'Pants' || pants));
  // A build tool's files at the root (MODULE.bazel, flake.nix) concern every layer; deeper ones, the layer owning them.
  const atRoot = inputs.files.filter((f) => !f.includes('/') && toolOfFile(f));
  const ciFiles = inputs.ci.files;
  const read = [
    ...ciFiles.slice(0, MAX_CI_FILES).map((file) => withJobs(file, inputs.ci.jobs[file] ?? [])),
    ...(ciFiles.length > MAX_CI_FILES ? [`${ciFiles.length - MAX_CI_FILES} more CI files`] : []),
    ...new Set(inputs.tasks.map((t) => t.origin)),
  ];
  const ciUnread: Unread[] =
    inputs.ci.files.length > 0 || inputs.ci.unread.length > 0
      ? inputs.ci.unread
      : [
          {
            what: 'CI',
            why: 'no CI file found (the census reads GitHub Actions, GitLab CI, Azure Pipelines, CircleCI)',
          },
        ];
  // Each command judged once (the first of the same text), only when a layer is left without a check.
  let judged: JudgedCommand[] | undefined;
  const commands = () => {
    const seen = new Set<string>();
    judged ??= [...inputs.ci.commands, ...inputs.tasks]
      .filter((c) => !seen.has(c.command) && seen.add(c.command))
      .map(judgeCommand);
    return judged;
  };
  return (layer: ProposedLayer, projects: readonly Project[], owned: readonly string[]): CheckRemainder => {
    const byTool = new Map<BuildTool, string[]>();
    for (const file of [...new Set([...atRoot, ...owned])]) {
      const tool = toolOfFile(file);
      if (tool) byTool.set(tool, [...(byTool.get(tool) ?? []), file]);
    }
    const tools: Unread[] = [...byTool].map(([tool, files]) => ({ what: named(files), why: tool.why }));
    // Commands named after, run in or naming the layer's folders first, then an unread build tool's run anywhere.
    const dropped = commands()
      .map((c) => {
        const near = concerns(c, layer.dirs);
        return { c, near, why: near > 0 ? droppedWhy(c, near) : undefined };
      })
      .filter((d): d is { c: JudgedCommand; near: number; why: string } => d.why !== undefined)
      .sort((a, b) => b.near - a.near);
    const unread = [
      ...tools,
      ...ciUnread,
      ...dropped.slice(0, MAX_DROPPED).map(({ c: { repo: c }, why }) => ({
        what: `${c.command} (from ${c.origin}${c.cwd ? `, in ${c.cwd}/` : ''})`,
        why: `dropped: ${why}`,
      })),
      ...(dropped.length > MAX_DROPPED
        ? [
            {
              what: `${dropped.length - MAX_DROPPED} more command${dropped.length - MAX_DROPPED === 1 ? '' : 's'}`,
              why: 'dropped likewise',
            },
          ]
        : []),
    ];
    return { read: [...new Set(projects.map((p) => p.manifest)), ...read], unread };
  };
}

function withJobs(file: string, jobs: readonly string[]): string {
  if (jobs.length === 0) return file;
  const shown = jobs.slice(0, 6).join(', ');
  return `${file} (job${jobs.length === 1 ? '' : 's'} ${shown}${jobs.length > 6 ? `, +${jobs.length - 6}` : ''})`;
}

function named(files: readonly string[]): string {
  return `${files.slice(0, MAX_NAMED).join(', ')}${files.length > MAX_NAMED ? `, +${files.length - MAX_NAMED}` : ''}`;
}

interface JudgedCommand {
  repo: RepoCommand;
  /** The folders it names past its program and subcommand (`//app/...`, `app::`, `examples`), from the repository's root. */
  paths: string[];
  program: string;
  /** The unread build tool it runs. */
  tool?: BuildTool;
}

function judgeCommand(repo: RepoCommand): JudgedCommand {
  const words = commandWords(repo.command);
  const program = checkedProgram(repo.command) ?? posix.basename(words[0] ?? '');
  const paths = words
    .filter((word, i) => (i > 1 || word.includes('/')) && !word.startsWith('-'))
    .map((word) =>
      posix.join(repo.cwd, word.replace(/^\/\//, '').replace(/(\/\.\.\.|::?[\w.-]*)$/, '')).replace(/^\.$/, ''),
    );
  const tool = BUILD_TOOLS.find((t) => t.programs.includes(program));
  return { repo, paths, program, ...(tool ? { tool } : {}) };
}

/**
 * How near a command is to a layer: 3 its program named after one of its folders, 2 run in them (or a folder above)
 * or naming one, 1 run through an unread build tool from anywhere.
 */
function concerns(command: JudgedCommand, dirs: readonly string[]): number {
  const near = (path: string) =>
    dirs.some((d) => d !== '' && path !== '' && (path === d || path.startsWith(`${d}/`) || d.startsWith(`${path}/`)));
  // A program named after the folder (`postgrest-docs-spellcheck` for docs/, `test-io` for test/io/) is its command.
  const words = command.program.split(/[-_:.]/);
  if (dirs.some((d) => d !== '' && words.includes(posix.basename(d)))) return 3;
  if (near(command.repo.cwd) || command.paths.some(near)) return 2;
  return command.tool ? 1 : 0;
}

/**
 * Why a command that concerns a layer (`near`, as concerns() says) gave it no check; undefined for one that checks
 * nothing by any sign (an install). Run in or naming its folders, an unread build tool's command may be its check
 * whatever its words; a program named after its folder is its check.
 */
function droppedWhy(command: JudgedCommand, near: number): string | undefined {
  const { repo, tool, program } = command;
  // A step over a matrix value is named once, by its CI file (ciWorkflows.ts).
  if (repo.command.includes('${{')) return undefined;
  const check = checkCommand(repo.command) !== undefined;
  if (!check && !CHECK_WORDS.test(repo.command) && !(tool && near >= 2) && near < 3) return undefined;
  if (tool) return `it runs ${program}: ${tool.why}`;
  return check
    ? 'a check, but the census could not tell it checks this layer'
    : `${program} is not a check the census knows`;
}
