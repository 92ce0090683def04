/**
 * How projects become layers: one unit per project, a shared `database` unit for each
 * project's top-level schema folder (prisma/, alembic/, db/, Migrations/…), a unit per role
 * when one project keeps its roles in folders (`src/api` + `src/ui`), test projects with the
 * project they test, an `infra` unit for infrastructure folders, and folder units for source
 * that no manifest claims.
 */
import { posix } from 'node:path';
import { ROLE_FOLDERS } from '../manifests/frameworks';
import { databaseFolderOf } from '../schema/schemaFiles';
import type { Project, Role } from '../types';

export interface Unit {
  /** Stable identity while grouping: `project:apps/web`, `role:database`, `folder:scripts`. */
  key: string;
  role?: Role;
  /** Folder name used when the role does not name it uniquely. */
  folderName: string;
  /** Folders claimed (deepest claim owns). */
  claims: string[];
  /** Projects whose commands validate this unit. */
  projects: Project[];
  origin: string;
}

const INFRA_FOLDERS = new Set([
  'infra',
  'infrastructure',
  'terraform',
  'deploy',
  'deployment',
  'k8s',
  'kubernetes',
  'helm',
  'charts',
]);
const SPLIT_ROLES: Role[] = ['backend', 'frontend', 'mobile'];
/** Folder names that say nothing of the project (`apps/dashboard/src-tauri`): its own name is used instead. */
const GENERIC_FOLDERS = new Set(['src-tauri', 'src', 'app', 'native', 'lib', 'main', 'source']);

export function proposeUnits(
  projects: readonly Project[],
  schemaGlobs: readonly string[],
  folders: ReadonlySet<string>,
  hasSource: (dir: string) => boolean,
): Unit[] {
  const units = new Map<string, Unit>();
  const unit = (key: string, init: Omit<Unit, 'key' | 'claims' | 'projects'>): Unit => {
    let found = units.get(key);
    if (!found) units.set(key, (found = { key, claims: [], projects: [], ...init }));
    return found;
  };
  const claim = (u: Unit, dir: string, project?: Project) => {
    if (!u.claims.includes(dir)) u.claims.push(dir);
    if (project && !u.projects.includes(project)) u.projects.push(project);
  };
  const projectDirs = new Set(projects.map((p) => p.dir));
  const testProjects = projects.filter((p) => p.tests && p.ecosystem === 'dotnet');
  for (const project of projects) {
    if (testProjects.includes(project)) continue;
    const folder = posix.basename(project.dir);
    const folderName = project.dir === '' || GENERIC_FOLDERS.has(folder) ? project.name : folder;
    const own = unit(`project:${project.dir}`, {
      ...(project.role ? { role: project.role } : {}),
      folderName,
      origin: project.manifest,
    });
    if (project.role !== 'database') {
      for (const dir of databaseFolderOf(project.dir, schemaGlobs)) {
        if (projectDirs.has(dir)) continue;
        claim(unit('role:database', { role: 'database', folderName: 'database', origin: `${dir}/` }), dir, project);
      }
    }
    const roleFolders = roleFoldersOf(project, folders, projectDirs, hasSource);
    const roles = new Set(roleFolders.map((f) => f.role));
    if (roles.size >= 2) {
      for (const { dir, role } of roleFolders)
        claim(unit(`role:${role}`, { role, folderName: posix.basename(dir), origin: `${dir}/` }), dir, project);
      // The rest of the project goes with its own role, else with its backend.
      const rest =
        project.role && roles.has(project.role)
          ? units.get(`role:${project.role}`)!
          : roles.has('backend')
            ? units.get('role:backend')!
            : units.get(`role:${[...roles][0]}`)!;
      units.delete(own.key);
      claim(rest, project.dir, project);
    } else {
      // One role folder in a project that says nothing else of itself (`server/` beside scripts): that is its role.
      if (!own.role && roles.size === 1 && roleFolders.every((f) => posix.dirname(f.dir) === (project.dir || '.')))
        own.role = [...roles][0]!;
      claim(own, project.dir, project);
    }
  }
  // Test projects go with the project they test (Api.Tests → Api), else with their nearest sibling.
  for (const test of testProjects) {
    const base = test.name.replace(/[.-]?(Unit|Integration|Functional|E2E)?[.-]?Tests?$/i, '');
    const tested =
      [...units.values()].find((u) => u.projects.some((p) => p.name === base)) ??
      [...units.values()].find((u) => u.key.startsWith('project:'));
    if (tested) claim(tested, test.dir, test);
    else
      claim(
        unit(`project:${test.dir}`, { folderName: posix.basename(test.dir), origin: test.manifest }),
        test.dir,
        test,
      );
  }
  for (const folder of folders) {
    if (
      folder.includes('/') ||
      !INFRA_FOLDERS.has(folder) ||
      [...projectDirs].some((d) => d === folder || d.startsWith(`${folder}/`))
    )
      continue;
    claim(unit('role:infra', { role: 'infra', folderName: folder, origin: `${folder}/` }), folder);
  }
  return [...units.values()];
}

/** `api/`, `server/`, `src/ui/`… inside a project, holding source and no project of their own. */
function roleFoldersOf(
  project: Project,
  folders: ReadonlySet<string>,
  projectDirs: ReadonlySet<string>,
  hasSource: (dir: string) => boolean,
): { dir: string; role: Role }[] {
  const found: { dir: string; role: Role }[] = [];
  for (const base of [project.dir, posix.join(project.dir, 'src')]) {
    for (const [name, role] of Object.entries(ROLE_FOLDERS)) {
      if (!SPLIT_ROLES.includes(role)) continue;
      const dir = base === '' ? name : `${base}/${name}`.replace(/^\//, '');
      // A Python src layout's package named `client` or `api` is the project itself, not a role inside it.
      if (!folders.has(dir) || !hasSource(dir) || name === project.name.toLowerCase()) continue;
      if (
        [...projectDirs].some(
          (d) => d !== project.dir && (d === dir || d.startsWith(`${dir}/`) || dir.startsWith(`${d}/`)),
        )
      )
        continue;
      found.push({ dir, role });
    }
  }
  return found;
}

/**
 * Layer names: the role when one unit has it, else the project's folder (its package name for a
 * generic folder such as `src-tauri`); names that clash take the folders above them until they
 * differ (`feature/topic/impl` → `topic-impl`), never a counter.
 */
export function nameUnits(units: readonly Unit[]): string[] {
  const roleCount = new Map<Role, number>();
  for (const u of units) if (u.role) roleCount.set(u.role, (roleCount.get(u.role) ?? 0) + 1);
  const base = units.map((u) => (u.role && roleCount.get(u.role) === 1 ? u.role : sanitize(u.folderName)));
  const names = [...base];
  const parents = units.map((u) => (u.claims[0] ?? '').split('/').slice(0, -1).filter(Boolean));
  for (let depth = 1; depth <= 6; depth++) {
    const clashing = names.map((name, i) => names.indexOf(name) !== i || names.lastIndexOf(name) !== i);
    if (!clashing.some(Boolean)) break;
    names.forEach((_, i) => {
      if (!clashing[i]) return;
      const above = parents[i]!.slice(Math.max(0, parents[i]!.length - depth)).map(sanitize);
      names[i] = [...above, base[i]!].join('-');
    });
  }
  // Identical paths cannot clash; anything left (two units on one folder) is told apart by its role, and the
  // repository's root from a folder named like it (a root Gradle project and its `app/`: two layers `app`).
  const told = names.map((name, i) =>
    names.indexOf(name) !== i && units[i]!.role ? `${name}-${units[i]!.role}` : name,
  );
  return told.map((name, i) =>
    told.indexOf(name) !== told.lastIndexOf(name) && (units[i]!.claims[0] ?? '') === '' ? `${name}-root` : name,
  );
}

function sanitize(name: string): string {
  const cleaned = name
    .replace(/^@[^/]+\//, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/-+$/, '');
  return cleaned === '' ? 'app' : cleaned;
}
