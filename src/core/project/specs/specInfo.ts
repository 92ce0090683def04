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
}
