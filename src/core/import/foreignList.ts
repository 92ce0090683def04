/**
 * Kiro and Spec Kit folders not imported yet, as `specs` and the sidebar list them: the folder
 * is the id `approve` takes; its title and counts come from the importer's own readers
 * (kiro.ts, specKit.ts), so the list says what approving would import. Only what the counts
 * need is read: never plan.md, and only the top of design.md (a title, when requirements.md
 * has none). A file that cannot be read is a warning on its row, never a failure.
 */
import { open, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ForeignSpecState, SpecInfo } from '../project/specs/specInfo';
import type { ForeignFolder } from './foreignFolders';
import type { ForeignSpec } from './foreignSpec';
import { TASKS_FIRST } from './importSpec';
import { readKiro } from './kiro';
import { readSpecKit } from './specKit';

const FORMAT = { kiro: 'Kiro', speckit: 'Spec Kit' } as const;
const FILES: Record<ForeignFolder['format'], readonly string[]> = { kiro: ['requirements.md', 'bugfix.md', 'design.md', 'tasks.md'], speckit: ['spec.md', 'plan.md', 'tasks.md'] };
const STATE = { ready: 'ready to approve', 'no-tasks': 'no tasks.md yet', 'no-readable-tasks': 'no task readable in tasks.md' } as const;
/** Enough of design.md for its `# Title` (kiro.ts reads the first 40 lines for it). */
const DESIGN_HEAD_BYTES = 16_384;

export async function listForeignSpecs(workspace: string, folders: readonly ForeignFolder[]): Promise<SpecInfo[]> {
  return Promise.all(folders.map((folder) => foreignSpecInfo(workspace, folder)));
}

async function foreignSpecInfo(workspace: string, { dir, format }: ForeignFolder): Promise<SpecInfo> {
  const absolute = join(workspace, dir);
  const warnings: string[] = [];
  const present = (await Promise.all(FILES[format].map(async (name) => ((await stat(join(absolute, name)).catch(() => undefined)) ? name : undefined)))).filter(
    (name): name is string => name !== undefined,
  );
  const has = (name: string) => present.includes(name);
  const read = async (name: string, head?: number): Promise<string | undefined> => {
    if (!has(name)) return undefined;
    try {
      return head ? await readHead(join(absolute, name), head) : await readFile(join(absolute, name), 'utf8');
    } catch (error) {
      warnings.push(`${name}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      return undefined;
    }
  };
  const foreign = await readFolder(format, basename(absolute), read, has, warnings);
  const work = foreign?.tasks.filter((t) => !t.group);
  const state: ForeignSpecState['state'] = !has('tasks.md') ? 'no-tasks' : work && work.length > 0 ? 'ready' : 'no-readable-tasks';
  const approve = `orchestrator approve ${quoted(dir)}`;
  const refusal =
    state === 'no-tasks' ? `${dir} has no tasks.md yet: ${TASKS_FIRST[format]}, then approve the folder` : state === 'no-readable-tasks' ? `${dir}/tasks.md: no task could be read; nothing would be imported` : undefined;
  const info: ForeignSpecState = {
    format,
    files: present,
    state,
    ...(foreign ? { requirements: foreign.requirements.length } : {}),
    ...(work && has('tasks.md') ? { tasks: work.length, doneTasks: work.filter((t) => t.done).length } : {}),
    next: state === 'no-tasks' ? `${TASKS_FIRST[format]}, then: ${approve}` : state === 'no-readable-tasks' ? `fix tasks.md, then: ${approve}` : approve,
    ...(refusal ? { refusal } : {}),
    // The state says these already.
    warnings: [...new Set(warnings)].filter((w) => !/^no tasks\.md|^tasks\.md: no .* found$/.test(w)),
  };
  const modified = await stat(absolute).then((s) => s.mtime.toISOString(), () => new Date(0).toISOString());
  return {
    id: dir,
    title: foreign?.title ?? basename(absolute),
    kind: foreign?.kind ?? 'feature',
    status: `${FORMAT[format]} · ${STATE[state]}`,
    path: `${dir}/${present.find((name) => name !== 'plan.md') ?? ''}`.replace(/\/$/, ''),
    created: modified,
    foreign: info,
  };
}

/** The importer's reader on what the counts need; undefined (with a warning) when the folder cannot be read at all. */
async function readFolder(
  format: ForeignFolder['format'],
  name: string,
  read: (file: string, head?: number) => Promise<string | undefined>,
  has: (file: string) => boolean,
  warnings: string[],
): Promise<ForeignSpec | undefined> {
  try {
    if (format === 'kiro') {
      const [requirements, bugfix, tasks] = await Promise.all([read('requirements.md'), read('bugfix.md'), read('tasks.md')]);
      // design.md gives only a title here (when requirements.md has none): its top is enough.
      const design = await read('design.md', DESIGN_HEAD_BYTES);
      if (requirements === undefined && bugfix === undefined && design === undefined && tasks === undefined) return undefined;
      const foreign = readKiro({ ...opt('requirements', requirements), ...opt('bugfix', bugfix), ...opt('design', design), ...opt('tasks', tasks) }, name);
      warnings.push(...foreign.warnings);
      return foreign;
    }
    const [spec, tasks] = await Promise.all([read('spec.md'), read('tasks.md')]);
    if (spec === undefined) return undefined;
    const foreign = readSpecKit({ spec, ...opt('tasks', tasks), ...(has('plan.md') ? { plan: '' } : {}) }, name);
    warnings.push(...foreign.warnings);
    return foreign;
  } catch (error) {
    // The readers are lenient; should one still throw, the row says so and the list goes on.
    warnings.push(`could not be read: ${(error as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

async function readHead(file: string, bytes: number): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    // Whole lines only: a cut multi-byte character or line would make a wrong title.
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    return bytesRead < bytes ? text : text.slice(0, Math.max(0, text.lastIndexOf('\n')));
  } finally {
    await handle.close();
  }
}

const opt = <K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> => (value === undefined ? {} : ({ [key]: value } as Record<K, string>));
const quoted = (dir: string) => (/^[\w./@+-]+$/.test(dir) ? dir : `"${dir.replace(/(["\\$`])/g, '\\$1')}"`);
