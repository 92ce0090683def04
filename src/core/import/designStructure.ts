/**
 * The file map of a design: Spec Kit's plan.md has a "Project Structure" code block, and Kiro's
 * design.md often a tree of the files it adds, mapping folders to parts (`backend/src/models/`,
 * `frontend/src/components/   # TripList, TripForm`). A task naming no file goes to the layer
 * owning the entry whose name or comment shares its words ("Create the Trip model" →
 * `backend/src/models/`), when one layer's entry matches best.
 */
import { layerOwning, type OrchestratorConfig } from '../project/config';

interface Entry {
  path: string;
  layer: string;
  /** Words of the entry's own name (`trip_service.py` → trip, service). */
  name: Set<string>;
  /** Words of its comment (`# TripList, TripForm`). */
  comment: Set<string>;
}

const FENCE = /^\s*(`{3,}|~{3,})/;
const TREE_LINE = /[├└│]|^\s*[\w.@[\]-]+\/\s*(?:#.*)?$/;
const GLYPHS = /^[\s│├└─|`+\\]*(?:-{2,}\s*)?/;
const COMMENT = /\s+(?:#|\/\/|<-+|←|—|--)\s*/;
const STOP = new Set([
  'src',
  'lib',
  'app',
  'apps',
  'main',
  'index',
  'test',
  'tests',
  'file',
  'files',
  'source',
  'with',
  'from',
  'that',
  'this',
  'each',
  'every',
  'implement',
  'create',
  'update',
  'write',
  'the',
  'and',
  'for',
  'add',
  'new',
  'unit',
  'integration',
  'contract',
  'code',
  'project',
  'root',
  'package',
  'packages',
]);

// The entries of one design text, read once (every task of a folder asks about the same one).
let last: { text: string; config: OrchestratorConfig; entries: Entry[] } | undefined;

export function structureEntries(text: string, config: OrchestratorConfig): Entry[] {
  if (last?.text === text && last.config === config) return last.entries;
  const entries: Entry[] = [];
  let fence: string | undefined;
  let block: string[] = [];
  for (const line of text.split('\n')) {
    const marker = FENCE.exec(line)?.[1];
    if (fence === undefined && marker) {
      fence = marker;
      block = [];
    } else if (fence !== undefined && marker?.startsWith(fence)) {
      if (block.filter((l) => TREE_LINE.test(l)).length >= 2) entries.push(...treeEntries(block, config));
      fence = undefined;
    } else if (fence !== undefined) block.push(line);
  }
  last = { text, config, entries };
  return entries;
}

/** A tree's lines as paths: each entry is the child of the last one written left of it. */
function treeEntries(lines: readonly string[], config: OrchestratorConfig): Entry[] {
  const entries: Entry[] = [];
  const stack: { column: number; name: string }[] = [];
  for (const line of lines) {
    const [head = '', ...rest] = line.split(COMMENT);
    const column = GLYPHS.exec(head)?.[0].length ?? 0;
    const name = head.slice(column).trim().split(/\s+/)[0]?.replace(/\/+$/, '') ?? '';
    if (!/^[\w.@[\]-][\w.@[\]/-]*$/.test(name) || /^\.+$/.test(name)) continue;
    while (stack.length > 0 && stack.at(-1)!.column >= column) stack.pop();
    const path = [...stack.map((s) => s.name), name].join('/');
    stack.push({ column, name });
    const layer = layerOwning(config, path) ?? layerOwning(config, `${path}/x`);
    if (layer)
      entries.push({
        path,
        layer,
        name: new Set(
          words(
            name
              .split('/')
              .pop()!
              .replace(/\.[^.]+$/, ''),
          ),
        ),
        comment: new Set(words(rest.join(' '))),
      });
  }
  return entries;
}

/** The layer of the entry sharing most of the task's words (its name counts twice), when one layer's is best. */
export function structureLayer(
  text: string,
  design: { file: string; text: string },
  config: OrchestratorConfig,
): { layer: string; from: string } | undefined {
  const entries = structureEntries(design.text, config);
  if (entries.length === 0) return undefined;
  const task = new Set(words(text));
  const best = new Map<string, { score: number; path: string }>();
  for (const entry of entries) {
    const score =
      2 * [...entry.name].filter((w) => task.has(w)).length + [...entry.comment].filter((w) => task.has(w)).length;
    if (score > (best.get(entry.layer)?.score ?? 0)) best.set(entry.layer, { score, path: entry.path });
  }
  const ranked = [...best].sort((a, b) => b[1].score - a[1].score);
  if (ranked.length === 0 || (ranked.length > 1 && ranked[0]![1].score === ranked[1]![1].score)) return undefined;
  return { layer: ranked[0]![0], from: `${design.file}'s project structure: ${ranked[0]![1].path}` };
}

/** Words of three letters or more, CamelCase and snake_case split, plurals folded (`services` → service, `entities` → entity). */
function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .map((w) =>
      w.endsWith('ies')
        ? `${w.slice(0, -3)}y`
        : w.length > 3 && w.endsWith('s') && !w.endsWith('ss')
          ? w.slice(0, -1)
          : w,
    )
    .filter((w) => w.length >= 3 && !STOP.has(w));
}
