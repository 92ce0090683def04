/**
 * The repository's files as git would see them: a bounded walk that honours every
 * `.gitignore` on the way down and never enters dependency, build or hidden folders, unless a manifest
 * names one as the project's own package (ownPackages.ts).
 * Nothing is run (no `git ls-files`): the census reads, it does not execute.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { ownPackageFolders } from './ownPackages';

/** Folders never walked, ignored or not: dependencies, build output, caches, virtualenvs. */
const SKIPPED_DIRS = new Set([
  'node_modules',
  'bower_components',
  'vendor',
  'target',
  'obj',
  'dist',
  'build',
  'out',
  'coverage',
  '__pycache__',
  'venv',
  'env',
  'site-packages',
  'Pods',
  'DerivedData',
  'bin-debug',
  'tmp',
  'log',
  'logs',
]);
/** A folder the walk never enters (`build`, `target`…): it may hold files the census does not list. */
export function isSkippedFolder(name: string): boolean {
  return SKIPPED_DIRS.has(name) || name.startsWith('.');
}

/** Hidden folders are skipped, except those that hold source. */
const HIDDEN_KEPT = new Set(['.storybook']);

const MAX_FILES = 200_000;

export interface FileList {
  /** Workspace-relative posix paths, sorted. */
  files: string[];
  /** True when the walk stopped at MAX_FILES. */
  truncated: boolean;
}

interface Rules {
  base: string;
  rules: Ignore;
}

export async function listRepositoryFiles(workspace: string): Promise<FileList> {
  const files: string[] = [];
  let truncated = false;
  // Folders passed by name (`vendor/`, `build/`), with the ignore rules above them: entered after when the manifests name them.
  const passed = new Map<string, Rules[]>();
  const walk = async (dir: string, inherited: Rules[]): Promise<void> => {
    if (truncated) return;
    const entries = await readdir(join(workspace, dir), { withFileTypes: true }).catch(() => []);
    let rules = inherited;
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      const text = await readFile(join(workspace, dir, '.gitignore'), 'utf8').catch(() => '');
      rules = [...inherited, { base: dir, rules: ignore().add(text) }];
    }
    const folders: string[] = [];
    for (const entry of entries) {
      const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name.startsWith('.') && !HIDDEN_KEPT.has(entry.name)) continue;
        if (SKIPPED_DIRS.has(entry.name)) {
          if (!isIgnored(rules, `${path}/`)) passed.set(path, rules);
          continue;
        }
        if (!isIgnored(rules, `${path}/`)) folders.push(path);
      } else if (entry.isFile() && !isIgnored(rules, path)) {
        if (files.length >= MAX_FILES) {
          truncated = true;
          return;
        }
        files.push(path);
      }
    }
    // Sibling folders are read side by side: the walk waits on the disk, not on the CPU.
    await Promise.all(folders.map((folder) => walk(folder, rules)));
  };
  await walk('', []);
  for (const folder of await ownPackageFolders(workspace, files, [...passed.keys()])) {
    const above = [...passed].find(([p]) => folder === p || folder.startsWith(`${p}/`))![1];
    if (!isIgnored(above, `${folder}/`)) await walk(folder, above);
  }
  files.sort();
  return { files, truncated };
}

function isIgnored(stack: Rules[], path: string): boolean {
  for (const { base, rules } of stack) {
    const relative = base === '' ? path : path.slice(base.length + 1);
    if (rules.ignores(relative)) return true;
  }
  return false;
}

/** Extensions of source files: what coverage by `owns` is measured on. */
const SOURCE_EXTENSIONS = new Set([
  'ts',
  'tsx',
  'mts',
  'cts',
  'js',
  'jsx',
  'mjs',
  'cjs',
  'vue',
  'svelte',
  'astro',
  'py',
  'pyi',
  'go',
  'rs',
  'cs',
  'fs',
  'vb',
  'java',
  'kt',
  'kts',
  'scala',
  'groovy',
  'rb',
  'erb',
  'php',
  'dart',
  'swift',
  'm',
  'mm',
  'c',
  'h',
  'cc',
  'cpp',
  'hpp',
  'sql',
  'prisma',
  'graphql',
  'gql',
  'proto',
  'css',
  'scss',
  'sass',
  'less',
  'html',
  'razor',
  'cshtml',
  'ex',
  'exs',
  'elm',
  'clj',
  'cljc',
  'cljs',
  'hs',
  'zig',
  'jl',
  'erl',
  'gleam',
  'cr',
  'vala',
  'r',
  'ml',
  'mli',
  'lua',
  'sh',
  'tf',
  'hcl',
  'blade.php',
]);

export function isSourceFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.indexOf('.');
  if (dot < 0) return false;
  return SOURCE_EXTENSIONS.has(name.slice(name.lastIndexOf('.') + 1).toLowerCase());
}
