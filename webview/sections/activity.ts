/** The run's recent activity (tool calls, validations, retries), newest last. */
import type { ActivityLine } from '../../src/shared/protocol.js';
import { h } from '../dom.js';
import { collapsible, type Section } from '../section.js';

export const activity: Section<{ lines: ActivityLine[] }> = {
  id: 'activity',
  select: (s) => ({ lines: s.run?.activity ?? [] }),
  render({ lines }, ctx) {
    if (lines.length === 0) return null;
    const list = h(
      'ol',
      { class: 'activity', 'data-testid': 'activity' },
      lines.map((l) => h('li', { class: l.level }, [l.text])),
    );
    return collapsible(ctx, 'activity', 'Activity', false, [list], String(lines.length));
  },
};
