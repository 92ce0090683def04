/** Verify's report of one spec as the sidebar shows it (evidence lines bounded: a view, not a log). */
import type { SpecDrift } from '../../core/drift';
import { engineErrorLine, strengthWords } from '../../core/text/proofWords';
import type { DriftView } from '../../shared/viewState';

const MAX_EVIDENCE = 12;
const MAX_LINE = 300;
const clip = (line: string) => (line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line);

export function driftViewOf(drift: SpecDrift): DriftView {
  return {
    specId: drift.specId,
    running: false,
    status: drift.status,
    basis: `${drift.basis.commit ? `commit ${drift.basis.commit.slice(0, 12)}` : 'no commit'}${drift.basis.completed ? `, completed ${drift.basis.completed}` : ''}`,
    notes: drift.warnings.map(clip),
    requirements: drift.requirements.map((r) => ({
      requirement: r.requirement,
      title: r.title,
      status: r.status,
      evidence: [
        ...r.evidence.slice(0, MAX_EVIDENCE),
        ...r.checks.filter((c) => c.outcome === 'failed' && c.detail).flatMap((c) => c.detail!.split('\n').slice(0, 6)),
        ...(r.proof ?? [])
          .flatMap((p) => p.tests)
          .filter((t) => t.outcome === 'failed' && t.detail)
          .flatMap((t) => t.detail!.split('\n').slice(0, 6)),
      ].map(clip),
      ...(r.proof?.length
        ? {
            proof: r.proof.map((p) => ({
              criterion: p.criterion,
              now: p.now,
              then: p.then,
              ...(p.lastProven ? { lastProven: p.lastProven } : {}),
            })),
          }
        : {}),
    })),
    ...(drift.strength ? { strength: strengthViewOf(drift.strength) } : {}),
  };
}

/** Each criterion's score line and its survivors (at most MAX_EVIDENCE listed), in the words of every other view. */
function strengthViewOf(strength: NonNullable<SpecDrift['strength']>): NonNullable<DriftView['strength']> {
  return {
    ...(strength.error ? { error: clip(engineErrorLine(strength.error) ?? '') } : {}),
    criteria: strength.criteria.map((c) => {
      const { line, survivors } = strengthWords(c, MAX_EVIDENCE);
      return { criterion: c.criterion, line: clip(line), survivors: survivors.map(clip) };
    }),
  };
}
