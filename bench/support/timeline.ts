/**
 * Rebuilds a run's timeline from the events the host received (each stamped on arrival):
 * the critical path of model time, phase durations and validation time.
 *
 * Critical path = Σ over stages of the slowest agent's model time in that stage, where a
 * stage is one IMPLEMENT/FIX wave (its agents run side by side; a layer's retries belong to
 * its own chain in the wave) or one agent that runs alone (spec, review, diagnose). An
 * agent's model time is the sum of its calls' `llm.usage.ms` (request sent → reply parsed,
 * as the engine measures it).
 */
import type { TimedEvent } from './benchHost';

export interface AgentChain {
  modelMs: number;
  calls: number;
  /** Wall time of this layer's validate commands in this stage (all attempts). */
  validationMs: number;
}

export interface Stage {
  label: string;
  agents: Map<string, AgentChain>;
}

export interface Timeline {
  stages: Stage[];
  /** Σ over stages of the slowest agent's model time. */
  criticalPathMs: number;
  /** Σ over stages of the longest chain of model time + validate commands. */
  criticalPathWithValidationMs: number;
  /** Model calls on the critical path (the slowest agent's calls in each stage). */
  criticalCalls: number;
  modelCalls: number;
  phases: { name: string; ms: number }[];
  phaseMs(name: string): number;
}

function slowest(
  stage: Stage,
  cost: (c: AgentChain) => number,
): { agent: string; chain: AgentChain; ms: number } | undefined {
  let best: { agent: string; chain: AgentChain; ms: number } | undefined;
  for (const [agent, chain] of stage.agents)
    if (!best || cost(chain) > best.ms) best = { agent, chain, ms: cost(chain) };
  return best;
}

export function timelineOf(events: readonly TimedEvent[]): Timeline {
  const stages: Stage[] = [];
  const stageOfAgent = new Map<string, Stage>();
  const phases: { name: string; ms: number }[] = [];
  const validationStart = new Map<string, number>();
  let phase = '';
  let wave: Stage | undefined;
  let modelCalls = 0;
  const chainOf = (agent: string): AgentChain => {
    const stage = stageOfAgent.get(agent);
    if (!stage) throw new Error(`an event of ${agent} outside any agent run`);
    let chain = stage.agents.get(agent);
    if (!chain) stage.agents.set(agent, (chain = { modelMs: 0, calls: 0, validationMs: 0 }));
    return chain;
  };

  for (const { at, event } of events) {
    switch (event.type) {
      case 'phase.started':
        phase = event.phase;
        wave = undefined;
        break;
      case 'phase.completed':
        phases.push({ name: event.phase, ms: event.ms });
        // CHECKPOINT runs beside IMPLEMENT's first wave and may end while an agent of that
        // wave has yet to start: only the end of the current phase ends its wave.
        if (event.phase === phase) wave = undefined;
        break;
      case 'wave.started':
        wave = { label: `${phase} wave ${event.wave}/${event.of} (${event.layers.join(' ∥ ')})`, agents: new Map() };
        stages.push(wave);
        break;
      case 'agent.started': {
        let stage = wave;
        if (!stage) {
          stage = { label: `${phase} ${event.agent}`, agents: new Map() };
          stages.push(stage);
        }
        stageOfAgent.set(event.agent, stage);
        chainOf(event.agent);
        break;
      }
      case 'llm.usage': {
        modelCalls++;
        const chain = chainOf(event.agent);
        chain.modelMs += event.ms;
        chain.calls++;
        break;
      }
      case 'validation.started':
        if (!validationStart.has(event.layer)) validationStart.set(event.layer, at);
        break;
      case 'validation.passed':
      case 'validation.failed': {
        const start = validationStart.get(event.layer);
        if (start !== undefined) chainOf(event.layer).validationMs += at - start;
        validationStart.delete(event.layer);
        break;
      }
      default:
        break;
    }
  }
  let criticalPathMs = 0;
  let criticalPathWithValidationMs = 0;
  let criticalCalls = 0;
  for (const stage of stages) {
    const model = slowest(stage, (c) => c.modelMs);
    criticalPathMs += model?.ms ?? 0;
    criticalCalls += model?.chain.calls ?? 0;
    criticalPathWithValidationMs += slowest(stage, (c) => c.modelMs + c.validationMs)?.ms ?? 0;
  }
  return {
    stages,
    criticalPathMs,
    criticalPathWithValidationMs,
    criticalCalls,
    modelCalls,
    phases,
    phaseMs: (name) => phases.filter((p) => p.name === name).reduce((sum, p) => sum + p.ms, 0),
  };
}

/** "SPEC spec: spec 812 ms/2 calls; IMPLEMENT wave 1/2 (database ∥ backend): backend 1210 ms/3 calls (+ validate 850 ms); …" */
export function describeStages(timeline: Timeline): string {
  return timeline.stages
    .filter((s) => s.agents.size > 0)
    .map((s) => {
      const top = slowest(s, (c) => c.modelMs);
      if (!top) return s.label;
      const validation = top.chain.validationMs > 0 ? ` + validate ${top.chain.validationMs.toFixed(0)} ms` : '';
      return `${s.label}: ${top.agent} ${top.ms.toFixed(0)} ms/${top.chain.calls} calls${validation}`;
    })
    .join('; ');
}

export function describePhases(timeline: Timeline): string {
  return timeline.phases.map((p) => `${p.name} ${p.ms}`).join(', ');
}
