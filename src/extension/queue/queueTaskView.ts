/**
 * A task as the sidebar shows it. Code and diffs come as a diff against the workspace file —
 * its first lines and counts, the whole of it one click away in an editor — never as the wall
 * of submitted text; prose and screenshots as submitted (bounded). Everything here came from
 * outside: its invisible and reordering characters (bidi overrides, zero-width marks, controls)
 * are shown as escapes, as in the terminal, so the reviewer reads what is really there.
 */
import type { Artifact, QueueService, TaskDetail } from '../../core/queue';
import { visibleLine, visibleText } from '../../core/text/terminalText';
import type { QueueArtifactView, QueueTaskView } from '../../shared/viewState';

const MAX_SHOWN_CHARS = 20_000;
const PREVIEW_LINES = 40;
const MAX_LINE_CHARS = 400;
const MAX_SCREENSHOT_CHARS = 2_000_000;

export async function taskView(task: TaskDetail, service: QueueService): Promise<QueueTaskView> {
  const awaiting = task.status === 'review_pending' ? task.artifacts.filter((a) => !a.decision).at(-1) : undefined;
  return {
    id: task.id,
    title: visibleLine(task.title),
    description: visibleText(task.description.slice(0, MAX_SHOWN_CHARS)),
    source: visibleLine(task.source),
    status: task.status,
    ...(task.layer ? { layer: task.layer } : {}),
    ...(task.claimer ? { claimer: visibleLine(task.claimer) } : {}),
    ...(task.leaseUntil ? { leaseUntil: task.leaseUntil } : {}),
    artifacts: await Promise.all(task.artifacts.map((a) => artifactView(a, a === awaiting ? service : undefined))),
    messages: task.messages.map((m) => ({
      author: visibleLine(m.author),
      text: visibleText(m.text.slice(0, 4000)),
      at: m.at,
    })),
  };
}

/** `service` is given for the artifact awaiting review: only it is shown, so only its diff is made. */
async function artifactView(a: Artifact, service: QueueService | undefined): Promise<QueueArtifactView> {
  const changesFiles = a.type === 'code' || a.type === 'diff';
  const preview =
    changesFiles && service
      ? await service.preview(a).catch((error: unknown) => ({
          diff: '',
          added: 0,
          removed: 0,
          files: [],
          note: `no diff: ${(error as Error).message}`,
        }))
      : undefined;
  const lines = preview ? preview.diff.split('\n').filter((line, i, all) => line !== '' || i < all.length - 1) : [];
  return {
    id: a.id,
    type: a.type,
    ...(a.path ? { path: visibleLine(a.path) } : {}),
    content: changesFiles
      ? ''
      : a.type === 'screenshot'
        ? a.content.length > MAX_SCREENSHOT_CHARS
          ? ''
          : a.content
        : visibleText(a.content.slice(0, MAX_SHOWN_CHARS)),
    ...(a.type === 'text' && a.content.length > MAX_SHOWN_CHARS ? { truncated: true } : {}),
    ...(preview
      ? {
          preview: {
            lines: lines.slice(0, PREVIEW_LINES).map((line) => visibleLine(line.slice(0, MAX_LINE_CHARS))),
            totalLines: lines.length,
            added: preview.added,
            removed: preview.removed,
            files: preview.files.slice(0, 50).map((f) => ({ ...f, path: visibleLine(f.path) })),
            ...(preview.note ? { note: visibleLine(preview.note) } : {}),
          },
        }
      : {}),
    submittedBy: visibleLine(a.submittedBy),
    submittedAt: a.submittedAt,
    ...(a.decision
      ? {
          verdict: a.decision.verdict,
          decidedBy: visibleLine(a.decision.by),
          ...(a.decision.refusal ? { refusal: visibleText(a.decision.refusal) } : {}),
        }
      : {}),
  };
}
