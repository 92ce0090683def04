/**
 * The Specs page: specs of the workspace waiting at the approval gate, each with its text, and for
 * supervisors and admins the sidebar's three answers (approve / save for later / request changes).
 * The server records the decision with the account's name; agents see the page without the buttons.
 */
import { renderMarkdown } from '../../../webview/markdown';
import type { PortalSpec as GateSpec } from '../../shared/portalApi';
import { attemptsPerLayer, call, MAX_ATTEMPTS, ROUTES, type Me } from './api';
import { h, show } from './dom';
import { changeSetsSection } from './changeSetsView';
import { confirmationsSection } from './confirmationsView';
import { gatesSection } from './gatesView';
import { labelled, statusWords, timeEl } from './format';

/** Links to the issue and its spec comment; only https addresses become links. */
function githubLinks(github: NonNullable<GateSpec['github']>): HTMLElement {
  const link = (url: string | undefined, text: string) =>
    url?.startsWith('https://') ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, text) : null;
  return h(
    'p',
    { class: 'github', 'data-testid': 'github-links' },
    `From GitHub issue #${github.issue}: `,
    link(github.issueUrl, 'the issue'),
    ' · ',
    link(github.commentUrl, 'its spec comment'),
    ' (approving here is seen there)',
  );
}

/**
 * Work no layer owns, and the layers the model proposed for tasks naming no file (each shown;
 * approving accepts them). A decider changes them here (`assign`): a picker per task, preselected
 * on the proposal, as the sidebar's.
 */
function unownedNotes(
  items: NonNullable<GateSpec['unowned']>,
  assign?: (picks: { task: string; layer: string }[]) => void,
): (HTMLElement | null)[] {
  const proposals = items.filter((u) => u.pick?.proposed !== undefined);
  const rest = items.filter((u) => u.pick?.proposed === undefined);
  const picked = items.filter((u) => u.pick !== undefined);
  const where = assign ? 'pick their layers below' : 'assign them in VS Code or with approve --assign';
  return [
    rest.length
      ? h(
          'p',
          { class: 'error' },
          `${rest.length} task(s) or file(s) no layer owns (${rest
            .slice(0, 3)
            .map((u) => `line ${u.line}`)
            .join(', ')}): ${where} before approving.`,
        )
      : null,
    proposals.length
      ? h(
          'div',
          { class: 'proposals', 'data-testid': 'layer-proposals' },
          h(
            'p',
            {},
            `The model proposed the layer of ${proposals.length} task(s) naming no file; approving accepts them (${assign ? 'change one below' : 'change one in VS Code or with approve --assign'}):`,
          ),
          h(
            'ul',
            {},
            ...proposals.map((u) => h('li', {}, `${u.pick!.task} → ${u.pick!.proposed}: line ${u.line}, “${u.text}”`)),
          ),
        )
      : null,
    assign && picked.length ? layerPickers(picked, assign) : null,
  ];
}

/** A labelled layer picker per task naming no file, and one Assign for those picked. */
function layerPickers(
  items: NonNullable<GateSpec['unowned']>,
  assign: (picks: { task: string; layer: string }[]) => void,
): HTMLElement {
  const pickers = items.map((u) => {
    const { task, layers, proposed } = u.pick!;
    const select = h(
      'select',
      { 'data-testid': 'layer-pick', 'data-task': task },
      h('option', { value: '' }, 'Choose a layer'),
      ...layers.map((layer) => h('option', { value: layer, selected: layer === proposed }, layer)),
    );
    return { task, select, field: labelled(`Layer for task ${task}`, select, `Line ${u.line}: ${u.text}`) };
  });
  const submit = () => {
    const picks = pickers.filter((p) => p.select.value !== '').map((p) => ({ task: p.task, layer: p.select.value }));
    if (picks.length > 0) assign(picks);
  };
  return h(
    'section',
    { class: 'layer-picks', 'aria-label': 'Layers for tasks naming no file' },
    ...pickers.map((p) => p.field),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', 'data-action': 'assign', onclick: submit }, 'Assign layers'),
    ),
  );
}

const DONE: Record<string, string> = { approve: 'Approved', save: 'Saved for later', changes: 'Changes requested' };

export async function specsView(
  main: HTMLElement,
  me: Me,
  deciders: boolean,
  notify: (text: string) => void,
): Promise<void> {
  const [specs, gates, confirmations, sets] = await Promise.all([
    call(ROUTES.specs),
    gatesSection(me, deciders, notify),
    confirmationsSection(me, deciders, notify),
    changeSetsSection(),
  ]);
  show(
    main,
    h('h1', {}, 'Specs waiting for approval'),
    h(
      'p',
      { class: 'muted' },
      'Approving records your decision in the spec: a VS Code window waiting at its gate implements it at once; a spec saved from the CLI is implemented by the next ',
      h('code', {}, 'orchestrator approve <id>'),
      '.',
    ),
    specs.length === 0 ? h('p', { class: 'muted' }, 'No spec is waiting for approval.') : null,
    ...specs.map((spec) => specCard(spec, deciders, me, notify)),
    sets,
    gates,
    confirmations,
  );
}

/**
 * A pooled spec's attempts per layer (docs/attempts.md), sent with its approval; empty, the
 * config's. Only there: a run elsewhere keeps the attempts it started with.
 */
function attemptsInput(spec: GateSpec): HTMLInputElement | undefined {
  if (spec.pool === undefined) return undefined;
  return h('input', {
    type: 'number',
    name: 'attempts',
    min: '1',
    max: String(MAX_ATTEMPTS),
    step: '1',
    placeholder: 'config',
    'data-testid': 'attempts',
    title: `Every layer tried this many times (1 to ${MAX_ATTEMPTS}), each attempt in its own worktree; the one its checks prove best is kept. Empty: the config's attempts.`,
  });
}

function specCard(spec: GateSpec, deciders: boolean, me: Me, notify: (text: string) => void): HTMLElement {
  const feedback = h('textarea', { name: 'feedback' });
  const attempts = attemptsInput(spec);
  const decide = (action: 'approve' | 'save' | 'changes') => () => {
    // A value the box does not hold as a number (2.5, 0) goes as typed: the server's refusal names the field.
    const n = action === 'approve' && attempts && attempts.value !== '' ? Number(attempts.value) : undefined;
    call(ROUTES.decideSpec, {
      params: { specId: spec.id },
      body: {
        action,
        ...(action === 'changes' ? { feedback: feedback.value } : {}),
        ...(n !== undefined ? { attempts: n } : {}),
      },
    }).then(
      () =>
        notify(`${DONE[action]}: ${spec.title} (by ${me.name}${n !== undefined ? `, ${attemptsPerLayer(n)}` : ''})`),
      (e: Error) => notify(e.message),
    );
  };
  const assign = (assignments: { task: string; layer: string }[]) => {
    call(ROUTES.assignLayers, { params: { specId: spec.id }, body: { assignments } }).then(
      () => notify(`Layers assigned: ${assignments.map((a) => `${a.task} → ${a.layer}`).join(', ')} (${spec.title})`),
      (e: Error) => notify(e.message),
    );
  };
  return h(
    'article',
    { class: 'spec', 'data-spec': spec.id, 'aria-labelledby': `spec-${spec.id}` },
    h('h2', { id: `spec-${spec.id}` }, spec.title),
    h(
      'p',
      { class: 'muted' },
      `${spec.id} · ${spec.kind} · `,
      h('span', { class: 'badge', 'data-status': spec.status }, statusWords(spec.status)),
      ' · written ',
      timeEl(spec.created),
    ),
    spec.github ? githubLinks(spec.github) : null,
    spec.decision
      ? h(
          'p',
          { class: 'decision' },
          `${DONE[spec.decision.action]} by ${spec.decision.by}, `,
          timeEl(spec.decision.at),
          spec.decision.feedback ? `: ${spec.decision.feedback}` : '',
        )
      : null,
    ...unownedNotes(spec.unowned ?? [], deciders && !spec.github && spec.pool === undefined ? assign : undefined),
    h(
      'details',
      {},
      h('summary', {}, 'Read the spec'),
      renderMarkdown(
        h('div', { class: 'spec-body', tabindex: '0', role: 'region', 'aria-label': `The spec ${spec.title}` }),
        spec.markdown,
      ),
    ),
    deciders
      ? h(
          'section',
          { class: 'review', 'aria-label': `Decide ${spec.title}` },
          labelled('What to change (for Request changes)', feedback, 'Goes to the spec agent, which revises the spec.'),
          h(
            'div',
            { class: 'actions' },
            h('button', { type: 'button', 'data-action': 'approve', onclick: decide('approve') }, 'Approve'),
            attempts ? h('label', { class: 'attempts' }, 'Attempts per layer', attempts) : null,
            spec.github
              ? null
              : h(
                  'button',
                  { type: 'button', class: 'secondary', 'data-action': 'save', onclick: decide('save') },
                  'Save for later',
                ),
            h(
              'button',
              { type: 'button', class: 'secondary', 'data-action': 'changes', onclick: decide('changes') },
              'Request changes',
            ),
          ),
        )
      : null,
  );
}
