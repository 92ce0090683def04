/**
 * Reading and shaping the spec body: the seed template's Date/Status lines, the pattern and
 * references of Entity Info, the layers with work, and one layer's tasks for its agent.
 */
import type { OrchestratorConfig } from '../config';
import { specWork } from './specWork';

/** Makes sure the body has the template's `## Spec:` heading and `### Date` / `### Status` lines. */
export function withTemplateHeader(markdown: string, title: string, date: string, status: string): string {
  let body = markdown.replace(/\r\n/g, '\n').trim();
  if (!/^#{1,2}\s*Spec:/m.test(body)) body = `## Spec: ${title}\n\n${body}`;
  const missing = [
    /^#{1,6}\s*Date:/m.test(body) ? undefined : `### Date: ${date}`,
    /^#{1,6}\s*Status:/m.test(body) ? undefined : `### Status: ${status}`,
  ].filter((line): line is string => line !== undefined);
  if (missing.length > 0) {
    body = body.replace(/^(#{1,2}\s*Spec:.*)$/m, (heading) => `${heading}\n\n${missing.join('\n')}`);
  }
  return `${body}\n`;
}

/** `- Pattern: simple` in Entity Info, when it names a `_patterns` kind. */
export function specPattern(markdown: string, patterns: Record<string, string>): string | null {
  const raw = /^\s*[-*]\s*Pattern:\s*[`*]*([A-Za-z0-9_-]+)/im.exec(markdown)?.[1];
  if (!raw) return null;
  return Object.keys(patterns).find((kind) => kind.toLowerCase() === raw.toLowerCase()) ?? null;
}

/** `- References: Customer, Order` in Entity Info, keeping only names in `known`. */
export function specReferences(markdown: string, known: string[]): string[] {
  const raw = /^\s*[-*]\s*Ref(?:erence)?s:\s*(.*)$/im.exec(markdown)?.[1] ?? '';
  const lower = new Map(known.map((name) => [name.toLowerCase(), name]));
  return [
    ...new Set(
      raw
        .split(/[,;]/)
        .map((part) => lower.get(part.replace(/[`*]/g, '').trim().toLowerCase()))
        .filter((n): n is string => !!n),
    ),
  ];
}

/**
 * The configured layers the spec gives open work to (files or tasks not ticked); none when it
 * lists work but none of it is open for a layer (an imported spec done before import); else,
 * for a spec with no items, `fallback`.
 */
export function layersWithWork(markdown: string, config: OrchestratorConfig, fallback: readonly string[]): string[] {
  const layers = Object.keys(config.layers);
  const work = specWork(markdown, config);
  const open = (items: readonly { done: boolean }[] | undefined) => (items ?? []).filter((item) => !item.done).length;
  const withWork = layers.filter((layer) => open(work.layers[layer]?.files) + open(work.layers[layer]?.tasks) > 0);
  if (withWork.length > 0) return withWork;
  if (
    work.tasks.length > 0 ||
    work.unowned.length > 0 ||
    layers.some((layer) => (work.layers[layer]?.files.length ?? 0) > 0)
  )
    return [];
  const known = fallback.filter((layer) => layers.includes(layer));
  return known.length > 0 ? known : layers;
}

/** One layer's files and tasks from the spec, as a checklist for its agent. */
export function layerTasksText(markdown: string, config: OrchestratorConfig, layer: string): string {
  const work = specWork(markdown, config).layers[layer];
  if (!work || work.files.length + work.tasks.length === 0) return '';
  const lines: string[] = [];
  if (work.files.length > 0) {
    lines.push(
      '### Files',
      ...work.files.map((f) => `- [${f.done ? 'x' : ' '}] ${f.path}${f.description ? `: ${f.description}` : ''}`),
    );
  }
  if (work.tasks.length > 0)
    lines.push('### Tasks', ...work.tasks.map((t, i) => `${i + 1}. [${t.done ? 'x' : ' '}] ${t.text}`));
  return lines.join('\n');
}
