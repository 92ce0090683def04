/**
 * Pulls each layer's file checklist and the task list out of a spec body. The spec agent
 * writes the seed-002 template but not always to the letter, so this tolerates heading
 * levels and case (`#### Database`, `### backend layer`, `**Frontend:**`), `-`/`*`/numbered
 * items with or without checkboxes, and paths in backticks or bold.
 */
export interface SpecChecklistItem {
  text: string;
  done: boolean;
}

export interface SpecFileItem extends SpecChecklistItem {
  path: string;
  description: string;
}

export interface LayerWork {
  files: SpecFileItem[];
  /** Tasks under a layer sub-heading of Tasks, or naming the layer. */
  tasks: SpecChecklistItem[];
}

export interface SpecTasks {
  layers: Record<string, LayerWork>;
  /** Every task, in order. */
  tasks: SpecChecklistItem[];
  /** Items of the files section listed before any layer heading. */
  unassignedFiles: SpecFileItem[];
}

interface Heading {
  level: number;
  text: string;
}

const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
// A bold line used as a heading (`**Backend:**`); ranks below every real heading.
const BOLD_HEADING = /^\s*\*\*([^*]+?)\*\*\s*:?\s*$/;
const LIST_ITEM = /^(\s*)(?:[-*+]|\d+[.)])\s+(?:\[([ xX])\]\s*)?(.*)$/;
const FENCE = /^\s*(```|~~~)/;
// `Tasks`, `Task list`, `Implementation tasks`, but not a title like `Spec: Task management`.
const TASKS_HEADING = /^(?:[a-z0-9_-]+\s+)?(?:tasks?|tarefas?)\b/;
const FILES_HEADING = /^(?:[a-z0-9_-]+\s+)?(?:files?|ficheiros|arquivos)\b/;

export function tasksByLayer(markdown: string, layers: readonly string[]): SpecTasks {
  const result: SpecTasks = { layers: {}, tasks: [], unassignedFiles: [] };
  for (const layer of layers) result.layers[layer] = { files: [], tasks: [] };
  const byKey = new Map(layers.map((layer) => [layer.toLowerCase(), layer]));

  let tasksLevel: number | undefined;
  let filesLevel: number | undefined;
  let layerSection: { layer: string | undefined; level: number } | undefined;
  let last: { item: SpecChecklistItem; indent: number } | undefined;
  let inFence = false;

  for (const line of stripFrontMatter(markdown).split('\n')) {
    if (FENCE.test(line)) inFence = !inFence;
    if (inFence) continue;
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
        // Another layer's part (one not asked for): its items belong to nobody we know.
        layerSection = { layer: undefined, level: heading.level };
      }
      continue;
    }
    const match = LIST_ITEM.exec(line);
    if (!match) continue;
    const indent = (match[1] ?? '').length;
    const done = (match[2] ?? ' ').toLowerCase() === 'x';
    const text = (match[3] ?? '').trim();
    if (text === '') continue;
    // A deeper item is a detail of the item above it, not an item of its own.
    if (last && indent > last.indent) {
      last.item.text += `; ${text}`;
      if ('description' in last.item) {
        const file = last.item as SpecFileItem;
        file.description = file.description ? `${file.description}; ${stripMarkup(text)}` : stripMarkup(text);
      }
      continue;
    }
    if (tasksLevel !== undefined) {
      const item = { text, done };
      result.tasks.push(item);
      const owners = layerSection ? [layerSection.layer] : layers.filter((l) => mentions(text, l));
      for (const owner of owners) if (owner !== undefined) result.layers[owner]?.tasks.push(item);
      last = { item, indent };
    } else if (layerSection?.layer !== undefined) {
      const item = parseFileItem(text, done);
      result.layers[layerSection.layer]?.files.push(item);
      last = { item, indent };
    } else if (filesLevel !== undefined && layerSection === undefined) {
      const item = parseFileItem(text, done);
      result.unassignedFiles.push(item);
      last = { item, indent };
    }
  }
  return result;
}

function parseHeading(line: string): Heading | undefined {
  const real = HEADING.exec(line);
  if (real) return { level: (real[1] ?? '').length, text: cleanHeading(real[2] ?? '') };
  const bold = BOLD_HEADING.exec(line);
  if (bold) return { level: 7, text: cleanHeading(bold[1] ?? '') };
  return undefined;
}

function cleanHeading(text: string): string {
  return stripMarkup(text).replace(/^\*|\*$/g, '').replace(/:\s*$/, '').trim().toLowerCase();
}

/**
 * The layer a heading names: `Database`, `Backend layer`, `Layer: Backend`, `Frontend tasks`,
 * `Backend (.NET)`. A title such as `Frontend polish` is not a layer heading.
 */
function layerHeadingName(text: string): string | undefined {
  return /^(?:(?:layer|camada)\s*:?\s*)?([a-z0-9][a-z0-9_-]*)(?:\s+(?:layer|tasks?|files?|changes))?\s*(?:\(.*\))?$/.exec(text)?.[1];
}

function mentions(text: string, layer: string): boolean {
  const escaped = layer.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-z0-9_-])${escaped}($|[^a-z0-9_-])`, 'i').test(text);
}

function parseFileItem(text: string, done: boolean): SpecFileItem {
  // A path in backticks anywhere wins (`Create \`server/a.ts\` — handler`).
  const code = /`([^`]*[/.][^`]*)`/.exec(text);
  if (code?.[1] !== undefined) {
    const description = cleanDescription(text.slice(0, code.index) + text.slice(code.index + code[0].length));
    return { text, done, path: code[1].trim(), description };
  }
  const bold = /^\*\*([^*]+)\*\*/.exec(text);
  if (bold?.[1] !== undefined) {
    return { text, done, path: bold[1].trim(), description: cleanDescription(text.slice(bold[0].length)) };
  }
  const split = /^(\S+?):?\s+(?:[-–—:]\s+)?(.*)$/.exec(text);
  if (split?.[1] !== undefined && /[/.]/.test(split[1])) {
    return { text, done, path: split[1].replace(/:$/, ''), description: cleanDescription(split[2] ?? '') };
  }
  const colon = /^([^:]+):\s*(.*)$/.exec(text);
  if (colon?.[1] !== undefined) return { text, done, path: stripMarkup(colon[1]).trim(), description: cleanDescription(colon[2] ?? '') };
  return { text, done, path: stripMarkup(text).trim(), description: '' };
}

function cleanDescription(text: string): string {
  return stripMarkup(text).replace(/^[\s:–—-]+/, '').replace(/\s+/g, ' ').trim();
}

/** Drops backticks and bold markers; single `_` stays (it is common in file names). */
function stripMarkup(text: string): string {
  return text.replace(/`|\*\*|__/g, '');
}

function stripFrontMatter(markdown: string): string {
  if (!markdown.startsWith('---\n') && !markdown.startsWith('---\r\n')) return markdown;
  const end = markdown.indexOf('\n---', 3);
  if (end < 0) return markdown;
  const after = markdown.indexOf('\n', end + 4);
  return after < 0 ? '' : markdown.slice(after + 1);
}
