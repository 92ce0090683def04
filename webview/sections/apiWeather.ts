/** Agents waiting out API weather (overload, rate limit, 5xx, network): why, which retry, and that Cancel stops the run resumably. */
import { inSeconds, type ApiWaitView } from '../../src/shared/protocol.js';
import { button, h } from '../dom.js';
import type { Section } from '../section.js';

export const apiWeather: Section<{ waits: ApiWaitView[]; live: boolean }> = {
  id: 'api-weather',
  select: (s) => ({
    waits: s.run?.status === 'running' ? (s.run.apiWaits ?? []) : [],
    live: s.run?.live === true && s.busy,
  }),
  render({ waits, live }, ctx) {
    if (waits.length === 0) return null;
    return h('section', { class: 'banner warn', 'data-testid': 'api-waits' }, [
      h('p', {}, [h('strong', {}, ['Waiting for the API']), ' — the run goes on by itself once it answers.']),
      ...waits.map((w) =>
        h('p', { 'data-testid': 'api-wait', 'data-agent': w.agent }, [
          `${w.agent}: ${w.reason}, retry ${w.attempt} in ${inSeconds(w.retryInMs)} (gives up in ${inSeconds(w.windowLeftMs)})`,
        ]),
      ),
      live
        ? h('div', { class: 'toolbar' }, [
            button('btn-cancel-wait', 'Cancel (resume later)', () => ctx.post({ type: 'cancel' }), { secondary: true }),
          ])
        : null,
    ]);
  },
};
