/** A saved spec as `specs` lists it (api.ts re-exports it). */
export interface SpecInfo {
  id: string;
  title: string;
  kind: 'feature' | 'bugfix';
  status: string;
  path: string;
  created: string;
  /** An active spec's open tasks and files that no configured layer owns, and the model's proposals waiting (lines of spec.md). */
  unowned?: { kind: 'task' | 'file'; line: number; text: string; pick?: LayerPick }[];
  /**
   * A Mustard spec folder (`.claude/spec/{slug}/`): `id` is the folder, which `approve` takes;
   * `status` reads `Mustard {stage} · {outcome}`.
   */
  mustard?: MustardSpecState;
  /**
   * A Kiro or Spec Kit folder not imported yet: `id` is the folder, which `approve` takes;
   * `status` reads `Kiro · ready to approve` (or why it is not ready).
   */
  foreign?: ForeignSpecState;
  /** The folder an imported spec came from (workspace-relative): that folder is not listed again. */
  source?: string;
}

export interface ForeignSpecState {
  format: 'kiro' | 'speckit';
  /** The folder's spec files, as named in it (`requirements.md`, `design.md`, `tasks.md`; `spec.md`, `plan.md`, `tasks.md`). */
  files: string[];
  /** `ready`: approve imports and implements it; `no-tasks`: no tasks.md yet; `no-readable-tasks`: tasks.md holds no task the importer reads. */
  state: 'ready' | 'no-tasks' | 'no-readable-tasks';
  /** Requirements (Kiro) or user stories and FR ids (Spec Kit) read; absent when the file could not be read. */
  requirements?: number;
  /** Tasks that do work (Kiro's groups not counted), and how many of them are ticked. */
  tasks?: number;
  doneTasks?: number;
  /** false: past the listing's reading budget (import.md), listed with title and state only; `approve` reads it whole. */
  counted?: false;
  /** What to do next: the approve command, or what the folder still needs first. */
  next: string;
  /** Why `approve` refuses it now; absent when it can run. */
  refusal?: string;
  /** What could not be read fully: shown on its row, never a failure of the listing. */
  warnings: string[];
}

export interface MustardSpecState {
  stage?: string;
  outcome?: string;
  waves: number;
  completedWaves: number;
  /** Mustard's `.approved-by-user` marker: shown, never taken as our approval. */
  approvedByUser: boolean;
  /** Why `approve` refuses it (finished, or nothing to implement); absent when it can run. */
  refusal?: string;
}

/** A task of an imported spec marked "no layer": its source id and the layers the human may give it. */
export interface LayerPick {
  task: string;
  layers: string[];
  /** What the model proposed at the approval gate (a layer, or `not-implementable`), waiting to be accepted or changed. */
  proposed?: string;
}
