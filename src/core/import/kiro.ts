/**
 * A Kiro spec folder (`.kiro/specs/{name}/`): requirements.md (`### Requirement N`, a
 * `**User Story:**`, `#### Acceptance Criteria` in EARS), design.md, and tasks.md (`- [ ] 2.1 …`
 * with `_Requirements: 7.1, 7.2_` lines). Headings may be in any language: requirements are
 * recognised as "<word> <number>" headings, criteria as the list items under them.
 */
import { asEars, plain, scanMarkdown, type ForeignRequirement, type ForeignSpec, type ForeignTask } from './foreignSpec';

const REQUIREMENT = /^[\p{L}-]+\s+(\d+)\s*(?:[:.–—-]\s*(.*))?$/u;
const STORY = /^\**\s*(?:user\s+story|historia\s+de\s+usuario|hist[oó]ria\s+de\s+usu[aá]rio|user-story|story)\s*:?\**\s*:?\s*/i;
const REQUIREMENT_REFS = /_?\s*(?:requirements?|requisitos?|requerimientos?|anforderungen|exigences)\s*:\s*([\d.,\s]+)_?/i;
const TASK_REF = /^(\d+(?:\.\d+)*)\.?\s+(.*)$/;

export function readKiro(files: { requirements: string; design?: string; tasks: string }, folderName: string): ForeignSpec {
  const warnings: string[] = [];
  const { requirements, intro, title } = kiroRequirements(files.requirements, warnings);
  return {
    format: 'kiro',
    title: title ?? titleOf(folderName),
    summary: intro,
    requirements,
    tasks: kiroTasks(files.tasks, warnings),
    ...(files.design ? { design: { file: 'design.md', text: files.design } } : {}),
    warnings,
  };
}

function kiroRequirements(text: string, warnings: string[]): { requirements: ForeignRequirement[]; intro: string; title?: string } {
  const requirements: ForeignRequirement[] = [];
  let current: { req: ForeignRequirement; level: number } | undefined;
  const intro: string[] = [];
  let title: string | undefined;
  let inIntro = false;
  for (const line of scanMarkdown(text)) {
    if (line.heading) {
      const { level, text: heading } = line.heading;
      if (level === 1 && !/requirements?\s+document|documento\s+de\s+requisitos/i.test(heading)) title ??= heading;
      const match = level >= 2 ? REQUIREMENT.exec(heading) : null;
      if (match) {
        current = { req: { id: `REQ-${match[1]}`, title: match[2] ? plain(match[2]) : '', criteria: [] }, level };
        requirements.push(current.req);
        inIntro = false;
        continue;
      }
      if (current && level <= current.level) current = undefined;
      inIntro = level === 2 && requirements.length === 0 && /intro/i.test(heading);
      continue;
    }
    const story = STORY.exec(line.text.trim());
    if (current && story) {
      current.req.story = line.text.trim().slice(story[0].length).trim();
      if (!current.req.title) current.req.title = storyTitle(current.req.story);
      continue;
    }
    if (current && line.item) {
      const number = /^(\d+)[.)]\s/.exec(line.text.trim())?.[1];
      const criterion = line.item.text;
      current.req.criteria.push({ id: `${current.req.id}.${number ?? current.req.criteria.length + 1}`, text: asEars(plain(criterion)) });
      continue;
    }
    if (inIntro && line.text.trim()) intro.push(line.text.trim());
  }
  for (const req of requirements) {
    if (!req.title) req.title = req.id;
    if (req.criteria.length === 0) warnings.push(`requirements.md: ${req.id} has no acceptance criteria`);
  }
  if (requirements.length === 0) warnings.push('requirements.md: no "### Requirement N" headings found');
  return { requirements, intro: intro.join(' '), ...(title ? { title } : {}) };
}

function kiroTasks(text: string, warnings: string[]): ForeignTask[] {
  const tasks: (ForeignTask & { indent: number })[] = [];
  for (const line of scanMarkdown(text)) {
    if (!line.item) continue;
    const { indent, checked, text: itemText } = line.item;
    const last = tasks.at(-1);
    const refs = REQUIREMENT_REFS.exec(itemText);
    if (checked === undefined) {
      // A detail of the task above it: requirement references or a note.
      if (!last || indent <= last.indent) continue;
      if (refs) last.cites.push(...citesOf(refs[1]!));
      else last.text += `; ${itemText.trim()}`;
      continue;
    }
    const ref = TASK_REF.exec(itemText);
    tasks.push({ ref: ref?.[1] ?? String(tasks.length + 1), text: (ref?.[2] ?? itemText).trim(), done: checked, cites: refs ? citesOf(refs[1]!) : [], indent });
  }
  // A group task (`2.` with `2.1`, `2.2` under it) is not work of its own: its children are.
  const leaves = tasks.filter((task) => !tasks.some((other) => other.ref.startsWith(`${task.ref}.`)));
  for (const leaf of leaves) {
    const parent = tasks.find((t) => leaf.ref.startsWith(`${t.ref}.`) && t.ref.split('.').length === leaf.ref.split('.').length - 1);
    if (parent) leaf.cites.unshift(...parent.cites);
  }
  if (leaves.length === 0) warnings.push('tasks.md: no "- [ ] N. task" items found');
  return leaves.map(({ indent: _indent, ...task }) => ({ ...task, cites: [...new Set(task.cites)] }));
}

/** `7.1, 7.2` → `REQ-7.1, REQ-7.2`; a bare `3` → `REQ-3`. */
function citesOf(list: string): string[] {
  return list.split(/[,\s]+/).map((s) => s.replace(/\.$/, '')).filter((s) => /^\d+(?:\.\d+)?$/.test(s)).map((s) => `REQ-${s}`);
}

function storyTitle(story: string): string {
  const want = /I want(?: to)?\s+(.*?)(?:,\s*so that|$)/i.exec(story)?.[1];
  return plain(want ?? story).slice(0, 80);
}

function titleOf(folder: string): string {
  const words = folder.replace(/[-_]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : 'Imported spec';
}
