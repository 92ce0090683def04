/**
 * A producer's change held to its consumers (issue 73, docs/changesets.md): once a layer of a
 * change-set's producer passes its own validation, each member using that producer is checked on the
 * combined heads (combined/: the consumer at its HEAD, its own run's work in progress not this
 * gate's to judge, the producer's work tree as the layer left it
 * linked in by the edge's `via`, then the consumer's validate commands, its proof tests among what
 * they run). A consumer failing there is the layer's failed gate, retried as any (layerWork.ts): the
 * agent is sent the consumer's command, its failing tests (a proof test's name carries its
 * criterion) and its first error lines; retries spent, the producer's run stops naming them. A
 * consumer that fails with the producer at its HEAD too says nothing of this change: set aside,
 * as a validate command failing on the base is.
 */
import type { GateFailure } from '../api';
import { checkCombinedHeads, type CombinedMember } from '../combined';
import type { ChangeSetWorkspace } from '../project/changeSet';
import { redactSecrets } from '../text/secrets';

export interface HeldGate {
  check(signal?: AbortSignal): Promise<GateFailure | undefined>;
  /** The consumer's failure the gate last held against the producer (the set's stop names it). */
  last?: string;
}

export function consumersGate(
  root: string,
  producer: string,
  workspace: ChangeSetWorkspace,
  trusted: boolean,
  warn: (message: string) => void,
): HeldGate | undefined {
  const consumers = workspace.uses.filter((u) => u.producer === producer);
  if (consumers.length === 0) return undefined;
  const setAside = new Set<string>();
  const gate: HeldGate = {
    check: async (signal?: AbortSignal): Promise<GateFailure | undefined> => {
      for (const use of consumers) {
        if (setAside.has(use.consumer)) continue;
        const options = { trusted, member: use.consumer, ...(signal ? { signal } : {}) };
        const now = await checkCombinedHeads(root, { ...options, atHead: [use.consumer] });
        const failed = now.members.find((m) => m.name === use.consumer && m.status === 'failed');
        if (!failed) continue;
        const base = await checkCombinedHeads(root, { ...options, at: 'HEAD' });
        if (base.members.some((m) => m.name === use.consumer && m.status === 'failed')) {
          setAside.add(use.consumer);
          warn(
            `${use.consumer} fails with ${producer} at its HEAD too: its checks say nothing of ${producer}'s change`,
          );
          continue;
        }
        const words = failingWords(failed);
        gate.last = `${use.consumer}: ${words.summary}`;
        return {
          command: `${use.consumer}: ${words.command} (a consumer of ${producer}, its change linked in via ${use.via})`,
          output: redactSecrets(
            `${use.consumer} uses this repository (via ${use.via}) and fails with your change linked in; it passed ` +
              `with ${producer} as it was before. Keep it working: change your work, not the consumer.\n` +
              words.detail,
          ).text,
          exitCode: 1,
        };
      }
      gate.last = undefined;
      return undefined;
    },
  };
  return gate;
}

/** The consumer's failing link step or command, its failing tests and first error lines. */
function failingWords(member: CombinedMember): { command: string; summary: string; detail: string } {
  const link = member.linked.find((l) => l.outcome && l.outcome.status !== 'passed');
  const command = member.commands.find((c) => c.outcome.status !== 'passed');
  const step = link ? `link: ${link.step}` : (command?.command ?? member.reason ?? 'its checks');
  const outcome = link?.outcome ?? command?.outcome;
  const failing = outcome?.status === 'failed' ? (outcome.failing ?? []) : [];
  const lines =
    outcome?.status === 'failed'
      ? outcome.firstLines
      : outcome?.status === 'timed-out'
        ? (outcome.lastLines ?? [])
        : [];
  return {
    command: step,
    summary: `${step} ${outcome?.status ?? 'failed'}${failing.length ? `: ${failing.join('; ')}` : ''}`,
    detail: [
      ...(failing.length ? ['Its failing tests:', ...failing.map((t) => `- ${t}`)] : []),
      ...(lines.length ? ['Its output:', ...lines] : []),
    ].join('\n'),
  };
}
