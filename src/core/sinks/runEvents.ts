/**
 * `orchestrator events <runId> --format cloudevents`: the run's journal in seed 003's
 * vocabulary, one CloudEvent JSON per line, with links to the evidence that exists on disk.
 * `--format journal` prints the journal's own lines.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { meaningOf } from '../catalogue';
import { assertSafeRunId, type JournalEntry, journalPath, readEvents, type StateEvent } from '../journal';
import { EngineUsageError } from '../errors';
import { artifactPaths, eventLayer, linksOf, toCloudEvent, vocabularyOf } from './vocabulary';

export function runEventLines(workspace: string, runId: string, format: 'cloudevents' | 'journal'): string[] {
  try {
    assertSafeRunId(runId);
  } catch (error) {
    throw new EngineUsageError((error as Error).message);
  }
  const path = journalPath(workspace, runId);
  if (!existsSync(path)) throw new EngineUsageError(`No run ${runId} in this workspace (see \`orchestrator runs\`).`);
  if (format === 'journal')
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '');
  return cloudEventLines(workspace, runId, readEvents(workspace, runId));
}

/**
 * A journal held elsewhere (a pooled run's, as its workers mirrored it into the pool) in the
 * same lines as a local run's: its entries as the journal writes them (seq, ts and type first:
 * the database kept their fields, not their order), or
 * CloudEvents linking to what exists in this workspace.
 */
export function journalEntryLines(
  workspace: string,
  runId: string,
  entries: readonly JournalEntry[],
  format: 'cloudevents' | 'journal',
): string[] {
  if (format === 'journal')
    return entries.map(({ seq, ts, type, ...rest }) => JSON.stringify({ seq, ts, type, ...rest }));
  return cloudEventLines(workspace, runId, entries);
}

function cloudEventLines(workspace: string, runId: string, events: readonly JournalEntry[]): string[] {
  const exists = (relative: string) => existsSync(join(workspace, relative.replace(/#.*$/, '')));
  const lines: string[] = [];
  let sawStart = false;
  let phases = false;
  let specPath: string | undefined;
  // The spec is linked where it is now (a completed run's spec has moved to spec/completed/).
  const meanings = events.map((entry) => meaningOf(entry as StateEvent));
  const finalPath = meanings.flatMap((meaning) => meaning.specMoved ?? meaning.specSaved ?? []).at(-1)?.path;
  // A phase's documents moved with the spec's folder (COMPLETE): linked where they are now.
  const finalFolder = finalPath && exists(finalPath) ? posix.dirname(finalPath) : undefined;
  const documentAt = (path: string) => {
    const inFolder = /^spec\/active\/[^/]+\/(.+)$/.exec(path)?.[1];
    return finalFolder && inFolder && !exists(path) && exists(`${finalFolder}/${inFolder}`)
      ? `${finalFolder}/${inFolder}`
      : path;
  };
  for (const [i, entry] of (events as (StateEvent & { seq: number; ts: string })[]).entries()) {
    const { start, specSaved } = meanings[i]!;
    if (start?.specId) specPath ??= `spec/active/${start.specId}/spec.md`;
    if (start?.workflow !== undefined) phases = true;
    if (specSaved) specPath = specSaved.path;
    const mapped = vocabularyOf(entry, start !== undefined && !sawStart, phases);
    if (start) sawStart = true;
    if (!mapped) continue;
    const paths = artifactPaths(runId, entry.seq, eventLayer(mapped));
    const spec = finalPath && exists(finalPath) ? finalPath : specPath;
    const links = linksOf(mapped, paths, spec, (kind) => exists(paths[kind]), documentAt);
    lines.push(JSON.stringify(toCloudEvent(entry, runId, mapped, links)));
  }
  return lines;
}
