/**
 * The Specs page's confirmations (issue 44): pooled runs whose agent is about to do what needs a
 * person's yes (a schema file the spec does not name, a large deletion, many files…), each with
 * the agent, the kind and the files (text only), and for supervisors and admins Allow and Deny.
 * An answer names the question by when it was asked: one given on a stale page is refused.
 */
import type { PortalConfirmation as Confirmation } from '../../shared/portalApi';
import { call, ROUTES, type Me } from './api';
import { h } from './dom';
import { timeEl } from './format';

export async function confirmationsSection(
  me: Me,
  deciders: boolean,
  notify: (text: string) => void,
): Promise<HTMLElement> {
  const waiting = await call(ROUTES.confirmations);
  return h(
    'section',
    { class: 'gates confirmations', 'aria-labelledby': 'confirmations-title' },
    h('h2', { id: 'confirmations-title' }, 'Pooled runs waiting for a confirmation'),
    waiting.length === 0 ? h('p', { class: 'muted' }, 'No pooled run is waiting for a confirmation.') : null,
    ...waiting.map((c) => confirmationCard(c, deciders, me, notify)),
  );
}

function confirmationCard(c: Confirmation, deciders: boolean, me: Me, notify: (text: string) => void): HTMLElement {
  const key = `confirm-${c.runId}`;
  const answer = (allow: boolean) => () => {
    call(ROUTES.confirm, { params: { runId: c.runId }, body: { since: c.since, allow } }).then(
      () =>
        notify(`${allow ? 'Allowed' : 'Denied'}: ${c.kind} by the ${c.agent} agent of run ${c.runId} (by ${me.name})`),
      (e: Error) => notify(e.message),
    );
  };
  return h(
    'article',
    { class: 'spec gate', 'data-confirmation': c.runId, 'aria-labelledby': key },
    h('h3', { id: key }, `${c.kind} by the ${c.agent} agent`),
    h(
      'p',
      { class: 'muted' },
      `run ${c.runId}${c.specId ? ` · spec ${c.specId}` : ''} · asked `,
      timeEl(c.since),
      ' · the run waits on its worker until you answer',
    ),
    h('p', {}, c.question),
    h('ul', {}, ...c.paths.map((path) => h('li', {}, h('code', {}, path)))),
    deciders
      ? h(
          'div',
          {
            class: 'actions',
            role: 'group',
            'aria-label': `Answer ${c.kind} by the ${c.agent} agent of run ${c.runId}`,
          },
          h('button', { type: 'button', 'data-action': 'allow', onclick: answer(true) }, 'Allow'),
          h('button', { type: 'button', class: 'secondary', 'data-action': 'deny', onclick: answer(false) }, 'Deny'),
        )
      : null,
  );
}
