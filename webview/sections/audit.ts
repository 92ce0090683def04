/**
 * An audit run (seed 001): the score per iteration as a chart, the open findings by severity
 * (each opens its file at its line), the actions taken, the confirmations asked, the tests,
 * the cost per role, and the report once the loop ends.
 */
import { auditMissedTarget, type AuditFindingView, type AuditView } from '../../src/shared/protocol.js';
import { scoreChart } from '../auditChart.js';
import { badge, clickable, h } from '../dom.js';
import { renderMarkdown } from '../markdown.js';
import { collapsible, type Ctx, type Section } from '../section.js';

const SEVERITIES = [
  ['P0', 'critical'],
  ['P1', 'high'],
  ['P2', 'medium'],
  ['P3', 'low'],
] as const;

const usd = (n: number): string => `$${n.toFixed(n > 0 && n < 0.01 ? 4 : 2)}`;
const where = (f: AuditFindingView): string => (f.file ? `${f.file}${f.line ? `:${f.line}` : ''}` : 'no file');

function findingItem(f: AuditFindingView, ctx: Ctx): HTMLElement {
  const item = h(
    'li',
    {
      class: `audit-finding ${f.severity}`,
      'data-testid': 'audit-finding',
      'data-id': f.id,
      'data-severity': f.severity,
      'data-file': f.file,
      'data-line': f.line,
    },
    [
      h('div', {}, [h('code', {}, [where(f)]), ' ', h('span', { class: 'muted' }, [f.id])]),
      h('div', {}, [f.description]),
      h('div', { class: 'muted' }, [`Recommendation: ${f.recommendation}`]),
    ],
  );
  return f.file
    ? clickable(item, () => ctx.post({ type: 'openFile', path: f.file!, ...(f.line ? { line: f.line } : {}) }))
    : item;
}

function findingsBySeverity(findings: AuditFindingView[], ctx: Ctx): HTMLElement {
  const groups = SEVERITIES.map(([sev, name]) => {
    const of = findings.filter((f) => f.severity === sev);
    if (of.length === 0) return null;
    return h('div', { class: 'audit-severity', 'data-severity': sev }, [
      h('div', { class: 'wave-title' }, [`${sev} ${name} `, badge(String(of.length))]),
      h(
        'ul',
        { class: 'list' },
        of.map((f) => findingItem(f, ctx)),
      ),
    ]);
  });
  return h(
    'div',
    { 'data-testid': 'audit-findings' },
    findings.length ? groups : [h('p', { class: 'muted' }, ['No open findings.'])],
  );
}

function actions(audit: AuditView): HTMLElement {
  return h(
    'ol',
    { class: 'audit-actions', 'data-testid': 'audit-actions' },
    audit.actions.map((a) =>
      h('li', { class: `state-${a.state}`, 'data-testid': 'audit-action', 'data-state': a.state }, [
        h('span', { class: `dot ${a.state === 'done' ? 'passed' : a.state === 'running' ? 'running' : 'warn'}` }),
        ' ',
        h('strong', {}, [a.state === 'skipped' ? 'left for a human' : `${a.layer} (${a.role})`]),
        ` · iteration ${a.iteration} · ${a.findings.join(', ')}`,
        a.summary ? h('div', { class: 'muted summary' }, [a.summary]) : null,
      ]),
    ),
  );
}

function tests(audit: AuditView): HTMLElement | null {
  if (!audit.tests?.length) return null;
  return h(
    'ul',
    { class: 'list', 'data-testid': 'audit-tests' },
    audit.tests.map((t) =>
      h('li', {}, [
        badge(t.exitCode === 0 ? 'passed' : 'failed'),
        h('code', {}, [t.command]),
        t.passed !== undefined
          ? h('span', { class: 'muted' }, [
              `${t.passed} passed, ${t.failed ?? 0} failed${t.coverage !== undefined ? `, coverage ${t.coverage}%` : ''}`,
            ])
          : null,
      ]),
    ),
  );
}

export const auditPanel: Section<{ audit?: AuditView; stopped: boolean }> = {
  id: 'audit',
  select: (s) => ({ audit: s.run?.audit, stopped: s.run?.stop !== undefined }),
  render({ audit, stopped }, ctx) {
    if (!audit) return null;
    const score = audit.scores.at(-1);
    const roles = Object.entries(audit.costByRole);
    const sections: (HTMLElement | null)[] = [
      collapsible(
        ctx,
        'audit-findings',
        'Open findings',
        true,
        [findingsBySeverity(audit.findings, ctx)],
        String(audit.findings.length),
      ),
      audit.actions.length
        ? collapsible(ctx, 'audit-actions', 'Actions taken', true, [actions(audit)], String(audit.actions.length))
        : null,
      audit.confirmations.length
        ? collapsible(
            ctx,
            'audit-confirmations',
            'Confirmations asked',
            true,
            [
              h(
                'ul',
                { class: 'list', 'data-testid': 'audit-confirmations' },
                audit.confirmations.map((c) =>
                  h('li', { 'data-answer': c.answer ? 'yes' : 'no' }, [
                    badge(c.answer ? 'yes' : 'no', c.answer ? {} : { class: 'warn' }),
                    c.question,
                  ]),
                ),
              ),
            ],
            String(audit.confirmations.length),
          )
        : null,
      tests(audit),
      roles.length
        ? h('p', { class: 'muted', 'data-testid': 'audit-cost-by-role' }, [
            `Cost by role: ${roles.map(([role, cost]) => `${role} ${usd(cost)}`).join(' · ')} (budget ${usd(audit.budgetUsd)})`,
          ])
        : null,
      // A stopped audit's report is the stop banner's; a finished one's is here.
      audit.report && !stopped
        ? collapsible(ctx, 'audit-report', 'Report', true, [
            renderMarkdown(h('div', { class: 'markdown', 'data-testid': 'audit-report' }), audit.report),
          ])
        : null,
    ];
    return h('section', { id: 'audit-panel', 'data-testid': 'audit-panel', 'data-reason': audit.reason }, [
      h('h2', {}, [
        `Audit: ${audit.target === '.' ? 'workspace' : audit.target} (${audit.dimension}) `,
        badge(`${score ?? '…'}/100`, { 'data-testid': 'audit-score' }),
        badge(`iteration ${audit.iteration}/${audit.maxIterations}`, { 'data-testid': 'audit-iteration' }),
        auditMissedTarget(audit)
          ? badge(`target not reached (${audit.targetScore})`, { class: 'warn', 'data-testid': 'audit-target-missed' })
          : null,
      ]),
      scoreChart(audit),
      ...sections,
    ]);
  },
};
