/**
 * Last line of defence for "no API key is ever written to the journal": events are built
 * by many hands (tool results echo file contents, errors echo requests), so the journal
 * scrubs anything that looks like an Anthropic key, plus any secret it was told about.
 */
const ANTHROPIC_KEY = /sk-ant-[A-Za-z0-9_-]*/g;
export const REDACTED = '[REDACTED]';

/** Secrets shorter than this are not redacted: replacing e.g. "abc" everywhere would wreck the journal. */
const MIN_SECRET_LENGTH = 8;

export interface Redaction {
  text: string;
  /** How many occurrences were replaced. */
  count: number;
}

/**
 * Redacts inside an already serialized JSON line. Key characters never need JSON escaping,
 * and the secrets are matched in their JSON-escaped form, so the line stays valid JSON.
 */
export function redactSecretsInJson(json: string, secrets: readonly string[] = []): Redaction {
  let count = 0;
  let text = json.replace(ANTHROPIC_KEY, () => {
    count++;
    return REDACTED;
  });
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    const escaped = JSON.stringify(secret).slice(1, -1);
    const parts = text.split(escaped);
    count += parts.length - 1;
    text = parts.join(REDACTED);
  }
  return { text, count };
}
