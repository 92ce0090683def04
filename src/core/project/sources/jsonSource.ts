// The ESM build: esbuild cannot follow the `require` calls of the package's UMD main.
import { parseTree, type Node } from 'jsonc-parser/lib/esm/main.js';
import { ProjectFileError } from './errors';
import { jsonErrorOffset } from './jsonErrorOffset';
import type { ParsedSource, SourcePosition } from './parsedSource';

export interface JsonSourceOptions {
  /** Lines before this text in its file (one JSONL line is parsed at a time). */
  lineOffset?: number;
}

/**
 * Parses JSON with the fast native parser. Positions are only worked out when something is
 * wrong: syntax errors from V8's offset (or our own scan), key paths by re-reading the text
 * once with jsonc-parser, which keeps node offsets.
 */
export function parseJsonSource(text: string, file: string, options: JsonSourceOptions = {}): ParsedSource {
  const lineOffset = options.lineOffset ?? 0;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const offset = positionFromMessage(message) ?? jsonErrorOffset(text) ?? text.length;
    const at = positionOf(text, offset, lineOffset);
    throw new ProjectFileError(
      { file, line: at.line, column: at.column },
      `JSON syntax error: ${describeJsonError(message)}`,
    );
  }
  let tree: Node | undefined;
  return {
    file,
    value,
    locate(path) {
      tree ??= parseTree(text, [], { allowTrailingComma: true });
      return positionOf(text, offsetOfJsonPath(tree, path), lineOffset);
    },
  };
}

/** Offset of the key (for object members) or item (for array items) deepest along `path`. */
function offsetOfJsonPath(root: Node | undefined, path: readonly PropertyKey[]): number {
  let node = root;
  let offset = root?.offset ?? 0;
  for (const segment of path) {
    if (node?.type === 'object') {
      const member = lastMember(node, String(segment));
      if (!member) break;
      offset = member.offset;
      node = member.children?.[1];
    } else if (node?.type === 'array' && typeof segment === 'number') {
      const item = node.children?.[segment];
      if (!item) break;
      offset = item.offset;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}

function positionFromMessage(message: string): number | undefined {
  const match = /at position (\d+)/.exec(message);
  return match ? Number(match[1]) : undefined;
}

/** Drops V8's position and source snippet, which the file:line:col prefix replaces. */
function describeJsonError(message: string): string {
  const unexpected =
    /^(Unexpected token '.*?'|Unexpected end of JSON input|Unexpected non-whitespace character after JSON)/s.exec(
      message,
    );
  if (unexpected?.[1]) return unexpected[1].replace(/'\n'/, "'\\n'");
  return message.replace(/ in JSON at position \d+.*$/s, '').replace(/ \(line \d+ column \d+\)$/, '');
}

/** The last member of that name: JSON.parse keeps the last of duplicate keys. */
function lastMember(object: Node, name: string): Node | undefined {
  const members = object.children ?? [];
  for (let i = members.length - 1; i >= 0; i--) if (members[i]?.children?.[0]?.value === name) return members[i];
  return undefined;
}

function positionOf(text: string, offset: number, lineOffset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line: line + lineOffset, column: offset - lineStart + 1 };
}
