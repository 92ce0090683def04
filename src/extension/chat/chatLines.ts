/**
 * How the chat words a run's events as they come: its own lines for the run's progress (phases,
 * waves, agents, validation, the review, the audit's scores) as progress or escaped markdown. An
 * event type with no line here says the catalogue's words when they warn (a log's warning, the
 * sandbox's refusals, the API's weather, a failed smoke test…), escaped inline; what the run keeps
 * for its end (the review, the matrix, the cost) is runRenderer.ts's, from the event's meaning.
 */
import type { EventOf, Words } from '../../core/catalogue';
import type { EngineEvent } from '../../core/events';
import { codeSpan, escapeInline } from './markdown';

export type ChatLine = { progress: string } | { markdown: string };

export const usd = (n: number) => `$${n.toFixed(n < 1 ? 4 : 2)}`;

/** Why an audit loop stopped, as the chat says it. */
const AUDIT_ENDS: Record<EventOf<'audit.report'>['reason'], string> = {
  target: 'the target score is reached',
  'max-iterations': 'the iteration limit is reached',
  'no-improvement': 'the score stopped improving',
  budget: 'the budget is spent',
  stopped: 'stopped',
};

const progress = (text: string): ChatLine => ({ progress: text });
const markdown = (text: string): ChatLine => ({ markdown: text });
const layer = (name: string) => escapeInline(name, 60);

/** Each event's line; undefined says nothing (the catalogue's words neither). */
const LINES: { [K in EngineEvent['type']]?: (event: EventOf<K>) => ChatLine | undefined } = {
  'run.started': (e) => progress(`Run ${e.runId} started${e.runner ? ` (layers on ${e.runner})` : ''}`),
  'worktree.created': (e) => markdown(`Working in its own worktree: ${codeSpan(e.path)}\n\n`),
  'phase.started': (e) => progress(`Phase ${e.phase}`),
  'wave.started': (e) => markdown(`**Wave ${e.wave} of ${e.of}**: ${e.layers.map(layer).join(', ')}\n\n`),
  'agent.started': (e) =>
    progress(`${e.agent} agent (${e.runner ?? 'agent'}) ${e.mode}${e.attempt > 1 ? `, attempt ${e.attempt}` : ''}`),
  'agent.completed': (e) => {
    const cost = e.costUsd !== undefined ? ` · ${e.metered === false ? 'not metered' : usd(e.costUsd)}` : '';
    const summary = e.summary ? `: ${escapeInline(e.summary, 300)}` : '';
    return markdown(
      `- **${layer(e.agent)}** (${escapeInline(e.runner ?? 'agent', 40)}) ${e.outcome}${summary}${cost}\n`,
    );
  },
  'agent.blocked': (e) => markdown(`- ${layer(e.agent)} is blocked: ${escapeInline(e.reason)}\n`),
  'validation.started': (e) => markdown(`- ${layer(e.layer)} runs ${codeSpan(e.command)}\n`),
  // Issue 70: "passed" only when something ran.
  'validation.passed': (e) =>
    markdown(
      `- ${layer(e.layer)}: ${e.commands !== 0 ? 'validation passed' : e.proofTests ? 'its proof tests pass (no validate command)' : 'no check ran (no validate command, no proof test due)'}\n`,
    ),
  'validation.failed': (e) =>
    markdown(`- ${layer(e.layer)}: ${codeSpan(e.command)} failed (exit ${e.exitCode ?? 'none'})\n`),
  retry: (e) => markdown(`- ${layer(e.layer)}: retry ${e.attempt} of ${e.max}\n`),
  // Issue 71: what the spec now shows done.
  'spec.ticked': (e) =>
    markdown(
      e.done
        ? `- ${layer(e.layer)}: ticked in the spec: ${e.items.map((item) => escapeInline(item, 120)).join('; ')}\n`
        : `- ${layer(e.layer)} works again: its ticks in the spec taken back\n`,
    ),
  'review.verdict': (e) => progress(`Review round ${e.round}: ${e.verdict}`),
  'audit.started': ({ settings: s }) => progress(`Audit of ${s.target} (${s.dimension}) to ${s.targetScore}/100`),
  'audit.scored': (e) => markdown(`- Audit ${e.iteration}: **${e.score}/100**, ${e.findings.length} finding(s)\n`),
  'audit.report': (e) => markdown(`\n**Audit ended: ${AUDIT_ENDS[e.reason]}.** Report: ${codeSpan(e.path)}\n\n`),
  'budget.exceeded': (e) => markdown(`Budget reached: ${usd(e.spentUsd)} of ${usd(e.limitUsd)}.\n\n`),
  // The run's end says it, with the report (runRenderer.ts finish()).
  'run.stopped': () => undefined,
};

/** The chat's line for an event: its own, else the catalogue's words (`wordsOf`) when they warn. */
export function chatLineOf(event: EngineEvent, wordsOf: (event: EngineEvent) => Words): ChatLine | undefined {
  if (Object.hasOwn(LINES, event.type))
    return (LINES as Record<string, (e: EngineEvent) => ChatLine | undefined>)[event.type]!(event);
  const words = wordsOf(event);
  return words.progress !== false && (words.level === 'warn' || words.level === 'error')
    ? markdown(`- ${escapeInline(words.text)}\n`)
    : undefined;
}
