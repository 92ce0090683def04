/**
 * Request change (issue 23): while a run goes (it picks the request up between steps) or after
 * it stopped (it resumes with it); the amendment then waits for approval like any spec. Its
 * own section with a small slice, so the box survives the run's frequent updates while typing.
 */
import { isResumable } from '../../src/shared/protocol.js';
import { button, h } from '../dom.js';
import type { Section } from '../section.js';

interface Slice {
  runId?: string;
  /** Going in this window, or stopped and resumable with nothing else going. */
  open: boolean;
}

export const changeRequest: Section<Slice> = {
  id: 'change-request',
  select: (s) => {
    const run = s.run;
    // A pooled run's changes are asked where it was dispatched (`change`), not of its mirrored journal.
    if (!run?.runId || !run.specId || run.kind === 'audit' || run.pooled || s.pendingDecision) return { open: false };
    const going = run.live && run.status === 'running';
    return { runId: run.runId, open: going || (!s.busy && isResumable(run.status)) };
  },
  render({ runId, open }, ctx) {
    if (!open || !runId) return null;
    const key = `change:${runId}`;
    const textarea = h('vscode-textarea', {
      id: 'change-input',
      'data-testid': 'change-input',
      placeholder: 'What should change in the approved spec?',
      rows: 2,
      resize: 'vertical',
    }) as HTMLElement & { value: string; invalid: boolean };
    textarea.value = ctx.ui.feedback[key] ?? '';
    textarea.addEventListener('input', () => {
      ctx.ui.feedback[key] = textarea.value;
      textarea.invalid = false;
      ctx.saveUi();
    });
    const send = () => {
      const request = (ctx.ui.feedback[key] ?? '').trim();
      if (!request) {
        textarea.invalid = true;
        textarea.focus();
        return;
      }
      delete ctx.ui.feedback[key];
      ctx.saveUi();
      textarea.value = '';
      ctx.post({ type: 'changeRequest', runId, request });
    };
    return h('section', { id: 'change-request', 'data-testid': 'change-request', 'data-run-id': runId }, [
      textarea,
      h('div', { class: 'toolbar' }, [button('btn-request-change', 'Request change', send, { secondary: true })]),
    ]);
  },
};
