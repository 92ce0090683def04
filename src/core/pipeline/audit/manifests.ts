/**
 * DISCOVERY's dependencies, read from the manifests of the common ecosystems: package.json,
 * *.csproj, requirements*.txt, pyproject.toml (PEP 621 and Poetry), go.mod, Cargo.toml and
 * Odoo's __manifest__.py. A manifest that cannot be parsed is a warning naming the file (and
 * the line where the parser says), never a stop: the audit goes on with what was read.
 */
import type { Dependency } from '../../auditTypes';

/** smol-toml is an ES module: loaded on first use (bundled by esbuild all the same). */
async function parseToml(text: string): Promise<Record<string, unknown>> {
  const { parse } = await import('smol-toml');
  return parse(text) as Record<string, unknown>;
}

/** The manifest a file is, by its name; undefined for any other file. */
export function manifestKind(path: string): Dependency['ecosystem'] | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name === 'package.json') return 'npm';
  if (name.endsWith('.csproj')) return 'nuget';
  if (/^requirements([-_.][\w.-]*)?\.txt$/.test(name) || name === 'pyproject.toml') return 'pypi';
  if (name === 'go.mod') return 'go';
  if (name === 'Cargo.toml') return 'cargo';
  if (name === '__manifest__.py') return 'odoo';
  return undefined;
}

/** Dependencies declared by one manifest; throws with a readable reason when it cannot be parsed. */
export async function parseManifest(path: string, text: string): Promise<Dependency[]> {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const kind = manifestKind(path);
  const dep = (ecosystem: Dependency['ecosystem'], depName: string, version?: string, dev?: boolean): Dependency => ({
    manifest: path,
    ecosystem,
    name: depName,
    ...(version ? { version } : {}),
    ...(dev ? { dev: true } : {}),
  });
  switch (kind) {
    case 'npm': {
      const json = JSON.parse(text) as Record<string, unknown>;
      return [
        ...entries(json.dependencies).map(([n, v]) => dep('npm', n, v)),
        ...entries(json.devDependencies).map(([n, v]) => dep('npm', n, v, true)),
      ];
    }
    case 'nuget':
      return csprojReferences(text).map(({ name: n, version }) => dep('nuget', n, version));
    case 'pypi':
      return name === 'pyproject.toml'
        ? pyproject(await parseToml(text)).map((d) => dep('pypi', d.name, d.version, d.dev))
        : requirements(text).map((d) => dep('pypi', d.name, d.version));
    case 'go':
      return goRequires(text).map((d) => dep('go', d.name, d.version, d.indirect));
    case 'cargo':
      return cargo(await parseToml(text)).map((d) => dep('cargo', d.name, d.version, d.dev));
    case 'odoo':
      return odooDepends(text).map((n) => dep('odoo', n));
    default:
      return [];
  }
}

/** `{name: version}` objects (package.json, Cargo/Poetry tables); other shapes are ignored. */
function entries(value: unknown): [string, string | undefined][] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>).map(([name, spec]) => [name, versionOf(spec)]);
}

function versionOf(spec: unknown): string | undefined {
  if (typeof spec === 'string') return spec;
  if (typeof spec === 'object' && spec !== null && typeof (spec as { version?: unknown }).version === 'string')
    return (spec as { version: string }).version;
  return undefined;
}

/** `<PackageReference Include="X" Version="1.2" />`, or with a `<Version>` child element. */
function csprojReferences(text: string): { name: string; version?: string }[] {
  const refs: { name: string; version?: string }[] = [];
  const element = /<PackageReference\b([^>]*?)(\/>|>([\s\S]*?)<\/PackageReference>)/gi;
  for (const match of text.matchAll(element)) {
    const attrs = match[1] ?? '';
    const name = /\bInclude\s*=\s*"([^"]+)"/i.exec(attrs)?.[1];
    if (!name) continue;
    const version =
      /\bVersion\s*=\s*"([^"]+)"/i.exec(attrs)?.[1] ?? /<Version>\s*([^<]+?)\s*<\/Version>/i.exec(match[3] ?? '')?.[1];
    refs.push({ name, ...(version ? { version } : {}) });
  }
  return refs;
}

/** A PEP 508 requirement: `name[extras] (>=1.0) ; marker` → name and version spec. */
function pep508(line: string): { name: string; version?: string } | undefined {
  const match = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*\(?\s*([<>=!~^][^;)]*)?/.exec(line);
  if (!match?.[1]) return undefined;
  const version = match[2]?.trim();
  return { name: match[1], ...(version ? { version } : {}) };
}

function requirements(text: string): { name: string; version?: string }[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('-'))
    .flatMap((line) => pep508(line) ?? []);
}

function pyproject(doc: Record<string, unknown>): { name: string; version?: string; dev?: boolean }[] {
  const found: { name: string; version?: string; dev?: boolean }[] = [];
  const project = (doc.project ?? {}) as Record<string, unknown>;
  for (const spec of Array.isArray(project.dependencies) ? project.dependencies : []) {
    const parsed = typeof spec === 'string' ? pep508(spec) : undefined;
    if (parsed) found.push(parsed);
  }
  const optional = (project['optional-dependencies'] ?? {}) as Record<string, unknown>;
  for (const list of Object.values(optional)) {
    for (const spec of Array.isArray(list) ? list : []) {
      const parsed = typeof spec === 'string' ? pep508(spec) : undefined;
      if (parsed) found.push({ ...parsed, dev: true });
    }
  }
  const poetry = ((doc.tool as Record<string, unknown> | undefined)?.poetry ?? {}) as Record<string, unknown>;
  for (const [name, version] of entries(poetry.dependencies))
    if (name.toLowerCase() !== 'python') found.push({ name, ...(version ? { version } : {}) });
  for (const [name, version] of entries(poetry['dev-dependencies']))
    found.push({ name, ...(version ? { version } : {}), dev: true });
  for (const group of Object.values((poetry.group ?? {}) as Record<string, { dependencies?: unknown }>)) {
    for (const [name, version] of entries(group?.dependencies))
      found.push({ name, ...(version ? { version } : {}), dev: true });
  }
  return found;
}

/** `require x v1.2.3` lines and `require ( … )` blocks; `// indirect` marks transitive ones. */
function goRequires(text: string): { name: string; version?: string; indirect: boolean }[] {
  const found: { name: string; version?: string; indirect: boolean }[] = [];
  let inBlock = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (inBlock && line.startsWith(')')) {
      inBlock = false;
      continue;
    }
    if (/^require\s*\($/.test(line)) {
      inBlock = true;
      continue;
    }
    const spec = inBlock ? line : /^require\s+(.+)$/.exec(line)?.[1];
    const match = spec ? /^(\S+)\s+(v\S+)/.exec(spec) : undefined;
    if (match?.[1])
      found.push({
        name: match[1],
        ...(match[2] ? { version: match[2] } : {}),
        indirect: /\/\/\s*indirect/.test(spec ?? ''),
      });
  }
  return found;
}

function cargo(doc: Record<string, unknown>): { name: string; version?: string; dev?: boolean }[] {
  const pick = (table: unknown, dev: boolean) =>
    entries(table).map(([name, version]) => ({ name, ...(version ? { version } : {}), ...(dev ? { dev } : {}) }));
  return [
    ...pick(doc.dependencies, false),
    ...pick(doc['dev-dependencies'], true),
    ...pick(doc['build-dependencies'], true),
  ];
}

/** Odoo's `'depends': ['base', 'mail']` (a Python dict literal, read without running it). */
function odooDepends(text: string): string[] {
  const list = /['"]depends['"]\s*:\s*\[([^\]]*)\]/.exec(text)?.[1] ?? '';
  return [...list.matchAll(/['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}
