/**
 * What an agent is about to do that needs a yes, each kind in the engine's words: its questions say
 * them and so does a GitHub comment. A portable leaf, so a host's bundle words a question as the
 * engine does without carrying the engine (questions.ts re-exports it).
 */
/** The kinds (pipeline/agent/confirmations.ts, pipeline/phases/specOwnership.ts say when each is asked). */
export const CONFIRMATION_KINDS = [
  'delete-lines',
  'many-files',
  'schema-change',
  'validator-change',
  'unowned-work',
  'layer-proposal',
  'new-module',
  'migration',
  'core-file',
] as const;

export type ConfirmationKind = (typeof CONFIRMATION_KINDS)[number];

/** What a confirmation of each kind asks leave to do. */
export const CONFIRMATION_WORDS: Record<ConfirmationKind, string> = {
  'delete-lines': 'delete lines',
  'many-files': 'change many files in one turn',
  'schema-change': 'change the schema (files the approved spec does not name)',
  'validator-change': 'change what a validate command runs',
  'unowned-work': 'approve work no layer owns',
  'layer-proposal': 'add a layer',
  'new-module': 'create a new module or folder',
  migration: 'write a migration',
  'core-file': 'change core files (audit.core)',
};
