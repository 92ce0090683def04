/**
 * The "Pipeline stopped" report (agent, retries, last error, action needed), as the engine wrote it.
 * A run that ended `unchecked` (issue 70: nothing checked part of its change) shows its report as a
 * warning, with the files nothing checked and the button that accepts them (Accept unchecked…).
 */
import type { RunView } from '../../src/shared/protocol.js';
import { button, h } from '../dom.js';
import { renderMarkdown } from '../markdown.js';
import type { Section } from '../section.js';

interface Slice {
  stop?: { reason: string; report: string };
  unchecked?: RunView['unchecked'];
  runId?: string;
  acceptable: boolean;
  trusted: boolean;
}

export const stopReport: Section<Slice> = {
  id: 'report',
  select: (s) => ({
    stop: s.run?.stop,
    unchecked: s.run?.unchecked,
    runId: s.run?.runId,
    // A pooled run is resumed by a worker, and a live one is still going: neither is accepted here.
    acceptable: s.run?.status === 'unchecked' && !s.run.live && !s.run.pooled,
    trusted: s.trusted,
  }),
  render({ stop, unchecked, runId, acceptable, trusted }, ctx) {
    if (!stop) return null;
    if (stop.reason === 'unchecked') {
      const accept =
        acceptable && runId
          ? button('btn-accept-unchecked', 'Accept unchecked…', () => ctx.post({ type: 'acceptUnchecked', runId }), {
              secondary: true,
              disabled: !trusted,
              title: trusted
                ? 'Complete the run as it is: the files nothing checked are named in its journal and summary (as orchestrator resume --allow-unchecked)'
                : 'Trust the workspace to resume the run',
            })
          : null;
      // The report names each layer and file; the attribute keeps them for a test or a screen reader's summary.
      const files = (unchecked?.layers ?? []).map((l) => `${l.layer}: ${l.files.join(', ')}`).join('; ');
      return h(
        'section',
        { id: 'stop-report', 'data-testid': 'stop-report', class: 'banner warn', 'data-unchecked': files },
        [renderMarkdown(h('div', { class: 'markdown', 'data-testid': 'stop-report-body' }), stop.report), accept],
      );
    }
    return h('section', { id: 'stop-report', 'data-testid': 'stop-report', class: 'banner error' }, [
      h('h2', {}, ['Pipeline stopped']),
      h('p', { 'data-testid': 'stop-reason' }, [stop.reason]),
      renderMarkdown(h('div', { class: 'markdown', 'data-testid': 'stop-report-body' }), stop.report),
    ]);
  },
};
