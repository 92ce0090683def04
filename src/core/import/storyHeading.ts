/**
 * A Spec Kit story heading in any language: found by its priority tag (`(Priority: P1)`,
 * `(优先级: P1)`) or its "story" word (`### 用户故事 1 - 标题`, `### ユーザーストーリー 2`,
 * `User Story 1.5`).
 */
import { plain } from './foreignSpec';

const STORY_WORD = String.raw`(?:user\s+stor(?:y|ies)|historia\s+de\s+usuario|hist[oó]ria\s+de\s+usu[aá]rio|story|用户故事|用戶故事|使用者故事|ユーザーストーリー|ユーザストーリー|사용자\s*스토리)`;
const PRIORITY = String.raw`[(（]\s*[^)）:：]{1,20}[:：]\s*P\d+\s*[)）]`;
const STORY_BY_WORD = new RegExp(
  String.raw`^${STORY_WORD}\s*(\d+(?:\.\d+)*)\s*(?:[-–—:：]\s*(.*?))?\s*(?:${PRIORITY})?\s*(?:🎯.*)?$`,
  'iu',
);
const STORY_BY_PRIORITY = new RegExp(String.raw`^[^\d]*?(\d+(?:\.\d+)*)\s*[-–—:：]\s*(.*?)\s*${PRIORITY}`, 'iu');
/** A story heading's number and title, the heading's own wording kept. */
export function storyOf(heading: string): { n: string; title: string } | undefined {
  for (const pattern of [STORY_BY_WORD, STORY_BY_PRIORITY]) {
    const match = pattern.exec(heading.trim());
    if (match?.[1]) return { n: match[1], title: plain(match[2] ?? '').replace(/\s*🎯.*$/u, '') };
  }
  return undefined;
}
