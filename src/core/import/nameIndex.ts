/**
 * Names a task may use instead of a file — a class, module, table, endpoint or component
 * (`OrderStateMachine`, `InvitationService`, `/api/trips`, `TripList`) — and the layers owning
 * the files that define them: the repository's files in the layers' owns (a bounded scan of
 * definitions, nothing run), the folder's own tasks that name a file, and the design's lines
 * that name a file. A task naming such a name goes to that layer (taskPlacement.ts).
 */
import { join } from 'node:path';
// Through the census room's door: importing its modules would put a second copy of them in the engine (scripts/engineRooms.mjs).
import { censusRoom } from '../census';
import { layerOwning, type OrchestratorConfig } from '../project/config';
import { namedPaths } from '../project/specs';

export interface NameIndex {
  /** A folded name (`orderstatemachine`, `/api/trips`) → the layers and one file defining it. */
  names: Map<string, { layers: Set<string>; file: string }>;
}

/** The scan reads at most this many owned source files, and the head of each: a hint, not a census. */
const MAX_FILES = 3000;
const HEAD_BYTES = 48 * 1024;

const DEFINITIONS = [
  /\b(?:class|interface|enum|struct|trait|record|object|protocol)\s+([A-Z][A-Za-z0-9_]{2,})/g,
  /\bexport\s+(?:default\s+)?(?:async\s+)?(?:function\*?|const|let|class|type|interface|enum)\s+([A-Za-z_$][\w$]{2,})/g,
  /^\s*(?:async\s+)?def\s+([A-Za-z_]\w{2,})/gm,
  /^func\s+(?:\([^)]*\)\s*)?([A-Z]\w{2,})/gm,
  /\bpub\s+(?:async\s+)?fn\s+(\w{3,})/g,
  /\b(?:pg|sqlite|mysql)Table\(\s*['"`](\w+)['"`]/g,
  /\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?["`[]?(\w+)/gi,
  /\b(?:table|tableName|__tablename__)\s*[:=]\s*['"`](\w+)['"`]/g,
];
const EXPORT_LIST = /module\.exports\s*=\s*\{([^}]{1,2000})\}/g;
// A route a file defines (`router.get('/api/trips'`, `@app.post("/api/trips")`, `@GetMapping("/api/trips")`), not one it calls.
const ROUTE =
  /(?:\.(?:get|post|put|patch|delete|route|all)|@(?:\w+\.)?(?:get|post|put|patch|delete|route)|@(?:Get|Post|Put|Patch|Delete|RequestMapping|GetMapping|PostMapping|PutMapping|DeleteMapping))\(\s*['"`](\/[^'"`\s]*)['"`]/g;

/** Folds `OrderStateMachine`, `order_state_machine` and `order-state-machine` alike. */
export function foldName(name: string): string {
  return name.startsWith('/')
    ? name
        .replace(/\/[:{][^/]*/g, '')
        .replace(/\/+$/, '')
        .toLowerCase()
    : name.toLowerCase().replace(/[_-]/g, '');
}

export function emptyNameIndex(): NameIndex {
  return { names: new Map() };
}

function add(index: NameIndex, name: string, layer: string, file: string): void {
  const key = foldName(name);
  if (key.length < 3) return;
  const entry = index.names.get(key) ?? index.names.set(key, { layers: new Set(), file }).get(key)!;
  entry.layers.add(layer);
}

/** Definitions in the repository's files each layer owns (a bounded read), and the modules their names are. */
export async function scanDefinitions(
  workspace: string,
  config: OrchestratorConfig,
  index: NameIndex = emptyNameIndex(),
): Promise<NameIndex> {
  const { listRepositoryFiles, isSourceFile, fileHead } = censusRoom();
  const { files } = await listRepositoryFiles(workspace);
  const owned = files
    .filter(isSourceFile)
    .map((file) => ({ file, layer: layerOwning(config, file) }))
    .filter((f): f is { file: string; layer: string } => f.layer !== undefined)
    .slice(0, MAX_FILES);
  // A few files at a time: a large repository must not run out of file handles.
  for (let at = 0; at < owned.length; at += 32) {
    await Promise.all(
      owned.slice(at, at + 32).map(async ({ file, layer }) => {
        const text = await fileHead(join(workspace, file), HEAD_BYTES);
        const base = /([^/]+?)(?:\.[^./]+)+$/.exec(file)?.[1];
        if (base && !/^(?:index|main|mod|lib|init|__init__|app|utils?|types?|helpers?)$/i.test(base))
          add(index, base, layer, file);
        for (const pattern of [...DEFINITIONS, ROUTE])
          for (const match of text.matchAll(pattern)) add(index, match[1]!, layer, file);
        for (const match of text.matchAll(EXPORT_LIST))
          for (const name of match[1]!.split(',')) add(index, name.split(':')[0]!.trim(), layer, file);
      }),
    );
  }
  return index;
}

/** Names written beside a file the line names (a task, a design's line): they live in that file's layer. */
export function indexLines(lines: readonly string[], config: OrchestratorConfig, index: NameIndex): NameIndex {
  for (const line of lines) {
    const files = namedPaths(line).filter((path) => /\.[A-Za-z0-9]{1,10}$/.test(path));
    const layers = [
      ...new Set(files.map((path) => layerOwning(config, path)).filter((l): l is string => l !== undefined)),
    ];
    if (layers.length !== 1) continue;
    for (const name of codeNames(line)) add(index, name, layers[0]!, files[0]!);
  }
  return index;
}

/** Names in a text that look like code: `code spans`, CamelCase, camelCase, snake_case, /api/ paths. */
export function codeNames(text: string): string[] {
  const spans = [...text.matchAll(/`([^`]+)`/g)]
    .map((m) => /^\/?[A-Za-z_$][\w$/-]*/.exec(m[1]!.trim())?.[0] ?? '')
    .filter((n) => n.length > 2 && !n.includes('.') && !(n.includes('/') && !n.startsWith('/')));
  const bare = text.replace(/`[^`]*`/g, ' ');
  const camel = [
    ...bare.matchAll(/\b(?:[A-Z][a-z0-9]+){2,}\b|\b[a-z]+(?:[A-Z][a-z0-9]*)+\b|\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g),
  ].map((m) => m[0]);
  const routes = [...bare.matchAll(/(?:^|\s)(\/api\/[\w\-/:{}]*)/g)].map((m) => m[1]!);
  return [...new Set([...spans, ...camel, ...routes])];
}

/** The one layer owning the names the task uses, with the first such name and its file. */
export function namesLayer(text: string, index: NameIndex): { layer: string; from: string } | undefined {
  const found = codeNames(text).flatMap((name) => {
    const key = foldName(name);
    // `/api/trips/:id` is the `/api/trips` endpoint's; a bare `/api` is nobody's.
    const nested = (a: string, b: string) => b.split('/').length > 2 && a.startsWith(`${b}/`);
    const entry =
      index.names.get(key) ??
      (name.startsWith('/')
        ? [...index.names].find(([k]) => k.startsWith('/') && (nested(k, key) || nested(key, k)))?.[1]
        : undefined);
    return entry && entry.layers.size === 1 ? [{ name, layer: [...entry.layers][0]!, file: entry.file }] : [];
  });
  const layers = [...new Set(found.map((f) => f.layer))];
  return layers.length === 1
    ? { layer: layers[0]!, from: `\`${found[0]!.name}\`, defined in ${found[0]!.file}` }
    : undefined;
}
