/**
 * Spec Kit's tasks.md: `- [ ] T012 [P] [US1] …` items (ids with a letter inserted later, such
 * as `T010a`), tasks written as headings (`### T001 Verify the logo asset ✅`), and checkbox
 * lists that are not tasks (a checklist to tick by hand): those are kept apart. Tasks cite
 * stories (`[US1]`), ids written out (`FR-007`), or the story of their phase heading.
 */
import type { ForeignRequirement, ForeignTask } from './foreignSpec';
import { isLinkLine, numberedLinks, storyTags, unique, writtenIds } from './links';
import { joinLines, readMarkdown } from './markdown';
import { storyOf } from './storyHeading';

// `T012`, `T010a` (inserted later), `T2-001` (phase-prefixed).
const TASK_ID = /^[*_`]*(T\d+(?:-\d+)?[a-zA-Z]?)[*_`]*[:.]?(?:\s+|$)(.*)$/u;
/**
 * Sections that only talk about tasks listed above them ("Parallel opportunities", "Dependencies
 * & execution order", "Implementation strategy", as Spec Kit's template titles them, in the
 * languages seen): the ids they list again are not new tasks. The whole title must be one of
 * these (a trailing "(…)", ": User Story 1" or colon aside), so a phase about, say, sales
 * opportunities keeps its tasks.
 */
const SUMMARY_TITLES = [
  String.raw`parallel(?:i[sz]ation)?(?:\s+(?:opportunities|execution|work|tasks|team\s+strategy|groups?|examples?))?`,
  String.raw`(?:phase\s+|user\s+story\s+|story\s+|task\s+)?dependencies(?:\s*(?:&|and)\s*execution\s+order)?`,
  String.raw`execution\s+order|within\s+each\s+user\s+story|implementation\s+strategy|mvp\s+first|incremental\s+delivery`,
  String.raw`(?:task\s+)?summary|notes|task\s+count|total\s+tasks`,
  String.raw`oportunidades\s+de\s+paralelismo|paralelismo|dependencias|depend[eê]ncias|orden\s+de\s+ejecuci[oó]n|ordem\s+de\s+execu[cç][aã]o`,
  String.raw`estrategia\s+de\s+implementaci[oó]n|estrat[eé]gia\s+de\s+implementa[cç][aã]o|resumen|resumo|notas`,
  String.raw`并行(?:机会|执行|示例)?|並行(?:実行|作業|の機会)?|依赖(?:关系)?|依存関係|实施策略|実装戦略`,
].join('|');
const SUMMARY = new RegExp(
  String.raw`^[\s*_#\d.]*(?:${SUMMARY_TITLES})[*_]*(?:\s*\(.*\))?(?:\s*[:：-].*)?[\s*_]*$`,
  'iu',
);
const DONE_MARKS = /\s*(?:✅|✔️?|☑️?|\[x\])\s*/giu;
const DONE = /✅|✔|☑|\[x\]/iu;

export function specKitTasks(
  text: string,
  requirements: readonly ForeignRequirement[],
  warnings: string[],
): { tasks: ForeignTask[]; checklists: string[] } {
  const tasks: ForeignTask[] = [];
  const checklists: string[] = [];
  const taskAt = new Map<number, ForeignTask>();
  const known = new Set(requirements.flatMap((r) => [r.id, ...r.criteria.map((c) => c.id)]));
  let phase: { story: string; level: number } | undefined;
  let headingTask: ForeignTask | undefined;
  let section = '';
  // Under a summary heading, or after a summary's short label (`**Parallel opportunities**:`) until the next paragraph.
  let summarySection = false;
  let summaryLabel = false;
  const seen = new Set<string>();
  readMarkdown(text).blocks.forEach((block, index) => {
    if (block.kind === 'heading') {
      summarySection = !TASK_ID.test(block.text) && SUMMARY.test(block.text);
      summaryLabel = false;
    } else if (block.kind === 'text' && block.level === 0)
      summaryLabel = headingTask === undefined && block.text.length <= 80 && SUMMARY.test(block.text);
    if (summarySection || summaryLabel) return;
    if (block.kind === 'heading') {
      const heading = TASK_ID.exec(block.text);
      if (heading && !seen.has(heading[1]!)) {
        seen.add(heading[1]!);
        const done = DONE.test(block.text);
        headingTask = task(
          heading[1]!,
          heading[2]!.replace(DONE_MARKS, ' '),
          done ? 'done' : 'open',
          phase?.story,
          known,
        );
        tasks.push(headingTask);
        return;
      }
      headingTask = undefined;
      section = block.text;
      const found = storyOf(block.text.replace(/^[^:：]*[:：]\s*/, ''));
      // `### Tests for User Story 1` under its phase keeps the phase's story.
      if (found) phase = { story: `US-${found.n}`, level: block.level };
      else if (phase && block.level <= phase.level) phase = undefined;
      return;
    }
    const own = TASK_ID.exec(block.lines[0] ?? '');
    if (
      block.kind === 'item' &&
      own &&
      (block.state !== undefined || block.parent === undefined) &&
      !seen.has(own[1]!)
    ) {
      seen.add(own[1]!);
      const made = task(
        own[1]!,
        joinLines([own[2]!, ...block.lines.slice(1)].filter((l) => !isLinkLine(l))),
        block.state ?? 'open',
        phase?.story,
        known,
      );
      made.cites = unique([...made.cites, ...numberedLinks(block.lines.filter(isLinkLine).join('\n'))]);
      tasks.push(made);
      taskAt.set(index, made);
      return;
    }
    // A detail under a task (or under a task heading) belongs to that task.
    const owner =
      (block.parent !== undefined ? taskAt.get(block.parent) : undefined) ??
      (block.level === 0 ? headingTask : undefined);
    if (owner) {
      const ids = writtenIds(block.text, known);
      owner.cites = unique([...owner.cites, ...storyTags(block.text).ids, ...ids]);
      (owner.details ??= []).push(block.text);
      taskAt.set(index, owner);
      return;
    }
    if (block.kind === 'item' && block.state !== undefined)
      checklists.push(`${section ? `${section}: ` : ''}[${block.state === 'done' ? 'x' : ' '}] ${block.text}`);
  });
  if (tasks.length === 0) warnings.push('tasks.md: no "- [ ] T001 …" tasks or "### T001 …" task headings found');
  return { tasks, checklists };
}

function task(
  ref: string,
  raw: string,
  state: NonNullable<ForeignTask['state']>,
  phaseStory: string | undefined,
  known: ReadonlySet<string>,
): ForeignTask {
  const { ids, rest } = storyTags(raw);
  // [P] (parallelizable) has no meaning here: layers run in parallel by the config's waves.
  // `### T2-002 [P]: Title`: the colon after the marker goes with it.
  const text = rest
    .replace(/\[P\]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[:：.]\s*/u, '');
  const cites = unique([...ids, ...writtenIds(text, known)]);
  if (cites.length === 0 && phaseStory) cites.push(phaseStory);
  return { ref, text, done: state === 'done', state, cites };
}
