/**
 * The ways a task of a foreign spec says what it serves, in the languages seen: Kiro's
 * `_Requirements: 7.1, 7.2_`, `_需求: 1.1, 2.3_`, `需求13`, `**Validates: Requirements 3.2**`,
 * Spec Kit's `[US1]`, and ids written out (`FR-012`, `REQ-7.2`, `US-1.5`).
 */

// "Requirement(s)" in the languages real folders use.
const REQUIREMENT_WORD = String.raw`(?:requirements?|reqs?\.?|requisitos?|requerimientos?|anforderung(?:en)?|exigences?|需求|要求|要件|요구\s?사항|требовани[еяй])`;
const VALIDATES_WORD = String.raw`(?:validates?|verifies|valida|验证|驗證|検証|검증)`;
const NUMBER = String.raw`\d+(?:\.\d+)*`;
const NUMBERS = String.raw`(${NUMBER}(?:\s*(?:[,，、;；/]|\band\b|\by\b|\be\b|和|及|と)\s*${NUMBER})*)`;
const NUMBERED_LINK = new RegExp(String.raw`${REQUIREMENT_WORD}\s*[:：]?\s*${NUMBERS}`, 'giu');
const LINK_LINE = new RegExp(String.raw`^[\s_*>-]*(?:${VALIDATES_WORD}\s*[:：]?\s*)?${REQUIREMENT_WORD}\s*[:：]?\s*${NUMBERS}[\s_*.。)）]*$`, 'iu');
const ID = /(?<![\p{L}\p{N}_-])([A-Z][A-Z0-9]{0,9}-\d+[a-z]?(?:\.\d+)*)(?![\p{L}\p{N}_-]|\.\d)/gu;
const STORY_TAG = /\[\s*(?:US|Story|ストーリー|故事)\s*-?\s*(\d+(?:\.\d+)*)\s*\]/giu;

/** A line that says nothing but what the task serves. */
export function isLinkLine(line: string): boolean {
  return LINK_LINE.test(line.trim());
}

/** Kiro numbers cited by requirement word (`7.1`, `13`) → our ids (`REQ-7.1`, `REQ-13`). */
export function numberedLinks(text: string): string[] {
  const ids: string[] = [];
  for (const match of text.matchAll(NUMBERED_LINK)) {
    for (const n of match[1]!.split(/[^\d.]+/)) if (/^\d+(?:\.\d+)*$/.test(n)) ids.push(`REQ-${n}`);
  }
  return ids;
}

/** Spec Kit's story tags (`[US1]`, `[US1.5]`) → `US-1`, and the text without them. */
export function storyTags(text: string): { ids: string[]; rest: string } {
  const ids: string[] = [];
  const rest = text.replace(STORY_TAG, (_, n: string) => {
    ids.push(`US-${n}`);
    return '';
  });
  return { ids, rest };
}

/** Ids written out in the text (`FR-012`, `REQ-7.2`) that are among `known`. */
export function writtenIds(text: string, known: ReadonlySet<string>): string[] {
  return [...text.matchAll(ID)].map((m) => m[1]!).filter((id) => known.has(id));
}

export function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}
