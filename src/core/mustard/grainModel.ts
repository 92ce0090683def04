import * as z from 'zod/mini';
import { describeValue } from '../project/sources';
import { readForeignJson } from './readJsonFile';
import { defined, isPlainObject } from './values';

/**
 * Mustard's census of a repository, `.claude/grain.model.json` (docs/mustard.md). It has no version field and any part may be missing, so everything is read
 * leniently: an unreadable item is dropped (and counted in a warning), never a stop. Paths are
 * made workspace-relative with forward slashes, whether the model was made on Linux or on
 * Windows (`root` as `\\?\C:\…`).
 */
export interface GrainProject {
  name: string;
  /** Workspace-relative; `''` is the repository root. */
  dir: string;
  kind?: string;
  frameworks: string[];
  codeFiles?: number;
  dependencies: string[];
}

export interface GrainLanguage {
  language: string;
  files?: number;
  loc?: number;
}
export interface GrainManifest {
  path: string;
  kind?: string;
  name?: string;
  scripts: string[];
  dependencies: string[];
}
export interface GrainSkeletonDir {
  dir: string;
  role?: string;
  files?: number;
}
export interface GrainModule {
  path: string;
  language?: string;
  loc?: number;
  imports: string[];
}
/** A naming convention: files or types ending (or starting) with `affix`, e.g. `Service`. */
export interface GrainRole {
  affix: string;
  kind?: string;
  count?: number;
  commonDir?: string;
  dirs: string[];
}
export interface GrainConvention {
  name: string;
  roles: string[];
  entities: string[];
}

export interface GrainModel {
  /** The absolute path where the census was made, as written (Linux or Windows). */
  root?: string;
  languages: GrainLanguage[];
  manifests: GrainManifest[];
  frameworks: string[];
  skeleton: GrainSkeletonDir[];
  modules: GrainModule[];
  roles: GrainRole[];
  conventions: GrainConvention[];
  projects: GrainProject[];
  detectedStacks: string[];
  sharedContracts: string[];
  /** The most imported modules (`graph.top_fan_in`). */
  topFanIn: string[];
}

export const GRAIN_MODEL_FILE = '.claude/grain.model.json';

const text = z.string().check(z.trim(), z.minLength(1));
const count = z.catch(z.optional(z.number().check(z.nonnegative())), undefined);
const optionalText = z.catch(z.optional(z.string()), undefined);

/** A name given as text or as an object naming it (`{name}`, `{path}`, `[path, n]`). */
const named = z.union([
  text,
  z.pipe(
    z.looseObject({}),
    z.transform((o) => firstText(o.name, o.path, o.module, o.id, o.affix)),
  ),
  z.pipe(
    z.array(z.unknown()),
    z.transform((a) => firstText(a[0])),
  ),
]);
const names = z.pipe(
  z.optional(z.unknown()),
  z.transform((value): string[] => {
    if (isPlainObject(value)) return Object.keys(value);
    if (!Array.isArray(value)) return typeof value === 'string' && value.trim() !== '' ? [value.trim()] : [];
    const out: string[] = [];
    for (const item of value) {
      // Most lists are plain strings (a module's imports): no schema for those, they are thousands.
      if (typeof item === 'string') {
        const trimmed = item.trim();
        if (trimmed !== '') out.push(trimmed);
        continue;
      }
      const parsed = named.safeParse(item);
      if (parsed.success && parsed.data !== undefined) out.push(parsed.data);
    }
    return out;
  }),
);

const language = z.looseObject({ language: text, files: count, loc: count });
const manifest = z.looseObject({
  path: text,
  kind: optionalText,
  name: optionalText,
  scripts: names,
  dependencies: names,
});
const skeletonDir = z.looseObject({
  dir: z.string(),
  role: optionalText,
  files: z.catch(
    z.optional(
      z.union([
        z.number(),
        z.pipe(
          z.array(z.unknown()),
          z.transform((a) => a.length),
        ),
      ]),
    ),
    undefined,
  ),
});
const moduleEntry = z.looseObject({ path: text, language: optionalText, loc: count, imports: names });
type ModuleEntry = z.output<typeof moduleEntry>;

/**
 * The usual module entry read without the schema: a large model holds thousands, and this
 * keeps a 2.4 MB file well inside its load time. Anything less regular goes through the schema.
 */
function plainModule(item: unknown): ModuleEntry | undefined {
  if (!isPlainObject(item) || typeof item.path !== 'string' || item.path.trim() === '') return undefined;
  const { language, loc, imports } = item;
  if (
    (language !== undefined && typeof language !== 'string') ||
    (loc !== undefined && (typeof loc !== 'number' || !(loc >= 0)))
  )
    return undefined;
  if (imports !== undefined && !(Array.isArray(imports) && imports.every((i) => typeof i === 'string')))
    return undefined;
  return {
    path: item.path.trim(),
    ...(language !== undefined ? { language } : {}),
    ...(loc !== undefined ? { loc } : {}),
    imports: ((imports ?? []) as string[]).map((i) => i.trim()).filter(Boolean),
  };
}
const role = z.looseObject({ affix: text, kind: optionalText, count, common_dir: optionalText, dirs: names });
const convention = z.looseObject({ name: text, roles: names, entities: names });
const project = z.looseObject({
  name: optionalText,
  dir: z.string(),
  kind: optionalText,
  code_files: count,
  frameworks: names,
  dependencies: names,
});

/** Reads `.claude/grain.model.json`; `model` is undefined when there is none or it is unusable. */
export async function readGrainModel(workspace: string): Promise<{ model?: GrainModel; warnings: string[] }> {
  const read = await readForeignJson(workspace, GRAIN_MODEL_FILE);
  if (!read.source) return { warnings: read.warnings };
  const raw = read.source.value;
  if (!isPlainObject(raw))
    return {
      warnings: [`${GRAIN_MODEL_FILE}: expected an object (Mustard's census), got ${describeValue(raw)}; ignored`],
    };
  const warnings: string[] = [];
  const root = typeof raw.root === 'string' && raw.root.trim() !== '' ? raw.root : undefined;
  const relative = pathMaker(root);
  const list = <S extends z.ZodMiniType>(
    key: string,
    schema: S,
    plain?: (item: unknown) => z.output<S> | undefined,
  ): z.output<S>[] => {
    const value = raw[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      warnings.push(`${GRAIN_MODEL_FILE}: ${key} is ${describeValue(value)}, not a list; ignored`);
      return [];
    }
    const items: z.output<S>[] = [];
    let dropped = 0;
    for (const item of value) {
      const fast = plain?.(item);
      if (fast !== undefined) {
        items.push(fast);
        continue;
      }
      const parsed = schema.safeParse(item);
      if (parsed.success) items.push(parsed.data);
      else dropped++;
    }
    if (dropped > 0)
      warnings.push(`${GRAIN_MODEL_FILE}: ${dropped} of ${value.length} ${key} entries could not be read; skipped`);
    return items;
  };

  const model: GrainModel = {
    ...(root !== undefined ? { root } : {}),
    languages: list('languages', language).map((l) => ({
      language: l.language,
      ...defined({ files: l.files, loc: l.loc }),
    })),
    manifests: list('manifests', manifest).map((m) => ({
      path: relative(m.path),
      scripts: m.scripts,
      dependencies: m.dependencies,
      ...defined({ kind: m.kind, name: m.name }),
    })),
    frameworks: names.parse(raw.frameworks),
    skeleton: list('skeleton', skeletonDir).map((s) => ({
      dir: relative(s.dir),
      ...defined({ role: s.role, files: s.files }),
    })),
    modules: list('modules', moduleEntry, plainModule).map((m) => ({
      path: relative(m.path),
      imports: m.imports,
      ...defined({ language: m.language, loc: m.loc }),
    })),
    roles: list('roles', role).map((r) => ({
      affix: r.affix,
      dirs: r.dirs.map(relative),
      ...defined({
        kind: r.kind,
        count: r.count,
        commonDir: r.common_dir === undefined ? undefined : relative(r.common_dir),
      }),
    })),
    conventions: list('conventions', convention).map((c) => ({ name: c.name, roles: c.roles, entities: c.entities })),
    projects: list('projects', project).map((p) => {
      const dir = relative(p.dir);
      return {
        name: p.name?.trim() || dir.split('/').at(-1) || 'root',
        dir,
        frameworks: p.frameworks,
        dependencies: p.dependencies,
        ...defined({ kind: p.kind, codeFiles: p.code_files }),
      };
    }),
    detectedStacks: names.parse(raw.detected_stacks),
    sharedContracts: names.parse(raw.shared_contracts),
    topFanIn: names.parse(isPlainObject(raw.graph) ? raw.graph.top_fan_in : undefined).map(relative),
  };
  return { model, warnings };
}

/**
 * Turns a path written in the model into a workspace-relative one with forward slashes:
 * absolute paths under `root` lose it (Linux or `\\?\C:\…`), `./` and trailing slashes go.
 */
function pathMaker(root: string | undefined): (path: string) => string {
  const base = root === undefined ? undefined : slashes(root).replace(/\/+$/, '');
  const baseLower = base?.toLowerCase();
  return (path) => {
    let out = slashes(path.trim());
    // Windows paths compare case-insensitively.
    if (
      base !== undefined &&
      baseLower !== undefined &&
      (out === base || out.toLowerCase().startsWith(`${baseLower}/`) || out.toLowerCase() === baseLower)
    ) {
      out = out.slice(base.length);
    }
    return out
      .replace(/^\/+/, '')
      .replace(/^(?:\.\/)+/, '')
      .replace(/\/+$/, '')
      .replace(/^\.$/, '');
  };
}

function slashes(path: string): string {
  return path.replace(/^\\\\\?\\/, '').replace(/\\/g, '/');
}

function firstText(...values: unknown[]): string | undefined {
  for (const value of values) if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return undefined;
}
