import type { UnownedItem } from '../project/specs';

/** What importing a foreign spec folder made (a leaf module: every importer returns it). */
export interface ImportedSpec {
  specId: string;
  specPath: string;
  format: 'kiro' | 'speckit' | 'mustard';
  /** The folder, as given. */
  source: string;
  requirements: number;
  /** Tasks that do work (Kiro's groups not counted). */
  tasks: number;
  /** Open tasks and files no layer owns (lines of the new spec.md). */
  unowned: UnownedItem[];
  /** What could be read but not fully understood, and traceability gaps: warnings, not stops. */
  warnings: string[];
  /** What the user should know that is not a problem (Mustard's own approval marker). */
  notes?: string[];
}
