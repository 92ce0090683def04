/**
 * Context sources as Mustard keeps them (docs/configuration.md): `.claude/context/{agent}/*.md` plus
 * `.claude/context/shared/*.md` for every agent, README.md files not being content, compiled
 * by its sync-compile into `{agent}.context.md`: `.core.md` files first, then by name; only the
 * first top-level heading kept; runs of blank lines collapsed.
 */
import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readOptionalText } from '../sources';

export interface ContextSource {
  /** Workspace-relative. */
  path: string;
  text: string;
  mtimeMs: number;
  /** From the shared folder (every agent's). */
  shared: boolean;
}

/** The `.md` sources of the shared folder, then of the agent's own; `.core.md` first within each. */
export async function readContextSources(
  workspace: string,
  folders: { shared: string; own: string },
): Promise<ContextSource[]> {
  const perFolder = await Promise.all(
    [folders.shared, folders.own].map(async (folder, i) => {
      const names = await readdir(join(workspace, folder), { withFileTypes: true }).then(
        (entries) => entries.filter((e) => e.isFile() && isSource(e.name)).map((e) => e.name),
        () => [] as string[],
      );
      names.sort((a, b) => Number(b.endsWith('.core.md')) - Number(a.endsWith('.core.md')) || a.localeCompare(b));
      const read = await Promise.all(names.map((name) => readSource(workspace, `${folder}/${name}`, i === 0)));
      return read.filter((s): s is ContextSource => s !== undefined);
    }),
  );
  return perFolder.flat();
}

const isSource = (name: string): boolean =>
  name.toLowerCase().endsWith('.md') && name.toLowerCase() !== 'readme.md' && !name.endsWith('.context.md');

async function readSource(workspace: string, path: string, shared: boolean): Promise<ContextSource | undefined> {
  const [text, info] = await Promise.all([
    readOptionalText(join(workspace, path)),
    stat(join(workspace, path)).catch(() => undefined),
  ]);
  return text === undefined || info === undefined ? undefined : { path, text, mtimeMs: info.mtimeMs, shared };
}

export async function readCompiledContext(
  workspace: string,
  path: string,
): Promise<{ text: string; mtimeMs: number } | undefined> {
  const [text, info] = await Promise.all([
    readOptionalText(join(workspace, path)),
    stat(join(workspace, path)).catch(() => undefined),
  ]);
  return text === undefined || info === undefined ? undefined : { text, mtimeMs: info.mtimeMs };
}

/** The hashes a compiled file's `compiled-from-hash` may carry: of the agent's own sources, or of all. */
export function sourcesHashes(sources: Pick<ContextSource, 'text' | 'shared'>[]): string[] {
  const hash = (list: Pick<ContextSource, 'text'>[]): string =>
    createHash('sha256')
      .update(list.map((s) => s.text).join('\n'), 'utf8')
      .digest('hex');
  return [hash(sources.filter((s) => !s.shared)), hash(sources)];
}

/** The sources as one document, as sync-compile writes it (without its hash header). */
export function compileContextSources(agent: string, sources: ContextSource[]): string {
  const title = agent.charAt(0).toUpperCase() + agent.slice(1);
  const section = (heading: string, list: ContextSource[]): string[] =>
    list.length === 0
      ? []
      : [`## ${heading}`, '', ...list.flatMap((s) => [s.text.replace(/\r\n/g, '\n').trimEnd(), ''])];
  const parts = [
    `<!-- compiled in memory by Orchestrator from: ${sources.map((s) => s.path).join(', ')} -->`,
    `# ${title} Compiled Context`,
    '',
    ...section(
      'Shared Context',
      sources.filter((s) => s.shared),
    ),
    ...section(
      `${title} Context`,
      sources.filter((s) => !s.shared),
    ),
  ];
  return compact(parts.join('\n'));
}

/** The first `# ` heading only; at most one blank line in a row. */
function compact(text: string): string {
  let seenTitle = false;
  return text
    .split('\n')
    .filter((line) => {
      if (!/^# [^#]/.test(line)) return true;
      if (seenTitle) return false;
      seenTitle = true;
      return true;
    })
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd();
}
