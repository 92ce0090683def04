/**
 * The audit loop's phase names. Phases of an iteration carry its number ("CLOSE GAPS 2"), so
 * each is journaled (and skipped on resume once done) on its own.
 */
export const AUDIT_PHASES = {
  discovery: 'DISCOVERY',
  audit: 'AUDIT',
  closeGaps: 'CLOSE GAPS',
  enhance: 'ENHANCE',
  test: 'TEST',
  reaudit: 'RE-AUDIT',
} as const;

export const iterationPhase = (phase: string, iteration: number): string => `${phase} ${iteration}`;
