import { LineCounter, parseDocument } from 'yaml';
import { ProjectFileError } from './errors';
import { jsonErrorOffset } from './jsonErrorOffset';
import type { ParsedSource, SourcePosition } from './parsedSource';
import { offsetOfPath } from './yamlSource';

export interface JsonSourceOptions {
  /** Lines before this text in its file (one JSONL line is parsed at a time). */
  lineOffset?: number;
}

/**
 * Parses JSON with the fast native parser. Positions are only worked out when something is
 * wrong: syntax errors from V8's offset (or our own scan), key paths by re-reading the text
 * with the YAML parser, which accepts JSON and keeps node ranges.
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
    throw new ProjectFileError({ file, line: at.line, column: at.column }, `JSON syntax error: ${describeJsonError(message)}`);
  }
  return {
    file,
    value,
    locate(path) {
      const lineCounter = new LineCounter();
      const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
      const { line, col } = lineCounter.linePos(offsetOfPath(doc, path));
      return { line: line + lineOffset, column: col };
    },
  };
}

function positionFromMessage(message: string): number | undefined {
  const match = /at position (\d+)/.exec(message);
  return match ? Number(match[1]) : undefined;
}

/** Drops V8's position and source snippet, which the file:line:col prefix replaces. */
function describeJsonError(message: string): string {
  const unexpected = /^(Unexpected token '.*?'|Unexpected end of JSON input|Unexpected non-whitespace character after JSON)/s.exec(message);
  if (unexpected?.[1]) return unexpected[1].replace(/'\n'/, "'\\n'");
  return message.replace(/ in JSON at position \d+.*$/s, '').replace(/ \(line \d+ column \d+\)$/, '');
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
