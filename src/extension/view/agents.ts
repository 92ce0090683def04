/** Small pure helpers over the run's agent rows (layers and phase agents). */
import type { AgentView, LayerState, RunView } from '../../shared/viewState';

export const newAgent = (name: string, wave?: number): AgentView => ({
  name,
  ...(wave === undefined ? {} : { wave }),
  state: 'waiting',
  attempt: 0,
  tokens: 0,
  costUsd: 0,
});

/** Returns a new run with `name`'s row patched (created when missing, keeping order). */
export function patchAgent(run: RunView, name: string, patch: (a: AgentView) => AgentView): RunView {
  const index = run.agents.findIndex((a) => a.name === name);
  const agents = [...run.agents];
  if (index < 0) agents.push(patch(newAgent(name)));
  else agents[index] = patch(agents[index]!);
  return { ...run, agents };
}

/** Moves every row in one of `from` states to `to` (e.g. running → cancelled when a run stops). */
export function moveAgents(
  run: RunView,
  from: LayerState[],
  to: LayerState,
  only?: (a: AgentView) => boolean,
): RunView {
  let changed = false;
  const agents = run.agents.map((a) => {
    if (!from.includes(a.state) || (only && !only(a))) return a;
    changed = true;
    return { ...a, state: to };
  });
  return changed ? { ...run, agents } : run;
}

/** A layer belongs to a wave; phase agents (spec, review, diagnose) do not. */
export const isLayer = (run: RunView, name: string): boolean => run.waves.some((w) => w.layers.includes(name));

const MAX_ERROR = 4000;

/** Validation output can be huge; the first part holds the compiler's first errors. */
export const trimError = (text: string): string =>
  text.length <= MAX_ERROR
    ? text
    : `${text.slice(0, MAX_ERROR)}\n… (${text.length - MAX_ERROR} more characters in the log)`;
