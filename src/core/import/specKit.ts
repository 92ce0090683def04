/**
 * A Spec Kit feature folder (`specs/NNN-name/`): spec.md (user stories with acceptance
 * scenarios in Given/When/Then, functional requirements `**FR-001**: …`), plan.md, and tasks.md
 * (`- [ ] T012 [P] [US1] …`, perhaps after YAML front matter). Headings may be in any language:
 * stories are found by their `(Priority: P1)` tag or their "story" word, requirements by their ids.
 */
import { asEars, plain, scanMarkdown, type ForeignRequirement, type ForeignSpec, type ForeignTask } from './foreignSpec';

const STORY_HEADING = [
  /^(?:user\s+story|historia\s+de\s+usuario|hist[oó]ria\s+de\s+usu[aá]rio|story)\s*(\d+)\s*(?:[-–—:]\s*(.*?))?\s*(?:\((?:priority|prioridad|prioridade)\s*:\s*P\d+\))?\s*(?:🎯.*)?$/iu,
  /^[^\d]*?(\d+)\s*[-–—:]\s*(.*?)\s*\((?:priority|prioridad|prioridade)\s*:\s*P\d+\)/iu,
];
const FR_ITEM = /^\**\s*((?:FR|NFR|REQ)-\d+)\s*\**\s*:?\**\s*(.*)$/;
const SCENARIO = /\*{0,2}(?:given|dado|dada|étant donné)\*{0,2}\s+(.*?),?\s*\*{0,2}(?:when|cuando|quando|lorsque)\*{0,2}\s+(.*?),?\s*\*{0,2}(?:then|entonces|então|alors)\*{0,2}\s+(.*)$/i;
const TASK = /^(T\d+)\b\s*(.*)$/;

export function readSpecKit(files: { spec: string; plan?: string; tasks: string }, folderName: string): ForeignSpec {
  const warnings: string[] = [];
  const { requirements, title, summary } = specKitRequirements(files.spec, warnings);
  return {
    format: 'speckit',
    title: title ?? folderName.replace(/^\d+-/, '').replace(/[-_]+/g, ' '),
    summary,
    requirements,
    tasks: specKitTasks(files.tasks, requirements, warnings),
    ...(files.plan ? { design: { file: 'plan.md', text: files.plan } } : {}),
    warnings,
  };
}

function storyOf(heading: string): { n: string; title: string } | undefined {
  for (const pattern of STORY_HEADING) {
    const match = pattern.exec(heading);
    if (match?.[1]) return { n: match[1], title: plain(match[2] ?? '') };
  }
  return undefined;
}

function specKitRequirements(text: string, warnings: string[]): { requirements: ForeignRequirement[]; title?: string; summary: string } {
  const requirements: ForeignRequirement[] = [];
  let story: { req: ForeignRequirement; level: number } | undefined;
  let title: string | undefined;
  const summary: string[] = [];
  for (const line of scanMarkdown(text)) {
    if (line.heading) {
      const { level, text: heading } = line.heading;
      if (level === 1) title ??= heading.replace(/^[^:]*:\s*/, '') || heading;
      const found = level >= 2 ? storyOf(heading) : undefined;
      if (found) {
        story = { req: { id: `US-${found.n}`, title: found.title || `User story ${found.n}`, criteria: [] }, level };
        requirements.push(story.req);
      } else if (story && level <= story.level) story = undefined;
      continue;
    }
    const body = line.item?.text ?? line.text.trim();
    const fr = FR_ITEM.exec(body);
    if (line.item && fr?.[1]) {
      const statement = plain(fr[2] ?? '');
      requirements.push({ id: fr[1], title: statement.slice(0, 100), criteria: [{ id: `${fr[1]}.1`, text: asEars(statement) }] });
      continue;
    }
    const scenario = SCENARIO.exec(body);
    if (story && line.item && scenario) {
      const [, given, when, then] = scenario.map((part) => plain(part ?? '').replace(/[,.]$/, ''));
      story.req.criteria.push({ id: `${story.req.id}.${story.req.criteria.length + 1}`, text: `WHEN ${when} (given ${given}) THE system SHALL ensure ${then}` });
      continue;
    }
    if (story && !line.item && body && !body.startsWith('**') && !story.req.story) story.req.story = plain(body);
    if (!story && requirements.length === 0 && !line.item && body && !body.startsWith('**') && summary.length < 5) summary.push(plain(body));
  }
  for (const req of requirements) if (req.criteria.length === 0) warnings.push(`spec.md: ${req.id} has no acceptance scenarios`);
  if (requirements.length === 0) warnings.push('spec.md: no user stories or FR-### requirements found');
  return { requirements, ...(title ? { title } : {}), summary: summary.join(' ') };
}

function specKitTasks(text: string, requirements: ForeignRequirement[], warnings: string[]): ForeignTask[] {
  const tasks: ForeignTask[] = [];
  let phaseStory: string | undefined;
  const ids = requirements.map((r) => r.id);
  for (const line of scanMarkdown(text)) {
    if (line.heading) {
      const found = storyOf(line.heading.text.replace(/^[^:]*:\s*/, ''));
      phaseStory = found ? `US-${found.n}` : undefined;
      continue;
    }
    if (!line.item || line.item.checked === undefined) continue;
    const match = TASK.exec(line.item.text);
    if (!match) continue;
    let rest = match[2] ?? '';
    const cites: string[] = [];
    rest = rest.replace(/\[US\s*(\d+)\]/gi, (_, n: string) => {
      cites.push(`US-${n}`);
      return '';
    });
    // [P] (parallelizable) has no meaning here: layers run in parallel by the config's waves.
    rest = rest.replace(/\[P\]/g, '');
    for (const id of ids) if (new RegExp(`\\b${id}\\b`).test(rest)) cites.push(id);
    if (cites.length === 0 && phaseStory) cites.push(phaseStory);
    tasks.push({ ref: match[1]!, text: plain(rest.replace(/\s+/g, ' ')), done: line.item.checked, cites: [...new Set(cites)] });
  }
  if (tasks.length === 0) warnings.push('tasks.md: no "- [ ] T001 …" tasks found');
  return tasks;
}
