/**
 * The Specs page's workflow gates (issue 29): runs waiting at a phase's human gate, each with the
 * phase's name, its documents (markdown sanitized by the webview's renderer: text, its links and images shown as text, never
 * raw HTML) and, for supervisors and admins, the spec gate's three answers. A decision names the
 * phase and the question it answers, so one made on a page the run has moved past is refused.
 */
import { renderMarkdown } from '../../../webview/markdown';
import type { PortalGate as PhaseGate } from '../../shared/portalApi';
import { call, ROUTES, type Me } from './api';
import { h } from './dom';
import { labelled, timeEl } from './format';

const DONE: Record<string, string> = { approve: 'Approved', save: 'Saved for later', changes: 'Changes requested' };
const WHERE: Record<PhaseGate['state'], (gate: PhaseGate) => string> = {
  waiting: () => 'a VS Code window waits at this gate: it goes on as soon as you decide',
  saved: (gate) =>
    `saved at this gate: your decision is applied when the run continues (orchestrator resume ${gate.runId})`,
  pooled: () => 'waits in the pool: once approved, any free worker continues it',
};

export async function gatesSection(me: Me, deciders: boolean, notify: (text: string) => void): Promise<HTMLElement> {
  const gates = await call(ROUTES.gates);
  return h(
    'section',
    { class: 'gates', 'aria-labelledby': 'gates-title' },
    h('h2', { id: 'gates-title' }, 'Workflow phases waiting at their gate'),
    gates.length === 0 ? h('p', { class: 'muted' }, 'No workflow phase is waiting for a decision.') : null,
    ...gates.map((gate) => gateCard(gate, deciders, me, notify)),
  );
}

function gateCard(gate: PhaseGate, deciders: boolean, me: Me, notify: (text: string) => void): HTMLElement {
  const key = `gate-${gate.runId}-${gate.phase}`;
  const name = `Phase ${gate.phase} of ${gate.specId}`;
  const feedback = h('textarea', { name: 'feedback' });
  const decide = (action: 'approve' | 'save' | 'changes') => () => {
    call(ROUTES.decideGate, {
      params: { runId: gate.runId },
      body: {
        phase: gate.phase,
        asked: gate.asked,
        action,
        ...(action === 'changes' ? { feedback: feedback.value } : {}),
      },
    }).then(
      () => notify(`${DONE[action]}: phase ${gate.phase} of ${gate.specId} (by ${me.name})`),
      (e: Error) => notify(e.message),
    );
  };
  const pooled = gate.state === 'pooled';
  return h(
    'article',
    { class: 'spec gate', 'data-gate': key, 'aria-labelledby': key },
    h('h3', { id: key }, name),
    h(
      'p',
      { class: 'muted' },
      `${gate.workflow ?? 'workflow'} · run ${gate.runId} · asked `,
      timeEl(gate.at),
      ` · ${WHERE[gate.state](gate)}`,
    ),
    h('p', {}, gate.request),
    gate.decision
      ? h(
          'p',
          { class: 'decision' },
          `${DONE[gate.decision.action]} by ${gate.decision.by}, `,
          timeEl(gate.decision.at),
          gate.decision.feedback ? `: ${gate.decision.feedback}` : '',
        )
      : null,
    ...gate.documents.map((doc) =>
      h(
        'details',
        { open: gate.documents.length === 1 },
        h('summary', {}, 'Read ', h('code', {}, doc.path)),
        renderMarkdown(
          h('div', {
            class: 'spec-body',
            tabindex: '0',
            role: 'region',
            'aria-label': `${doc.path} (phase ${gate.phase})`,
          }),
          doc.markdown,
        ),
      ),
    ),
    deciders
      ? h(
          'section',
          { class: 'review', 'aria-label': `Decide ${name}` },
          pooled
            ? null
            : labelled(
                'What to change (for Request changes)',
                feedback,
                `Goes to phase ${gate.phase}'s role, which writes its documents again.`,
              ),
          h(
            'div',
            { class: 'actions' },
            h(
              'button',
              { type: 'button', 'data-action': 'approve', onclick: decide('approve') },
              `Approve phase ${gate.phase}`,
            ),
            pooled
              ? null
              : h(
                  'button',
                  { type: 'button', class: 'secondary', 'data-action': 'save', onclick: decide('save') },
                  'Save for later',
                ),
            pooled
              ? null
              : h(
                  'button',
                  { type: 'button', class: 'secondary', 'data-action': 'changes', onclick: decide('changes') },
                  'Request changes',
                ),
          ),
        )
      : null,
  );
}
