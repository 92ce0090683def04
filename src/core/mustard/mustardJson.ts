import { describeValue, FileWarnings } from '../project/sources';
import { readForeignJson } from './readJsonFile';
import { isPlainObject } from './values';

/** What we use from Mustard's `mustard.json` (docs/mustard.md). */
export interface MustardJson {
  buildCommand?: string;
  testCommand?: string;
  lintCommand?: string;
  typeCheckCommand?: string;
  /** The language specs are written in, e.g. `pt-BR`. */
  specLang?: string;
}

export const MUSTARD_JSON = 'mustard.json';

/** The keys that make a `mustard.json` Mustard's; others (`git`, `tone`, `inject`, `runtime`…) are tolerated. */
const COMMAND_KEYS = ['buildCommand', 'testCommand', 'lintCommand', 'typeCheckCommand'] as const;
const MUSTARD_KEYS: readonly string[] = [...COMMAND_KEYS, 'specLang'];

/** A BCP 47 tag such as `pt-BR`, `en-US`, `ja`. */
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/;

/**
 * Reads `mustard.json` at the workspace root. Only Mustard's is used, recognised by its shape
 * (an object with one of Mustard's keys); any other file of that name, a placeholder left from
 * Mustard's template (`"<build command>"`) or a value of the wrong kind is a warning.
 */
export async function readMustardJson(workspace: string): Promise<{ config?: MustardJson; warnings: string[] }> {
  const read = await readForeignJson(workspace, MUSTARD_JSON);
  if (!read.source) {
    if (read.text !== undefined && looksLikeJavaScript(read.text)) {
      return { warnings: [`${MUSTARD_JSON}: not Mustard's (a JavaScript file, not JSON); ignored`] };
    }
    return { warnings: read.warnings };
  }
  const value = read.source.value;
  if (!isPlainObject(value))
    return {
      warnings: [
        `${MUSTARD_JSON}: not Mustard's (${describeValue(value)}, not an object with ${MUSTARD_KEYS.join(', ')}); ignored`,
      ],
    };
  if (!MUSTARD_KEYS.some((key) => key in value)) {
    return {
      warnings: [`${MUSTARD_JSON}: not Mustard's (an object without any of ${MUSTARD_KEYS.join(', ')}); ignored`],
    };
  }
  const warnings = new FileWarnings(read.source);
  const config: MustardJson = {};
  for (const key of MUSTARD_KEYS) {
    if (!(key in value)) continue;
    const usable = usableText(value[key], [key], warnings);
    if (usable === undefined) continue;
    if (key === 'specLang' && !LANGUAGE_TAG.test(usable)) {
      warnings.add([key], `expected a language tag such as "pt-BR", got ${describeValue(usable)}; ignored`);
      continue;
    }
    config[key as keyof MustardJson] = usable;
  }
  return { config, warnings: warnings.list() };
}

function usableText(value: unknown, path: string[], warnings: FileWarnings): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'string') {
    warnings.add(path, `expected text, got ${describeValue(value)}; ignored`);
    return undefined;
  }
  const text = value.trim();
  if (text === '') return undefined;
  if (isPlaceholder(text)) {
    warnings.add(path, `${describeValue(text)} is the template's placeholder, not a command; ignored`);
    return undefined;
  }
  return text;
}

/** Template text never filled in: `<build command>`, `{{lint}}`, `TODO`. */
export function isPlaceholder(text: string): boolean {
  return /^<[^<>]*>$/.test(text) || /^\{\{.*\}\}$/.test(text) || /^(?:todo|tbd|fixme)\b/i.test(text);
}

function looksLikeJavaScript(text: string): boolean {
  return /^\s*(?:(?:var|let|const)\s+[\w$]+\s*=|module\.exports\b|exports\.|export\s|window\.|globalThis\.|[\w$.]+\s*=\s*[[{])/.test(
    text.replace(/^\uFEFF/, '').replace(/^\s*(?:\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*/g, ''),
  );
}
