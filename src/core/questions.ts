/**
 * The engine's questions (issue 62): a gate (the spec's, a workflow phase's), a confirmation (a
 * critical operation an agent is about to do) or a placement (the model's layer for tasks naming
 * no file). The engine asks and journals them; hosts only show one and carry its answer back (the
 * terminal, the sidebar and chat, the portal, a GitHub comment, an Action job that ends and a
 * later one that answers). What a confirmation asked is declared once, here, as a zod schema every
 * host's copy derives from (a GitHub issue's state, the pool's table, the portal's page); so are
 * the one rule for "the same question again", the one default wait and the answers given up front.
 */
import * as z from 'zod/mini';
import { CONFIRMATION_KINDS, type ConfirmationKind } from './text/confirmationWords';

export { CONFIRMATION_KINDS, CONFIRMATION_WORDS, type ConfirmationKind } from './text/confirmationWords';

/**
 * What a confirmation asks, as every host keeps it (a GitHub issue's link, the pool's
 * `pool_confirmations.asked`, the portal's page). Loose: fields a later build adds are kept.
 */
export const askedSchema = z.looseObject({
  /**
   * `unowned-work`: approving a spec with tasks or files no layer owns (`paths` lists them).
   * `layer-proposal`: the model's placement of tasks naming no file. The audit loop also asks
   * before `new-module` (a new top-level folder, package or module), `migration` and `core-file`
   * (`audit.core` globs) changes.
   */
  kind: z.enum(CONFIRMATION_KINDS),
  agent: z.string(),
  paths: z.array(z.string()),
  /** `delete-lines`: how many lines the turn deletes. */
  lines: z.optional(z.number()),
  /** The question in words (absent where a host rebuilds its words from the rest: a GitHub comment). */
  question: z.optional(z.string()),
});

/** An answer a person gave to a question (kept where the run that asked is not: a GitHub issue's link, for a later job). */
export const answeredSchema = z.object({
  kind: z.enum(CONFIRMATION_KINDS),
  agent: z.string(),
  paths: z.array(z.string()),
  allowed: z.boolean(),
  by: z.string(),
});

export type Asked = z.infer<typeof askedSchema>;
export type Answered = z.infer<typeof answeredSchema>;

/** A confirmation as the engine builds it (an agent's turn, a spec's ownership), before it is asked. */
export type ConfirmationAsk = Asked & { question: string };

/** A confirmation the engine asks its host: with its wait and its journaled question's id, always. */
export type ConfirmationRequest = ConfirmationAsk & {
  /** limits.confirmationWaitSec: how long a host that waits for someone (GitHub, the portal) waits, then stops the run. */
  waitSec: number;
  /** The journaled question's id (`question.asked`): what `answerQuestion` answers. */
  questionId: string;
};

/** limits.confirmationWaitSec's default: a day. */
export const DEFAULT_WAIT_SEC = 86_400;

/** The three kinds of question: who may answer each, and how, is the host's; which kind it is, the engine's. */
export type QuestionKind = 'gate' | 'confirmation' | 'placement';

export const questionKind = (asked: Pick<Asked, 'kind'>): Exclude<QuestionKind, 'gate'> =>
  asked.kind === 'layer-proposal' ? 'placement' : 'confirmation';

/**
 * A question's identity: its kind, the agent and the paths (in any order). The same question asked
 * again (a run resumed after a kill, on any host) keeps its first asking, its wait counted from
 * there; the words and the lines deleted may differ between askings of the same question.
 */
export function questionKey(asked: Pick<Asked, 'kind' | 'agent' | 'paths'>): string {
  return JSON.stringify([asked.kind, asked.agent, [...new Set(asked.paths)].sort()]);
}

export const sameQuestion = (
  a: Pick<Asked, 'kind' | 'agent' | 'paths'> | undefined,
  b: Pick<Asked, 'kind' | 'agent' | 'paths'>,
): boolean => a !== undefined && questionKey(a) === questionKey(b);

/**
 * The latest answer given to this question or to a wider one: the same kind and agent, about these
 * paths or more (the agent, continued, does its turn again and may touch fewer files).
 */
export function answerTo<A extends Answered>(
  answered: readonly A[] | undefined,
  asked: Pick<Asked, 'kind' | 'agent' | 'paths'>,
): A | undefined {
  return answered
    ?.filter(
      (a) => a.kind === asked.kind && a.agent === asked.agent && asked.paths.every((path) => a.paths.includes(path)),
    )
    .at(-1);
}

/**
 * The answers given up front, with the run (RunOptions): the CLI's and a pooled run's flags, the
 * approval that starts a run. The hosts only pass them through; the engine decides with them here.
 */
export interface UpFrontAnswers {
  /** The run's spec approved (CLI `--approve`, `approve <specId>`): the spec's gate is not asked. */
  autoApprove?: boolean;
  /** Every gate approved, the workflow phases' too (`--approve` on the command line or in a pooled run's flags). */
  approveGates?: boolean;
  /** Yes to every confirmation, placements included (`--yes`). */
  assumeYes?: boolean;
  /** The approval that starts the run was given where the model's placement was shown (the portal, a pooled run's dispatch): it accepts the placement. */
  placementShown?: boolean;
}

/** The answer given up front to a gate (`phase`: a workflow phase's), or undefined: ask. */
export function gateAnsweredUpFront(answers: UpFrontAnswers, phase: string | undefined): true | undefined {
  return (phase === undefined ? answers.autoApprove || answers.approveGates : answers.approveGates) ? true : undefined;
}

/** The answer given up front to a confirmation or a placement, or undefined: ask. */
export function confirmedUpFront(answers: UpFrontAnswers, asked: Pick<Asked, 'kind'>): true | undefined {
  if (answers.assumeYes) return true;
  return questionKind(asked) === 'placement' && answers.placementShown ? true : undefined;
}

/** How a question was settled: a gate's three answers, a confirmation's or a placement's two. */
export type QuestionAnswer = 'approve' | 'save' | 'changes' | 'yes' | 'no';

/**
 * What a question is about, its identity with its kind: a gate's spec and phase (absent: the spec's
 * own gate); a confirmation's or a placement's kind, agent and paths.
 */
export type QuestionAbout =
  { specId: string; phase?: string } | { confirmation: ConfirmationKind; agent: string; paths: string[] };

/** A question as the journal keeps it (`question.asked`) and a host is given it. */
export type Question = {
  /** The run's own: the same question asked again before it is answered (a resumed run) keeps it. */
  id: string;
  kind: QuestionKind;
  about: QuestionAbout;
  words: string;
  /** Who may answer: the answer given up front that settles it, and the host's people. */
  answeredBy: string;
  /** A confirmation's or a placement's: how long a host that waits for someone waits. */
  waitSec?: number;
};

/** The key of a question about this: the one rule for "the same question" (questionKey for a confirmation). */
export function aboutKey(kind: QuestionKind, about: QuestionAbout): string {
  return 'confirmation' in about
    ? questionKey({ kind: about.confirmation, agent: about.agent, paths: about.paths })
    : JSON.stringify([kind, about.specId, about.phase ?? null]);
}

/** Who may answer a question of this kind (`Question.answeredBy`), in the words a person reads. */
export function whoAnswers(kind: QuestionKind, about: QuestionAbout): string {
  if (kind === 'gate')
    return 'phase' in about && about.phase !== undefined
      ? '--approve given with the run, else a person where the run lives'
      : '--approve (or approve <specId>) given with the run, else a person where the run lives';
  if (kind === 'placement')
    return '--yes, or approving the run where the placement is shown, else a person where the run lives';
  return '--yes given with the run, else a person where the run lives (no one there: no)';
}
