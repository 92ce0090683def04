/**
 * A broken project file (config, registry, memory graph, spec front matter). The message
 * always names the workspace-relative file, the line (and column when known) and the key,
 * e.g. `.claude/orchestrator.yaml:7:3 limits.maxRetries: expected a number, got "two"`,
 * so a human can jump straight to the problem. Loaders throw it before any model call.
 */
export interface ProjectFileLocation {
  /** Workspace-relative path with forward slashes. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based; omitted when only the line is known. */
  column?: number;
  /** Key path such as `limits.maxRetries` or `e.Customer.refs[1]`; empty for syntax errors. */
  key?: string;
}

export class ProjectFileError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column?: number;
  readonly key?: string;
  /** The problem alone, without the location prefix. */
  readonly detail: string;

  constructor(location: ProjectFileLocation, detail: string) {
    super(formatProjectFileMessage(location, detail));
    this.name = 'ProjectFileError';
    this.file = location.file;
    this.line = location.line;
    this.column = location.column;
    this.key = location.key || undefined;
    this.detail = detail;
  }
}

export function formatProjectFileMessage(location: ProjectFileLocation, detail: string): string {
  const where =
    location.column === undefined
      ? `${location.file}:${location.line}`
      : `${location.file}:${location.line}:${location.column}`;
  return location.key ? `${where} ${location.key}: ${detail}` : `${where} ${detail}`;
}

/** `['limits', 'maxRetries']` → `limits.maxRetries`; array indexes as `[n]`. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}
