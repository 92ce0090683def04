/**
 * What verify learns of a completed spec's proof, kept in its trace (completion.json, issue 74):
 * per criterion, the commit its proof tests last passed at (`lastProven`, written by the sweep,
 * `verify --all --since`), and a flaky proof's quarantine note (`flaky`, written by any verify
 * that saw one). Both optional fields of the criterion's `proof`: a record without them reads as
 * before, and one with them is still the record COMPLETE wrote. Specs without a record (journal
 * basis) keep nothing.
 */
import { dirname, join } from 'node:path';
import { COMPLETION_FILE, readCompletionRecord } from '../pipeline/phases';
import { writeFileAtomic } from '../project/sources';
import type { Spec } from '../project/specs';
import type { CriterionProofNow, SpecDrift } from './types';

export const FLAKY_NOTE =
  'failed, then passed on the retry at the same commit: quarantined; strengthen it (it must still kill its mutants)';

/**
 * Writes each criterion's `lastProven` (when `head` is given: the sweep) and `flaky` into the
 * spec's completion.json, and each criterion's recorded `lastProven` into `drift`'s proofs;
 * returns whether the record changed.
 */
export async function recordProofs(
  workspace: string,
  spec: Spec,
  drift: SpecDrift,
  head: string | null,
  sweep: boolean,
  now = new Date(),
): Promise<boolean> {
  if (drift.basis.source !== 'record') return false;
  const record = await readCompletionRecord(workspace, spec.path);
  if (!record) return false;
  const proofNow = new Map<string, CriterionProofNow>(
    drift.requirements.flatMap((r) => (r.proof ?? []).map((p) => [p.criterion, p] as const)),
  );
  const at = now.toISOString();
  let changed = false;
  for (const criterion of record.requirements.flatMap((r) => r.criteria)) {
    const seen = proofNow.get(criterion.id);
    if (!seen || !criterion.proof) continue;
    if (sweep && head && (seen.now === 'proven' || seen.now === 'flaky')) {
      criterion.proof.lastProven = { commit: head, at };
      changed = true;
    }
    if (seen.now === 'flaky') {
      criterion.proof.flaky = { commit: head, at, note: FLAKY_NOTE };
      changed = true;
    }
    // The report says it too: the sidebar shows the commit each criterion was last proven at.
    if (criterion.proof.lastProven) seen.lastProven = criterion.proof.lastProven;
  }
  if (changed)
    await writeFileAtomic(join(workspace, dirname(spec.path), COMPLETION_FILE), `${JSON.stringify(record, null, 2)}\n`);
  return changed;
}
