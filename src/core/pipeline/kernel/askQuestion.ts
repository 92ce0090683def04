/**
 * The one way the engine asks a question (questions.ts: a gate, a confirmation, a placement): it
 * is journaled with its id (`question.asked`), settled by the answer given up front when there is
 * one, else by the host, never waited for past the run's cancellation, and the answer journaled
 * (`question.answered`). A run killed while waiting asks again on resume under the same id. A host
 * may park the question (`question.parked`: a gate saves the run, a confirmation sets it aside);
 * the answer given later through `answerQuestion` (answerLater.ts) continues the run, whose asking
 * again of the parked question takes that answer.
 */
import { createHash } from 'node:crypto';
import type { EngineEvent } from '../../events';
import { isParked, type Parked } from '../../host';
import {
  aboutKey,
  type Question,
  type QuestionAbout,
  type QuestionAnswer,
  type QuestionKind,
  whoAnswers,
} from '../../questions';
import { untilCancelled } from './untilCancelled';

/** Where a question is asked: what it emits to (a run's journal, or the host before a run), what was journaled before. */
export interface QuestionPlace {
  emit(event: EngineEvent): void;
  events?: readonly { type: string; id?: unknown }[];
  signal?: AbortSignal;
  /** Stops the run, resumable (a run's context): a confirmation its host parked sets it aside. */
  setAside?(why: string): void;
}

export interface Asking<A> {
  kind: QuestionKind;
  about: QuestionAbout;
  words: string;
  /**
   * Required, so no host falls back to a default of its own: a confirmation's or a placement's wait
   * (limits.confirmationWaitSec); null for a gate, which waits as long as it takes.
   */
  waitSec: number | null;
  /** The answer given up front, or undefined: the host is asked. */
  upFront: A | undefined;
  /** The host's answer to the question (it is given the question's id and who may answer), or parked. */
  ask(question: Question): Promise<A | Parked>;
  /** What the run does with a parked question: a gate's run is saved there; a confirmation's throws, setting it aside. */
  parked(why: string): A;
  /** The answer in the journal's words. */
  said(answer: A): QuestionAnswer;
  /**
   * The answer given later to this question, parked at its last asking, in the journal's words, as
   * the run takes it. Absent (a gate): the later answer continues the run its own way (answerLater.ts).
   */
  later?(answer: QuestionAnswer): A;
}

export async function askQuestion<A>(place: QuestionPlace, asking: Asking<A>): Promise<A> {
  const { id, again } = questionId(place.events ?? [], asking.kind, aboutKey(asking.kind, asking.about));
  const question: Question = {
    id,
    kind: asking.kind,
    about: asking.about,
    words: asking.words,
    answeredBy: whoAnswers(asking.kind, asking.about),
    ...(asking.waitSec !== null ? { waitSec: asking.waitSec } : {}),
  };
  const events = place.events ?? [];
  const given = asking.later && !again ? answeredLater(events, id) : undefined;
  if (!again) place.emit({ type: 'question.asked', ...question });
  if (given !== undefined && asking.upFront === undefined) {
    const answer = asking.later!(given);
    place.emit({ type: 'question.answered', id, answer: given, by: 'later' });
    return answer;
  }
  const answer = asking.upFront ?? (await untilCancelled(asking.ask(question), place.signal));
  if (isParkedAnswer(answer)) {
    place.emit({ type: 'question.parked', id, why: answer.parked });
    return asking.parked(answer.parked);
  }
  place.emit({
    type: 'question.answered',
    id,
    answer: asking.said(answer),
    by: asking.upFront !== undefined ? 'up-front' : 'host',
  });
  return answer;
}

const isParkedAnswer = <A>(answer: A | Parked): answer is Parked =>
  typeof answer === 'object' && answer !== null && isParked(answer as Parked);

/**
 * The answer given later (answerQuestion) to the asking before `id` of the same question, which waited
 * for it (parked, or left asked by a process that stopped): the run, continued, asks again and takes it, once.
 */
function answeredLater(events: readonly { type: string; id?: unknown }[], id: string): QuestionAnswer | undefined {
  const n = Number(id.slice(id.lastIndexOf('-') + 1));
  const previous = `${id.slice(0, id.lastIndexOf('-') + 1)}${n - 1}`;
  // Only answerQuestion journals `by: 'later'`, having checked the asking waited (parked, or its process gone).
  if (n < 2) return undefined;
  const answered = events.find((e) => e.type === 'question.answered' && e.id === previous) as
    { by?: unknown; answer?: unknown } | undefined;
  return answered?.by === 'later' ? (answered.answer as QuestionAnswer) : undefined;
}

/**
 * The question's id: `<kind>-<its key's hash>-<n>`, n counting its askings in this journal. The
 * last asking still unanswered is this one again (`again`: journaled already).
 */
function questionId(
  events: readonly { type: string; id?: unknown }[],
  kind: QuestionKind,
  key: string,
): { id: string; again: boolean } {
  const stem = `${kind}-${createHash('sha256').update(key).digest('hex').slice(0, 8)}-`;
  const asked = events.filter((e) => e.type === 'question.asked' && String(e.id).startsWith(stem));
  const last = asked.at(-1)?.id as string | undefined;
  if (last && !events.some((e) => e.type === 'question.answered' && e.id === last)) return { id: last, again: true };
  return { id: `${stem}${asked.length + 1}`, again: false };
}
