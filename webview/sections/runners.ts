/**
 * Runners (issue 27): who does each layer's and role's work — our own agent, the MCP queue
 * (layers only) or a CLI agent the user has — chosen here and written into
 * .claude/orchestrator.yaml; and which CLI agents this machine has, their versions and whether
 * they are signed in (names of variables or files only).
 */
import { RUNNER_NAMES, type CliAgentView, type RunnerName, type RunnersView } from '../../src/shared/protocol.js';
import { h } from '../dom.js';
import { collapsible, type Ctx, type Section } from '../section.js';

const LABEL: Record<RunnerName, string> = {
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

function picker(ctx: Ctx, who: { layer: string } | { role: 'spec' | 'review' | 'diagnose' | 'audit' }, current: RunnerName, clis: readonly CliAgentView[]): HTMLElement {
  const name = 'layer' in who ? who.layer : who.role;
  const id = `runner-${name}`;
  const runners = 'layer' in who ? RUNNER_NAMES : RUNNER_NAMES.filter((r) => r !== 'external');
  const select = h(
    'select',
    { id, class: 'runner-select', 'data-testid': 'runner-select', 'data-agent': name, 'aria-label': `Runner of ${name}` },
    runners.map((runner) => h('option', { value: runner, ...(runner === current ? { selected: true } : {}) }, [`${LABEL[runner]}${caveat(clis.find((c) => c.runner === runner))}`])),
    {
      change: (e) => {
        const runner = (e.target as HTMLSelectElement).value as RunnerName;
        ctx.post({ type: 'setRunner', runner, ...('layer' in who ? { layer: who.layer } : { role: who.role }) });
      },
    },
  ) as HTMLSelectElement;
  select.value = current;
  return h('div', { class: 'runner-row', 'data-testid': 'runner-row', 'data-agent': name }, [h('label', { for: id, class: 'name' }, [name]), select]);
}

function cliLine(cli: CliAgentView): HTMLElement {
  const state = !cli.installed ? 'not installed' : cli.tooOld ? `${cli.version} (too old)` : `${cli.version ?? 'installed'} · ${cli.signedIn === true ? `signed in (${cli.signedInBy})` : cli.signedIn === 'unknown' ? 'sign-in unknown' : 'not signed in'}`;
  const ready = cli.installed && !cli.tooOld && cli.signedIn !== false;
  return h('li', { class: `cli-status ${ready ? 'ready' : 'missing'}`, 'data-testid': 'cli-status', 'data-runner': cli.runner, 'data-ready': String(ready) }, [
    h('span', { class: `dot ${ready ? 'passed' : 'waiting'}` }),
    h('span', { class: 'name' }, [cli.label]),
    h('span', { class: 'muted' }, [` ${state}`]),
    cli.hint ? h('div', { class: 'muted summary' }, [cli.hint]) : null,
  ]);
}

/** Whether agents and commands run confined here, and what that holds (issue 36). */
function sandboxLine(sandbox: NonNullable<RunnersView['sandbox']>): HTMLElement {
  const title = sandbox.available ? `Sandbox: ${sandbox.kind}` : 'No sandbox';
  const detail = sandbox.available ? sandbox.enforces.join('; ') : (sandbox.reason ?? '');
  return h('div', { class: `sandbox-status ${sandbox.available ? 'ready' : 'missing'}`, 'data-testid': 'sandbox-status', 'data-available': String(sandbox.available), role: 'status' }, [
    h('span', { class: `dot ${sandbox.available ? 'passed' : 'failed'}` }),
    h('span', { class: 'name' }, [title]),
    h('div', { class: 'muted summary' }, [detail]),
  ]);
}

export const runnersPanel: Section<{ runners: RunnersView | undefined; hasWorkspace: boolean }> = {
  id: 'runners',
  select: (s) => ({ runners: s.runners, hasWorkspace: s.hasWorkspace }),
  render: ({ runners, hasWorkspace }, ctx) => {
    if (!hasWorkspace || !runners) return null;
    const onCli = runners.layers.filter((l) => l.runner !== 'agent').length + runners.roles.filter((r) => r.runner !== 'agent').length;
    return collapsible(ctx, 'runners', 'Runners', false, [
      runners.error ? h('p', { class: 'error', 'data-testid': 'runners-error' }, [runners.error]) : null,
      h('div', { class: 'runners', 'data-testid': 'runner-layers' }, runners.layers.map((l) => picker(ctx, { layer: l.name }, l.runner, runners.clis))),
      h('div', { class: 'runners muted', 'data-testid': 'runner-roles' }, runners.roles.map((r) => picker(ctx, { role: r.name as 'spec' | 'review' | 'diagnose' | 'audit' }, r.runner, runners.clis))),
      h('ul', { class: 'cli-list', 'data-testid': 'cli-list', 'aria-label': 'CLI agents on this machine' }, runners.clis.map(cliLine)),
      runners.sandbox ? sandboxLine(runners.sandbox) : null,
    ].filter((n): n is HTMLElement => n !== null), onCli > 0 ? `${onCli} on CLI agents` : 'all on the Orchestrator agent');
  },
};
