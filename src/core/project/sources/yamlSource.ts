import { LineCounter, parseDocument, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import { ProjectFileError } from './errors';
import type { ParsedSource, SourcePosition } from './parsedSource';

export interface YamlSourceOptions {
  /** Lines before this text in its file (front matter starts after the `---` line). */
  lineOffset?: number;
}

/** Recent parses by file, offset and text: every run reads the same config and workflow again. */
const parsed = new Map<string, ParsedSource>();
const PARSES_KEPT = 32;

/**
 * Parses YAML keeping node ranges, so schema errors can name the key's line. Any syntax
 * error (including duplicate keys) becomes a ProjectFileError at its position. The same text
 * parsed again (twenty runs started at once read one config) is taken from the last parses,
 * its value a copy of its own (callers may change what they are given).
 */
export function parseYamlSource(text: string, file: string, options: YamlSourceOptions = {}): ParsedSource {
  const key = `${options.lineOffset ?? 0}\0${file}\0${text}`;
  let source = parsed.get(key);
  if (source) parsed.delete(key);
  else source = parseFresh(text, file, options.lineOffset ?? 0);
  parsed.set(key, source);
  if (parsed.size > PARSES_KEPT) parsed.delete(parsed.keys().next().value!);
  return { ...source, value: structuredClone(source.value) };
}

function parseFresh(text: string, file: string, lineOffset: number): ParsedSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const toPosition = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: line + lineOffset, column: col };
  };
  const first = doc.errors[0];
  if (first) {
    const at = toPosition(first.pos[0]);
    throw new ProjectFileError(
      { file, line: at.line, column: at.column },
      `YAML syntax error: ${firstLine(first.message)}`,
    );
  }
  return {
    file,
    value: doc.toJS({ maxAliasCount: 100 }),
    locate: (path) => toPosition(offsetOfPath(doc, path)),
  };
}

/** Offset of the key (for mapping entries) or item (for sequences) deepest along `path`. */
export function offsetOfPath(doc: Document, path: readonly PropertyKey[]): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => keyText(item.key) === String(segment));
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) break;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}

function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message;
}
