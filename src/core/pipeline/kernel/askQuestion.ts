/**
 * The one way the engine asks a question (questions.ts: a gate, a confirmation, a placement): it
 * is journaled with its id (`question.asked`), settled by the answer given up front when there is
 * one, else by the host, never waited for past the run's cancellation, and the answer journaled
 * (`question.answered`). A run killed while waiting asks again on resume under the same id.
 */
import { createHash } from 'node:crypto';
import type { EngineEvent } from '../../events';
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
}

export interface Asking<A> {
  kind: QuestionKind;
  about: QuestionAbout;
  words: string;
  waitSec?: number;
  /** The answer given up front, or undefined: the host is asked. */
  upFront: A | undefined;
  /** The host's answer to the question (it is given the question's id and who may answer). */
  ask(question: Question): Promise<A>;
  /** The answer in the journal's words. */
  said(answer: A): QuestionAnswer;
}

export async function askQuestion<A>(place: QuestionPlace, asking: Asking<A>): Promise<A> {
  const { id, again } = questionId(place.events ?? [], asking.kind, aboutKey(asking.kind, asking.about));
  const question: Question = {
    id,
    kind: asking.kind,
    about: asking.about,
    words: asking.words,
    answeredBy: whoAnswers(asking.kind, asking.about),
    ...(asking.waitSec !== undefined ? { waitSec: asking.waitSec } : {}),
  };
  if (!again) place.emit({ type: 'question.asked', ...question });
  const answer = asking.upFront ?? (await untilCancelled(asking.ask(question), place.signal));
  place.emit({
    type: 'question.answered',
    id,
    answer: asking.said(answer),
    by: asking.upFront !== undefined ? 'up-front' : 'host',
  });
  return answer;
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
