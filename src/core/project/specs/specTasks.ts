/**
 * Pulls each layer's file checklist and the task list out of a spec body, and says which
 * layer owns each item (docs/pipeline.md "Agent tool protocol"): a file belongs to the layer whose
 * `owns` matches it; a task to its layer section, else to the files it names, else to the
 * layers it names. What no layer owns is listed in `unowned`, never dropped. The spec agent
 * writes the seed-002 template but not always to the letter, so this tolerates heading
 * levels and case (`#### Database`, `### backend layer`, `**Frontend:**`), `-`/`*`/numbered
 * items with or without checkboxes, and paths in backticks or bold.
 */
import { fenceTracker } from './markdownFence';

export interface SpecChecklistItem {
  text: string;
  done: boolean;
  /** 1-based line in the markdown given (front matter included). */
  line: number;
}

export interface SpecFileItem extends SpecChecklistItem {
  path: string;
  description: string;
}

export interface LayerWork {
  files: SpecFileItem[];
  /** Tasks under a layer sub-heading of Tasks, naming a file the layer owns, or naming the layer. */
  tasks: SpecChecklistItem[];
}

/** An open task or file of the spec that no configured layer owns. */
export interface UnownedItem {
  kind: 'task' | 'file';
  line: number;
  text: string;
}

export interface SpecTasks {
  layers: Record<string, LayerWork>;
  /** Every task, in order. */
  tasks: SpecChecklistItem[];
  /** Open (unchecked) tasks and files no layer owns, in order. */
  unowned: UnownedItem[];
}

/** The layer whose `owns` globs match a workspace-relative path (config.layerOwning). */
export type OwnerOf = (path: string) => string | undefined;

interface Heading {
  level: number;
  text: string;
}

const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
// A bold line used as a heading (`**Backend:**`); ranks below every real heading.
const BOLD_HEADING = /^\s*\*\*([^*]+?)\*\*\s*:?\s*$/;
const LIST_ITEM = /^(\s*)(?:[-*+]|\d+[.)])\s+(?:\[([ xX])\]\s*)?(.*)$/;
// `Tasks`, `Task list`, `Implementation tasks`, but not a title like `Spec: Task management`.
const TASKS_HEADING = /^(?:[a-z0-9_-]+\s+)?(?:tasks?|tarefas?)\b/;
const FILES_HEADING = /^(?:[a-z0-9_-]+\s+)?(?:files?|ficheiros|arquivos)\b/;

/**
 * `ownerOf` resolves files by the layers' `owns`; without it (no config at hand) a file
 * belongs to the layer heading it is listed under.
 */
export function tasksByLayer(markdown: string, layers: readonly string[], ownerOf?: OwnerOf): SpecTasks {
  const result: SpecTasks = { layers: {}, tasks: [], unowned: [] };
  for (const layer of layers) result.layers[layer] = { files: [], tasks: [] };
  const byKey = new Map(layers.map((layer) => [layer.toLowerCase(), layer]));
  const { body, offset } = stripFrontMatter(markdown);
  const unowned = (kind: UnownedItem['kind'], item: SpecChecklistItem) => {
    if (!item.done) result.unowned.push({ kind, line: item.line, text: item.text });
  };

  let tasksLevel: number | undefined;
  let filesLevel: number | undefined;
  let layerSection: { layer: string | undefined; level: number } | undefined;
  let last: { item: SpecChecklistItem; indent: number } | undefined;
  const fenced = fenceTracker();

  body.split('\n').forEach((line, index) => {
    if (fenced(line)) return;
    const heading = parseHeading(line);
    if (heading) {
      last = undefined;
      if (tasksLevel !== undefined && heading.level <= tasksLevel) tasksLevel = undefined;
      if (filesLevel !== undefined && heading.level <= filesLevel) filesLevel = undefined;
      if (layerSection && heading.level <= layerSection.level) layerSection = undefined;
      const named = layerHeadingName(heading.text);
      const layer = named === undefined ? undefined : byKey.get(named);
      if (layer !== undefined) {
        if (TASKS_HEADING.test(heading.text) && tasksLevel === undefined) tasksLevel = heading.level;
        layerSection = { layer, level: heading.level };
      } else if (TASKS_HEADING.test(heading.text)) {
        // Under `#### Backend`, a `##### Tasks` heading keeps the layer (it was cleared above otherwise).
        tasksLevel = heading.level;
      } else if (FILES_HEADING.test(heading.text)) {
        filesLevel = heading.level;
      } else if ((tasksLevel !== undefined || filesLevel !== undefined) && layerSection === undefined) {
        // Another layer's part (one not configured): its items belong to nobody we know.
        layerSection = { layer: undefined, level: heading.level };
      }
      return;
    }
    const match = LIST_ITEM.exec(line);
    if (!match) return;
    const indent = (match[1] ?? '').length;
    const done = (match[2] ?? ' ').toLowerCase() === 'x';
    const text = (match[3] ?? '').trim();
    if (text === '') return;
    // A deeper item is a detail of the item above it, not an item of its own.
    if (last && indent > last.indent) {
      last.item.text += `; ${text}`;
      if ('description' in last.item) {
        const file = last.item as SpecFileItem;
        file.description = file.description ? `${file.description}; ${stripMarkup(text)}` : stripMarkup(text);
      }
      return;
    }
    const lineNo = offset + index + 1;
    if (tasksLevel !== undefined) {
      const item = { text, done, line: lineNo };
      result.tasks.push(item);
      const owners = layerSection?.layer !== undefined ? [layerSection.layer] : taskOwners(text, layers, ownerOf);
      for (const owner of owners) result.layers[owner]?.tasks.push(item);
      if (owners.length === 0) unowned('task', item);
      last = { item, indent };
    } else if (layerSection !== undefined || filesLevel !== undefined) {
      const item = parseFileItem(text, done, lineNo);
      last = { item, indent };
      const pathLike = looksLikePath(item.path);
      if (!pathLike && NOTHING.test(stripMarkup(text))) return;
      // A file goes by `owns`; a line of work that names no file, by its layer heading.
      const owner = pathLike && ownerOf ? ownerOf(item.path) : layerSection?.layer;
      if (owner !== undefined && result.layers[owner]) result.layers[owner].files.push(item);
      else unowned('file', item);
    }
  });
  return result;
}

// `— no layer (pick one when approving)`: import's mark on a task nothing placed (import/layerPicks.ts).
const UNPLACED_MARK = /\s—\s+no layer \(pick one when approving\)/;
// `— layer: backend` in a task: the layer chosen for it (at import, or by the human).
const LAYER_TAG = /(?:^|\s)layer:\s*([A-Za-z0-9_-]+)/;

/** The layer the task is tagged with, else the layers owning the files it names, else the layers it names. */
function taskOwners(text: string, layers: readonly string[], ownerOf: OwnerOf | undefined): string[] {
  const tagged = LAYER_TAG.exec(text)?.[1];
  if (tagged !== undefined && layers.includes(tagged)) return [tagged];
  // Import could not tell its layer (its words name none): what its marks say, such as the model's
  // reason for placing it nowhere ("no layer owns database tuning"), is not its layer.
  if (UNPLACED_MARK.test(text)) return [];
  if (ownerOf) {
    const byFile = new Set(
      namedPaths(text)
        .map(ownerOf)
        .filter((l): l is string => l !== undefined && layers.includes(l)),
    );
    if (byFile.size > 0) return [...byFile];
  }
  return layers.filter((l) => mentions(text, l));
}

// `- None`, `- No changes`, `- n/a`: a layer section that says there is nothing to do.
const NOTHING = /^\(?(?:none|n\/a|nothing|no changes?|not applicable|sem altera|ninguno|nenhum)\b/i;

/** A workspace path: no spaces, and a folder or a file extension. */
function looksLikePath(path: string): boolean {
  return (
    /^[\w@.+~$()[\]{}-]+(?:\/[\w@.+~$()[\]{}*-]+)*\/?$/.test(path) &&
    (path.includes('/') || /\.[A-Za-z0-9]{1,10}$/.test(path))
  );
}

/** Paths a task names: in backticks, or bare tokens with a folder (`server/x.js`). */
export function namedPaths(text: string): string[] {
  const paths = [...text.matchAll(/`([^`\s]+)`/g)].map((m) => m[1]!);
  // Outside code spans a path is taken as written (`lib/__tests__/a.ts`), only bold or quotes around it dropped.
  for (const token of text.replace(/`[^`]*`/g, ' ').split(/[\s,;()、，；（）。：「」]+/)) {
    const bare = token.replace(/^(?:\*\*|['"])+|(?:\*\*|['".:])+$/g, '');
    if (bare.includes('/') && looksLikePath(bare)) paths.push(bare);
  }
  return paths.filter(looksLikePath);
}

function parseHeading(line: string): Heading | undefined {
  const real = HEADING.exec(line);
  if (real) return { level: (real[1] ?? '').length, text: cleanHeading(real[2] ?? '') };
  const bold = BOLD_HEADING.exec(line);
  if (bold) return { level: 7, text: cleanHeading(bold[1] ?? '') };
  return undefined;
}

function cleanHeading(text: string): string {
  return stripMarkup(text)
    .replace(/^\*|\*$/g, '')
    .replace(/:\s*$/, '')
    .trim()
    .toLowerCase();
}

/**
 * The layer a heading names: `Database`, `Backend layer`, `Layer: Backend`, `Frontend tasks`,
 * `Backend (.NET)`. A title such as `Frontend polish` is not a layer heading.
 */
function layerHeadingName(text: string): string | undefined {
  return /^(?:(?:layer|camada)\s*:?\s*)?([a-z0-9][a-z0-9_-]*)(?:\s+(?:layer|tasks?|files?|changes))?\s*(?:\(.*\))?$/.exec(
    text,
  )?.[1];
}

function mentions(text: string, layer: string): boolean {
  const escaped = layer.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-z0-9_-])${escaped}($|[^a-z0-9_-])`, 'i').test(text);
}

function parseFileItem(text: string, done: boolean, line: number): SpecFileItem {
  // A path in backticks anywhere wins (`Create \`server/a.ts\` — handler`).
  const code = /`([^`]*[/.][^`]*)`/.exec(text);
  if (code?.[1] !== undefined) {
    const description = cleanDescription(text.slice(0, code.index) + text.slice(code.index + code[0].length));
    return { text, done, line, path: code[1].trim(), description };
  }
  const bold = /^\*\*([^*]+)\*\*/.exec(text);
  if (bold?.[1] !== undefined) {
    return { text, done, line, path: bold[1].trim(), description: cleanDescription(text.slice(bold[0].length)) };
  }
  const split = /^(\S+?):?\s+(?:[-–—:]\s+)?(.*)$/.exec(text);
  if (split?.[1] !== undefined && /[/.]/.test(split[1])) {
    return { text, done, line, path: split[1].replace(/:$/, ''), description: cleanDescription(split[2] ?? '') };
  }
  const colon = /^([^:]+):\s*(.*)$/.exec(text);
  if (colon?.[1] !== undefined)
    return { text, done, line, path: unwrapPath(colon[1]), description: cleanDescription(colon[2] ?? '') };
  return { text, done, line, path: unwrapPath(text), description: '' };
}

/** Bold or backticks around a path dropped; `__` inside it (`lib/__tests__/a.ts`) kept. */
function unwrapPath(text: string): string {
  return text
    .trim()
    .replace(/^(\*\*|__)(.+)\1$/, '$2')
    .replace(/`/g, '')
    .trim();
}

function cleanDescription(text: string): string {
  return stripMarkup(text)
    .replace(/^[\s:–—-]+/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Drops backticks and bold markers; single `_` stays (it is common in file names). */
function stripMarkup(text: string): string {
  return text.replace(/`|\*\*|__/g, '');
}

/** The body after the front matter, and how many lines the front matter took. */
export function stripFrontMatter(markdown: string): { body: string; offset: number } {
  const text = markdown.replace(/\r\n/g, '\n');
  if (!text.startsWith('---\n')) return { body: text, offset: 0 };
  const end = text.indexOf('\n---', 3);
  if (end < 0) return { body: text, offset: 0 };
  const after = text.indexOf('\n', end + 4);
  if (after < 0) return { body: '', offset: 0 };
  return { body: text.slice(after + 1), offset: text.slice(0, after + 1).split('\n').length - 1 };
}
