/** Waves and their layer rows (waiting, running, validating, retry n/max, passed, failed), plus phase agents. */
import { spendLabel, type AgentView, type RunView } from '../../src/shared/protocol.js';
import { h } from '../dom.js';

const stateLabel = (a: AgentView): string =>
  a.state === 'retry' && a.retry ? `retry ${a.retry.n}/${a.retry.max}` : a.state;
const active = (a: AgentView): boolean => a.state === 'running' || a.state === 'retry' || a.state === 'validating';

/** The question a layer waits on, when the run asks the human (a confirmation dialog). */
type Asking = RunView['asking'];

function agentRow(a: AgentView, live: boolean, asking?: Asking): HTMLElement {
  const waitsForYou = live && asking?.agent === a.name;
  const details =
    a.lastError &&
    h('details', { class: 'error', 'data-testid': 'layer-error' }, [
      h('summary', {}, [a.command ? `\`${a.command}\` failed` : 'Last error']),
      h('pre', {}, [a.lastError]),
    ]);
  return h(
    'div',
    {
      class: `layer-row state-${a.state}${waitsForYou ? ' asking' : ''}`,
      'data-testid': 'layer-row',
      'data-layer': a.name,
      'data-state': a.state,
      ...(waitsForYou ? { 'data-waiting': 'you' } : {}),
    },
    [
      h('div', { class: 'layer-line' }, [
        live && active(a) && !waitsForYou
          ? h('vscode-progress-ring', { class: 'ring', 'aria-label': `${a.name} ${a.state}` })
          : h('span', { class: `dot ${waitsForYou ? 'asking' : a.state}` }),
        h('span', { class: 'name' }, [a.name]),
        h('span', { class: 'state', 'data-testid': 'layer-state' }, [waitsForYou ? 'waiting for you' : stateLabel(a)]),
        h(
          'span',
          { class: 'muted metrics', ...(a.provider ? { title: `${a.provider} · ${a.requests ?? 0} requests` } : {}) },
          [`${a.tokens.toLocaleString('en-US')} tok · ${spendLabel(a)}`],
        ),
      ]),
      // The mode is news only for a layer doing something else than implementing (review-fix…).
      a.mode && a.mode !== 'implement' && a.mode !== a.name && a.state !== 'retry'
        ? h('div', { class: 'muted' }, [a.mode])
        : null,
      waitsForYou ? h('div', { class: 'question', 'data-testid': 'layer-question' }, [asking!.question]) : null,
      a.summary ? h('div', { class: 'muted summary' }, [a.summary]) : null,
      a.denied?.length
        ? h('div', { class: 'error sandbox-denied', 'data-testid': 'layer-denied', role: 'note' }, [
            `Sandbox refused: ${a.denied.join(', ')}`,
          ])
        : null,
      details,
    ],
  );
}

export function renderAgents(run: Pick<RunView, 'agents' | 'waves' | 'live' | 'asking'>): HTMLElement {
  const byName = new Map(run.agents.map((a) => [a.name, a]));
  const waves = run.waves.map((w) =>
    h('div', { class: 'wave', 'data-testid': 'wave-row', 'data-wave': w.index }, [
      h('div', { class: 'wave-title' }, [`Wave ${w.index}/${w.of}`]),
      ...w.layers
        .map((name) => byName.get(name))
        .filter((a): a is AgentView => a !== undefined)
        .map((a) => agentRow(a, run.live, run.asking)),
    ]),
  );
  const others = run.agents.filter((a) => a.wave === undefined);
  return h('div', { class: 'agents' }, [
    others.length
      ? h(
          'div',
          { class: 'wave', 'data-testid': 'phase-agents' },
          others.map((a) => agentRow(a, run.live, run.asking)),
        )
      : null,
    ...waves,
  ]);
}
