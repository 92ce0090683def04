/** A parsed project file that can point a key path back at its line and column. */
export interface SourcePosition {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export interface ParsedSource {
  /** Workspace-relative file name used in error messages. */
  file: string;
  value: unknown;
  /** Position of the deepest existing node on `path` (the key itself for mapping entries). */
  locate(path: readonly PropertyKey[]): SourcePosition;
}
