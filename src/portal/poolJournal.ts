/**
 * A pooled run's journal on the Pool page (`GET /api/pool/runs/<runId>/events`): read-only, as the
 * workers mirrored it into the pool's database, a page at a time from its end (`?before=<seq>`
 * pages back). Each entry is answered as its seq, time, type and one line of text: the event
 * catalogue's words and detail, bounded; the page shows that text as text, never as HTML. With it,
 * the run's proof per criterion (docs/proof.md), read from its proof entries and latest matrix, and
 * a line per layer tried in attempts (docs/attempts.md): how many ran, which was kept and why.
 */
import { attemptsLine, attemptsOfRun, proofOfJournal, wordsOf } from '../core/engineBundle';
import type { EngineEvent } from '../core/events';
import { proofLine, proofSummary } from '../core/text/proofWords';
import type { JournalPage, RunProof } from '../shared/portalApi';
import { JOURNAL_MAX_PAGE, ROUTES } from '../shared/portalRoutes';
import { HttpError } from './httpKit';
import type { PortalPool } from './poolBoard';

type MirroredEntry = NonNullable<Awaited<ReturnType<PortalPool['journalPage']>>>[number];

/** Entries a page holds when the request does not say (and at most JOURNAL_MAX_PAGE). */
const JOURNAL_PAGE = 100;
/** An entry's text is cut here: a tool's input or an agent's summary can be long. */
const TEXT_CHARS = 400;
/** A proof test's file and name (the proof agent's words) are cut here. */
const NAME_CHARS = 200;

export async function pooledJournal(pool: PortalPool, runId: string, search: URLSearchParams): Promise<JournalPage> {
  const parsed = ROUTES.poolJournal.query.safeParse(Object.fromEntries(search));
  if (!parsed.success)
    throw new HttpError(
      400,
      `the page must be ?before=<seq ≥ 2>&limit=<1..${JOURNAL_MAX_PAGE}>: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ')}`,
    );
  if (!pool.configured)
    throw new HttpError(404, "no pool: the pool of workers runs on the queue's PostgreSQL (queue.url)");
  const { before, limit = JOURNAL_PAGE } = parsed.data;
  let entries;
  try {
    entries = await pool.journalPage(runId, { ...(before !== undefined ? { before } : {}), limit });
  } catch (error) {
    throw new HttpError(503, `the pool could not be read: ${(error as Error).message}`);
  }
  if (!entries) throw new HttpError(404, `no pooled run ${runId}`);
  const events = entries.map((entry) => ({
    seq: entry.seq,
    ts: String(entry.ts ?? ''),
    type: entry.type,
    text: textOf(entry),
  }));
  const first = events[0]?.seq;
  let facts;
  try {
    facts = ((await pool.pageEntries(runId)) ?? []) as unknown as EngineEvent[];
  } catch (error) {
    throw new HttpError(503, `the pool could not be read: ${(error as Error).message}`);
  }
  const proof = runProof(facts);
  const attempts = attemptsOfRun(facts).map(attemptsLine);
  return {
    runId,
    events,
    ...(first !== undefined && first > 1 ? { earlier: first } : {}),
    ...(proof ? { proof } : {}),
    ...(attempts.length > 0 ? { attempts } : {}),
  };
}

/** The run's proof per criterion; undefined before it has criteria (no matrix, no PROVE yet). */
function runProof(entries: readonly EngineEvent[]): RunProof | undefined {
  const criteria = proofOfJournal(entries);
  if (criteria.length === 0) return undefined;
  return {
    line: proofLine(criteria.map((c) => c.proof.status)),
    criteria: criteria.map(({ criterion, proof }) => ({ criterion, ...proofSummary(proof, NAME_CHARS) })),
  };
}

/** The entry in words (its detail after a dash) on one line, cut at TEXT_CHARS. */
function textOf(entry: MirroredEntry): string {
  const words = wordsOf(entry as unknown as EngineEvent);
  const text = [words.text, words.detail].filter(Boolean).join(' — ').replace(/\s+/g, ' ');
  return text.length > TEXT_CHARS ? `${text.slice(0, TEXT_CHARS - 1)}…` : text;
}
