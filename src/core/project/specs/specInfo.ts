/** A saved spec as `specs` lists it (api.ts re-exports it). */
export interface SpecInfo {
  id: string;
  title: string;
  kind: 'feature' | 'bugfix';
  status: string;
  path: string;
  created: string;
  /** An active spec's open tasks and files that no configured layer owns (lines of spec.md). */
  unowned?: { kind: 'task' | 'file'; line: number; text: string }[];
  /**
   * A Mustard spec folder (`.claude/spec/{slug}/`): `id` is the folder, which `approve` takes;
   * `status` reads `Mustard {stage} · {outcome}`.
   */
  mustard?: MustardSpecState;
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
