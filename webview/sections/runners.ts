/**
 * Runners (issue 27): who does each layer's and role's work — our own agent, the MCP queue
 * (layers only) or a CLI agent the user has — chosen here and written into
 * .claude/orchestrator.yaml; and which CLI agents this machine has, their versions and whether
 * they are signed in (names of variables or files only); and the runners' record of this
 * repository (issue 47): how each runner and model did on each layer, what `runner: auto` reads.
 */
import {
  LAYER_RUNNERS,
  rateText,
  RUNNER_NAMES,
  runnerPickText,
  timeText,
  type CliAgentView,
  type LayerRunner,
  type RunnerRecordRow,
  type RunnersView,
} from '../../src/shared/protocol.js';
import { h } from '../dom.js';
import { collapsible, type Ctx, type Section } from '../section.js';

const LABEL: Record<LayerRunner, string> = {
  auto: 'Auto (best record)',
  agent: 'Orchestrator agent',
  external: 'MCP queue (outside agent)',
  'claude-code': 'Claude Code',
  codex: 'Codex',
  gemini: 'Gemini CLI',
  copilot: 'Copilot CLI',
  opencode: 'opencode',
};

/** What an option says about its CLI: not installed, too old, not signed in. */
function caveat(cli: CliAgentView | undefined): string {
  if (!cli) return '';
  if (!cli.installed) return ' — not installed';
  if (cli.tooOld) return ' — too old';
  if (cli.signedIn === false) return ' — not signed in';
  return '';
}

function picker(
  ctx: Ctx,
  who: { layer: string } | { role: 'spec' | 'review' | 'diagnose' | 'audit' },
  current: LayerRunner,
  clis: readonly CliAgentView[],
): HTMLElement {
  const name = 'layer' in who ? who.layer : who.role;
  const id = `runner-${name}`;
  const runners: readonly LayerRunner[] = 'layer' in who ? LAYER_RUNNERS : RUNNER_NAMES.filter((r) => r !== 'external');
  const select = h(
    'select',
    {
      id,
      class: 'runner-select',
      'data-testid': 'runner-select',
      'data-agent': name,
      'aria-label': `Runner of ${name}`,
    },
    runners.map((runner) =>
      h('option', { value: runner, ...(runner === current ? { selected: true } : {}) }, [
        `${LABEL[runner]}${caveat(clis.find((c) => c.runner === runner))}`,
      ]),
    ),
    {
      change: (e) => {
        const runner = (e.target as HTMLSelectElement).value as LayerRunner;
        ctx.post({ type: 'setRunner', runner, ...('layer' in who ? { layer: who.layer } : { role: who.role }) });
      },
    },
  ) as HTMLSelectElement;
  select.value = current;
  return h('div', { class: 'runner-row', 'data-testid': 'runner-row', 'data-agent': name }, [
    h('label', { for: id, class: 'name' }, [name]),
    select,
  ]);
}

function cliLine(cli: CliAgentView): HTMLElement {
  const state = !cli.installed
    ? 'not installed'
    : cli.tooOld
      ? `${cli.version} (too old)`
      : `${cli.version ?? 'installed'} · ${cli.signedIn === true ? `signed in (${cli.signedInBy})` : cli.signedIn === 'unknown' ? 'sign-in unknown' : 'not signed in'}`;
  const ready = cli.installed && !cli.tooOld && cli.signedIn !== false;
  return h(
    'li',
    {
      class: `cli-status ${ready ? 'ready' : 'missing'}`,
      'data-testid': 'cli-status',
      'data-runner': cli.runner,
      'data-ready': String(ready),
    },
    [
      h('span', { class: `dot ${ready ? 'passed' : 'waiting'}` }),
      h('span', { class: 'name' }, [cli.label]),
      h('span', { class: 'muted' }, [` ${state}`]),
      cli.hint ? h('div', { class: 'muted summary' }, [cli.hint]) : null,
    ],
  );
}

/** The record, a compact table per layer: runner and model, runs, passed at once, proof green, approved, mean cost and time. */
function recordTables(rows: readonly RunnerRecordRow[]): HTMLElement {
  const layers = [...new Set(rows.map((row) => row.layer))];
  const head = h(
    'tr',
    {},
    ['Runner', 'Runs', 'At once', 'Proof', 'Approved', 'Cost', 'Time'].map((title) =>
      h('th', { scope: 'col' }, [title]),
    ),
  );
  const line = (row: RunnerRecordRow): HTMLElement =>
    h('tr', { 'data-testid': 'record-row', 'data-runner': runnerPickText(row) }, [
      h('td', { class: 'name' }, [runnerPickText(row)]),
      h('td', {}, [String(row.runs)]),
      h('td', { title: `first try ${rateText(row.firstTryRate)}, ${row.meanRetries.toFixed(1)} retries on average` }, [
        rateText(row.passRate),
      ]),
      h('td', {}, [rateText(row.proofGreenRate)]),
      h('td', {}, [rateText(row.approvedRate)]),
      h('td', {}, [`$${row.meanCostUsd.toFixed(2)}`]),
      h('td', {}, [timeText(row.meanDurationMs)]),
    ]);
  return h('div', { class: 'runner-record', 'data-testid': 'runner-record' }, [
    h('div', { class: 'muted' }, ['Record of this repository (orchestrator runners stats)']),
    ...(rows.length === 0
      ? [
          h('p', { class: 'muted', 'data-testid': 'record-empty' }, [
            'No run recorded yet: each run that ends adds its layers.',
          ]),
        ]
      : layers.map((layer) =>
          h(
            'table',
            {
              class: 'record-table',
              'data-testid': 'record-table',
              'data-layer': layer,
              'aria-label': `Record of the ${layer} layer`,
            },
            [
              h('caption', {}, [layer]),
              h('thead', {}, [head.cloneNode(true) as HTMLElement]),
              h('tbody', {}, rows.filter((row) => row.layer === layer).map(line)),
            ],
          ),
        )),
  ]);
}

/** Whether agents and commands run confined here, and what that holds (issue 36). */
function sandboxLine(sandbox: NonNullable<RunnersView['sandbox']>): HTMLElement {
  const title = sandbox.available ? `Sandbox: ${sandbox.kind}` : 'No sandbox';
  const detail = sandbox.available ? sandbox.enforces.join('; ') : (sandbox.reason ?? '');
  return h(
    'div',
    {
      class: `sandbox-status ${sandbox.available ? 'ready' : 'missing'}`,
      'data-testid': 'sandbox-status',
      'data-available': String(sandbox.available),
      role: 'status',
    },
    [
      h('span', { class: `dot ${sandbox.available ? 'passed' : 'failed'}` }),
      h('span', { class: 'name' }, [title]),
      h('div', { class: 'muted summary' }, [detail]),
    ],
  );
}

export const runnersPanel: Section<{ runners: RunnersView | undefined; hasWorkspace: boolean }> = {
  id: 'runners',
  select: (s) => ({ runners: s.runners, hasWorkspace: s.hasWorkspace }),
  render: ({ runners, hasWorkspace }, ctx) => {
    if (!hasWorkspace || !runners) return null;
    const onCli =
      runners.layers.filter((l) => l.runner !== 'agent' && l.runner !== 'auto').length +
      runners.roles.filter((r) => r.runner !== 'agent').length;
    const onAuto = runners.layers.filter((l) => l.runner === 'auto').length;
    return collapsible(
      ctx,
      'runners',
      'Runners',
      false,
      [
        runners.error ? h('p', { class: 'error', 'data-testid': 'runners-error' }, [runners.error]) : null,
        h(
          'div',
          { class: 'runners', 'data-testid': 'runner-layers' },
          runners.layers.map((l) => picker(ctx, { layer: l.name }, l.runner, runners.clis)),
        ),
        h(
          'div',
          { class: 'runners muted', 'data-testid': 'runner-roles' },
          runners.roles.map((r) =>
            picker(ctx, { role: r.name as 'spec' | 'review' | 'diagnose' | 'audit' }, r.runner, runners.clis),
          ),
        ),
        h(
          'ul',
          { class: 'cli-list', 'data-testid': 'cli-list', 'aria-label': 'CLI agents on this machine' },
          runners.clis.map(cliLine),
        ),
        runners.sandbox ? sandboxLine(runners.sandbox) : null,
        runners.record ? recordTables(runners.record) : null,
      ].filter((n): n is HTMLElement => n !== null),
      [onCli > 0 ? `${onCli} on CLI agents` : '', onAuto > 0 ? `${onAuto} auto` : ''].filter(Boolean).join(', ') ||
        'all on the Orchestrator agent',
    );
  },
};
