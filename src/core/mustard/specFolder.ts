/**
 * Mustard's spec folders, `.claude/spec/{slug}/` (docs/mustard.md): spec.md, meta.json (stage, outcome, wave progress), plan.json (waves with a
 * role, depends_on, tasks, files, satisfies), `wave-N-{role}/` folders, the `.approved-by-user`
 * and `.clarified` markers, change-requests.ndjson and change-log.md; some hold only a
 * notebook.md. Read leniently: what cannot be read is a warning on the folder.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describeValue } from '../project/sources';
import { isOurSpecText } from '../project/specs';
import { parseChangeRequests, cleanLine, type ChangeRequest } from './changeRequests';
import { readForeignJson } from './readJsonFile';
import { defined, isPlainObject } from './values';

export const MUSTARD_SPEC_ROOT = '.claude/spec';

/** Our own spec folders under `.claude/spec/`, never Mustard's. */
const OURS = new Set(['active', 'completed']);

/** Outcomes after which a folder is history, not work to do. */
const FINISHED = /^(?:completed?|done|cancell?ed|superseded|abandoned)$/i;

export interface MustardWave {
  n: number;
  role: string;
  /** `wave-{n}-{role}`, the name depends_on uses. */
  folder: string;
  summary?: string;
  /** Wave numbers this one waits for. */
  dependsOn: number[];
  tasks: string[];
  files: string[];
  satisfies: string[];
  done: boolean;
  /** The wave folder's own spec.md, when there is one. */
  spec?: string;
}

export interface MustardSpecFolder {
  slug: string;
  /** Workspace-relative, e.g. `.claude/spec/2026-07-02-login`. */
  dir: string;
  title: string;
  /** Workspace-relative file to show: spec.md, else notebook.md. */
  shownFile?: string;
  spec?: string;
  stage?: string;
  outcome?: string;
  phase?: string;
  scope?: string;
  lang?: string;
  isWavePlan: boolean;
  totalWaves?: number;
  currentWave?: number;
  waves: MustardWave[];
  approvedByUser: boolean;
  clarified: boolean;
  changeRequests: ChangeRequest[];
  changeLog?: string;
  /** Why `approve` refuses it (finished, or nothing to implement); undefined when it can run. */
  refusal?: string;
  /** ISO time the folder or its meta.json last changed (Mustard rewrites meta.json at each stage). */
  modified: string;
  warnings: string[];
}

/** Whether a folder looks like one of Mustard's spec folders. */
export function isMustardSpecFolder(dir: string): boolean {
  return ['meta.json', 'plan.json', '.approved-by-user', 'change-requests.ndjson', 'notebook.md'].some((name) =>
    existsSync(join(dir, name)),
  );
}

/** Every Mustard spec folder under `.claude/spec/`, newest first. */
export async function listMustardSpecFolders(workspace: string): Promise<MustardSpecFolder[]> {
  const subdirs = async (dir: string) =>
    (await readdir(join(workspace, dir), { withFileTypes: true }).catch(() => []))
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => `${dir}/${e.name}`);
  const top = await subdirs(MUSTARD_SPEC_ROOT);
  // Later Mustard versions keep their folders under `active/` and `completed/`, beside ours: theirs have no front matter.
  const nested = (await Promise.all([...OURS].map((name) => subdirs(`${MUSTARD_SPEC_ROOT}/${name}`)))).flat();
  const folders = await Promise.all(
    [...top.filter((dir) => !OURS.has(dir.slice(MUSTARD_SPEC_ROOT.length + 1))), ...nested].map(async (dir) => {
      const absolute = join(workspace, dir);
      if (isMustardSpecFolder(absolute)) return readMustardSpecFolder(workspace, dir);
      const spec = await readFile(join(absolute, 'spec.md'), 'utf8').catch(() => undefined);
      // Beside ours, a bare spec.md is Mustard's only when it is not one of ours.
      return spec !== undefined && !(nested.includes(dir) && isOurSpecText(spec))
        ? readMustardSpecFolder(workspace, dir)
        : undefined;
    }),
  );
  return folders
    .filter((f): f is MustardSpecFolder => f !== undefined)
    .sort((a, b) => b.modified.localeCompare(a.modified) || a.slug.localeCompare(b.slug));
}

/** One folder (workspace-relative path with forward slashes). */
export async function readMustardSpecFolder(workspace: string, dir: string): Promise<MustardSpecFolder> {
  const slug = dir.split('/').at(-1) ?? dir;
  const absolute = join(workspace, dir);
  const text = (name: string) =>
    readFile(join(absolute, name), 'utf8').then(
      (t) => t.replace(/^\uFEFF/, ''),
      () => undefined,
    );
  const [spec, notebook, changeLog, requestsText, meta, plan, names, folderInfo, metaInfo] = await Promise.all([
    text('spec.md'),
    text('notebook.md'),
    text('change-log.md'),
    text('change-requests.ndjson'),
    readForeignJson(workspace, `${dir}/meta.json`),
    readForeignJson(workspace, `${dir}/plan.json`),
    readdir(absolute, { withFileTypes: true }).catch(() => []),
    stat(absolute).catch(() => undefined),
    stat(join(absolute, 'meta.json')).catch(() => undefined),
  ]);
  const warnings = [...meta.warnings, ...plan.warnings];
  const metaValue = objectOf(meta.source?.value, `${dir}/meta.json`, warnings);
  const planValue = objectOf(plan.source?.value, `${dir}/plan.json`, warnings);
  const completed = new Set(numbers(metaValue.completedWaves ?? metaValue.completed_waves));
  const waveDirs = names.filter((e) => e.isDirectory() && /^wave-\d+/.test(e.name)).map((e) => e.name);
  const waves = await readWaves(planValue, waveDirs, completed, (name) => text(name), `${dir}/plan.json`, warnings);
  const requests =
    requestsText === undefined
      ? { requests: [], warnings: [] }
      : parseChangeRequests(requestsText, `${dir}/change-requests.ndjson`);
  warnings.push(...requests.warnings);
  const has = (name: string) => names.some((e) => e.name === name);
  // Older folders have no meta.json: their spec.md says `### Status: completed | Phase: CLOSE | Scope: light`.
  const statusLine =
    metaValue.stage === undefined && metaValue.outcome === undefined ? specStatusLine(spec) : undefined;
  const outcome = textOf(metaValue.outcome) ?? statusLine?.outcome;
  const folder: MustardSpecFolder = {
    slug,
    dir,
    title: titleOf(spec ?? notebook, slug),
    ...(spec !== undefined
      ? { shownFile: `${dir}/spec.md`, spec }
      : notebook !== undefined
        ? { shownFile: `${dir}/notebook.md` }
        : {}),
    ...defined({
      stage: textOf(metaValue.stage) ?? statusLine?.stage,
      outcome,
      phase: textOf(metaValue.phase),
      scope: textOf(metaValue.scope),
      lang: textOf(metaValue.lang) ?? textOf(planValue.lang),
      totalWaves: numberOf(metaValue.totalWaves) ?? numberOf(planValue.total_waves),
      currentWave: numberOf(metaValue.currentWave),
      changeLog,
    }),
    isWavePlan: metaValue.isWavePlan === true || waves.length > 0,
    waves,
    approvedByUser: has('.approved-by-user'),
    clarified: has('.clarified'),
    changeRequests: requests.requests,
    modified: new Date(Math.max(folderInfo?.mtimeMs ?? 0, metaInfo?.mtimeMs ?? 0)).toISOString(),
    warnings,
  };
  const refusal = refusalOf(folder);
  return refusal ? { ...folder, refusal } : folder;
}

/** `### Status: completed | Phase: CLOSE` near the top of an older spec.md: its outcome, and its phase as the stage. */
function specStatusLine(spec: string | undefined): { outcome?: string; stage?: string } | undefined {
  const line = /^#{0,6}\s*\**Status\**\s*:\s*([^|\n]+?)\s*(?:\|\s*\**Phase\**\s*:\s*([^|\n]+?)\s*)?(?:\||$)/im.exec(
    spec?.split('\n').slice(0, 12).join('\n') ?? '',
  );
  if (!line) return undefined;
  const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
  return defined({ outcome: capital(line[1]!.trim()), stage: line[2] ? capital(line[2].trim()) : undefined });
}

function refusalOf(folder: MustardSpecFolder): string | undefined {
  if (folder.outcome && FINISHED.test(folder.outcome)) {
    return `${folder.dir} is finished in Mustard (stage ${folder.stage ?? 'unknown'}, outcome ${folder.outcome}); there is nothing to implement. Start a new feature instead.`;
  }
  if (folder.spec === undefined && folder.waves.length === 0) {
    return `${folder.dir} holds no spec.md and no plan.json (${folder.shownFile ? 'only notebook.md' : 'nothing Mustard wrote'}); there is nothing to implement.`;
  }
  // Every wave done but not closed (Mustard has it in QA review): not refused; it runs to the end
  // (validate, review, trace, COMPLETE) like a Kiro folder whose every task is ticked.
  return undefined;
}

async function readWaves(
  plan: Record<string, unknown>,
  waveDirs: string[],
  completed: Set<number>,
  read: (name: string) => Promise<string | undefined>,
  file: string,
  warnings: string[],
): Promise<MustardWave[]> {
  const listed = Array.isArray(plan.waves) ? plan.waves : [];
  if (plan.waves !== undefined && !Array.isArray(plan.waves))
    warnings.push(`${file}: waves is ${describeValue(plan.waves)}, not a list; ignored`);
  const waves: MustardWave[] = [];
  listed.forEach((raw, index) => {
    if (!isPlainObject(raw)) {
      warnings.push(`${file}: waves[${index}] is ${describeValue(raw)}; skipped`);
      return;
    }
    const n = numberOf(raw.n) ?? numberOf(raw.wave) ?? index + 1;
    const role = textOf(raw.role) ?? textOf(raw.layer) ?? 'unassigned';
    const dependsOn: number[] = [];
    const depends = raw.depends_on ?? raw.dependsOn;
    for (const dep of Array.isArray(depends) ? depends : depends === undefined || depends === null ? [] : [depends]) {
      const wave =
        typeof dep === 'number'
          ? dep
          : typeof dep === 'string'
            ? Number(/^(?:wave-?)?(\d+)\b/i.exec(dep.trim())?.[1] ?? Number.NaN)
            : Number.NaN;
      if (Number.isInteger(wave)) dependsOn.push(wave);
      else
        warnings.push(
          `${file}: waves[${index}].depends_on names ${describeValue(dep)}, not a wave folder such as "wave-1-${role}"; ignored`,
        );
    }
    waves.push({
      n,
      role,
      folder: waveDirs.find((d) => d.startsWith(`wave-${n}-`) || d === `wave-${n}`) ?? `wave-${n}-${role}`,
      ...defined({ summary: textOf(raw.summary) ?? textOf(raw.title) }),
      dependsOn,
      tasks: strings(raw.tasks),
      files: strings(raw.files).map((f) => f.replace(/\\/g, '/').replace(/^\.\//, '')),
      satisfies: strings(raw.satisfies),
      done: completed.has(n),
    });
  });
  // Waves only known by their folders (no plan.json): their role is in the name.
  for (const name of waveDirs) {
    const match = /^wave-(\d+)(?:-(.+))?$/.exec(name);
    if (!match || waves.some((w) => w.n === Number(match[1]))) continue;
    const n = Number(match[1]);
    waves.push({
      n,
      role: match[2] ?? 'unassigned',
      folder: name,
      dependsOn: [],
      tasks: [],
      files: [],
      satisfies: [],
      done: completed.has(n),
    });
  }
  waves.sort((a, b) => a.n - b.n);
  for (const wave of waves) {
    const [spec, meta] = await Promise.all([read(`${wave.folder}/spec.md`), read(`${wave.folder}/meta.json`)]);
    if (spec !== undefined) wave.spec = spec;
    if (meta !== undefined && /^(?:completed?|done)$/i.test(outcomeOf(meta) ?? '')) wave.done = true;
  }
  return waves;
}

/** A wave's meta.json outcome; an unreadable file says nothing (the plan's view stands). */
function outcomeOf(text: string): string | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isPlainObject(value) ? textOf(value.outcome) : undefined;
  } catch {
    return undefined;
  }
}

function objectOf(value: unknown, file: string, warnings: string[]): Record<string, unknown> {
  if (value === undefined) return {};
  if (isPlainObject(value)) return value;
  warnings.push(`${file}: expected an object, got ${describeValue(value)}; ignored`);
  return {};
}

function titleOf(markdown: string | undefined, slug: string): string {
  const heading = markdown ? /^\s{0,3}#\s+(.+?)\s*#*\s*$/m.exec(markdown)?.[1] : undefined;
  const title =
    heading?.replace(/^(?:spec|feature|especifica[cç][aã]o)\s*:\s*/i, '') ??
    slug.replace(/^\d{4}-\d{2}-\d{2}-/, '').replace(/[-_]+/g, ' ');
  return cleanLine(title).slice(0, 200) || slug;
}

const textOf = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? cleanLine(value) : undefined;
const numberOf = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;
const strings = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim())
    : [];

/** Wave numbers from `[1, 2]` or `["wave-1-rt", "2"]`. */
function numbers(value: unknown): number[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v) => {
    const n =
      typeof v === 'number' ? v : typeof v === 'string' ? Number(/(\d+)/.exec(v)?.[1] ?? Number.NaN) : Number.NaN;
    return Number.isInteger(n) ? [n] : [];
  });
}
