/**
 * The task queue (seed 004): tasks by status, who holds a claim and until when, and the
 * artifacts outside agents submitted, with their thread and Approve / Reject. A new task can be
 * added here; outside agents claim it over MCP.
 */
import type { QueueArtifactView, QueueTaskView, QueueView } from '../../src/shared/protocol.js';
import { badge, button, h } from '../dom.js';
import { collapsible, type Ctx, type Section } from '../section.js';

const ORDER: QueueTaskView['status'][] = [
  'review_pending',
  'in_progress',
  'claimed',
  'pending',
  'approved',
  'rejected',
  'done',
];
const LABEL: Record<QueueTaskView['status'], string> = {
  review_pending: 'waiting for review',
  in_progress: 'in progress',
  claimed: 'claimed',
  pending: 'pending',
  approved: 'approved',
  rejected: 'rejected',
  done: 'done',
};

type Field = HTMLElement & { value: string; invalid: boolean };

function field(id: string, placeholder: string, rows: number): Field {
  return h('vscode-textarea', { id, 'data-testid': id, placeholder, rows, resize: 'vertical' }) as Field;
}

function newTaskForm(ctx: Ctx): HTMLElement {
  const title = field('queue-new-title', 'New task: what should an outside agent do?', 1);
  const description = field('queue-new-description', 'Details (optional)', 2);
  const add = () => {
    if (!title.value.trim()) {
      title.invalid = true;
      title.focus();
      return;
    }
    ctx.post({ type: 'queueCreate', title: title.value.trim(), description: description.value });
    title.value = '';
    description.value = '';
  };
  return h('div', { class: 'queue-new', 'data-testid': 'queue-new' }, [
    title,
    description,
    h('div', { class: 'toolbar' }, [button('btn-queue-add', 'Add task', add, { secondary: true })]),
  ]);
}

/** A diff line's kind, for its colour: added, removed, a hunk or file header, or context. */
function lineClass(line: string): string {
  if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('@@')) return 'meta';
  if (line.startsWith('+')) return 'add';
  if (line.startsWith('-')) return 'del';
  return 'ctx';
}

/** Code and diffs: the change against the workspace file, its first lines, and the whole of it in an editor. */
function diffPreview(
  task: QueueTaskView,
  a: QueueArtifactView,
  preview: NonNullable<QueueArtifactView['preview']>,
  ctx: Ctx,
): HTMLElement {
  const files = preview.files.map((f) => `${f.path} (${f.status})`).join(', ');
  const opened = preview.files.find((f) => f.status === 'modified');
  const more = preview.totalLines - preview.lines.length;
  return h('div', { class: 'queue-diff', 'data-testid': 'queue-artifact-diff' }, [
    h('div', { class: 'muted' }, [`+${preview.added} −${preview.removed}`, files ? ` · ${files}` : '']),
    preview.note ? h('p', { class: 'queue-refusal' }, [preview.note]) : null,
    h(
      'pre',
      { class: 'queue-artifact-content diff', 'data-testid': 'queue-artifact-content' },
      preview.lines.map((line) => h('span', { class: `diff-${lineClass(line)}` }, [`${line}\n`])),
    ),
    more > 0 ? h('div', { class: 'muted' }, [`… ${more} more line(s)`]) : null,
    h('div', { class: 'toolbar' }, [
      button(
        `btn-queue-show-diff`,
        'Show diff',
        () => ctx.post({ type: 'queueShowDiff', taskId: task.id, artifactId: a.id }),
        { secondary: true, title: 'The whole change in the diff editor' },
      ),
      opened
        ? button(`btn-queue-open-file`, 'Open', () => ctx.post({ type: 'openFile', path: opened.path }), {
            secondary: true,
            title: `Open ${opened.path} as it is in the workspace`,
          })
        : null,
    ]),
  ]);
}

function artifactBody(task: QueueTaskView, a: QueueArtifactView, ctx: Ctx): HTMLElement {
  if (a.preview) return diffPreview(task, a, a.preview, ctx);
  if (a.type === 'screenshot')
    return a.content
      ? h('img', {
          class: 'queue-screenshot',
          src: `data:image/png;base64,${a.content}`,
          alt: `screenshot from ${a.submittedBy}`,
        })
      : h('p', { class: 'muted' }, ['(screenshot too large to show)']);
  return h('pre', { class: `queue-artifact-content ${a.type}`, 'data-testid': 'queue-artifact-content' }, [
    a.content + (a.truncated ? '\n… (cut: open it with orchestrator task review)' : ''),
  ]);
}

function reviewControls(task: QueueTaskView, artifact: QueueArtifactView, trusted: boolean, ctx: Ctx): HTMLElement {
  const comment = field(`queue-comment-${task.id}`, 'Comment (sent to the claimer; required to reject)', 2);
  const decide = (verdict: 'approved' | 'rejected') => {
    if (verdict === 'rejected' && !comment.value.trim()) {
      comment.invalid = true;
      comment.focus();
      return;
    }
    ctx.post({
      type: 'queueReview',
      taskId: task.id,
      artifactId: artifact.id,
      verdict,
      ...(comment.value.trim() ? { comment: comment.value.trim() } : {}),
    });
  };
  return h('div', { class: 'queue-review', 'data-testid': 'queue-review' }, [
    comment,
    h('div', { class: 'toolbar' }, [
      button(`btn-queue-approve`, 'Approve', () => decide('approved'), {
        disabled: !trusted,
        title: trusted ? "Apply through the layer's gates and validation" : 'Trust the workspace to apply work',
      }),
      button(`btn-queue-reject`, 'Reject', () => decide('rejected'), { secondary: true }),
    ]),
  ]);
}

function lease(task: QueueTaskView): string | null {
  if (!task.claimer) return null;
  const until =
    task.leaseUntil && (task.status === 'claimed' || task.status === 'in_progress')
      ? ` · lease until ${new Date(task.leaseUntil).toLocaleTimeString()}`
      : '';
  return `claimed by ${task.claimer}${until}`;
}

function taskItem(task: QueueTaskView, trusted: boolean, ctx: Ctx): HTMLElement {
  const pending = task.status === 'review_pending' ? task.artifacts.filter((a) => !a.verdict).at(-1) : undefined;
  const refused = task.artifacts.filter((a) => a.refusal).at(-1);
  return h(
    'li',
    {
      class: `queue-task ${task.status}`,
      'data-testid': 'queue-task',
      'data-task-id': task.id,
      'data-status': task.status,
    },
    [
      h('div', {}, [
        h('strong', {}, [task.title]),
        ' ',
        badge(LABEL[task.status], { 'data-testid': 'queue-task-status' }),
      ]),
      h('div', { class: 'muted' }, [
        [task.id, task.layer ? `layer ${task.layer}` : null, `from ${task.source}`, lease(task)]
          .filter(Boolean)
          .join(' · '),
      ]),
      task.description ? h('div', { class: 'queue-description' }, [task.description]) : null,
      task.messages.length
        ? h(
            'ul',
            { class: 'queue-thread', 'data-testid': 'queue-thread' },
            task.messages.map((m) => h('li', {}, [h('span', { class: 'muted' }, [`${m.author}: `]), m.text])),
          )
        : null,
      refused && task.status !== 'review_pending'
        ? h('p', { class: 'queue-refusal' }, [`Last approval not applied: ${refused.refusal}`])
        : null,
      pending
        ? h('div', { class: 'queue-artifact', 'data-testid': 'queue-artifact', 'data-artifact-id': pending.id }, [
            h('div', {}, [
              badge(pending.type),
              ' ',
              pending.path ? h('code', {}, [pending.path]) : null,
              h('span', { class: 'muted' }, [` from ${pending.submittedBy}`]),
            ]),
            artifactBody(task, pending, ctx),
            reviewControls(task, pending, trusted, ctx),
          ])
        : null,
    ],
  );
}

export const queue: Section<{ queue?: QueueView; trusted: boolean; hasWorkspace: boolean }> = {
  id: 'queue',
  select: (s) => ({ queue: s.queue, trusted: s.trusted, hasWorkspace: s.hasWorkspace }),
  render({ queue: q, trusted, hasWorkspace }, ctx) {
    if (!hasWorkspace || !q) return null;
    const tasks = [...q.tasks].sort((a, b) => ORDER.indexOf(a.status) - ORDER.indexOf(b.status));
    const waiting = tasks.filter((t) => t.status === 'review_pending').length;
    const children: Node[] = [
      ...(q.error
        ? [h('p', { class: 'queue-error', 'data-testid': 'queue-error' }, [`The queue could not be read: ${q.error}`])]
        : []),
      tasks.length
        ? h(
            'ul',
            { class: 'list', 'data-testid': 'queue-tasks' },
            tasks.map((t) => taskItem(t, trusted, ctx)),
          )
        : h('p', { class: 'muted' }, ['No tasks. Outside agents (Copilot, Claude Code…) see this queue over MCP.']),
      newTaskForm(ctx),
    ];
    const description = waiting ? `${waiting} to review` : `${tasks.filter((t) => t.status !== 'done').length} open`;
    return h('section', { id: 'queue-panel', 'data-testid': 'queue-panel' }, [
      collapsible(ctx, 'queue', 'Task queue', waiting > 0 || tasks.length > 0, children, description),
    ]);
  },
};
