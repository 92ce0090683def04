/**
 * What a Kiro or Spec Kit folder says, in one shape: requirements with their ids and
 * acceptance criteria, tasks with the ids they cite (their own numbering kept), and the
 * design/plan text. Both readers (kiro.ts, specKit.ts) produce it; importSpec.ts turns it
 * into our spec.
 */
import type { CheckState } from './markdown';

export interface ForeignRequirement {
  /** Our id: `REQ-7` for Kiro's "Requirement 7", `US-1` for Spec Kit's [US1], `FR-001` kept. */
  id: string;
  title: string;
  story?: string;
  criteria: { id: string; text: string }[];
}

export interface ForeignTask {
  /** The folder's own task id (`2.1`, `T012`). */
  ref: string;
  text: string;
  done: boolean;
  /** Our ids of what it serves (requirements or criteria). */
  cites: string[];
  /** The source's checkbox (`done` is `state === 'done'`); absent means open. */
  state?: CheckState;
  /** The group task it belongs to (Kiro's `3` for `3.1`). */
  parent?: string;
  /** A group of sub-tasks: it does no work of its own. */
  group?: boolean;
  /** Lines under the task that are neither links nor sub-tasks, as written. */
  details?: string[];
}

export interface ForeignSpec {
  format: 'kiro' | 'speckit';
  title: string;
  summary: string;
  requirements: ForeignRequirement[];
  tasks: ForeignTask[];
  /** design.md / plan.md, as written. */
  design?: { file: string; text: string };
  /** A bug spec (Kiro's bugfix.md). */
  kind?: 'feature' | 'bugfix';
  /** The files the spec was read from, as named in the folder. */
  files?: string[];
  /** Checkbox lists of the task file that are not tasks (`heading: item`), kept for the reader. */
  checklists?: string[];
  /** Lines we could read but not place: warnings, not stops. */
  warnings: string[];
}

/**
 * Markup a title does not need: a trailing `*(mandatory)*`, and bold or italics set off by spaces
 * (`**WHEN**`). Markers inside a word or path (`lib/__tests__/x.ts`, `src/**` + `/*.ts`) and code
 * spans stay as written.
 */
export function plain(text: string): string {
  return text
    .replace(/\s*[*_]+\((?:mandatory|optional|obligatorio|opcional|obrigat[oó]rio)\)[*_]+\s*$/i, '')
    .replace(/(^|[\s(（「"'])(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\2(?=$|[\s)）」"',.;:!?，。；：！？])/gu, '$1$3')
    .trim();
}

/** `MUST` → `SHALL`, and a statement without SHALL made one: `THE system SHALL …`. */
export function asEars(text: string): string {
  const shall = text.replace(/\bMUST\b/g, 'SHALL').replace(/\bmust\b/g, 'shall');
  return /\bSHALL\b/i.test(shall) ? shall : `THE system SHALL satisfy: ${shall}`;
}
