/**
 * Kiro and Spec Kit folders not imported yet, as `specs` and the sidebar list them: the folder
 * is the id `approve` takes; its title and counts come from the importer's own readers
 * (kiro.ts, specKit.ts), so the list says what approving would import. Only what the counts
 * need is read: never plan.md, and only the top of design.md (a title, when requirements.md
 * has none). A file that cannot be read is a warning on its row, never a failure.
 */
import { open, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ForeignSpecState, SpecInfo } from '../project/specs';
import type { ForeignFolder } from './foreignFolders';
import type { ForeignSpec } from './foreignSpec';
import { TASKS_FIRST } from './importSpec';
import { readKiro } from './kiro';
import { readSpecKit } from './specKit';

const FORMAT = { kiro: 'Kiro', speckit: 'Spec Kit' } as const;
const FILES: Record<ForeignFolder['format'], readonly string[]> = {
  kiro: ['requirements.md', 'bugfix.md', 'design.md', 'tasks.md'],
  speckit: ['spec.md', 'plan.md', 'tasks.md'],
};
const STATE = {
  ready: 'ready to approve',
  'no-tasks': 'no tasks.md yet',
  'no-readable-tasks': 'no task readable in tasks.md',
} as const;

/**
 * How much folder text the readers parse per listing. The markdown parser (mdast + GFM) reads
 * a few hundred KB a second of CPU, so past this the folders (in path order) are listed with
 * their title (from the top of their files) and state but no counts; `approve` reads them
 * whole. Folders read earlier in this process and unchanged since cost nothing (the sidebar).
 */
export const COUNT_BUDGET_BYTES = 64 * 1024;
/** The top of a file: its `# Title` (kiro.ts reads design.md's first 40 lines for one). */
const HEAD_BYTES = 16_384;
/** What a full read parses of design.md: its first 40 lines (kiro.ts), about this much. */
const TITLE_BYTES = 2048;
/** The top of a folder's files past the budget: the H1 is on the first lines; parsing more costs. */
const LIGHT_BYTES = 512;

interface Present {
  name: string;
  size: number;
  mtimeMs: number;
}

/** Folders read in full, by absolute path, while their files' sizes and times stay the same. */
const counted = new Map<string, { key: string; info: SpecInfo }>();
const MEMO_LIMIT = 1000;

export async function listForeignSpecs(
  workspace: string,
  folders: readonly ForeignFolder[],
  budget = COUNT_BUDGET_BYTES,
): Promise<SpecInfo[]> {
  const found = await Promise.all(
    folders.map(async (folder) => {
      const absolute = join(workspace, folder.dir);
      const present = (
        await Promise.all(
          FILES[folder.format].map(async (name) =>
            stat(join(absolute, name)).then(
              (st): Present => ({ name, size: st.size, mtimeMs: st.mtimeMs }),
              () => undefined,
            ),
          ),
        )
      ).filter((p): p is Present => p !== undefined);
      const key = JSON.stringify(present);
      // What a full read parses: never plan.md; of design.md only its first 40 lines (kiro.ts).
      const bytes = present.reduce(
        (n, p) => n + (p.name === 'plan.md' ? 0 : p.name === 'design.md' ? Math.min(p.size, TITLE_BYTES) : p.size),
        0,
      );
      return { folder, absolute, present, key, bytes };
    }),
  );
  let left = budget;
  const plans = found.map((f) => {
    const memo = counted.get(f.absolute);
    if (memo?.key === f.key) return { ...f, memo: memo.info, full: true };
    const full = f.bytes <= left;
    if (full) left -= f.bytes;
    return { ...f, full };
  });
  return Promise.all(
    plans.map(async (plan) => {
      if ('memo' in plan && plan.memo) return plan.memo;
      const info = await foreignSpecInfo(
        plan.folder,
        plan.absolute,
        plan.present.map((p) => p.name),
        plan.full,
      );
      if (plan.full) {
        if (counted.size >= MEMO_LIMIT) counted.clear();
        counted.set(plan.absolute, { key: plan.key, info });
      }
      return info;
    }),
  );
}

async function foreignSpecInfo(
  { dir, format }: ForeignFolder,
  absolute: string,
  present: string[],
  full: boolean,
): Promise<SpecInfo> {
  const warnings: string[] = [];
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
  const foreign = await readFolder(
    format,
    basename(absolute),
    full ? read : (name) => (name === 'tasks.md' ? Promise.resolve(undefined) : read(name, LIGHT_BYTES)),
    has,
    full ? warnings : [],
  );
  const work = full ? foreign?.tasks.filter((t) => !t.group) : undefined;
  const state: ForeignSpecState['state'] = !has('tasks.md')
    ? 'no-tasks'
    : !full || (work && work.length > 0)
      ? 'ready'
      : 'no-readable-tasks';
  const approve = `orchestrator approve ${quoted(dir)}`;
  const refusal =
    state === 'no-tasks'
      ? `${dir} has no tasks.md yet: ${TASKS_FIRST[format]}, then approve the folder`
      : state === 'no-readable-tasks'
        ? `${dir}/tasks.md: no task could be read; nothing would be imported`
        : undefined;
  const info: ForeignSpecState = {
    format,
    files: present,
    state,
    ...(foreign && full ? { requirements: foreign.requirements.length } : {}),
    ...(work && has('tasks.md') ? { tasks: work.length, doneTasks: work.filter((t) => t.done).length } : {}),
    ...(full ? {} : { counted: false as const }),
    next:
      state === 'no-tasks'
        ? `${TASKS_FIRST[format]}, then: ${approve}`
        : state === 'no-readable-tasks'
          ? `fix tasks.md, then: ${approve}`
          : approve,
    ...(refusal ? { refusal } : {}),
    // The state says these already.
    warnings: [...new Set(warnings)].filter((w) => !/^no tasks\.md|^tasks\.md: no .* found$/.test(w)),
  };
  const modified = await stat(absolute).then(
    (st) => st.mtime.toISOString(),
    () => new Date(0).toISOString(),
  );
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
      const [requirements, bugfix, tasks] = await Promise.all([
        read('requirements.md'),
        read('bugfix.md'),
        read('tasks.md'),
      ]);
      // design.md gives only a title here (when requirements.md has none): its top is enough.
      const design = await read('design.md', HEAD_BYTES);
      if (requirements === undefined && bugfix === undefined && design === undefined && tasks === undefined)
        return undefined;
      const foreign = readKiro(
        {
          ...opt('requirements', requirements),
          ...opt('bugfix', bugfix),
          ...opt('design', design),
          ...opt('tasks', tasks),
        },
        name,
      );
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

const opt = <K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> =>
  value === undefined ? {} : ({ [key]: value } as Record<K, string>);
const quoted = (dir: string) => (/^[\w./@+-]+$/.test(dir) ? dir : `"${dir.replace(/(["\\$`])/g, '\\$1')}"`);
