/** What the run's models cost, per provider: dollars where a price is known, else the number of calls (limits.maxRequests caps those). */
import { spendLabel, type RunView, type SpendView } from '../../src/shared/protocol.js';
import { h } from '../dom.js';
import type { Section } from '../section.js';

export const modelSpend: Section<{ byProvider?: Record<string, SpendView> }> = {
  id: 'model-spend',
  select: (s) => ({ byProvider: (s.run as RunView | undefined)?.byProvider }),
  render({ byProvider }) {
    const providers = Object.entries(byProvider ?? {});
    // One provider is the run's total, already shown; the breakdown is news with several or with unpriced calls.
    if (providers.length === 0 || (providers.length === 1 && providers[0]![1].unpricedRequests === 0)) return null;
    return h('section', { class: 'usage', 'data-testid': 'model-spend' }, [
      h('span', { class: 'muted' }, ['Models: ']),
      ...providers.map(([provider, spend], i) =>
        h(
          'span',
          {
            'data-testid': 'provider-spend',
            'data-provider': provider,
            title: `${spend.requests} requests${spend.unpricedRequests ? `, ${spend.unpricedRequests} without a known price` : ''}`,
          },
          [`${i > 0 ? ' · ' : ''}${provider} ${spendLabel(spend)}`],
        ),
      ),
    ]);
  },
};
