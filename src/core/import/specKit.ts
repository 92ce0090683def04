/**
 * A Spec Kit feature folder (`specs/NNN-name/`): spec.md (user stories with acceptance
 * scenarios in Given/When/Then, requirements `**FR-001**: …` and other ids as written), plan.md,
 * and tasks.md (specKitTasks.ts). Headings may be in any language: stories are found by their
 * priority tag (`(Priority: P1)`, `(优先级: P1)`) or their "story" word
 * (`### 用户故事 1 - 标题`, `### ユーザーストーリー 2`, `User Story 1.5`).
 */
import { asEars, plain, type ForeignRequirement, type ForeignSpec } from './foreignSpec';
import { readMarkdown } from './markdown';
import { specKitTasks } from './specKitTasks';
import { storyOf } from './storyHeading';

// `FR-001`, `FR-005a`, `REQ-19.2`: a dotted id is an id of its own, not FR-019 with text "2: …".
const ID_ITEM = /^[*_`\s]*([A-Z][A-Z0-9]{0,9}-\d+[a-z]?(?:\.\d+[a-z]?)*)[*_`\s]*[:：.–—-]?\s*[*_]*\s*(.*)$/u;
// `#### Agent Management (FR-100)` or `#### FR-100: Agent Management`: a group whose items `FR-100.1` … are its criteria.
const GROUP_HEADING =
  /^(?:([A-Z][A-Z0-9]{0,9}-\d+[a-z]?)\s*[:：.–—-]\s*(.+)|(.+?)\s*[(（]([A-Z][A-Z0-9]{0,9}-\d+[a-z]?)[)）])$/u;
const SCENARIO =
  /\*{0,2}(?:given|dado|dada|étant donné|前提|假设|假如|给定)\*{0,2}\s*[:：]?\s*(.*?)[,，、]?\s*\*{0,2}(?:when|cuando|quando|lorsque|操作|当|時)\*{0,2}\s*[:：]?\s*(.*?)[,，、]?\s*\*{0,2}(?:then|entonces|então|alors|結果|那么|则)\*{0,2}\s*[:：]?\s*(.*)$/iu;

export interface SpecKitFiles {
  spec: string;
  plan?: string;
  /** Absent before `/speckit.tasks` wrote it (`specs` lists such a folder; the importer refuses it). */
  tasks?: string;
}

export function readSpecKit(files: SpecKitFiles, folderName: string): ForeignSpec {
  const warnings: string[] = [];
  const { requirements, title, summary } = specKitRequirements(files.spec, warnings);
  const { tasks, checklists } =
    files.tasks !== undefined ? specKitTasks(files.tasks, requirements, warnings) : { tasks: [], checklists: [] };
  return {
    format: 'speckit',
    title: title ?? folderName.replace(/^\d+-/, '').replace(/[-_]+/g, ' '),
    summary,
    requirements,
    tasks,
    ...(files.plan !== undefined ? { design: { file: 'plan.md', text: files.plan } } : {}),
    files: [
      'spec.md',
      ...(files.plan !== undefined ? ['plan.md'] : []),
      ...(files.tasks !== undefined ? ['tasks.md'] : []),
    ],
    ...(checklists.length > 0 ? { checklists } : {}),
    warnings,
  };
}

function specKitRequirements(
  text: string,
  warnings: string[],
): { requirements: ForeignRequirement[]; title?: string; summary: string } {
  const requirements: ForeignRequirement[] = [];
  let story: { req: ForeignRequirement; level: number } | undefined;
  let group: { req: ForeignRequirement; level: number } | undefined;
  let title: string | undefined;
  const summary: string[] = [];
  const { blocks } = readMarkdown(text);
  const criterionAt = new Map<number, { text: string }>();
  blocks.forEach((block, index) => {
    if (block.kind === 'heading') {
      const heading = plain(block.text);
      if (block.level === 1) title ??= heading.replace(/^[^:：]*[:：]\s*/, '') || heading;
      if (group && block.level <= group.level) group = undefined;
      const found = block.level >= 2 ? storyOf(heading) : undefined;
      const grouped = !found && block.level >= 2 ? GROUP_HEADING.exec(heading) : null;
      if (grouped) {
        const id = (grouped[1] ?? grouped[4])!;
        group = { req: { id, title: (grouped[2] ?? grouped[3] ?? heading).trim(), criteria: [] }, level: block.level };
        requirements.push(group.req);
        story = undefined;
      } else if (found) {
        story = { req: { id: `US-${found.n}`, title: found.title || heading, criteria: [] }, level: block.level };
        requirements.push(story.req);
      } else if (story && block.level <= story.level) story = undefined;
      return;
    }
    const parent = block.parent !== undefined ? criterionAt.get(block.parent) : undefined;
    if (parent) {
      parent.text += `; ${block.text}`;
      criterionAt.set(index, parent);
      return;
    }
    const own = ID_ITEM.exec(block.text);
    if (own?.[1] && own[2]) {
      const statement = own[2].trim();
      if (group && own[1].startsWith(`${group.req.id}.`)) {
        const criterion = { id: own[1], text: asEars(statement) };
        group.req.criteria.push(criterion);
        criterionAt.set(index, criterion);
        return;
      }
      const criterion = { id: `${own[1]}.1`, text: asEars(statement) };
      requirements.push({ id: own[1], title: plain(statement), criteria: [criterion] });
      criterionAt.set(index, criterion);
      return;
    }
    if (story && block.kind === 'item') {
      const criterion = { id: `${story.req.id}.${story.req.criteria.length + 1}`, text: scenario(block.text) };
      story.req.criteria.push(criterion);
      criterionAt.set(index, criterion);
      return;
    }
    if (story && block.kind === 'text' && !block.text.startsWith('**') && !story.req.story)
      story.req.story = block.text;
    if (
      !story &&
      requirements.length === 0 &&
      block.kind === 'text' &&
      !block.text.startsWith('**') &&
      summary.length < 5
    )
      summary.push(plain(block.text));
  });
  for (const req of requirements)
    if (req.criteria.length === 0) warnings.push(`spec.md: ${req.id} has no acceptance scenarios`);
  if (requirements.length === 0) warnings.push('spec.md: no user stories or FR-### requirements found');
  return { requirements, ...(title ? { title } : {}), summary: summary.join(' ') };
}

/** Given/When/Then as EARS (`WHEN … (given …) THE system SHALL ensure …`); anything else as written, made EARS. */
function scenario(text: string): string {
  const match = SCENARIO.exec(text);
  if (!match) return asEars(text);
  const [, given, when, then] = match.map((part) => plain(part ?? '').replace(/[,.，。]$/u, ''));
  return `WHEN ${when} (given ${given}) THE system SHALL ensure ${then}`;
}
