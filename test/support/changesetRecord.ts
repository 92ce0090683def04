// A change-set on disk as `feature` leaves it waiting for its approval (issue 73): its record
// (set.json, its parts) in the workspace's folder and, in each member, the run that wrote its part
// (its journal: started at `at`, spending `costUsd`, its spec saved).
import { join } from 'node:path';
import { writeSetRecord } from '../../src/core/changeSet/setSpec';
import { Journal } from '../../src/core/journal/journal';
import { makeTrio, TRIO } from './changesetExample';

export interface RecordedPart {
  member: string;
  /** The member's folder. */
  path: string;
  at: string;
  costUsd: number;
}

/** The set's record and each part's run; returns each part's spec id (`<setId>-<member>`). */
export function recordSavedSet(root: string, setId: string, request: string, parts: readonly RecordedPart[]): void {
  for (const part of parts) {
    const runId = `spec-${part.member}`;
    const journal = Journal.create(part.path, runId, { now: () => new Date(part.at) });
    journal.append({ type: 'run.started', runId, kind: 'feature', request });
    journal.append({
      type: 'llm.usage',
      agent: 'spec',
      model: 'm',
      usage: { input: 10, output: 5, cacheRead: 0, cacheWrite: 0 },
      costUsd: part.costUsd,
      ms: 1,
    });
    const specId = `${setId}-${part.member}`;
    journal.append({ type: 'spec.saved', specId, path: join('spec/active', specId, 'spec.md') });
    journal.append({ type: 'run.completed', runId, summary: { status: 'spec-saved' } });
    journal.close();
  }
  writeSetRecord(
    root,
    {
      setId,
      request,
      branch: `changeset/${setId}`,
      parts: parts.map((p) => ({ member: p.member, specId: `${setId}-${p.member}` })),
    },
    `# Change-set ${setId}\n`,
  );
}

/** The trio (changesetExample.ts: a ← b ← c) with a set waiting for its approval, each part's run a cent; its folder. */
export function trioWithSavedSet(setId: string, request: string): string {
  const { dir } = makeTrio('v2', [], false);
  recordSavedSet(
    dir,
    setId,
    request,
    TRIO.map((m, i) => ({ member: m, path: join(dir, m), at: `2026-11-28T10:0${i}:00.000Z`, costUsd: 0.01 })),
  );
  return dir;
}
