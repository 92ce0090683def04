/** The portal's screens: sign-in, tasks by status and source, one task, a new task (accounts: accountsView.ts). */
import type { TaskStatus } from '../../shared/portalApi';
import { call, ROUTES, type Me } from './api';
import { field, h, show } from './dom';
import { labelled, statusWords, timeEl } from './format';

export { accountsView } from './accountsView';

const STATUSES: TaskStatus[] = ['review_pending', 'pending', 'claimed', 'in_progress', 'rejected', 'approved', 'done'];
export const decides = (me: Me) => me.role === 'admin' || me.role === 'supervisor';

export function signInView(main: HTMLElement, onSignedIn: (me: Me) => void): void {
  const error = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { class: 'stack', 'aria-label': 'Sign in' },
    h('h1', {}, 'Sign in'),
    h('label', {}, 'Name', h('input', { name: 'name', autocomplete: 'username', required: true })),
    h(
      'label',
      {},
      'Password',
      h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    ),
    h('button', { type: 'submit' }, 'Sign in'),
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    call(ROUTES.signIn, { body: { name: field(data, 'name'), password: field(data, 'password') } }).then(
      onSignedIn,
      (e: Error) => (error.textContent = e.message),
    );
  });
  show(main, form);
  form.querySelector('input')?.focus();
  // With OpenID Connect configured: a plain link to the server's redirect (no script in the way).
  void call(ROUTES.signInOptions).then(
    ({ oidc }) => {
      if (oidc && form.isConnected)
        main.append(
          h(
            'p',
            { class: 'or' },
            h('a', { class: 'button secondary', href: oidc.start }, `Sign in with ${oidc.label}`),
          ),
        );
    },
    () => undefined,
  );
}

/** The queue a page at a time (any size stays light): counts per status as links, the loaded tasks by status, "Show more" for the next page. */
export async function tasksView(main: HTMLElement, filter: { source?: string; status?: string }): Promise<void> {
  const query = (extra: Record<string, string | undefined>) =>
    new URLSearchParams(
      Object.entries({ ...filter, ...extra }).filter((e): e is [string, string] => !!e[1]),
    ).toString();
  const first = await call(ROUTES.tasks, { query: filter });
  const tasks = [...first.tasks];
  let next = first.nextCursor;
  const sources = [...new Set([...tasks.map((t) => t.source), ...(filter.source ? [filter.source] : [])])].sort();
  const select = h(
    'select',
    {
      'aria-label': 'Source',
      onchange: () =>
        (location.hash = `#/tasks?${new URLSearchParams(select.value ? { source: select.value } : {}).toString()}`),
    },
    h('option', { value: '' }, 'every source'),
    ...sources.map((s) => h('option', { value: s, ...(s === filter.source ? { selected: true } : {}) }, s)),
  );
  const link = (status: string | undefined, label: string, n: number) =>
    h(
      'a',
      {
        href: `#/tasks?${query({ status })}`,
        ...(status === filter.status ? { 'aria-current': 'page' } : {}),
        'data-count': status ?? 'all',
      },
      `${label} (${n})`,
    );
  const counts = h(
    'nav',
    { class: 'counts', 'aria-label': 'Tasks per status' },
    link(undefined, 'All', first.total),
    ...STATUSES.filter((status) => first.counts[status]).map((status) =>
      link(status, statusWords(status), first.counts[status]!),
    ),
  );
  const list = h('div', { class: 'task-list' });
  const more = h('button', { type: 'button', class: 'secondary', onclick: () => void loadMore() }, 'Show more');
  const draw = () => {
    const groups = STATUSES.map((status) => [status, tasks.filter((t) => t.status === status)] as const).filter(
      ([, group]) => group.length > 0,
    );
    list.replaceChildren(
      ...(groups.length === 0 ? [h('p', { class: 'muted' }, 'No tasks.')] : []),
      ...groups.map(([status, group]) =>
        h(
          'section',
          { class: 'group', 'data-status': status },
          h('h2', {}, `${statusWords(status)} (${first.counts[status] ?? group.length})`),
          h(
            'table',
            {},
            h(
              'tbody',
              {},
              ...group.map((t) =>
                h(
                  'tr',
                  { 'data-task': t.id },
                  h('td', {}, h('a', { href: `#/task/${t.id}` }, t.title)),
                  h('td', { class: 'muted' }, t.source),
                  h('td', { class: 'muted' }, t.claimer ?? t.requester ?? ''),
                  h('td', { class: 'muted' }, timeEl(t.updatedAt)),
                ),
              ),
            ),
          ),
        ),
      ),
    );
    more.hidden = !next;
  };
  const loadMore = async () => {
    if (!next) return;
    const page = await call(ROUTES.tasks, { query: { ...filter, cursor: next } });
    tasks.push(...page.tasks);
    next = page.nextCursor;
    draw();
  };
  draw();
  show(main, h('h1', {}, 'Tasks'), h('label', {}, 'Source ', select), counts, list, h('p', {}, more));
}

function diffBlock(diff: string): HTMLElement {
  return h(
    'pre',
    { class: 'diff', 'aria-label': 'Changes', tabindex: '0' },
    ...diff.split('\n').map((line) =>
      h(
        'span',
        {
          class:
            line.startsWith('+') && !line.startsWith('+++')
              ? 'add'
              : line.startsWith('-') && !line.startsWith('---')
                ? 'del'
                : '',
        },
        `${line}\n`,
      ),
    ),
  );
}

export async function taskView(main: HTMLElement, me: Me, id: string, notify: (text: string) => void): Promise<void> {
  const task = await call(ROUTES.task, { params: { id } });
  const awaiting = task.status === 'review_pending' ? task.artifacts.filter((a) => !a.decision).at(-1) : undefined;
  const comment = h('textarea', { name: 'comment' });
  const decide = (verdict: 'approved' | 'rejected') => () => {
    call(ROUTES.review, {
      params: { id: task.id },
      body: { verdict, artifactId: awaiting!.id, comment: comment.value },
    }).then(
      (outcome) =>
        notify(
          outcome.refusal
            ? `Approved, but not applied: ${outcome.refusal}`
            : verdict === 'approved'
              ? `Approved${outcome.files.length ? `: ${outcome.files.join(', ')}` : ''}`
              : 'Rejected',
        ),
      (e: Error) => notify(e.message),
    );
  };
  const message = h('textarea', { name: 'message' });
  show(
    main,
    h('p', {}, h('a', { href: '#/tasks' }, '← Tasks')),
    h('h1', {}, task.title),
    h(
      'p',
      { class: 'muted' },
      `${task.id} · `,
      h('span', { 'data-status': task.status }, statusWords(task.status)),
      ` · ${task.source}${task.requester ? ` · from ${task.requester}` : ''}${task.claimer ? ` · claimed by ${task.claimer}` : ''} · updated `,
      timeEl(task.updatedAt),
    ),
    task.description ? h('p', { class: 'description' }, task.description) : null,
    h('h2', {}, 'Thread'),
    h(
      'ul',
      { class: 'thread' },
      ...task.messages.map((m) => h('li', {}, h('span', { class: 'muted' }, timeEl(m.at), ` ${m.author}: `), m.text)),
    ),
    decides(me)
      ? h(
          'div',
          { class: 'composer' },
          labelled('Message to the thread', message, "Posted in the task's thread for the claimer to read."),
          h(
            'div',
            { class: 'actions' },
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                onclick: () =>
                  void call(ROUTES.message, { params: { id: task.id }, body: { text: message.value } }).catch(
                    (e: Error) => notify(e.message),
                  ),
              },
              'Send message',
            ),
          ),
        )
      : null,
    task.replies.length ? h('h2', {}, `Replies to ${task.requester ?? 'the requester'}`) : null,
    task.replies.length
      ? h(
          'ul',
          { class: 'thread' },
          ...task.replies.map((r) =>
            h(
              'li',
              { 'data-reply': r.id },
              h(
                'span',
                { class: r.sentAt ? 'muted' : 'error' },
                ...(r.sentAt
                  ? ['sent ', timeEl(r.sentAt), ': ']
                  : [r.lastError ? `not sent yet (${r.attempts} attempt(s); ${r.lastError}): ` : 'sending: ']),
              ),
              r.body,
            ),
          ),
        )
      : null,
    h('h2', {}, 'Artifacts'),
    ...task.artifacts.map((a) =>
      h(
        'article',
        { class: 'artifact', 'data-artifact': a.id },
        h(
          'h3',
          { class: 'artifact-head' },
          `${a.type}${a.path ? ` → ${a.path}` : ''} from ${a.submittedBy}, `,
          timeEl(a.submittedAt),
        ),
        a.decision
          ? h(
              'p',
              { class: 'muted' },
              `${a.decision.verdict} by ${a.decision.by}, `,
              timeEl(a.decision.at),
              `${a.decision.comment ? `: ${a.decision.comment}` : ''}${a.decision.refusal ? ` (not applied: ${a.decision.refusal})` : ''}`,
            )
          : null,
        task.preview?.artifactId === a.id
          ? h(
              'div',
              {},
              h(
                'p',
                { class: 'muted' },
                `+${task.preview.added} −${task.preview.removed} · ${task.preview.files.map((f) => `${f.path} (${f.status})`).join(', ')}${task.preview.note ? ` · ${task.preview.note}` : ''}`,
              ),
              diffBlock(task.preview.diff),
            )
          : a.type === 'screenshot'
            ? h('img', { alt: 'Submitted screenshot', src: `data:image/png;base64,${a.content}` })
            : h('pre', { class: 'diff', 'aria-label': `Content of ${a.type} artifact`, tabindex: '0' }, a.content),
        awaiting?.id === a.id && decides(me)
          ? h(
              'section',
              { class: 'review', 'aria-label': 'Your review' },
              labelled(
                'Review comment',
                comment,
                'Goes to the claimer with your Approve or Reject, not as a thread message.',
              ),
              h(
                'div',
                { class: 'actions' },
                h('button', { type: 'button', 'data-action': 'approve', onclick: decide('approved') }, 'Approve'),
                h(
                  'button',
                  { type: 'button', class: 'secondary', 'data-action': 'reject', onclick: decide('rejected') },
                  'Reject',
                ),
              ),
            )
          : null,
      ),
    ),
  );
}

export function newTaskView(main: HTMLElement, notify: (text: string) => void): void {
  const form = h(
    'form',
    { class: 'stack', 'aria-label': 'New task' },
    h('h1', {}, 'New task'),
    h('label', {}, 'Title', h('input', { name: 'title', required: true, maxlength: '300' })),
    h('label', {}, 'Description', h('textarea', { name: 'description' })),
    h('button', { type: 'submit' }, 'Add task'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    call(ROUTES.addTask, { body: { title: field(data, 'title'), description: field(data, 'description') } }).then(
      (task) => (location.hash = `#/task/${task.id}`),
      (e: Error) => notify(e.message),
    );
  });
  show(main, form);
}
