/** Workspace / Restricted Mode banner and the New Feature / New Bugfix / Audit toolbar. */
import { button, h } from '../dom.js';
import type { Section } from '../section.js';

export const header: Section<{ hasWorkspace: boolean; trusted: boolean; busy: boolean; workspaceName?: string }> = {
  id: 'header',
  select: (s) => ({ hasWorkspace: s.hasWorkspace, trusted: s.trusted, busy: s.busy, workspaceName: s.workspaceName }),
  render(s, ctx) {
    if (!s.hasWorkspace)
      return h('p', { id: 'no-workspace', 'data-testid': 'no-workspace', class: 'muted' }, [
        'Open a folder to use the Orchestrator.',
      ]);
    const restricted =
      !s.trusted &&
      h('div', { id: 'restricted-banner', 'data-testid': 'restricted-banner', class: 'banner warn' }, [
        h('p', {}, [
          'Restricted Mode: specs can be written, but nothing from this workspace is run (sync, validate), so specs cannot be implemented.',
        ]),
        button('btn-manage-trust', 'Manage Workspace Trust', () => ctx.post({ type: 'manageTrust' }), {
          secondary: true,
        }),
      ]);
    const toolbar = h('div', { class: 'toolbar' }, [
      button('btn-new-feature', 'New Feature', () => ctx.post({ type: 'runCommand', command: 'newFeature' }), {
        disabled: s.busy,
      }),
      button('btn-new-bugfix', 'New Bugfix', () => ctx.post({ type: 'runCommand', command: 'newBugfix' }), {
        secondary: true,
        disabled: s.busy,
      }),
      button('btn-audit', 'Audit…', () => ctx.post({ type: 'runCommand', command: 'auditToTarget' }), {
        secondary: true,
        disabled: s.busy || !s.trusted,
        title: 'Audit to Target: score a folder along a dimension and improve it',
      }),
      s.workspaceName ? h('span', { class: 'muted folder', title: 'Workspace folder' }, [s.workspaceName]) : null,
    ]);
    return h('div', {}, [restricted, toolbar]);
  },
};
