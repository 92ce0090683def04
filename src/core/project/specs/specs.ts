import { existsSync } from 'node:fs';
import { mkdir, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { SpecInfo } from './specInfo';
import { EngineUsageError } from '../../errors';
import { readOptionalText, SPEC_ACTIVE_DIR, SPEC_COMPLETED_DIR, writeFileAtomic } from '../sources';
import {
  SPEC_ID,
  joinSpec,
  parseFrontMatter,
  splitFrontMatter,
  stringifyFrontMatter,
  updateFrontMatterYaml,
  type SpecFrontMatter,
  type SpecStatus,
} from './specFrontMatter';
import { renderSpecBody, type SpecTemplateData } from './specTemplate';

export { SPEC_STATUSES, type SpecFrontMatter, type SpecStatus } from './specFrontMatter';
export { renderSpecBody, type SpecTemplateData } from './specTemplate';
export {
  tasksByLayer,
  type SpecTasks,
  type LayerWork,
  type SpecFileItem,
  type SpecChecklistItem,
  type UnownedItem,
} from './specTasks';

/** Injected in tests; specs always record UTC. */
export type Clock = () => Date;

export interface SpecStoreOptions {
  clock?: Clock;
}

export interface Spec {
  id: string;
  location: 'active' | 'completed';
  /** Workspace-relative path of spec.md. */
  path: string;
  frontMatter: SpecFrontMatter;
  /** Markdown after the front matter. */
  body: string;
}

export interface NewSpec {
  title: string;
  /** Defaults to the title; sanitised to [a-z0-9-]. */
  slug?: string;
  kind: 'feature' | 'bugfix';
  status?: SpecStatus;
  entity?: string | null;
  pattern?: string | null;
  layers: string[];
  /** The layers' order when it comes from the spec itself (an imported plan's waves). */
  waves?: string[][];
  /** The folder it was imported from (workspace-relative). */
  source?: string;
  /** The spec agent's own markdown body, stored verbatim… */
  markdown?: string;
  /** …or structured content rendered with the seed-002 template. */
  content?: Omit<SpecTemplateData, 'title' | 'date' | 'status'>;
}

/**
 * Where specs live: `spec/{active,completed}/` (docs/configuration.md), or `.claude/spec/{active,completed}/`
 * where the project keeps them there (later Mustard versions). Both are read.
 */
const SPEC_ROOTS = ['spec', '.claude/spec'];

/** The import's summary line (renderForeign.ts, mustard.ts): what specs imported before `source:` was recorded say of their folder. */
const IMPORTED_FROM =
  /\(Imported from the (?:bug spec in the )?(?:Kiro spec folder|Spec Kit feature folder|Mustard spec folder) `([^`\n]+)`/;

const specFile = (root: string, location: Spec['location'], id: string) => `${root}/${location}/${id}/spec.md`;

/** The root a spec's path is under (`spec` or `.claude/spec`). */
const rootOf = (spec: Pick<Spec, 'path'>): string => spec.path.split('/').slice(0, -3).join('/');

/** New specs go where the project keeps its specs: `spec/` when in use, else `.claude/spec/` when it exists, else `spec/`. */
async function rootForNewSpecs(workspace: string): Promise<string> {
  const [ours, claude] = SPEC_ROOTS as [string, string];
  const inUse = async (root: string) =>
    (await exists(join(workspace, root, 'active'))) || exists(join(workspace, root, 'completed'));
  if (await inUse(ours)) return ours;
  return (await exists(join(workspace, claude))) ? claude : ours;
}

/** Lower-case ASCII words joined by `-`, at most 60 characters; never empty. */
export function sanitizeSlug(raw: string): string {
  const slug = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || 'spec';
}

/** Creates `{spec root}/active/{YYYY-MM-DD}-{slug}/spec.md`; a taken id gets `-2`, `-3`, …. */
export async function createSpec(workspace: string, input: NewSpec, options: SpecStoreOptions = {}): Promise<Spec> {
  const now = (options.clock ?? (() => new Date()))();
  const base = `${now.toISOString().slice(0, 10)}-${sanitizeSlug(input.slug ?? input.title)}`;
  const root = await rootForNewSpecs(workspace);
  const id = await reserveSpecDir(workspace, root, base);
  const status = input.status ?? 'awaiting-approval';
  const frontMatter: SpecFrontMatter = {
    id,
    title: input.title,
    kind: input.kind,
    status,
    entity: input.entity ?? null,
    pattern: input.pattern ?? null,
    layers: [...input.layers],
    created: now.toISOString(),
    approved: null,
    ...(input.waves ? { waves: input.waves.map((wave) => [...wave]) } : {}),
    ...(input.source ? { source: input.source } : {}),
  };
  const body =
    input.markdown ??
    renderSpecBody({
      title: input.title,
      date: now.toISOString().slice(0, 10),
      status,
      ...(input.content ?? { summary: '', files: Object.fromEntries(input.layers.map((l) => [l, []])), tasks: [] }),
    });
  const path = specFile(root, 'active', id);
  await writeFileAtomic(join(workspace, path), joinSpec(stringifyFrontMatter(frontMatter), body));
  return { id, location: 'active', path, frontMatter, body };
}

async function reserveSpecDir(workspace: string, root: string, base: string): Promise<string> {
  await mkdir(join(workspace, root, 'active'), { recursive: true });
  for (let n = 1; n < 1000; n++) {
    const id = n === 1 ? base : `${base}-${n}`;
    if (await specExists(workspace, id)) continue;
    try {
      // Non-recursive mkdir fails if the folder exists, so two runs cannot take the same id.
      await mkdir(join(workspace, root, 'active', id));
      return id;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new Error(`no free spec id for ${base}`);
}

/** Whether any spec root has that id, active or completed. */
async function specExists(workspace: string, id: string): Promise<boolean> {
  for (const root of SPEC_ROOTS) {
    for (const location of ['active', 'completed']) if (await exists(join(workspace, root, location, id))) return true;
  }
  return false;
}

/** Finds a spec in `spec/active/`, then `spec/completed/` (and the same under `.claude/spec/`). Throws ProjectFileError on a broken file. */
export async function loadSpec(workspace: string, id: string): Promise<Spec> {
  assertSpecId(id);
  for (const location of ['active', 'completed'] as const) {
    for (const root of SPEC_ROOTS) {
      const path = specFile(root, location, id);
      const text = await readOptionalText(join(workspace, path));
      if (text !== undefined) return parseSpec(text, path, id, location);
    }
  }
  throw new EngineUsageError(
    `no spec "${id}" in ${SPEC_ACTIVE_DIR} or ${SPEC_COMPLETED_DIR} (nor under .claude/spec/); see \`orchestrator specs\``,
  );
}

export function parseSpec(text: string, path: string, id: string, location: Spec['location']): Spec {
  const { yaml, body } = splitFrontMatter(text.replace(/\r\n/g, '\n'), path);
  const frontMatter = parseFrontMatter(yaml, path, id);
  return { id, location, path, frontMatter, body };
}

/**
 * Our spec files open with YAML front matter whose `id` is a spec id (2026-11-20-slug); another
 * tool's spec.md in the same folders has none, or an id of its own (Mustard's `id: spec.<slug>`).
 */
export function isOurSpecText(text: string): boolean {
  const front = /^\uFEFF?\s*---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1];
  if (front === undefined) return false;
  const id = /^id:\s*["']?([^"'\s#]+)/m.exec(front)?.[1];
  return id === undefined || SPEC_ID.test(id);
}

/**
 * Active specs, then completed ones; newest first within each. `unownedOf` (the spec file's
 * text → its work no layer owns) fills `unowned` for active specs that have some.
 */
export async function listSpecs(
  workspace: string,
  unownedOf?: (text: string) => SpecInfo['unowned'],
): Promise<SpecInfo[]> {
  const infos: SpecInfo[] = [];
  for (const location of ['active', 'completed'] as const) {
    const specs: { spec: Spec; text: string }[] = [];
    for (const root of SPEC_ROOTS) {
      const dir = join(workspace, root, location);
      const ids = (await readdirOrEmpty(dir)).filter((name) => SPEC_ID.test(name));
      for (const id of ids) {
        const text = await readOptionalText(join(dir, id, 'spec.md'));
        // Later Mustard versions keep their folders under the same `.claude/spec/{active,completed}/`: not ours to list here.
        if (text !== undefined && !isOurSpecText(text)) continue;
        if (text !== undefined) specs.push({ spec: parseSpec(text, specFile(root, location, id), id, location), text });
      }
    }
    specs.sort(
      (a, b) =>
        b.spec.frontMatter.created.localeCompare(a.spec.frontMatter.created) || b.spec.id.localeCompare(a.spec.id),
    );
    for (const { spec, text } of specs) {
      const { title, kind, status, created } = spec.frontMatter;
      const unowned = location === 'active' && status !== 'completed' ? unownedOf?.(text) : undefined;
      const source = spec.frontMatter.source ?? IMPORTED_FROM.exec(spec.body)?.[1];
      infos.push({
        id: spec.id,
        title,
        kind,
        status,
        path: spec.path,
        created,
        ...(unowned?.length ? { unowned } : {}),
        ...(source ? { source } : {}),
      });
    }
  }
  return infos;
}

/** Rewrites front matter keys in place (comments and unknown keys survive) and the body's Status line. */
async function updateSpec(
  workspace: string,
  id: string,
  changes: Partial<SpecFrontMatter>,
  body?: string,
): Promise<Spec> {
  const spec = await loadSpec(workspace, id);
  const text = (await readOptionalText(join(workspace, spec.path))) as string;
  const { yaml, body: oldBody } = splitFrontMatter(text.replace(/\r\n/g, '\n'), spec.path);
  let newBody = body ?? oldBody;
  if (changes.status) newBody = newBody.replace(/^(#{1,6}\s*Status:\s*).*$/m, `$1${changes.status}`);
  await writeFileAtomic(join(workspace, spec.path), joinSpec(updateFrontMatterYaml(yaml, changes), newBody));
  return { ...spec, frontMatter: { ...spec.frontMatter, ...changes }, body: newBody };
}

/** Front matter keys rewritten in place (a decision recorded with who made it). */
export function updateSpecFrontMatter(workspace: string, id: string, changes: Partial<SpecFrontMatter>): Promise<Spec> {
  return updateSpec(workspace, id, changes);
}

export function updateSpecStatus(workspace: string, id: string, status: SpecStatus): Promise<Spec> {
  return updateSpec(workspace, id, { status });
}

/** Replaces the body (the spec agent's revision after feedback), keeping the front matter. */
export function replaceSpecBody(workspace: string, id: string, markdown: string, title?: string): Promise<Spec> {
  return updateSpec(workspace, id, title === undefined ? {} : { title }, markdown);
}

/** Marks a spec approved now (UTC). A completed spec cannot be approved again. */
export async function approveSpec(workspace: string, id: string, options: SpecStoreOptions = {}): Promise<Spec> {
  const spec = await loadSpec(workspace, id);
  if (spec.location === 'completed' || spec.frontMatter.status === 'completed') {
    throw new Error(`spec "${id}" is already completed`);
  }
  const now = (options.clock ?? (() => new Date()))();
  return updateSpec(workspace, id, { status: 'approved', approved: now.toISOString() });
}

/**
 * Marks the spec completed and renames its folder into `completed/` beside its `active/`
 * (one atomic rename, so the spec is never in both places or neither). Calling it again after a crash finishes.
 */
export async function moveToCompleted(workspace: string, id: string): Promise<Spec> {
  const spec = await loadSpec(workspace, id);
  if (spec.location === 'completed') return spec;
  const root = rootOf(spec);
  if (await exists(join(workspace, root, 'completed', id))) throw new Error(`${root}/completed/${id} already exists`);
  const updated =
    spec.frontMatter.status === 'completed' ? spec : await updateSpec(workspace, id, { status: 'completed' });
  await mkdir(join(workspace, root, 'completed'), { recursive: true });
  await rename(join(workspace, root, 'active', id), join(workspace, root, 'completed', id));
  return { ...updated, location: 'completed', path: specFile(root, 'completed', id) };
}

/**
 * A completed spec taken up again by a follow-up run (issue 39: a CI failure or a review on its
 * pull request): its folder renamed back into `active/`, approved as it was; COMPLETE archives it
 * again. An active spec is left as it is (calling it again after a crash finishes).
 */
export async function reopenCompleted(workspace: string, id: string): Promise<Spec> {
  const spec = await loadSpec(workspace, id);
  if (spec.location === 'active') return spec;
  const root = rootOf(spec);
  if (await exists(join(workspace, root, 'active', id))) throw new Error(`${root}/active/${id} already exists`);
  await mkdir(join(workspace, root, 'active'), { recursive: true });
  await rename(join(workspace, root, 'completed', id), join(workspace, root, 'active', id));
  return updateSpec(workspace, id, { status: 'approved' });
}

function assertSpecId(id: string): void {
  // Ids become folder names: refuse anything that could climb out of spec/.
  if (!SPEC_ID.test(id))
    throw new EngineUsageError(`invalid spec id "${id}" (expected YYYY-MM-DD-slug; see \`orchestrator specs\`)`);
}

async function exists(path: string): Promise<boolean> {
  // A lookup, not a stat that fails: an error for each missing path costs the main thread more.
  return existsSync(path);
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
