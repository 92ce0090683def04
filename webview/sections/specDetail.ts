/**
 * The selected spec rendered from markdown, with the decision buttons: Approve and implement /
 * Save for later / Request changes (with feedback) while the engine waits, or Approve for a
 * spec saved earlier.
 */
import { isSavedSpec, type SelectedSpec, type SpecItem } from '../../src/shared/protocol.js';
import { badge, button, h } from '../dom.js';
import { renderMarkdown } from '../markdown.js';
import type { Ctx, Section } from '../section.js';

interface Slice {
  spec?: SelectedSpec;
  title?: string;
  status?: string;
  /** A Mustard folder `approve` refuses (finished in Mustard): why, instead of the button. */
  refusal?: string;
  /** A Kiro or Spec Kit folder not imported yet. */
  foreign?: SpecItem['foreign'];
  /** The file shown (a folder's requirements.md or spec.md). */
  path?: string;
  pending: boolean;
  busy: boolean;
  trusted: boolean;
}

function decisionControls(spec: SelectedSpec, trusted: boolean, ctx: Ctx): HTMLElement {
  const textarea = h('vscode-textarea', {
    id: 'feedback-input',
    'data-testid': 'feedback-input',
    placeholder: 'What should change in this spec?',
    rows: 3,
    resize: 'vertical',
  }) as HTMLElement & { value: string; invalid: boolean };
  textarea.value = ctx.ui.feedback[spec.id] ?? '';
  textarea.addEventListener('input', () => {
    ctx.ui.feedback[spec.id] = textarea.value;
    textarea.invalid = false;
    ctx.saveUi();
  });
  const requestChanges = () => {
    const feedback = (ctx.ui.feedback[spec.id] ?? '').trim();
    if (!feedback) {
      textarea.invalid = true;
      textarea.focus();
      return;
    }
    delete ctx.ui.feedback[spec.id];
    ctx.saveUi();
    ctx.post({ type: 'requestChanges', specId: spec.id, feedback });
  };
  return h('div', { class: 'decision', 'data-testid': 'decision' }, [
    h('div', { class: 'toolbar' }, [
      button('btn-approve', 'Approve and implement', () => ctx.post({ type: 'approve', specId: spec.id })),
      button('btn-save', 'Save for later', () => ctx.post({ type: 'save', specId: spec.id }), { secondary: true }),
    ]),
    trusted
      ? null
      : h('p', { class: 'muted' }, ['Implementing needs a trusted workspace (validation runs its commands).']),
    textarea,
    h('div', { class: 'toolbar' }, [
      button('btn-request-changes', 'Request changes', requestChanges, { secondary: true }),
    ]),
  ]);
}

/**
 * A Kiro or Spec Kit folder: Import (the Import command: a spec awaiting approval, then the
 * offer to approve it), or why it cannot be imported yet; what could not be read, line by line.
 */
function folderControls(
  folder: string,
  f: NonNullable<SpecItem['foreign']>,
  path: string | undefined,
  busy: boolean,
  ctx: Ctx,
): HTMLElement {
  const file = path?.split('/').at(-1) ?? 'file';
  return h('div', { class: 'decision', 'data-testid': 'folder-controls' }, [
    f.refusal ? h('p', { class: 'muted', 'data-testid': 'spec-refusal' }, [f.refusal]) : null,
    f.warnings.length
      ? h(
          'ul',
          { class: 'list', 'data-testid': 'folder-warnings', 'aria-label': 'What could not be read in this folder' },
          f.warnings.map((w) => h('li', { class: 'warn' }, [w])),
        )
      : null,
    h('div', { class: 'toolbar' }, [
      f.refusal || busy
        ? null
        : button('btn-import-folder', 'Import and approve…', () => ctx.post({ type: 'importFolder', folder }), {
            title: `Import ${folder} as a spec awaiting approval (nothing runs yet), then choose Approve and Implement`,
          }),
      button(
        'btn-open-spec',
        `Open ${file}`,
        () => ctx.post({ type: 'runCommand', command: 'openSpec', arg: folder }),
        { secondary: true },
      ),
    ]),
  ]);
}

export const specDetail: Section<Slice> = {
  id: 'spec-detail',
  select: (s) => {
    const spec = s.selectedSpec;
    const listed = spec && s.specs.find((x) => x.id === spec.id);
    return {
      spec,
      title: listed?.title,
      status: listed?.status,
      refusal: listed?.mustard?.refusal,
      foreign: listed?.foreign,
      path: listed?.path,
      pending: !!spec && s.pendingDecision?.id === spec.id,
      busy: s.busy,
      trusted: s.trusted,
    };
  },
  render(s, ctx) {
    const spec = s.spec;
    if (!spec) return null;
    const state = s.pending ? 'awaiting approval' : s.status;
    const actions = s.pending
      ? decisionControls(spec, s.trusted, ctx)
      : s.foreign
        ? folderControls(spec.id, s.foreign, s.path, s.busy, ctx)
        : h('div', { class: 'toolbar' }, [
            s.refusal ? h('p', { class: 'muted', 'data-testid': 'spec-refusal' }, [s.refusal]) : null,
            isSavedSpec(s.status ?? '') && !s.refusal && !s.busy
              ? button('btn-approve', 'Approve and implement', () => ctx.post({ type: 'approve', specId: spec.id }))
              : null,
            s.status === 'completed'
              ? button('btn-verify', 'Verify', () => ctx.post({ type: 'verifySpec', specId: spec.id }), {
                  secondary: true,
                  title: "Check this completed spec against today's code",
                })
              : null,
            s.status === 'completed'
              ? button(
                  'btn-verify-strength',
                  'Verify with Strength',
                  () => ctx.post({ type: 'verifySpec', specId: spec.id, strength: true }),
                  {
                    secondary: true,
                    title: "Verify, and run the proof tests against mutants of the spec's changed lines again",
                  },
                )
              : null,
            button(
              'btn-open-spec',
              'Open spec.md',
              () => ctx.post({ type: 'runCommand', command: 'openSpec', arg: spec.id }),
              { secondary: true },
            ),
          ]);
    return h(
      'section',
      { id: 'spec-detail', 'data-testid': 'spec-detail', 'data-spec-id': spec.id, 'data-pending': s.pending },
      [
        h('h2', {}, [s.title ?? spec.id, ' ', state ? badge(state, { 'data-testid': 'spec-state' }) : null]),
        renderMarkdown(h('div', { id: 'spec-body', 'data-testid': 'spec-body', class: 'markdown' }), spec.markdown),
        actions,
      ],
    );
  },
};
