// The events of proof per criterion and of a layer's attempts (judged by their proof tests), split from events.ts.

export type ProofEvent =
  // Attempts (docs/attempts.md): a layer's N attempts from one base, each in its own worktree; each
  // judged by its proof tests, validation, retries, cost and time; one picked (`by`: the order of the
  // contract, or a person's swap), the others kept as refs; one the budget did not let start.
  | { type: 'attempt.started'; layer: string; k: number; of: number; runner: string; model?: string }
  | {
      type: 'attempt.judged';
      layer: string;
      k: number;
      proofGreen: number;
      proofTotal: number;
      validate: 'passed' | 'failed';
      retries: number;
      costUsd: number;
      durationMs: number;
      ref?: string;
      diff?: DiffStat;
      error?: string;
    }
  // `request`: the swap (`orchestrator attempts --use`, the sidebar) that a person's pick carried out.
  | { type: 'attempt.picked'; layer: string; k: number; why: string; by: 'judged' | 'person'; request?: string }
  | { type: 'attempt.skipped'; layer: string; k: number; reason: string }
  // Proof per criterion (docs/proof.md): PROVE's rounds, each proof test's red run on the base
  // (`output`: what the red run printed for it, trimmed), what went back to the proof agent, the
  // frozen tests' sha256, and each criterion's green run after a validation (`layer`: whose).
  | { type: 'proof.started'; round: number; criteria: string[] }
  | {
      type: 'proof.test';
      criterion: string;
      file?: string;
      name?: string;
      red: ProofRed;
      untestable?: string;
      output?: string;
    }
  | {
      type: 'proof.sentBack';
      round: number;
      tests: { criterion: string; file: string; red: 'passed' | 'broken'; output: string }[];
    }
  // `criteria`: each proven criterion's text as its tests were written from it (an amendment that rewords one proves it again).
  | { type: 'proof.frozen'; hashes: Record<string, string>; criteria?: Record<string, string> }
  | {
      type: 'proof.green';
      criterion: string;
      file: string;
      green: 'passed' | 'failed';
      layer?: string;
      output?: string;
    }
  // STRENGTH after GREEN (docs/proof.md "Strength"): the seed that samples the mutants (a resume
  // reuses it), then per criterion the mutants tried, killed and surviving (each by file, line and
  // change); `error`: what kept some from a verdict. `round`: 0 measured, then each round of tests added.
  | { type: 'proof.strengthStarted'; seed: string; round: number; criteria: string[] }
  | {
      type: 'proof.strength';
      criterion: string;
      round: number;
      tried: number;
      killed: number;
      survived: number;
      survivors: StrengthSurvivor[];
      error?: string;
    }
  // `required`: a round of the proof agent adding tests against the survivors (`round` from 1), the
  // tests it wrote that were not frozen (not red on the base, or not green now: `why`), and a
  // mutant the review judged equivalent (it changes nothing observable: no longer counted).
  // `stalled`: the agent ended the round without a submission (it repeated the same call, or its
  // turns ran out): nothing of it kept, and no round follows.
  | { type: 'proof.strengthen'; round: number; criteria: string[] }
  | {
      type: 'proof.strengthRefused';
      round: number;
      tests: { criterion: string; file: string; why: string; output: string }[];
      stalled?: string;
    }
  | {
      type: 'proof.equivalent';
      criterion: string;
      mutant: string;
      file: string;
      line: number;
      change: string;
      why: string;
    };

/** A mutant the proof tests let through: where, and what it changed (`>` → `>=`). */
export interface StrengthSurvivor {
  id: string;
  file: string;
  line: number;
  change: string;
}

/** A proof test on the base: `failed` is the red it must be; `passed` is vacuous; `broken` cannot run. */
export type ProofRed = 'failed' | 'passed' | 'broken' | 'untestable';

/** What an attempt changed against its base, as `git diff --shortstat` counts it. */
export interface DiffStat {
  files: number;
  insertions: number;
  deletions: number;
}
