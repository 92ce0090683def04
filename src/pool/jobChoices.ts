/**
 * A job row's choices as any version wrote them (issue 72). Rows written before the choices were
 * one schema spelled three of them as the CLI's flags (`approve`, `yes`, `maxBudgetUsd`): read as
 * the choices they meant, so a run queued (or waiting at its gate) before an upgrade runs the same
 * after it. Rows are written in the choices' own words (PoolStore.dispatch checks them).
 */
import { runChoicesSchema } from '../core/engineBundle';
import type { RunChoices } from '../core/api';
import type { JobChoices } from './types';

interface FlagsBefore72 {
  approve?: unknown;
  yes?: unknown;
  maxBudgetUsd?: unknown;
}

export function jobChoicesOf(stored: unknown): JobChoices {
  const { approve, yes, maxBudgetUsd, ...choices } = (stored ?? {}) as JobChoices & FlagsBefore72;
  return {
    ...choices,
    ...(approve === true ? { autoApprove: true, approveGates: true } : {}),
    ...(yes === true ? { assumeYes: true } : {}),
    ...(typeof maxBudgetUsd === 'number'
      ? { overrides: { ...choices.overrides, limits: { ...choices.overrides?.limits, maxBudgetUsd } } }
      : {}),
  };
}

/** The choices a dispatch stores, checked against the one schema: bad input is refused before anything is queued. */
export function checkedJobChoices(choices: JobChoices): JobChoices {
  const checked = runChoicesSchema.safeParse(choices);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw new Error(`the run's choices are not valid: ${issue.path.join('.') || 'choices'}: ${issue.message}`);
  }
  return choices;
}

/** The run's own choices of a job, without what the pool adds (a gate's decision, a question's answer, an audit's settings, a follow-up). */
export function runChoicesOf(job: JobChoices): RunChoices {
  const {
    approval: _approval,
    changes: _changes,
    answer: _answer,
    audit: _audit,
    followUp: _followUp,
    ...choices
  } = job;
  return choices;
}
