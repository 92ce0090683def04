/**
 * A `vendor/`, `build/` or `out/` folder the walk skips by name may hold the project's own packages: one
 * its manifests name as a path (Composer's `path` repositories, Cargo's `path = "vendor/x"` and workspace
 * members, Go's `replace … => ./build` and go.work's `use`, npm's `file:vendor/x`, npm/pnpm workspace
 * globs, a Dagger module's `source`). Those folders are source and walked; a folder nothing names
 * (third-party copies, Go's `vendor/modules.txt`) stays skipped.
 */
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { parse as parseYaml } from 'yaml';

const REFERRING = /^(package\.json|pnpm-workspace\.yaml|Cargo\.toml|go\.mod|go\.work|composer\.json|dagger\.json)$/;
const MAX_REFERRING = 200;

/** The folders below `skipped` (folders the walk passed by name) that the repository's manifests name as its own. */
export async function ownPackageFolders(
  workspace: string,
  files: readonly string[],
  skipped: readonly string[],
): Promise<string[]> {
  if (skipped.length === 0) return [];
  const referring = files.filter((f) => REFERRING.test(posix.basename(f))).slice(0, MAX_REFERRING);
  const named = new Set<string>();
  await Promise.all(
    referring.map(async (file) => {
      const text = await readFile(join(workspace, file), 'utf8').catch(() => '');
      const dir = posix.dirname(file);
      for (const path of pathsNamed(posix.basename(file), text)) {
        // A glob (`vendor/*`, `packages/**`) names the folder it starts in.
        const plain = path.replace(/\/?\*.*$/, '');
        const joined = posix.normalize(posix.join(dir, plain)).replace(/\/$/, '');
        if (!joined.startsWith('..') && joined !== '.') named.add(joined);
      }
    }),
  );
  return [...named].filter((path) => skipped.some((s) => path === s || path.startsWith(`${s}/`))).sort();
}

function pathsNamed(name: string, text: string): string[] {
  try {
    switch (name) {
      case 'package.json': {
        const json = JSON.parse(text) as Record<string, unknown>;
        const deps = ['dependencies', 'devDependencies', 'optionalDependencies'].flatMap((key) =>
          Object.values((json[key] ?? {}) as Record<string, unknown>),
        );
        const local = deps
          .filter((v): v is string => typeof v === 'string')
          .flatMap((v) => /^(?:file|link|portal):(.+)$/.exec(v)?.[1] ?? []);
        const ws = json.workspaces;
        const globs = Array.isArray(ws) ? ws : ((ws as { packages?: unknown } | undefined)?.packages ?? []);
        return [...local, ...(Array.isArray(globs) ? globs.filter((g): g is string => typeof g === 'string') : [])];
      }
      case 'pnpm-workspace.yaml': {
        const packages = (parseYaml(text) as { packages?: unknown } | null)?.packages;
        return Array.isArray(packages)
          ? packages.filter((g): g is string => typeof g === 'string' && !g.startsWith('!'))
          : [];
      }
      case 'Cargo.toml': {
        const members = /^\s*members\s*=\s*\[([^\]]*)\]/m.exec(text)?.[1] ?? '';
        return [
          ...[...text.matchAll(/\bpath\s*=\s*"([^"]+)"/g)].map((m) => m[1]!),
          ...[...members.matchAll(/"([^"]+)"/g)].map((m) => m[1]!),
        ];
      }
      case 'go.mod':
        return [...text.matchAll(/=>\s*(\.{1,2}\/\S*)/g)].map((m) => m[1]!);
      case 'go.work':
        return [...text.matchAll(/(?:^|\s)(\.{1,2}\/[^\s)]*|\.(?=\s))/g)].map((m) => m[1] ?? '.');
      case 'composer.json': {
        const repositories = (JSON.parse(text) as { repositories?: unknown }).repositories;
        const list = Array.isArray(repositories) ? repositories : Object.values(repositories ?? {});
        return list.flatMap((r) => {
          const repo = r as { type?: unknown; url?: unknown };
          return repo.type === 'path' && typeof repo.url === 'string' ? [repo.url] : [];
        });
      }
      case 'dagger.json': {
        const source = (JSON.parse(text) as { source?: unknown }).source;
        return typeof source === 'string' ? [source] : [];
      }
    }
  } catch {
    // A manifest that does not parse names no folder; its reader warns about it.
  }
  return [];
}
