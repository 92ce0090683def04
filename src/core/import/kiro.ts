/**
 * A Kiro spec folder (`.kiro/specs/{name}/`): requirements.md (`### Requirement N`, a
 * `**User Story:**`, `#### Acceptance Criteria` in EARS) — or bugfix.md for a bug spec, whose
 * statements are numbered `1.1 WHEN … THEN …` under Current/Expected/Unchanged behaviour —
 * design.md, and tasks.md (kiroTasks.ts). A design-first folder may have no requirements file:
 * what its tasks cite is kept as requirements defined in design.md. Headings may be in any
 * language: requirements are "<word> <number>" headings (`### 需求 1：标题`, `### 要件 3`).
 */
import { asEars, plain, type ForeignRequirement, type ForeignSpec } from './foreignSpec';
import { kiroTasks } from './kiroTasks';
import { ALL_REQUIREMENTS, unique } from './links';
import { readMarkdown, type MdBlock } from './markdown';

export interface KiroFiles {
  requirements?: string;
  bugfix?: string;
  design?: string;
  tasks?: string;
}

const ID_HEADING = /^([A-Z][A-Z0-9]{0,9}-\d+[a-z]?(?:\.\d+[a-z]?)*)\s*(?:[:：.．)\]–—-]\s*(.*))?$/u;
// `Requirement 7`, `Requirement 11b` (a letter inserted later), `需求 1`, `2.1`-style sub-numbers.
const WORD_HEADING = /^([\p{L}][\p{L}\p{M}' -]{0,30}?)\s*(\d+[a-z]?(?:\.\d+[a-z]?)*)\s*(?:[:：.．)–—-]\s*(.*))?$/u;
const STORY =
  /^\**\s*(?:user\s+story|historia\s+de\s+usuario|hist[oó]ria\s+de\s+usu[aá]rio|用户故事|用戶故事|使用者故事|ユーザーストーリー|사용자\s*스토리)\s*[:：]?\s*\**\s*[:：]?\s*/iu;
// `1.1 WHEN …`, `**2.11** Dashboard consistency`, `3.1: …`
const NUMBERED = /^[*_]*(\d+)\.(\d+(?:\.\d+)*)[*_]*[.):：]?\s+(.*)$/;
const BOLD_LINE = /^\*\*[^*]+\*\*\s*[:：]?$/;
const GENERIC_TITLE =
  /^(?:design|requirements|bugfix|tasks)$|requirements?\s+document|bugfix|bug\s+fix|design\s+document|需求文档|需求文件|要件定義|要求仕様|設計|设计文档|documento\s+de\s+(?:requisitos|diseño)/iu;
const INTRO =
  /^(?:introduction|overview|summary|introducción|introdução|简介|介绍|概述|はじめに|概要|소개)(?![\p{L}\p{N}])/iu;
const DEFECT = /defect|current\s+behaviou?r|bug\s+(?:condition|analysis)|缺陷|当前行为|現在の動作|不具合/iu;

export function readKiro(files: KiroFiles, folderName: string): ForeignSpec {
  const warnings: string[] = [];
  const source =
    files.requirements !== undefined ? 'requirements.md' : files.bugfix !== undefined ? 'bugfix.md' : undefined;
  const read = source
    ? kiroRequirements(files.requirements ?? files.bugfix!, source, warnings)
    : { requirements: [], intro: '' };
  const tasks = files.tasks !== undefined ? kiroTasks(files.tasks, warnings) : [];
  if (files.tasks === undefined) warnings.push('no tasks.md: nothing to implement yet');
  // `_Requirements: All_`: the task serves every requirement the file defines.
  for (const task of tasks)
    if (task.cites.includes(ALL_REQUIREMENTS))
      task.cites = unique(
        task.cites.flatMap((id) => (id === ALL_REQUIREMENTS ? read.requirements.map((r) => r.id) : [id])),
      );
  const requirements = [
    ...read.requirements,
    ...citedOnly(
      read.requirements,
      tasks.flatMap((t) => t.cites),
      source,
      warnings,
    ),
  ];
  return {
    format: 'kiro',
    kind: files.bugfix !== undefined && files.requirements === undefined ? 'bugfix' : 'feature',
    title: read.title ?? (files.design !== undefined ? designTitle(files.design) : undefined) ?? titleOf(folderName),
    summary: read.intro,
    requirements,
    tasks,
    ...(files.design !== undefined ? { design: { file: 'design.md', text: files.design } } : {}),
    files: [
      source,
      files.design !== undefined ? 'design.md' : undefined,
      files.tasks !== undefined ? 'tasks.md' : undefined,
    ].filter((f): f is string => f !== undefined),
    warnings,
  };
}

function kiroRequirements(
  text: string,
  file: string,
  warnings: string[],
): { requirements: ForeignRequirement[]; intro: string; title?: string } {
  const requirements: ForeignRequirement[] = [];
  let current: { req: ForeignRequirement; level: number } | undefined;
  let section: { text: string; level: number } | undefined;
  let title: string | undefined;
  let inIntro = false;
  const intro: string[] = [];
  const { blocks } = readMarkdown(text);
  const criterionOf = new Map<number, { id: string; text: string }>();
  let lastStatement: { id: string; text: string } | undefined;
  blocks.forEach((block, index) => {
    if (block.kind === 'heading') {
      const heading = plain(block.text);
      if (block.level === 1) {
        // `# Requirements Document: Wishlist` names the feature after the generic words.
        const named = heading.replace(/^[^:：]*[:：]\s*/, '');
        if (!GENERIC_TITLE.test(heading)) title ??= named || heading;
        else if (named && named !== heading && !GENERIC_TITLE.test(named)) title ??= named;
        return;
      }
      const found = requirementHeading(heading);
      if (found) {
        current = { req: { id: found.id, title: found.title, criteria: [] }, level: block.level };
        requirements.push(current.req);
        inIntro = false;
        return;
      }
      if (current && block.level <= current.level) current = undefined;
      section = { text: heading, level: block.level };
      lastStatement = undefined;
      inIntro = requirements.length === 0 && INTRO.test(heading);
      return;
    }
    const story = STORY.exec(block.text);
    if (current && story) {
      current.req.story = block.text.slice(story[0].length).trim();
      if (!current.req.title) current.req.title = storyTitle(current.req.story);
      return;
    }
    // A nested item adds to the criterion it is under.
    const parent = block.parent !== undefined ? criterionOf.get(block.parent) : undefined;
    if (parent) {
      parent.text += `; ${block.text}`;
      criterionOf.set(index, parent);
      return;
    }
    if (current && block.kind === 'item') {
      const own = NUMBERED.exec(block.text);
      const n =
        own && `REQ-${own[1]}` === current.req.id
          ? own[2]
          : block.ordinal !== undefined
            ? String(block.ordinal)
            : String(current.req.criteria.length + 1);
      const criterion = {
        id: `${current.req.id}.${n}`,
        text: asEars(own && `REQ-${own[1]}` === current.req.id ? own[3]! : block.text),
      };
      current.req.criteria.push(criterion);
      criterionOf.set(index, criterion);
      return;
    }
    if (!current) {
      const statements = numberedStatements(block, section?.text ?? file, requirements);
      if (statements.length > 0) {
        lastStatement = statements.at(-1);
        return;
      }
      // What follows a statement until the next heading (its sub-list, a wrapped paragraph) is part of it.
      if (lastStatement && !BOLD_LINE.test(block.text)) {
        lastStatement.text += `; ${block.text}`;
        return;
      }
    }
    if (inIntro) intro.push(block.text);
  });
  for (const req of requirements) {
    if (!req.title) req.title = req.id;
    if (req.criteria.length === 0) warnings.push(`${file}: ${req.id} has no acceptance criteria`);
  }
  if (requirements.length === 0)
    warnings.push(`${file}: no "### Requirement N" headings or numbered "1.1 …" statements found`);
  return { requirements, intro: intro.join(' '), ...(title ? { title } : {}) };
}

/** `### Requirement 7: Title`, `### 需求 1：标题`, `### 要件 3`, `### REQ-7 Title`. */
function requirementHeading(heading: string): { id: string; title: string } | undefined {
  const own = ID_HEADING.exec(heading);
  if (own) return { id: own[1]!, title: plain(own[2] ?? '') };
  const word = WORD_HEADING.exec(heading);
  if (word) return { id: `REQ-${word[2]}`, title: plain(word[3] ?? '') };
  return undefined;
}

/**
 * bugfix.md's statements (`1.1 WHEN … THEN the system …`), one per line or list item: each is
 * criterion REQ-1.1 of requirement REQ-1, named by the section it is in. A defect describes what
 * must stop happening.
 */
function numberedStatements(
  block: MdBlock,
  section: string,
  requirements: ForeignRequirement[],
): { id: string; text: string }[] {
  const statements: { major: string; minor: string; text: string }[] = [];
  for (const line of block.lines) {
    const match = NUMBERED.exec(line);
    if (match) statements.push({ major: match[1]!, minor: match[2]!, text: match[3]! });
    else if (statements.length > 0) statements.at(-1)!.text += ` ${line}`;
    else return [];
  }
  return statements.map(({ major, minor, text }) => {
    const id = `REQ-${major}`;
    let req = requirements.find((r) => r.id === id);
    if (!req) requirements.push((req = { id, title: section, criteria: [] }));
    const criterion = {
      id: `${id}.${minor}`,
      text: DEFECT.test(section) ? `THE system SHALL no longer behave as follows: ${text}` : asEars(text),
    };
    req.criteria.push(criterion);
    return criterion;
  });
}

/** Requirements the tasks cite that the folder does not define (a design-first spec): kept, with a warning. */
function citedOnly(
  defined: readonly ForeignRequirement[],
  cites: readonly string[],
  source: string | undefined,
  warnings: string[],
): ForeignRequirement[] {
  const known = new Set(defined.flatMap((r) => [r.id, ...r.criteria.map((c) => c.id)]));
  const added: ForeignRequirement[] = [];
  for (const id of unique(cites)) {
    if (known.has(id)) continue;
    const top = /^(REQ-\d+[a-z]?)/.exec(id)?.[1] ?? id;
    let req = added.find((r) => r.id === top) ?? defined.find((r) => r.id === top);
    if (!req) added.push((req = { id: top, title: `Requirement ${top.slice(4)} (cited by tasks.md)`, criteria: [] }));
    if (id !== top)
      req.criteria.push({
        id,
        text: `THE system SHALL satisfy requirement ${id.slice(4)} as design.md and the tasks citing it describe`,
      });
    known.add(id);
    known.add(top);
    warnings.push(
      `tasks.md cites ${id}, which ${source ?? 'the folder (design-first: no requirements.md)'} does not define: kept as a requirement to review against design.md`,
    );
  }
  return added;
}

function designTitle(design: string): string | undefined {
  // The title is at the top: a long design is not parsed whole for it.
  const h1 = readMarkdown(design.split('\n', 40).join('\n')).blocks.find((b) => b.kind === 'heading' && b.level === 1);
  const text = h1 ? plain(h1.text).replace(/^[^:：]*[:：]\s*/u, '') : '';
  return text && !GENERIC_TITLE.test(text) ? text : undefined;
}

function storyTitle(story: string): string {
  const want =
    /I want(?: to)?\s+(.*?)(?:,\s*so that|$)/i.exec(story)?.[1] ??
    /我(?:想要|希望|要)\s*(.*?)(?:[，,]\s*以便|$)/u.exec(story)?.[1];
  return plain(want ?? story);
}

function titleOf(folder: string): string {
  const words = folder.replace(/[-_]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : 'Imported spec';
}
