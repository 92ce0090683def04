/**
 * DISCOVERY (seed 001 phase 1), without a model: the target's files (as git would list them:
 * .gitignore honoured, no node_modules, no symlinks followed, the privacy deny list left
 * out), lines of code and languages, the dependencies its manifests declare (inside the
 * target and in the folders above it), and the layers that own its files.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { countLines, looksBinary, walkFiles, WorkspaceGuard } from '../../agents';
import { layerOwning, type OrchestratorConfig } from '../../project/config';
import { manifestKind, parseManifest } from './manifests';
import type { Dependency, Discovery, LanguageFacts } from '../../auditTypes';

/** Files walked at most; a larger target is counted up to here and says so. */
export const MAX_DISCOVERED_FILES = 20_000;
/** Files (with their line counts) listed for the auditor. */
export const MAX_LISTED_FILES = 400;
/** Larger files are counted as files but not read for lines. */
const MAX_COUNTED_BYTES = 2 * 1024 * 1024;

const LANGUAGES: Record<string, string> = {
  ts: 'TypeScript',
  tsx: 'TypeScript',
  mts: 'TypeScript',
  cts: 'TypeScript',
  js: 'JavaScript',
  jsx: 'JavaScript',
  mjs: 'JavaScript',
  cjs: 'JavaScript',
  py: 'Python',
  cs: 'C#',
  go: 'Go',
  rs: 'Rust',
  java: 'Java',
  kt: 'Kotlin',
  rb: 'Ruby',
  php: 'PHP',
  swift: 'Swift',
  c: 'C',
  h: 'C',
  cpp: 'C++',
  cc: 'C++',
  hpp: 'C++',
  sql: 'SQL',
  html: 'HTML',
  css: 'CSS',
  scss: 'CSS',
  less: 'CSS',
  vue: 'Vue',
  svelte: 'Svelte',
  xml: 'XML',
  json: 'JSON',
  yaml: 'YAML',
  yml: 'YAML',
  toml: 'TOML',
  md: 'Markdown',
  sh: 'Shell',
  ps1: 'PowerShell',
  razor: 'Razor',
  cshtml: 'Razor',
  dart: 'Dart',
  scala: 'Scala',
};

export function languageOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? (LANGUAGES[name.slice(dot + 1).toLowerCase()] ?? 'Other') : 'Other';
}

/** `target`: workspace-relative posix path of a folder or a file, '.' for the whole workspace. */
export async function discover(workspace: string, config: OrchestratorConfig, target: string): Promise<Discovery> {
  const warnings: string[] = [];
  // The agents' own privacy rules (built-in deny list, privacy.deny, .gitignore): what they may not read is not counted.
  const guard = await WorkspaceGuard.create(workspace, [], config.privacy.deny);
  const hidden = (path: string, isDir: boolean) => guard.hiddenReason(path, isDir);
  const isFile = target !== '.' && (await stat(join(workspace, target))).isFile();
  const walked = isFile
    ? { files: (await hidden(target, false)) ? [] : [target], truncated: false }
    : await walkFiles(workspace, { start: target === '.' ? '' : target, maxFiles: MAX_DISCOVERED_FILES, hidden });
  const files = walked.files;

  const counted = await mapLimited(files, 32, (path) => countFileLines(workspace, path));
  const languages = new Map<string, LanguageFacts>();
  const layers = new Map<string, number>();
  let unowned = 0;
  let loc = 0;
  files.forEach((path, i) => {
    const lines = counted[i]!;
    loc += lines.code;
    const language = languageOf(path);
    const facts = languages.get(language) ?? { language, files: 0, loc: 0 };
    facts.files++;
    facts.loc += lines.code;
    languages.set(language, facts);
    const layer = layerOwning(config, path);
    if (layer === undefined) unowned++;
    else layers.set(layer, (layers.get(layer) ?? 0) + 1);
  });
  const skipped = counted.filter((c) => c.skipped).length;
  if (skipped > 0) warnings.push(`${skipped} binary or very large file(s) counted without their lines`);

  const manifests = [
    ...files.filter((path) => manifestKind(path) !== undefined),
    ...(await manifestsAbove(workspace, target)),
  ];
  const dependencies: Dependency[] = [];
  for (const manifest of manifests) {
    try {
      dependencies.push(...(await parseManifest(manifest, await readFile(join(workspace, manifest), 'utf8'))));
    } catch (error) {
      warnings.push(`${manifest}: not read (${(error as Error).message.split('\n')[0]})`);
    }
  }

  return {
    target,
    files: files.length,
    loc,
    // Largest first; what no extension told apart comes last.
    languages: [...languages.values()].sort(
      (a, b) =>
        Number(a.language === 'Other') - Number(b.language === 'Other') ||
        b.loc - a.loc ||
        b.files - a.files ||
        a.language.localeCompare(b.language),
    ),
    dependencies,
    layers: [...layers].map(([layer, count]) => ({ layer, files: count })),
    unowned,
    listing: files.slice(0, MAX_LISTED_FILES).map((path, i) => ({ path, lines: counted[i]!.lines })),
    truncated: walked.truncated || files.length > MAX_LISTED_FILES,
    warnings,
  };
}

/** Manifests in the folders above the target, nearest first: a package's deps apply to its subfolders. */
async function manifestsAbove(workspace: string, target: string): Promise<string[]> {
  if (target === '.') return [];
  const parts = target.split('/');
  const found: string[] = [];
  for (let depth = parts.length - 1; depth >= 0; depth--) {
    // A folder target's own files were walked; a file target's folder is above it.
    const folder = parts.slice(0, depth).join('/');
    const entries = await readdir(join(workspace, folder), { withFileTypes: true }).catch(() => []);
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
      if (entry.isFile() && path !== target && manifestKind(path) !== undefined) found.push(path);
    }
  }
  return found;
}

interface LineCount {
  lines: number;
  /** Non-blank lines. */
  code: number;
  skipped: boolean;
}

async function countFileLines(workspace: string, path: string): Promise<LineCount> {
  const abs = join(workspace, path);
  try {
    if ((await stat(abs)).size > MAX_COUNTED_BYTES) return { lines: 0, code: 0, skipped: true };
    const bytes = await readFile(abs);
    if (looksBinary(bytes)) return { lines: 0, code: 0, skipped: true };
    const text = bytes.toString('utf8');
    return {
      lines: countLines(text),
      code: text.split('\n').filter((line) => line.trim() !== '').length,
      skipped: false,
    };
  } catch {
    return { lines: 0, code: 0, skipped: true };
  }
}

async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
