/**
 * What a completed spec is checked against: its completion record (completion.json: the
 * commit, each requirement's files and tests with their blob ids), or — for a spec completed
 * before records existed — its runs' journals: the matrix rebuilt from them, and each layer's
 * files compared with the hash its last `validation.passed` recorded. The fallback says so.
 */
import type { StateEvent } from '../journal';
import type { OrchestratorConfig } from '../project/config';
import type { Spec } from '../project/specs';
import { matrixOf, runsOfSpec } from '../trace';
import { readCompletionRecord, recordedRequirements } from '../pipeline/phases';
import type { RecordedRequirement, SpecDrift } from './types';

export interface DriftBasis {
  basis: SpecDrift['basis'];
  requirements: RecordedRequirement[];
  /** Blob ids at completion (record only). */
  files?: Record<string, string | null>;
  /** Each layer's files hash at its last passed validation (journal fallback only). */
  layerHashes?: Map<string, string>;
}

export async function driftBasis(
  workspace: string,
  config: OrchestratorConfig,
  spec: Spec,
  testFiles: () => Promise<Map<string, string>>,
): Promise<DriftBasis> {
  const record = await readCompletionRecord(workspace, spec.path);
  if (record) {
    return {
      basis: { source: 'record', commit: record.commit, completed: record.completed },
      requirements: record.requirements,
      files: record.files,
    };
  }
  const runs = runsOfSpec(workspace, spec.id);
  const events = runs.flatMap((run) => run.events);
  const matrix = matrixOf(
    spec,
    config,
    runs.map((r) => r.runId),
    events,
    await testFiles(),
  );
  const completion = [...events].reverse().find((e) => e.type === 'spec.completed');
  const commit = completion?.type === 'spec.completed' ? (completion.commit ?? null) : null;
  const note =
    runs.length === 0
      ? 'completed before drift records, and no journal of its runs is left: requirements come from spec.md alone, with no files to compare'
      : `completed before drift records (no completion.json): files compared per layer with the last passed validation in the journal of ${runs.map((r) => r.runId).join(', ')}`;
  return {
    basis: { source: 'journal', commit, note, ...(completion?.ts ? { completed: completion.ts } : {}) },
    requirements: recordedRequirements(matrix),
    layerHashes: lastValidatedHashes(events),
  };
}

function lastValidatedHashes(events: readonly StateEvent[]): Map<string, string> {
  const hashes = new Map<string, string>();
  for (const event of events)
    if (event.type === 'validation.passed' && event.filesHash) hashes.set(event.layer, event.filesHash);
  return hashes;
}
